"""Project registers: participant episodes, the meeting log and interview metadata.

Identity numbers are read as they are (column ``personal_id``); ``prepare`` replaces them with
keyed pseudonyms before anything is written (see :mod:`fouress_eval.privacy`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean import is_missing, parse_date, parse_sex
from ..errors import InputError
from .common import Column, category_parser, parse_columns, parse_municipality, read_table, require_values

__all__ = ["read_participants", "read_meetings", "read_interviews",
           "ENTRY_COMPENSATION", "EXIT_COMPENSATION", "EXIT_REASONS", "SECTORS", "MEETING_TYPES", "ROLES"]

ENTRY_COMPENSATION = {
    "Upprepad korttidsfrånvaro": "repeated_short_term_absence",
    "Sjuklön dag 1-14": "sick_pay_days_1_14", "Sjuklön dag 1–14": "sick_pay_days_1_14", "Sjuklön": "sick_pay_days_1_14",
    "Deltidssjukskrivning": "part_time_sick_leave", "Deltidssjukskriven": "part_time_sick_leave",
    "Deltid": "part_time_sick_leave",
    "Heltidssjukskrivning": "full_time_sick_leave", "Heltidssjukskriven": "full_time_sick_leave",
    "Heltid": "full_time_sick_leave",
}
EXIT_COMPENSATION = {
    "Lön": "salary", "Helt åter i lön": "salary",
    **{k: v for k, v in ENTRY_COMPENSATION.items() if v in ("part_time_sick_leave", "full_time_sick_leave")},
}
EXIT_REASONS = {
    "Åter i ordinarie arbete": "ordinary_work", "Ordinarie arbete": "ordinary_work",
    "Annat arbete hos samma arbetsgivare": "other_work_same_employer",
    "Medicinskt hinder": "medical_obstacle",
    "Slutat hos arbetsgivaren": "left_employer", "Slutat": "left_employer",
    "Annat (studier, föräldraledighet)": "other", "Annat": "other", "Övrigt": "other",
}
SECTORS = {
    "Socialtjänst/omsorg": "social_services", "Socialtjänst": "social_services", "Omsorg": "social_services",
    "Vård och omsorg": "social_services",
    "Skola/förskola": "school", "Skola": "school", "Förskola": "school", "Utbildning": "school",
    "Teknik/service": "technical", "Teknik": "technical", "Service": "technical",
    "Administration": "administration", "Övrigt": "other", "Annat": "other",
}
MEETING_TYPES = {"Avstämningsmöte": "follow_up", "Trepartsmöte": "three_party"}
ROLES = {
    "Handläggare FK": "case_officer", "Handläggare Försäkringskassan": "case_officer", "PHL": "case_officer",
    "Läkare": "doctor", "Rehabkoordinator": "rehab_coordinator", "Rehabiliteringskoordinator": "rehab_coordinator",
    "HR-strateg": "hr_strategist", "HR": "hr_strategist", "Chef": "manager",
    "Medarbetare": "participant", "Deltagare": "participant", "Styrgrupp": "steering_group",
    "Styrgruppsledamot": "steering_group",
    # roles of the sister projects (På väg, Omställning); the first label of a role is its preferred one
    "Socialsekreterare": "social_worker", "Socialtjänst": "social_worker",
    "Handläggare Arbetsförmedlingen": "employment_officer", "Handläggare AF": "employment_officer",
    "Arbetsförmedlare": "employment_officer", "Arbetsförmedlingen": "employment_officer",
    "Hälso- och sjukvård": "health_care", "Vårdpersonal": "health_care", "Region Skåne": "health_care",
    "Företagshälsovård": "occupational_health", "Företagshälsovården": "occupational_health",
    "Tjänstedesigner": "service_designer", "Tjänstedesign": "service_designer",
}
INTERVIEW_MODES = {"Individuell": "individual", "Grupp": "group", "Gruppintervju": "group", "Fokusgrupp": "group"}


def _optional(parser):
    def parse(value: object):
        return None if is_missing(value) else parser(value)
    return parse


def _identifier(value: object) -> str:
    if is_missing(value):
        raise InputError("value is missing", expected="an identity number or participant id in every row")
    return str(value).strip()


PARTICIPANT_COLUMNS = (
    Column("personal_id", "Personnummer", "Deltagar-id", "Deltagare", "participant_id", "id"),
    Column("municipality", "Kommun"),
    Column("sex", "Kön", "gender"),
    Column("sector", "Sektor", "Verksamhet", required=False),
    Column("start_date", "Startdatum", "Start", "Inskrivningsdatum"),
    Column("end_date", "Slutdatum", "Slut", "Avslutsdatum"),
    Column("entry_compensation", "Ersättning vid start", "Ersättning start"),
    Column("exit_compensation", "Ersättning vid avslut", "Ersättning avslut"),
    Column("exit_reason", "Avslutsorsak", "Orsak till avslut"),
)


def read_participants(path: Path) -> pd.DataFrame:
    """Read a participant register (one row per episode) into the tidy ``participants`` form.

    Dates are ``Timestamp`` (day); ``end_date``, ``exit_compensation`` and ``exit_reason`` are
    missing while an episode is ongoing, and must all be present once it has ended.
    """
    frame = read_table(path, PARTICIPANT_COLUMNS, sheet_hint="deltagare", what="participant register")
    frame = parse_columns(frame, {
        "personal_id": _identifier, "municipality": parse_municipality, "sex": parse_sex,
        "sector": _optional(category_parser(SECTORS, "sector")),
        "start_date": parse_date, "end_date": parse_date,
        "entry_compensation": category_parser(ENTRY_COMPENSATION, "compensation at entry"),
        "exit_compensation": _optional(category_parser(EXIT_COMPENSATION, "compensation at exit")),
        "exit_reason": _optional(category_parser(EXIT_REASONS, "exit reason")),
    })
    require_values(frame, ["start_date"], expected="a start date for every episode")
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["sector"] = frame["sector"].fillna("other")
    return frame.rename(columns={"municipality": "municipality_code"})


MEETING_COLUMNS = (
    Column("personal_id", "Personnummer", "Deltagar-id", "Deltagare", "participant_id", "id"),
    Column("municipality", "Kommun"),
    Column("date", "Datum", "Mötesdatum"),
    Column("meeting_type", "Mötestyp", "Typ", "type"),
)


def read_meetings(path: Path) -> pd.DataFrame:
    """Read a meeting log (one row per meeting) into the tidy ``meetings`` form."""
    frame = read_table(path, MEETING_COLUMNS, sheet_hint="moten", what="meeting log")
    frame = parse_columns(frame, {
        "personal_id": _identifier, "municipality": parse_municipality, "date": parse_date,
        "meeting_type": category_parser(MEETING_TYPES, "meeting type"),
    })
    require_values(frame, ["date"], expected="a meeting date in every row")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.rename(columns={"municipality": "municipality_code"})


INTERVIEW_COLUMNS = (
    Column("interview_id", "Intervju-id", "Intervju", "id"),
    Column("role", "Roll", "Stakeholder group"),
    Column("municipality", "Kommun"),
    Column("date", "Datum", required=False),
    Column("mode", "Form", "Intervjuform", required=False),
)


def read_interviews(path: Path) -> pd.DataFrame:
    """Read interview metadata (one row per interview) into the tidy ``interviews`` form."""
    frame = read_table(path, INTERVIEW_COLUMNS, sheet_hint="intervjuer", what="interview list")
    frame = parse_columns(frame, {
        "interview_id": _identifier, "role": category_parser(ROLES, "stakeholder role"),
        "municipality": parse_municipality, "date": parse_date,
        "mode": _optional(category_parser(INTERVIEW_MODES, "interview form")),
    })
    frame["date"] = pd.to_datetime(frame["date"])
    frame["mode"] = frame["mode"].fillna("individual")
    return frame.rename(columns={"municipality": "municipality_code"})
