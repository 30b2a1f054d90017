"""Synthetic project registers: 103 participant episodes, the meeting log and the interview list,
reproducing every published count and share of DESIGN.md section 3.

Identity numbers are invented: valid dates and check digits, birth numbers 980–999 (the range
Skatteverket uses for its published test identities), so no real person's number is meant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..privacy import luhn_check_digit

__all__ = ["participants", "meetings", "interviews", "CUTOFF", "PARTICIPANT_TARGETS", "MEETING_TARGETS"]

CUTOFF = pd.Timestamp("2019-10-31")
PARTICIPANT_TARGETS = {"0781": 35, "0834": 37, "0884": 31}
MEETING_TARGETS = {"0781": 106, "0834": 41, "0884": 50}  # follow-up meetings with Försäkringskassan
MEETING_WEEKDAY = {"0781": 1, "0834": 3, "0884": 2}  # the fixed weekly slot at the health centre
INFLOW = ((pd.Timestamp("2017-02-01"), pd.Timestamp("2017-05-31"), 11),
          (pd.Timestamp("2018-01-01"), pd.Timestamp("2018-12-31"), 45),
          (pd.Timestamp("2019-01-01"), pd.Timestamp("2019-10-15"), 47))
CLOSED = 76
MEN = 5
ENTRY = {"repeated_short_term_absence": 39, "sick_pay_days_1_14": 1, "part_time_sick_leave": 18,
         "full_time_sick_leave": 45}
# (exit reason, compensation at exit): episodes; margins 60/4/1/8/3 and 41/28/7
EXIT = {("ordinary_work", "salary"): 37, ("ordinary_work", "part_time_sick_leave"): 23,
        ("other_work_same_employer", "salary"): 3, ("other_work_same_employer", "part_time_sick_leave"): 1,
        ("medical_obstacle", "full_time_sick_leave"): 1,
        ("left_employer", "salary"): 1, ("left_employer", "part_time_sick_leave"): 4,
        ("left_employer", "full_time_sick_leave"): 3, ("other", "full_time_sick_leave"): 3}
SECTORS = {"social_services": 56, "school": 36, "technical": 5, "administration": 6}
ROLES = {"case_officer": 4, "doctor": 3, "rehab_coordinator": 3, "hr_strategist": 3, "manager": 6,
         "participant": 8, "steering_group": 3}


def _spread(counts: dict, rng: np.random.Generator) -> np.ndarray:
    """A shuffled array holding each key ``counts[key]`` times."""
    values = np.array([k for k, n in counts.items() for _ in range(n)], dtype=object)
    return values[rng.permutation(len(values))]


def _identity_number(rng: np.random.Generator, sex: str, form: int, taken: set[str]) -> str:
    while True:
        born = pd.Timestamp("1958-01-01") + pd.Timedelta(days=int(rng.integers(0, 365 * 37)))
        serial = 980 + 2 * int(rng.integers(0, 10)) + (1 if sex == "M" else 0)
        nine = born.strftime("%y%m%d") + f"{serial:03d}"
        number = nine + str(luhn_check_digit(nine))
        if number not in taken:
            taken.add(number)
            break
    century = born.strftime("%Y")[:2]
    return (number[:6] + "-" + number[6:], century + number, century + number[:6] + "-" + number[6:])[form]


def participants(rng: np.random.Generator) -> pd.DataFrame:
    """One row per episode: personal_id, municipality_code, sex, sector, start_date, end_date,
    entry_compensation, exit_compensation, exit_reason (the last three as tidy codes)."""
    starts = []
    for first, last, count in INFLOW:
        days = np.sort(rng.integers(0, (last - first).days + 1, count))
        starts += [first + pd.Timedelta(days=int(d)) for d in days]
    starts = pd.DatetimeIndex(starts)
    n = len(starts)
    duration = np.maximum(np.round(rng.lognormal(np.log(190), 0.55, n)), 30).astype(int)
    room = np.array([(CUTOFF - s).days for s in starts])
    closed = duration <= room
    while closed.sum() < CLOSED:  # close the earliest open episodes
        i = int(np.flatnonzero(~closed)[0])
        duration[i] = int(rng.integers(30, room[i] + 1))
        closed[i] = True
    while closed.sum() > CLOSED:  # keep the latest closed episodes open
        i = int(np.flatnonzero(closed)[-1])
        duration[i] = room[i] + int(rng.integers(1, 200))
        closed[i] = False
    sex = np.array(["K"] * n, dtype=object)
    sex[rng.choice(n, MEN, replace=False)] = "M"
    exits = _spread(EXIT, rng)
    reason = np.full(n, None, dtype=object)
    compensation = np.full(n, None, dtype=object)
    for i, pair in zip(np.flatnonzero(closed), exits):
        reason[i], compensation[i] = pair
    taken: set[str] = set()
    frame = pd.DataFrame({
        "personal_id": [_identity_number(rng, s, i % 3, taken) for i, s in enumerate(sex)],
        "municipality_code": _spread(PARTICIPANT_TARGETS, rng),
        "sex": sex,
        "sector": _spread(SECTORS, rng),
        "start_date": starts,
        "end_date": [s + pd.Timedelta(days=int(d)) if c else pd.NaT for s, d, c in zip(starts, duration, closed)],
        "entry_compensation": _spread(ENTRY, rng),
        "exit_compensation": compensation,
        "exit_reason": reason,
    })
    return frame


def _slot(day: pd.Timestamp, weekday: int, first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    """The municipality's weekly meeting day nearest after ``day``, kept inside [first, last]."""
    moved = day + pd.Timedelta(days=(weekday - day.weekday()) % 7)
    while moved > last:
        moved -= pd.Timedelta(days=7)
    return moved if moved >= first else day


