"""A national-scale SYNTHETIC dataset: all 290 municipalities, staggered adopters with a known effect.

``write_national_demo(out_dir, seed=2017)`` writes raw files that ``fouress-eval prepare --raw
<out_dir>`` reads unchanged: personnel hours for every municipality (one cp1252 ``;`` CSV per
county), a participant register and a meeting log for the adopting municipalities (written by
:mod:`~fouress_eval.demo.national_registers`), ``_truth.csv`` with each adopter's true effect
(skipped by ``prepare``, read by tests and benchmarks to check that an estimator recovers it),
``README.md`` and ``_synthetic.json``. Nothing in it is real.

The sick-leave model per municipality (in percentage points of scheduled hours):

    common(t) = national level + county offset + municipal offset + linear trend
                + county-scaled season + AR(1) noise
                + level_change · post + slope_change · t_since      (adopters only)
                + COVID-19 shock                                    (from 2020-03, when included)
    group(t)  = common(t) + sex effect + age effect + group noise shrinking with group size

with ``post = 1[t ≥ start]`` and ``t_since = (t − start)·post`` in months — the ITS convention of
DESIGN.md section 6, so the recorded true level and slope changes are exactly what a segmented
regression of the municipality's sick % (100·Σsick/Σscheduled) estimates. The background trend is
linear on purpose: a single-series ITS is then correctly specified, and the only misspecification
a benchmark meets is the one it adds itself. Each municipality draws from its own random stream
(keyed by seed and code), so a subset (``municipalities=``) has the same background series as the
full run; and every random draw runs to 2030-12 before it is cut at ``through``, so a later
``through`` extends the series of an earlier one month for month (the registers, whose cut-off
moves, are drawn afresh).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..municipalities import fold
from ..municipalities import municipalities as all_municipalities
from . import _HOURS, _PERSONNEL_HEADER, _series
from ._writers import swedish_number, write_csv, write_json
# the register constants stay importable from here
from .national_registers import (EPISODES, FOLLOW_UPS_PER_EPISODE, THREE_PARTY_SHARE,  # noqa: F401
                                 WOMEN_SHARE, _register_files, _rng)

__all__ = ["write_national_demo", "national_hours", "national_adopters", "staff_sizes", "Adopter",
           "FOUR_ESS", "COMPARISON", "FIRST_MONTH", "START_WINDOW", "COVID_START", "COVID_JUMP", "COVID_MONTHS",
           "NATIONAL_NOTE"]

NATIONAL_NOTE = ("SYNTETISKA DEMODATA (nationell skala) – inga verkliga personer eller kommundata. "
                 "Synthetic national-scale demo data: no real persons, no real municipal figures.")

FOUR_ESS = ("0781", "0834", "0884")          # Ljungby, Torsås, Vimmerby: start February 2017
# the 4-Ess demo's comparison municipalities (Kronoberg, Kalmar): never drawn as adopters, so that
# they stay clean controls for the 4-Ess sites
COMPARISON = tuple(c for c in _series.SITES if c not in FOUR_ESS)
FIRST_MONTH = pd.Period("2014-01", freq="M")
START_WINDOW = (pd.Period("2017-02", freq="M"), pd.Period("2019-06", freq="M"))
HORIZON = pd.Period("2030-12", freq="M")       # random draws run to here, so a later ``through``
_DRAWS = (HORIZON - FIRST_MONTH).n + 1          # extends a series instead of redrawing it
COVID_START = pd.Period("2020-03", freq="M")
COVID_JUMP = 1.5                              # percentage points in March 2020 ...
COVID_MONTHS = 18                             # ... falling linearly to 0 over 18 months

NATIONAL_LEVEL = 6.8                          # sick %, 2014-01, before county/municipal offsets
NATIONAL_TREND = 0.003                        # pp per month
BIG_CITIES = {"0180": 40_000, "1480": 48_000, "1280": 24_000}   # Stockholm, Göteborg, Malmö
STAFF_MEDIAN, STAFF_SIGMA, STAFF_RANGE = 1500, 0.7, (250, 20_000)
SLOPE_MEAN, SLOPE_SD = -0.05, 0.015           # true slope change, pp per month
LEVEL_MEAN, LEVEL_SD = -0.10, 0.10            # true level change, pp

# random-stream tags for _rng: default_rng([seed, tag, key]) keeps every stream independent of the
# others (the registers' streams, 5 and 7, are in national_registers)
_MUNICIPALITY, _COUNTY, _CHOICE, _ADOPTER, _STAFF = 1, 2, 3, 4, 6


@dataclass(frozen=True)
class Adopter:
    """An adopting municipality: first intervention month and its true effect on sick % (pp)."""

    code: str
    start: pd.Period
    level_change: float   # pp at the start month
    slope_change: float   # pp per month from the start month on


def _months(through: str | pd.Period) -> pd.PeriodIndex:
    last = pd.Period(through, freq="M")
    if last < START_WINDOW[0] + 6:
        raise ValueError(f"through={str(last)!r} leaves no room for adopters: use {START_WINDOW[0] + 6} or later")
    if last > min(pd.Timestamp.today().to_period("M"), HORIZON):
        raise ValueError(f"through={str(last)!r} is in the future; prepare refuses months after today")
    return pd.period_range(FIRST_MONTH, last, freq="M")


def _codes(municipalities: Iterable[str] | None) -> list[str]:
    known = list(all_municipalities()["municipality_code"])
    if municipalities is None:
        return known
    chosen = sorted(set(municipalities))
    unknown = [c for c in chosen if c not in known]
    if unknown or not chosen:
        raise ValueError(f"unknown municipality code(s) {unknown}" if unknown else "no municipalities chosen")
    return chosen


def staff_sizes(seed: int, codes: Sequence[str]) -> dict[str, int]:
    """Municipal employees per municipality: lognormal around 1 500 (each drawn from its own
    stream), the three big cities large, the 4-Ess demo's 13 municipalities as in that demo."""
    sizes = {}
    for code in codes:
        if code in BIG_CITIES:
            sizes[code] = BIG_CITIES[code]
        elif code in _series.SITES:
            sizes[code] = _series.SITES[code][0]
        else:
            draw = _rng(seed, _STAFF, int(code)).lognormal(np.log(STAFF_MEDIAN), STAFF_SIGMA)
            sizes[code] = int(round(float(np.clip(draw, *STAFF_RANGE)), -1))
    return sizes


