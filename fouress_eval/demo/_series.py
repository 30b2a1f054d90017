"""Synthetic monthly series: personnel hours, sjukpenningtal, Kolada N00090 and health-centre
sick-listings, calibrated to the published 4-Ess figures (DESIGN.md section 3).

Every series is trend + season + AR(1) noise; the calibration months are then scaled so that the
published values come out exactly, which moves them by far less than the noise does.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ..municipalities import county_of

__all__ = ["SITES", "personnel_hours", "group_hours", "sick_pct", "sickpay_records", "kolada_values",
           "clinic_sicklistings", "MONTHS", "BASELINE", "AUTUMN_2019", "SICK_PCT_TARGETS", "CLINIC_INDEX_TARGETS",
           "CLINICS"]

MONTHS = pd.period_range("2014-01", "2019-12", freq="M")
BASELINE = pd.Period("2016-08", freq="M")
AUTUMN_2019 = pd.period_range("2019-09", "2019-11", freq="M")  # "autumn 2019" = Sep–Nov pooled
START = pd.Period("2017-02", freq="M")

# code: (municipal employees, insured aged 16–64, comparison sick-leave level %)
SITES: dict[str, tuple[int, int, float]] = {
    "0781": (2300, 16000, 0.0), "0834": (600, 3900, 0.0), "0884": (1300, 8700, 0.0),
    "0760": (800, 5300, 7.4), "0761": (700, 4900, 7.9), "0763": (1000, 6700, 6.9),
    "0764": (1600, 11300, 7.1), "0765": (1300, 9800, 6.2), "0767": (800, 5700, 7.0),
    "0821": (500, 3200, 7.6), "0860": (1200, 7800, 7.3), "0862": (800, 5200, 6.8),
    "0881": (1600, 11200, 7.2),
}
# published: sick leave, % of scheduled hours, August 2016 -> autumn 2019
SICK_PCT_TARGETS = {"0781": (6.8, 6.4), "0834": (7.8, 5.8), "0884": (7.1, 7.0)}

SEX_SHARE = {"K": 0.80, "M": 0.20}
SEX_EFFECT = {"K": 0.55, "M": -2.2}           # percentage points; weighted mean is 0
AGE_SHARE = {"-29": 0.15, "30-49": 0.45, "50-": 0.40}
AGE_SHARE_MEN = {"-29": 0.08, "30-49": 0.47, "50-": 0.45}  # few young men: groups of 10 or fewer exist
AGE_EFFECT = {"-29": -0.8, "30-49": -0.3, "50-": 0.6375}
MONTH_HOURS = {6: 0.92, 7: 0.55, 8: 0.86, 12: 0.93}  # holidays: fewer scheduled hours


def season(month: int) -> float:
    """Seasonal deviation in percentage points: a winter peak, a late-summer trough."""
    return 0.6 * np.cos(2 * np.pi * (month - 2) / 12)


def _level(code: str, months: pd.PeriodIndex) -> np.ndarray:
    """Deseasonalised sick-leave level (%) by month."""
    t = np.asarray([(m - MONTHS[0]).n for m in months], dtype=float)
    base_t, start_t = (BASELINE - MONTHS[0]).n, (START - MONTHS[0]).n
    if code in SICK_PCT_TARGETS:
        before, after = SICK_PCT_TARGETS[code]
        at_base = before - season(8)
        at_autumn = after - np.mean([season(m) for m in (9, 10, 11)])
        autumn_t = (AUTUMN_2019[1] - MONTHS[0]).n
        rise = np.interp(t, [0, base_t], [at_base - 0.6, at_base])
        fall = np.interp(t, [start_t - 1, autumn_t], [at_base, at_autumn])
        return np.where(t <= base_t, rise, np.where(t < start_t, at_base, fall))
    level = SITES[code][2]
    return np.interp(t, [0, 35, 71], [level - 0.5, level, level - 0.15])


def _ar1(rng: np.random.Generator, n: int, rho: float, sd: float) -> np.ndarray:
    noise = rng.normal(0.0, sd, n)
    out = np.empty(n)
    out[0] = noise[0] / np.sqrt(1 - rho ** 2)
    for i in range(1, n):
        out[i] = rho * out[i - 1] + noise[i]
    return out


def group_hours(rng: np.random.Generator, staff: float, common: np.ndarray, drift: np.ndarray,
                month_factor: np.ndarray, *, draws: int | None = None,
                max_pct: float | None = None) -> Iterator[tuple[str, str, dict[str, np.ndarray]]]:
    """Hours of one municipality's sex × age groups: ``(sex, age_group, columns)`` per group.

    Groups come in a fixed order (K then M; ages ``-29``, ``30-49``, ``50-``), and each draws from
    ``rng`` in a fixed order, so the same stream gives the same hours. ``common`` is the
    municipality's sick-leave level by month (per cent of scheduled hours), ``drift`` its relative
    head-count drift and ``month_factor`` the share of a full month's scheduled hours, all of one
    length *n*. Every random draw is ``draws`` long (default *n*) and then cut to *n*, so that a
    longer series extends a shorter one. A group's sick % is clipped to 0.3 … ``max_pct`` (no
    upper bound when ``None``). ``columns``: ``employees`` (head count, at least 3),
    ``scheduled_hours``, ``sick_hours``, ``long_sick_hours`` (spells of 60+ days) and
    ``short_sick_hours`` (days 1–14), in hours and not rounded.
    """
    n = len(common)
    draws = n if draws is None else draws
    for sex, sex_share in SEX_SHARE.items():
        for age, age_share in (AGE_SHARE_MEN if sex == "M" else AGE_SHARE).items():
            employees = np.maximum(np.round(staff * sex_share * age_share * drift), 3)
            noise_sd = 0.25 * np.sqrt(100.0 / employees)
            pct = common + SEX_EFFECT[sex] + AGE_EFFECT[age] + _ar1(rng, draws, 0.3, 1.0)[:n] * noise_sd
            pct = np.clip(pct, 0.3, max_pct)
            scheduled = employees * 163.0 * 0.86 * month_factor * rng.normal(1.0, 0.01, draws)[:n]
            sick = scheduled * pct / 100
            yield sex, age, {"employees": employees, "scheduled_hours": scheduled, "sick_hours": sick,
                             "long_sick_hours": sick * rng.uniform(0.36, 0.52, draws)[:n],
                             "short_sick_hours": sick * rng.uniform(0.24, 0.34, draws)[:n]}


def personnel_hours(rng: np.random.Generator) -> pd.DataFrame:
    """Hours per municipality × month × sex × age group, calibrated (see module docstring).

    Columns: municipality_code, month, sex, age_group, employees, scheduled_hours, sick_hours,
    long_sick_hours (spells of 60+ days), short_sick_hours (days 1–14); hours to 0.1 h.
    """
    frames = []
    n = len(MONTHS)
    month_factor = np.array([MONTH_HOURS.get(m.month, 1.0) for m in MONTHS])
    seasonal = np.array([season(m.month) for m in MONTHS])
    for code, (staff, _insured, _level_c) in SITES.items():
        common = _level(code, MONTHS) + seasonal + _ar1(rng, n, 0.6, 0.18)
        drift = np.exp(np.cumsum(rng.normal(0.0, 0.004, n)))
        for sex, age, columns in group_hours(rng, staff, common, drift, month_factor):
            frames.append(pd.DataFrame({"municipality_code": code, "month": MONTHS, "sex": sex, "age_group": age,
                                        **columns}))
    hours = pd.concat(frames, ignore_index=True)
    for column in ("scheduled_hours", "sick_hours", "long_sick_hours", "short_sick_hours"):
        hours[column] = hours[column].round(1)
    for code, (before, after) in SICK_PCT_TARGETS.items():
        _calibrate(hours, code, pd.PeriodIndex([BASELINE]), before)
        _calibrate(hours, code, AUTUMN_2019, after)
    return hours


def _calibrate(hours: pd.DataFrame, code: str, months: pd.PeriodIndex, target: float) -> None:
    """Scale the sick hours of ``months`` so that their pooled sick-leave % equals ``target``."""
    rows = (hours["municipality_code"] == code) & hours["month"].isin(months)
    factor = target / (100 * hours.loc[rows, "sick_hours"].sum() / hours.loc[rows, "scheduled_hours"].sum())
    for column in ("sick_hours", "long_sick_hours", "short_sick_hours"):
        hours.loc[rows, column] = (hours.loc[rows, column] * factor).round(1)


def sick_pct(hours: pd.DataFrame, by: list[str]) -> pd.Series:
    """Sick leave in % of scheduled hours, from summed hours (never an average of percentages)."""
    sums = hours.groupby(by)[["sick_hours", "scheduled_hours"]].sum()
    return 100 * sums["sick_hours"] / sums["scheduled_hours"]


def sickpay_records(rng: np.random.Generator) -> list[dict]:
    """Försäkringskassan API records: sjukpenningtal 1.0 (rolling 12 months, days per insured
    aged 16–64) per municipality, county (of the demo municipalities) and Sweden, by sex."""
    n = len(MONTHS) + 11  # 11 extra months before 2014-01 to start the rolling sums
    t = np.arange(n) / 12.0
    national_trend = 9.6 + 1.3 * np.exp(-((t - 3.7) ** 2) / 2.5) - 0.25 * t / 7  # peak late 2016
    sex_level = {"K": 1.28, "M": 0.72}
    series: dict[tuple[str, str], tuple[np.ndarray, float]] = {}
    for code, (_staff, insured, level) in SITES.items():
        factor = 1.0 + (level - 7.0) * 0.05 if level else 1.0 + rng.normal(0, 0.04)
        for sex, share in sex_level.items():
            monthly = national_trend * factor * share + _ar1(rng, n, 0.5, 0.35)
            rolling = pd.Series(monthly).rolling(12).mean().to_numpy()[11:]
            series[(code, sex)] = (rolling, insured / 2)
    records = []

    def add(area: str, county: str, sex_code: str, values: np.ndarray, denominator: float,
            suppressed: np.ndarray | None = None) -> None:
        for i, month in enumerate(MONTHS):
            hidden = bool(suppressed is not None and suppressed[i])
            records.append({
                "dimensions": {"lan_kod": county, "kommun_kod": area, "aldersklass_kod": "ALL",
                               "kon_kod": sex_code, "ar": month.year, "manad": month.month},
                "observations": {
                    "spt": {"value": None if hidden else round(float(values[i]), 2), "rojd": hidden},
                    "namnare": {"value": None if hidden else int(round(denominator)), "rojd": hidden},
                },
            })

    national = {sex: national_trend[11:] * share + _ar1(rng, len(MONTHS), 0.8, 0.03)
                for sex, share in sex_level.items()}
    add("ALL_ALL", "ALL", "ALL", (national["K"] + national["M"]) / 2, 6_300_000)
    for sex in ("K", "M"):
        add("ALL_ALL", "ALL", sex, national[sex], 3_150_000)
    for county in ("07", "08"):
        codes = [c for c in SITES if county_of(c) == county]
        for sex in ("ALL", "K", "M"):
            sexes = ("K", "M") if sex == "ALL" else (sex,)
            weights = [series[(c, s)][1] for c in codes for s in sexes]
            values = sum(series[(c, s)][0] * series[(c, s)][1] for c in codes for s in sexes) / sum(weights)
            add(f"ALL_{county}", county, sex, values, sum(weights))
    for code in SITES:
        county = county_of(code)
        (women, w_n), (men, m_n) = series[(code, "K")], series[(code, "M")]
        add(code, county, "ALL", (women * w_n + men * m_n) / (w_n + m_n), w_n + m_n)
        add(code, county, "K", women, w_n)
        # the smallest municipality's figures for men in 2014 arrive suppressed at source
        hidden = np.array([code == "0821" and m.year == 2014 for m in MONTHS])
        add(code, county, "M", men, m_n, hidden)
    return records


def kolada_values(hours: pd.DataFrame) -> list[dict]:
    """Kolada N00090 (sick leave of municipal employees, % of scheduled hours) per year, from the
    same hours as the personnel files, in the v2 ``values`` form."""
    frame = hours.assign(year=hours["month"].dt.year)
    total = sick_pct(frame, ["municipality_code", "year"])
    by_sex = sick_pct(frame, ["municipality_code", "year", "sex"])
    values = []
    for (code, year), pct in total.items():
        entries = [{"count": 1, "gender": "T", "status": "", "value": round(float(pct), 1)}]
        entries += [{"count": 1, "gender": sex, "status": "", "value": round(float(by_sex[(code, year, sex)]), 1)}
                    for sex in ("K", "M")]
        values.append({"kpi": "N00090", "municipality": code, "period": int(year), "values": entries})
    return values


# health centre: (municipality, listed patients January 2016); invented names, marked synthetic
CLINICS = {
    "Vårdcentralen Ljungby Norra (syntetisk)": ("0781", 9300),
    "Vårdcentralen Ljungby Södra (syntetisk)": ("0781", 7800),
    "Vårdcentralen Vimmerby (syntetisk)": ("0884", 15600),
    "Vårdcentralen Torsås (syntetisk)": ("0834", 7000),
}
# published: F+M sick-listings per 1 000 listed, October 2019 vs January 2016
CLINIC_INDEX_TARGETS = {"0781": -0.49, "0884": -0.21, "0834": 0.01}
CLINIC_MONTHS = pd.period_range("2016-01", "2019-12", freq="M")


def clinic_sicklistings(rng: np.random.Generator) -> pd.DataFrame:
    """Patients with an active sick-listing per centre, month and chapter (F, M), with the listed
    population; the municipal F+M rate per 1 000 listed follows the published index path."""
    n = len(CLINIC_MONTHS)
    t = np.arange(n)
    start_t, october_t = (START - CLINIC_MONTHS[0]).n, (pd.Period("2019-10", "M") - CLINIC_MONTHS[0]).n
    rows = []
    for clinic, (code, listed0) in CLINICS.items():
        path = np.interp(t, [0, start_t, october_t, n - 1],
                         [1.0, 1.0, 1 + CLINIC_INDEX_TARGETS[code], 1 + CLINIC_INDEX_TARGETS[code]])
        drift = np.cumsum(rng.normal(0.0003, 0.002, n))
        listed = np.round(listed0 * np.exp(drift - drift[0]))
        for chapter, rate in (("F", 19.0), ("M", 11.0)):  # per 1 000 listed at baseline
            expected = listed * rate / 1000 * path * np.exp(_ar1(rng, n, 0.5, 0.03))
            counts = rng.poisson(expected)
            counts[0] = round(listed0 * rate / 1000)
            rows.append(pd.DataFrame({"clinic": clinic, "municipality_code": code, "month": CLINIC_MONTHS,
                                      "diagnosis_chapter": chapter, "sicklisted": counts,
                                      "listed_population": listed.astype(int)}))
    frame = pd.concat(rows, ignore_index=True)
    for code, target in CLINIC_INDEX_TARGETS.items():
        _calibrate_index(frame, code, target)
    return frame


def _calibrate_index(frame: pd.DataFrame, code: str, target: float) -> None:
    """Set October 2019's F count of the municipality's first centre so the index hits ``target``
    to the whole per cent (the published precision) as closely as integers allow."""
    mine = frame["municipality_code"] == code

    def rate(month: str) -> float:
        part = frame[mine & (frame["month"] == pd.Period(month, "M"))]
        listed = part.drop_duplicates("clinic")["listed_population"].sum()
        return 1000 * part["sicklisted"].sum() / listed

    october = mine & (frame["month"] == pd.Period("2019-10", "M"))
    listed = frame[october].drop_duplicates("clinic")["listed_population"].sum()
    wanted = round((1 + target) * rate("2016-01") * listed / 1000)
    first = frame.index[october & (frame["diagnosis_chapter"] == "F")][0]
    frame.loc[first, "sicklisted"] += wanted - frame.loc[october, "sicklisted"].sum()