def meetings(register: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Follow-up meetings (published counts per municipality, spread over episodes in proportion to
    their length, on the municipality's fixed weekday) and three-party meetings early in episodes."""
    rows = []
    last_day = register["end_date"].fillna(CUTOFF)
    for code, total in MEETING_TARGETS.items():
        mine = register.index[register["municipality_code"] == code]
        length = (last_day[mine] - register.loc[mine, "start_date"]).dt.days.to_numpy(float)
        counts = rng.multinomial(total, length / length.sum())
        for i, count in zip(mine, counts):
            first = register.at[i, "start_date"] + pd.Timedelta(days=7)
            span = max((last_day[i] - first).days, 0)
            for offset in np.sort(rng.integers(0, span + 1, count)):
                day = _slot(first + pd.Timedelta(days=int(offset)), MEETING_WEEKDAY[code], first, last_day[i])
                rows.append((i, code, day, "follow_up"))
    for i in register.index:
        if rng.random() < 0.58:
            start = register.at[i, "start_date"]
            day = start + pd.Timedelta(days=int(rng.integers(0, 29)))
            rows.append((i, register.at[i, "municipality_code"], min(day, last_day[i]), "three_party"))
    frame = pd.DataFrame(rows, columns=["episode", "municipality_code", "date", "meeting_type"])
    frame = frame.sort_values(["date", "episode", "meeting_type"], kind="stable").reset_index(drop=True)
    # the meeting log writes identity numbers in the 12-digit form, whatever the register used
    ids = register["personal_id"].str.replace("-", "", regex=False)
    twelve = ids.where(ids.str.len() == 12, "19" + ids)
    frame.insert(0, "personal_id", twelve[frame["episode"]].to_numpy())
    return frame.drop(columns="episode")


def interviews(rng: np.random.Generator) -> pd.DataFrame:
    """About 30 interviews over the seven stakeholder groups and three municipalities, autumn 2019."""
    roles = _spread(ROLES, rng)
    codes = np.array(list(PARTICIPANT_TARGETS))[np.arange(len(roles)) % 3]
    days = np.sort(rng.integers(0, 61, len(roles)))
    frame = pd.DataFrame({
        "interview_id": [f"I{i + 1:02d}" for i in range(len(roles))],
        "role": roles,
        "municipality_code": codes,
        "date": [pd.Timestamp("2019-09-02") + pd.Timedelta(days=int(d)) for d in days],
        "mode": ["group" if r in ("steering_group", "case_officer") and rng.random() < 0.5 else "individual"
                 for r in roles],
    })
    return frame