def national_adopters(seed: int, codes: Sequence[str], adopters: Iterable[str] | None = None,
                      n_adopters: int = 20, last_start: pd.Period | None = None) -> list[Adopter]:
    """The adopters, sorted by code: ``adopters`` as given, or the 4-Ess sites present in ``codes``
    plus others drawn with the seed up to ``n_adopters``. The 4-Ess sites start in 2017-02 (their
    real start); the others (never one of the 4-Ess demo's comparison municipalities, unless the
    subset leaves no choice) in a month drawn uniformly in 2017-02 … 2019-06 (or ``last_start``)."""
    last_start = min(START_WINDOW[1], last_start or START_WINDOW[1])
    if adopters is None:
        fixed = [c for c in FOUR_ESS if c in codes][:max(n_adopters, 0)]
        others = [c for c in codes if c not in fixed and c not in COMPARISON]
        if len(others) < n_adopters - len(fixed):  # a small subset: the comparison set must do
            others = [c for c in codes if c not in fixed]
        extra = max(0, min(n_adopters - len(fixed), len(others)))
        drawn = _rng(seed, _CHOICE).choice(others, extra, replace=False) if extra else []
        chosen = sorted([*fixed, *(str(c) for c in drawn)])
    else:
        chosen = sorted(set(adopters))
        outside = [c for c in chosen if c not in codes]
        if outside:
            raise ValueError(f"adopter(s) {outside} are not among the municipalities generated")
    window = (last_start - START_WINDOW[0]).n + 1
    out = []
    for code in chosen:
        rng = _rng(seed, _ADOPTER, int(code))
        offset = int(rng.integers(0, window))
        start = START_WINDOW[0] if code in FOUR_ESS else START_WINDOW[0] + offset
        slope = round(float(np.clip(rng.normal(SLOPE_MEAN, SLOPE_SD), -0.1, -0.01)), 4)
        level = round(float(rng.normal(LEVEL_MEAN, LEVEL_SD)), 3)
        out.append(Adopter(code, start, level, slope))
    return out


