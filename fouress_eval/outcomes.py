"""Monthly outcome series for interrupted time series, from the prepared tables, at any level.

:func:`outcome_series` gives one outcome of one source at one level as a tidy frame with
``unit_code`` (4-digit municipality code, 2-digit county code, or the health centre's name),
``month`` (``Period[M]``) and ``value``, plus ``numerator``/``denominator`` where the source has
them, sorted by unit and month. Sources (``fouress_eval.store.load_tables`` table names):

- ``personnel_hours`` (table ``absence_monthly``), levels ``municipality`` and ``county``; series
  ``sick_pct`` (default: 100 · Σ sick hours / Σ scheduled hours), ``long_sick_pct`` (hours in
  spells of 60+ days, % of scheduled hours) and ``short_sick_pct`` (hours on days 1–14, % of
  scheduled hours). A county sums the hours of its municipalities in the table (never averages
  their percentages); a month in which one of them lacks hours has no county value.
- ``sickpay`` (table ``sickpay_monthly``), levels ``county`` and ``municipality``: Försäkringskassan's
  ``measure`` named by ``series`` (default ``sjukpenningtal``; any measure in the table, e.g.
  ``sjukfall_over_365``), women and men together (``sex == "alla"``), all ages. ``value`` is in
  the measure's unit; ``denominator`` is FK's namnare. A value suppressed at source stays missing.
  When the table holds several versions of the measure (sjukpenningtal 1.0 and 2.0), name one:
  ``series="sjukpenningtal 1.0"``.
- ``clinic`` (table ``clinic_sicklistings``), levels ``health_centre``, ``municipality`` and
  ``county``: sick-listed patients per 1 000 listed patients, numerators and denominators summed
  over centres before dividing (``fouress_eval.metrics.absence.clinic_rate``); per health centre
  the frame also carries the centre's ``municipality_code``. ``series`` names
  diagnosis chapters joined by ``+`` (``"F+M"``, ``"F"``); default: all chapters summed.
- ``kolada`` is yearly, so no ITS can use it (an :class:`InputError` says so).

:func:`outcome_gap` says in one sentence (Swedish or English) why a site's series cannot carry an
ITS, or returns None when it can.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .labels import label, register
from .metrics.absence import clinic_rate, long_term_share, short_term_absence, sick_pct
from .sites import site_code, site_level, site_municipalities, site_name

__all__ = ["outcome_series", "outcome_gap", "SOURCE_TABLES", "SOURCE_LEVELS", "PERSONNEL_SERIES",
           "MIN_MONTHS", "MIN_PRE_MONTHS"]

#: source → prepared table it reads
SOURCE_TABLES = {"personnel_hours": "absence_monthly", "sickpay": "sickpay_monthly",
                 "clinic": "clinic_sicklistings", "kolada": "kolada"}
#: source → levels it can be followed at (kolada: none, it is yearly)
SOURCE_LEVELS = {"personnel_hours": ("municipality", "county"), "sickpay": ("municipality", "county"),
                 "clinic": ("health_centre", "municipality", "county"), "kolada": ()}
#: personnel-hours series → (metric function, its value column, numerator column)
PERSONNEL_SERIES = {"sick_pct": (sick_pct, "sick_pct", "sick_hours"),
                    "long_sick_pct": (long_term_share, "long_pct_of_scheduled", "long_sick_hours"),
                    "short_sick_pct": (short_term_absence, "short_pct", "short_sick_hours")}
MIN_MONTHS = 24  # months with a value for an ITS (two years: trend and season)
MIN_PRE_MONTHS = 8  # months before the first interruption
_RAW_PREFIX = {"absence_monthly": "personal", "sickpay_monthly": "fk", "clinic_sicklistings": "vardcentral",
               "kolada": "kolada"}
_FK_AREA = {"municipality": "kommun", "county": "lan"}
_COLUMNS = ["unit_code", "month", "value", "numerator", "denominator", "municipality_code"]

register({
    "oc_source_personnel_hours": {"sv": "personalsystemets timmar för kommunens anställda",
                                  "en": "personnel-system hours of municipal employees"},
    "oc_source_sickpay": {"sv": "Försäkringskassans statistik", "en": "statistics from Försäkringskassan"},
    "oc_source_clinic": {"sv": "vårdcentralernas sjukskrivningar", "en": "health-centre sick-listings"},
    "oc_source_kolada": {"sv": "Kolada", "en": "Kolada"},
    "oc_level_municipality": {"sv": "kommunnivå", "en": "municipality level"},
    "oc_level_county": {"sv": "länsnivå", "en": "county level"},
    "oc_level_health_centre": {"sv": "vårdcentralsnivå", "en": "health-centre level"},
    "oc_gap_yearly": {"sv": "Kolada redovisar bara årsvärden, och en avbruten tidsserie behöver månadsvärden.",
                      "en": "Kolada publishes yearly values only, and an interrupted time series needs monthly values."},
    "oc_gap_table": {"sv": "De förberedda data saknar {what} (ingen tabell {table}).",
                     "en": "The prepared data hold no {what} (no table {table})."},
    "oc_gap_series": {"sv": "Måttet {series} finns inte i {what} (där finns {available}).",
                      "en": "The measure {series} is not in the {what} (they hold {available})."},
    "oc_gap_site": {"sv": "{name} finns inte i {what} på {level}.",
                    "en": "{name} is not in the {what} at {level}."},
    "oc_gap_months": {"sv": "{name} har bara {n} månader med värden i {what}, och en avbruten tidsserie behöver "
                            "minst {min}.",
                      "en": "{name} has only {n} months with values in the {what}, and an interrupted time series "
                            "needs at least {min}."},
    "oc_gap_pre": {"sv": "{name} har bara {n} månader med värden i {what} före första avbrottet ({start}), och "
                         "minst {min} behövs.",
                   "en": "{name} has only {n} months with values in the {what} before the first interruption "
                         "({start}), and at least {min} are needed."},
})


def _gap(kind: str, message: str, params: dict, **details) -> InputError:
    """An InputError that also carries what :func:`outcome_gap` needs to say it in one sentence."""
    error = InputError(message, **details)
    error.gap = (kind, params)
    return error


def _check_source(source: str, level: str) -> str:
    if source not in SOURCE_TABLES:
        raise InputError("unknown outcome source", value=source, expected="one of " + ", ".join(SOURCE_TABLES))
    if source == "kolada":
        raise _gap("yearly", "Kolada publishes yearly values; an interrupted time series needs monthly data",
                   {}, value=source, expected="a monthly source: personnel_hours, sickpay or clinic")
    if level not in SOURCE_LEVELS[source]:
        raise InputError(f"unknown level for source '{source}'", value=level,
                         expected="one of " + ", ".join(SOURCE_LEVELS[source]))
    return SOURCE_TABLES[source]


def _table(tables: dict[str, pd.DataFrame], source: str, table: str) -> pd.DataFrame:
    if table not in tables or tables[table] is None:
        raise _gap("table", f"the prepared data have no table '{table}' for source '{source}'", {"table": table},
                   value=source, expected=f"a prepared {table} table: raw files named {_RAW_PREFIX[table]}_* "
                                          "in the raw folder, then `fouress-eval prepare`")
    return tables[table]


def _require(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {table} table lacks column(s) {', '.join(missing)}", column=missing[0],
                         expected="the columns of fouress_eval.schemas for " + table)


def _unit_codes(codes: Sequence[str] | str | None, level: str) -> list[str] | None:
    """Codes normalised for ``level``; a county among municipality codes means its municipalities."""
    if codes is None:
        return None
    if isinstance(codes, str):
        codes = [codes]
    if level == "health_centre":
        return [str(c) for c in codes]
    if level == "municipality":
        return site_municipalities(list(codes))
    out = []
    for code in codes:
        found = site_code(code)
        if site_level(found) != "county":
            raise InputError("a county-level series is selected by county", value=code,
                             expected="a 2-digit county code or a county name, e.g. '14' or 'Västra Götalands län'")
        out.append(found)
    return out


def _finish(frame: pd.DataFrame, source: str, level: str, series: str) -> pd.DataFrame:
    columns = [c for c in _COLUMNS if c in frame.columns]
    out = frame[columns].sort_values(["unit_code", "month"], kind="stable").reset_index(drop=True)
    out["value"] = out["value"].astype(float)
    out.attrs.update(source=source, level=level, series=series)
    return out


# ------------------------------------------------------------------------------ personnel hours
def _personnel(hours: pd.DataFrame, level: str, series: str | None, codes: list[str] | None) -> pd.DataFrame:
    series = series or "sick_pct"
    if series not in PERSONNEL_SERIES:
        raise InputError("unknown series of personnel hours", value=series,
                         expected="one of " + ", ".join(PERSONNEL_SERIES))
    metric, value, numerator = PERSONNEL_SERIES[series]
    _require(hours, ["municipality_code", "month", "scheduled_hours", "sick_hours"], "absence_monthly")
    if numerator not in hours.columns or hours[numerator].isna().all():
        present = [s for s, (_m, _v, n) in PERSONNEL_SERIES.items() if n in hours.columns and hours[n].notna().any()]
        raise _gap("series", f"the personnel hours have no {numerator} (needed for {series})",
                   {"series": series, "available": ", ".join(present)}, column=numerator, value=series,
                   expected="one of " + ", ".join(present))
    frame = hours
    if level == "county":
        frame = hours.assign(county_code=hours["municipality_code"].astype(str).str[:2])
    key = "municipality_code" if level == "municipality" else "county_code"
    if codes is not None:
        frame = frame[frame[key].isin(codes)]
    out = metric(frame, by=[key], period="month")
    out = out.rename(columns={key: "unit_code", value: "value", numerator: "numerator",
                              "scheduled_hours": "denominator"})
    if level == "county" and len(frame):
        # a county month sums the county's municipalities in the table: all of them, or no value
        cells = pd.DataFrame({"unit_code": frame[key].to_numpy(), "month": pd.PeriodIndex(frame["month"], freq="M"),
                              "member": frame["municipality_code"].to_numpy()})
        present = cells.groupby(["unit_code", "month"])["member"].nunique().rename("present").reset_index()
        members = cells.groupby("unit_code")["member"].nunique().rename("members")
        present = present.join(members, on="unit_code")
        complete = set(zip(present.loc[present["present"] == present["members"], "unit_code"],
                           present.loc[present["present"] == present["members"], "month"]))
        mask = np.array([(u, m) in complete for u, m in zip(out["unit_code"], out["month"])], dtype=bool)
        out.loc[~mask, ["value", "numerator", "denominator"]] = np.nan
    return out


# ------------------------------------------------------------------------------ Försäkringskassan
def _sickpay(fk: pd.DataFrame, level: str, series: str | None, codes: list[str] | None) -> pd.DataFrame:
    _require(fk, ["area_level", "municipality_code", "county_code", "sex", "age_group", "month", "measure",
                  "value"], "sickpay_monthly")
    series = (series or "sjukpenningtal").strip()
    measure, version = series, None
    parts = series.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].replace(",", ".") in ("1", "2", "1.0", "2.0"):
        measure, version = parts[0], parts[1].replace(",", ".").split(".")[0] + ".0"
    measures = sorted(map(str, fk["measure"].dropna().unique()))
    if measure not in measures:
        raise _gap("series", "no such measure in the sickpay table", {"series": series, "available": ", ".join(measures)},
                   column="measure", value=series, expected="one of " + ", ".join(measures))
    rows = fk[(fk["measure"] == measure) & (fk["sex"] == "alla") & (fk["age_group"] == "alla")
              & (fk["area_level"] == _FK_AREA[level])]
    if "measure_version" in rows.columns:
        versions = sorted(map(str, rows["measure_version"].dropna().unique()))
        if version is not None:
            if version not in versions:
                raise _gap("series", "no such version of the measure in the sickpay table",
                           {"series": series, "available": ", ".join(f"{measure} {v}" for v in versions)},
                           column="measure_version", value=series,
                           expected="one of " + ", ".join(f"'{measure} {v}'" for v in versions))
            rows = rows[rows["measure_version"] == version]
        elif len(versions) > 1:
            raise InputError("the sickpay table holds several versions of the measure, which are not comparable",
                             column="measure_version", value=series,
                             expected="one version named in the series: " + ", ".join(f"'{measure} {v}'" for v in versions))
    key = "municipality_code" if level == "municipality" else "county_code"
    rows = rows[rows[key].notna()]
    if codes is not None:
        rows = rows[rows[key].isin(codes)]
    out = pd.DataFrame({"unit_code": rows[key].astype(str), "month": pd.PeriodIndex(rows["month"], freq="M"),
                        "value": rows["value"].astype(float)})
    if "denominator" in rows.columns:
        out["denominator"] = rows["denominator"].astype(float).to_numpy()
    duplicated = out.duplicated(["unit_code", "month"])
    if duplicated.any():
        first = out[duplicated].iloc[0]
        raise InputError("the sickpay table has the same area and month twice for this measure", column="month",
                         value=f"{first['unit_code']} {first['month']}", expected="one value per area and month")
    return out


# ------------------------------------------------------------------------------ health centres
def _clinic(clinics: pd.DataFrame, level: str, series: str | None, codes: list[str] | None) -> pd.DataFrame:
    _require(clinics, ["clinic", "municipality_code", "month", "diagnosis_chapter", "sicklisted",
                       "listed_population"], "clinic_sicklistings")
    present = sorted(map(str, clinics["diagnosis_chapter"].dropna().unique()))
    chapters = None
    if series:
        chapters = [c.strip().upper() for c in str(series).split("+") if c.strip()]
        missing = [c for c in chapters if c not in [p.upper() for p in present]]
        if missing or not chapters:
            raise _gap("series", "no sick-listings with this diagnosis chapter",
                       {"series": series, "available": ", ".join(present)}, column="diagnosis_chapter",
                       value=", ".join(missing) or series,
                       expected="chapters of the table joined by '+', e.g. 'F+M'; the table has " + ", ".join(present))
    frame = clinics
    key = {"health_centre": "clinic", "municipality": "municipality_code", "county": "county_code"}[level]
    if level == "county":
        frame = clinics.assign(county_code=clinics["municipality_code"].astype(str).str[:2])
    if codes is not None:
        frame = frame[frame[key].isin(codes)]
    if frame.empty:
        return pd.DataFrame(columns=_COLUMNS).astype({"value": float})
    out = clinic_rate(frame, chapters=chapters, by=key)
    if level == "health_centre":  # the centre's municipality, so that a project site's centres can be left out
        out["municipality_code"] = out["clinic"].map(frame.groupby("clinic")["municipality_code"].first())
    return out.rename(columns={key: "unit_code", "rate_per_1000": "value", "sicklisted": "numerator",
                               "listed_population": "denominator"})


def outcome_series(tables: dict[str, pd.DataFrame], source: str, *, level: str, series: str | None = None,
                   codes: Sequence[str] | None = None) -> pd.DataFrame:
    """The monthly series of one outcome at one level (see the module docstring for sources and units).

    ``tables``: prepared tables by name (``fouress_eval.store.load_tables``). ``codes`` keeps only
    these units (municipality or county codes or names; a county among municipality codes means
    its municipalities; health centres by name). Returns ``unit_code``, ``month``, ``value`` and
    ``numerator``/``denominator`` where the source has them; ``attrs`` records source, level and
    series. Unknown source, level or series, or a missing table, is an :class:`InputError`.
    """
    table = _check_source(source, level)
    frame = _table(tables, source, table)
    wanted = _unit_codes(codes, level)
    if source == "personnel_hours":
        out, name = _personnel(frame, level, series, wanted), series or "sick_pct"
    elif source == "sickpay":
        out, name = _sickpay(frame, level, series, wanted), series or "sjukpenningtal"
    else:
        out, name = _clinic(frame, level, series, wanted), series or "all_chapters"
    return _finish(out, source, level, name)


def _site(code: str, level: str) -> str:
    if level == "health_centre":
        return str(code)
    found = site_code(code)
    if site_level(found) != level:
        raise InputError(f"the site is not a {level.replace('_', ' ')}", value=code,
                         expected=f"a {'4-digit municipality' if level == 'municipality' else '2-digit county'} "
                                  "code or name for this level")
    return found


def outcome_gap(tables: dict[str, pd.DataFrame], source: str, *, level: str, series: str | None = None,
                code: str, interventions: Sequence = (), min_months: int = MIN_MONTHS,
                min_pre_months: int = MIN_PRE_MONTHS, language: str = "sv") -> str | None:
    """None when ``code``'s series can carry an ITS, else one plain sentence saying why not.

    Enough means at least ``min_months`` months with a value, and at least ``min_pre_months`` of
    them before the first of ``interventions`` (months; not checked when none are given). The
    sentence (``language`` ``"sv"`` or ``"en"``) names the missing table, measure or site, or the
    months found. An unknown source, level or report language is still an :class:`InputError`: that
    is a mistake in the configuration, not a gap in the data.
    """
    if language not in ("sv", "en"):
        raise InputError("unknown report language", value=language, expected="'sv' or 'en'")
    what = label(f"oc_source_{source}", language) if source in SOURCE_TABLES else source
    try:
        site = _site(code, level) if source != "kolada" else str(code)
        frame = outcome_series(tables, source, level=level, series=series, codes=[site])
    except InputError as error:
        if not hasattr(error, "gap"):
            raise
        kind, params = error.gap
        return label(f"oc_gap_{kind}", language).format(what=what, **params)
    name = site_name(site, language)
    values = frame.loc[(frame["unit_code"] == site) & frame["value"].notna(), "month"]
    where = dict(name=name, what=what)
    if values.empty:
        return label("oc_gap_site", language).format(level=label(f"oc_level_{level}", language), **where)
    if len(values) < min_months:
        return label("oc_gap_months", language).format(n=len(values), min=min_months, **where)
    if len(interventions):
        first = min(pd.Period(p, freq="M") for p in interventions)
        before = int((values < first).sum())
        if before < min_pre_months:
            return label("oc_gap_pre", language).format(n=before, min=min_pre_months, start=str(first), **where)
    return None