def _ar1(rng: np.random.Generator, n: int, rho: float, sd: float) -> np.ndarray:
    return _series._ar1(rng, n, rho, sd)


def _covid_shock(months: pd.PeriodIndex, scale: float) -> np.ndarray:
    since = np.array([(m - COVID_START).n for m in months], dtype=float)
    return np.where(since >= 0, COVID_JUMP * scale * np.clip(1 - since / COVID_MONTHS, 0, None), 0.0)


def _municipality_hours(code: str, months: pd.PeriodIndex, staff: int, county: dict, adopter: Adopter | None,
                        covid: bool, seed: int) -> pd.DataFrame:
    """Hours for one municipality × month × sex × age group (the ``absence_monthly`` columns)."""
    rng = _rng(seed, _MUNICIPALITY, int(code))
    n, draws = len(months), _DRAWS  # random draws always cover the horizon, then are cut to n
    t = np.arange(n, dtype=float)
    calendar_month = np.array([m.month for m in months])
    offset, trend = rng.normal(0.0, 0.45), NATIONAL_TREND + county["trend"] + rng.normal(0.0, 0.002)
    common = (NATIONAL_LEVEL + county["level"] + offset + trend * t
              + county["season"] * np.array([_series.season(m) for m in calendar_month])
              + _ar1(rng, draws, 0.4, 0.15)[:n])
    if adopter is not None:
        t0 = (adopter.start - months[0]).n
        post = t >= t0
        common += adopter.level_change * post + adopter.slope_change * (t - t0) * post
    if covid:
        common += _covid_shock(months, county["covid"])
    month_factor = np.array([_series.MONTH_HOURS.get(m, 1.0) for m in calendar_month])
    drift = np.exp(np.cumsum(rng.normal(0.0, 0.003, draws)[:n]))
    columns: dict[str, list[np.ndarray]] = {k: [] for k in ("sex", "age_group", "employees", *_HOURS)}
    for sex, age, values in _series.group_hours(rng, staff, common, drift, month_factor, draws=draws, max_pct=60.0):
        columns["sex"].append(np.full(n, sex, dtype=object))
        columns["age_group"].append(np.full(n, age, dtype=object))
        for name, value in values.items():
            columns[name].append(value)
    frame = pd.DataFrame({"municipality_code": code, "month": months[np.tile(np.arange(n), len(columns["sex"]))],
                          **{k: np.concatenate(v) for k, v in columns.items()}})
    for column in _HOURS:
        frame[column] = frame[column].round(1)
    return frame.sort_values(["month"], kind="stable").reset_index(drop=True)


def _county_effects(seed: int, county_code: str) -> dict:
    rng = _rng(seed, _COUNTY, int(county_code))
    return {"level": rng.normal(0.0, 0.5), "trend": rng.normal(0.0, 0.003), "season": rng.uniform(0.8, 1.2),
            "covid": rng.uniform(0.8, 1.2)}


def _county_frames(seed: int, months: pd.PeriodIndex, codes: Sequence[str], adopters: Sequence[Adopter],
                   covid: bool) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """(county code, county name, hours of the county's municipalities), county by county."""
    table = all_municipalities()
    table = table[table["municipality_code"].isin(codes)]
    staff = staff_sizes(seed, list(table["municipality_code"]))
    by_code = {a.code: a for a in adopters}
    for (county_code, county_name), part in table.groupby(["county_code", "county_name"], sort=True):
        county = _county_effects(seed, county_code)
        frames = [_municipality_hours(code, months, staff[code], county, by_code.get(code), covid, seed)
                  for code in sorted(part["municipality_code"])]
        yield county_code, county_name, pd.concat(frames, ignore_index=True)


def _settings(seed: int, through: str, covid: bool | None, adopters: Iterable[str] | None, n_adopters: int,
              municipalities: Iterable[str] | None) -> tuple[pd.PeriodIndex, list[str], list[Adopter], bool]:
    months = _months(through)
    codes = _codes(municipalities)
    chosen = national_adopters(seed, codes, adopters, n_adopters, last_start=months[-1] - 6)
    include_covid = (months[-1] >= COVID_START) if covid is None else bool(covid)
    return months, codes, chosen, include_covid and months[-1] >= COVID_START


def national_hours(*, seed: int = 2017, through: str = "2019-12", covid: bool | None = None,
                   adopters: Iterable[str] | None = None, n_adopters: int = 20,
                   municipalities: Iterable[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy hours ``write_national_demo`` writes (before formatting), and the truth table.

    Hours are rounded to 0.1 h as in the files, so sick % from this frame equals sick % from the
    prepared ``absence_monthly`` table.
    """
    months, codes, chosen, include_covid = _settings(seed, through, covid, adopters, n_adopters, municipalities)
    hours = pd.concat([f for _c, _n, f in _county_frames(seed, months, codes, chosen, include_covid)],
                      ignore_index=True)
    return hours, _truth(chosen)


def _truth(adopters: Sequence[Adopter]) -> pd.DataFrame:
    return pd.DataFrame({"municipality_code": [a.code for a in adopters],
                         "start_month": [str(a.start) for a in adopters],
                         "level_change": [a.level_change for a in adopters],
                         "slope_change": [a.slope_change for a in adopters]})


def _personnel_rows(hours: pd.DataFrame, names: dict[str, str]) -> list[list[str]]:
    label = {code: f"{code} {name}" for code, name in names.items()}
    return [[label[r.municipality_code], str(r.month), r.sex, r.age_group, f"{r.employees:.0f}",
             swedish_number(r.scheduled_hours), swedish_number(r.sick_hours),
             swedish_number(r.long_sick_hours), swedish_number(r.short_sick_hours)]
            for r in hours.itertuples(index=False)]


def _ascii_name(county_name: str) -> str:
    return fold(county_name).replace(" ", "_").replace("-", "_")


# -- the files ------------------------------------------------------------------------------------

def write_national_demo(out_dir: str | Path, *, seed: int = 2017, through: str = "2019-12",
                        covid: bool | None = None, adopters: Iterable[str] | None = None, n_adopters: int = 20,
                        municipalities: Iterable[str] | None = None) -> list[Path]:
    """Write the national-scale synthetic raw files to ``out_dir``; returns the paths written.

    ``through``: last month (from 2014-01; the default 2019-12 gives 72 months). ``covid``: add the
    COVID-19 shock (+1.5 pp in 2020-03 falling linearly to 0 over 18 months, scaled per county by
    0.8–1.2); ``None`` adds it whenever ``through`` reaches 2020-03 (before that there is nothing
    to add). ``adopters``: municipality codes that adopt the intervention; default the 4-Ess sites
    (start 2017-02) plus
    ``n_adopters - 3`` others drawn with the seed (start drawn in 2017-02 … 2019-06).
    ``municipalities``: a subset of codes to generate (default all 290), e.g. for quick tests.
    The same arguments give byte-identical files. Files of the same names are replaced; other
    files are left alone (remove stale ``personal_*`` files of an earlier, larger run yourself).
    """
    out = Path(out_dir)
    months, codes, chosen, include_covid = _settings(seed, through, covid, adopters, n_adopters, municipalities)
    out.mkdir(parents=True, exist_ok=True)
    table = all_municipalities()
    names = dict(zip(table["municipality_code"], table["municipality_name"]))
    written = []
    for county_code, county_name, hours in _county_frames(seed, months, codes, chosen, include_covid):
        path = out / f"personal_{county_code}_{_ascii_name(county_name)}.csv"
        write_csv(path, _PERSONNEL_HEADER, _personnel_rows(hours, names), encoding="cp1252",
                  title=f"Sjukfrånvaro per månad, {county_name} län – " + NATIONAL_NOTE)
        written.append(path)
    last_day = calendar.monthrange(months[-1].year, months[-1].month)[1]
    cutoff = pd.Timestamp(months[-1].year, months[-1].month, last_day)
    if chosen:
        written += _register_files(out, seed, chosen, cutoff, names, NATIONAL_NOTE)
    truth = out / "_truth.csv"
    frame = _truth(chosen)
    write_csv(truth, tuple(frame.columns),
              [[r.municipality_code, r.start_month, f"{r.level_change:.3f}", f"{r.slope_change:.4f}"]
               for r in frame.itertuples(index=False)], separator=",")
    readme = out / "README.md"
    readme.write_text(_readme(seed, months, codes, chosen, include_covid), encoding="utf-8")
    marker = out / "_synthetic.json"
    write_json(marker, {
        "synthetic": True, "generator": "fouress_eval.demo.national.write_national_demo", "seed": seed,
        "note": NATIONAL_NOTE, "months": [str(months[0]), str(months[-1])], "municipalities": len(codes),
        "adopters": [{"municipality_code": a.code, "start_month": str(a.start), "level_change": a.level_change,
                      "slope_change": a.slope_change} for a in chosen],
        "covid": ({"start": str(COVID_START), "jump_pp": COVID_JUMP, "decay_months": COVID_MONTHS,
                   "county_scale": [0.8, 1.2]} if include_covid else None),
        "effect_convention": "post = 1[t >= start], t_since = (t - start) * post, in months; sick % in pp",
    })
    return [*written, truth, readme, marker]


def _readme(seed: int, months: pd.PeriodIndex, codes: Sequence[str], adopters: Sequence[Adopter],
            covid: bool) -> str:
    covid_text = (f"A COVID-19 shock is included: +{COVID_JUMP} pp in {COVID_START}, falling linearly to zero over "
                  f"{COVID_MONTHS} months, scaled per county by 0.8–1.2. It is a separate interruption, never part "
                  "of any adopter's effect." if covid else "No COVID-19 shock is included.")
    return f"""# National-scale demo data — SYNTHETIC

**{NATIONAL_NOTE}**

Generated by `fouress_eval.demo.national.write_national_demo(out_dir, seed={seed}, through="{months[-1]}")`;
the same arguments give byte-identical files. SYNTHETIC: nothing here comes from a real person,
employee, municipality's personnel system or register. Municipal staff sizes, sick-leave levels and
effects are invented; identity numbers are invented (valid check digit, birth numbers 980–999).

- Personnel hours for {len(codes)} municipalities, {months[0]} … {months[-1]} ({len(months)} months), by sex
  (K/M) and age group (-29, 30-49, 50-): one file per county, `personal_<county code>_<county>.csv`
  (cp1252, `;`, decimal comma, a title row). SYNTHETIC.
- {len(adopters)} adopting municipalities with staggered starts and a true effect on sick % (level
  change at the start month, slope change per month after it; ITS convention `post = 1[t ≥ start]`,
  `t_since = (t − start)·post`), listed in `_truth.csv` (skipped by `prepare`). SYNTHETIC.
- `deltagare_national.csv` / `moten_national.csv`: participant episodes of the adopters, all starting
  in or after their municipality's start month, cut-off {months[-1].end_time:%Y-%m-%d}, and the meeting log.
  UTF-8, `;`. SYNTHETIC.
- {covid_text}

Read it with `fouress-eval prepare --raw <this folder>`.
"""
