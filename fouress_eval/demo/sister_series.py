"""Synthetic Försäkringskassan county series for the sister projects: sjukpenningtal and long cases.

All 21 counties and Sweden (riket), by sex (K, M and alla), monthly. Nothing here is a real
figure: county levels and insured populations are invented round numbers of a plausible size.

- **Sjukpenningtal 1.0** (days per registered insured aged 16–64, a rolling 12-month measure):
  an underlying monthly rate = county level × national path (rising to a peak in autumn 2016,
  then falling back) × sex factor × AR(1) noise, × a COVID-19 rise from 2020-03 (all counties);
  the published value is its 12-month rolling mean (11 months before the first month are drawn to
  start it). ``alla`` is the insured-weighted mean of ``K`` and ``M``; riket that of the counties.
- **Ongoing sick cases longer than 365 days** (a stock, counted at the end of each month):
  insured × county rate × national path (growing to 2016/17, then falling) × AR(1) noise, × a
  COVID-19 rise (+1 % a month from 2020-03, all counties), × the built-in project effect where one
  is given. ``alla`` = ``K`` + ``M``; riket = the sum of the counties. A calibration target sets a
  county's ``K`` and ``M`` counts in one month exactly (Uppsala, 2016-09: 1 267 women + 633 men).

Every county draws from its own random stream keyed by (seed, stream tag, county), so the series
do not depend on each other's draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..municipalities import counties
from ._series import _ar1

__all__ = ["COUNTY_INSURED", "COUNTY_SPT", "LongCaseEffect", "county_sickpay", "county_long_cases",
           "sickpay_json_records", "WOMEN_SHARE_INSURED", "SEX_FACTOR", "COVID_START"]

# registered insured aged 16–64 (invented round numbers of a plausible size), January 2014
COUNTY_INSURED = {
    "01": 1_500_000, "03": 240_000, "04": 170_000, "05": 280_000, "06": 210_000, "07": 120_000, "08": 140_000,
    "09": 35_000, "10": 95_000, "12": 860_000, "13": 190_000, "14": 1_050_000, "17": 165_000, "18": 180_000,
    "19": 165_000, "20": 165_000, "21": 170_000, "22": 145_000, "23": 75_000, "24": 165_000, "25": 150_000,
}
# sjukpenningtal (days) at the national peak, autumn 2016 (invented, plausible spread)
COUNTY_SPT = {
    "01": 9.0, "03": 10.6, "04": 11.6, "05": 10.6, "06": 10.3, "07": 10.2, "08": 11.2, "09": 11.5, "10": 11.4,
    "12": 9.8, "13": 9.6, "14": 10.9, "17": 12.2, "18": 11.4, "19": 11.3, "20": 11.6, "21": 12.1, "22": 12.4,
    "23": 12.8, "24": 11.8, "25": 11.9,
}
WOMEN_SHARE_INSURED = 0.49
SEX_FACTOR = {"K": 1.30, "M": 0.72}        # women's and men's sjukpenningtal relative to the county level
LONG_RATE = 1900 / 240_000 / 10.6           # long cases per insured per sjukpenningtal day at the peak
LONG_WOMEN_SHARE = 2 / 3                    # share of women among long cases, all counties (± noise)
INSURED_GROWTH = 0.004                      # per year
COVID_START = pd.Period("2020-03", freq="M")
_SPT, _LONG = 11, 12                        # random-stream tags


@dataclass(frozen=True)
class LongCaseEffect:
    """A built-in project effect on a county's long cases: from ``start`` the count falls by
    ``monthly`` (relative, e.g. 0.005 = 0.5 %) a month until ``end``, then stays at that level."""
    county: str
    start: pd.Period
    end: pd.Period
    monthly: float

    def factor(self, months: pd.PeriodIndex) -> np.ndarray:
        since = np.array([(min(m, self.end) - self.start).n if m >= self.start else 0 for m in months], dtype=float)
        return np.exp(-self.monthly * since)


def _rng(seed: int, tag: int, county: str) -> np.random.Generator:
    return np.random.default_rng([seed, tag, int(county)])


def _years(months: pd.PeriodIndex) -> np.ndarray:
    return np.array([m.year + (m.month - 1) / 12 for m in months])


def _spt_path(months: pd.PeriodIndex) -> np.ndarray:
    """National path of the underlying monthly rate: 1.0 at the autumn-2016 peak, about 0.87 at the ends."""
    return 0.86 + 0.14 * np.exp(-((_years(months) - 2016.7) ** 2) / (2 * 1.1 ** 2))


def _long_path(months: pd.PeriodIndex) -> np.ndarray:
    """National path of long cases, 1.0 in September 2016: growth to 2016/17, then a fall."""
    def raw(y: np.ndarray) -> np.ndarray:
        return 0.78 + 0.22 * np.exp(-((y - 2016.9) ** 2) / (2 * 1.3 ** 2))
    return raw(_years(months)) / raw(np.array([2016 + 8 / 12]))[0]


def _covid(months: pd.PeriodIndex, jump: float, decay: float) -> np.ndarray:
    """1 before 2020-03; from then ``1 + jump·exp(−months since/decay)``."""
    since = np.array([(m - COVID_START).n for m in months], dtype=float)
    return np.where(since >= 0, 1 + jump * np.exp(-np.maximum(since, 0) / decay), 1.0)


def _insured(county: str, months: pd.PeriodIndex) -> dict[str, np.ndarray]:
    total = np.round(COUNTY_INSURED[county] * (1 + INSURED_GROWTH * (_years(months) - 2014)))
    women = np.round(total * WOMEN_SHARE_INSURED)
    return {"alla": total, "K": women, "M": total - women}


def county_sickpay(months: pd.PeriodIndex, seed: int) -> pd.DataFrame:
    """Sjukpenningtal 1.0 per county and riket × sex × month (see the module docstring).

    Columns: county_code (``None`` for riket), sex (K/M/alla), month, value (days, 2 decimals),
    denominator (insured, whole numbers).
    """
    warm = pd.period_range(months[0] - 11, months[-1], freq="M")
    path = _spt_path(warm) * _covid(warm, 0.12, 8.0)
    frames, weighted = [], {}
    for county, level in COUNTY_SPT.items():
        rng = _rng(seed, _SPT, county)
        common = _ar1(rng, len(warm), 0.6, 0.02)
        insured = _insured(county, months)
        rolling = {}
        for sex, factor in SEX_FACTOR.items():
            monthly = level * path * factor * (1 + common + _ar1(rng, len(warm), 0.5, 0.025))
            rolling[sex] = pd.Series(monthly).rolling(12).mean().to_numpy()[11:]
        rolling["alla"] = (rolling["K"] * insured["K"] + rolling["M"] * insured["M"]) / insured["alla"]
        for sex in ("K", "M", "alla"):
            weighted.setdefault(sex, []).append((rolling[sex], insured[sex]))
            frames.append(pd.DataFrame({"county_code": county, "sex": sex, "month": months,
                                        "value": rolling[sex], "denominator": insured[sex]}))
    for sex, parts in weighted.items():
        denominator = sum(n for _v, n in parts)
        frames.append(pd.DataFrame({"county_code": None, "sex": sex, "month": months,
                                    "value": sum(v * n for v, n in parts) / denominator,
                                    "denominator": denominator}))
    out = pd.concat(frames, ignore_index=True)
    out["value"] = out["value"].round(2)
    out["denominator"] = out["denominator"].astype(int)
    return out


def county_long_cases(months: pd.PeriodIndex, seed: int, *, effect: LongCaseEffect | None = None,
                      calibrate: dict[str, tuple[pd.Period, int, int]] | None = None) -> pd.DataFrame:
    """Ongoing sick cases longer than 365 days per county and riket × sex × month (module docstring).

    ``calibrate`` maps a county to (month, women, men): the counts that month are set exactly by
    scaling that county's series. Columns: county_code (``None`` for riket), sex, month, value (cases).
    """
    path = _long_path(months) * (1 + 0.01 * np.maximum([(m - COVID_START).n + 1 for m in months], 0))
    frames, totals = [], {}
    for county, level in COUNTY_SPT.items():
        rng = _rng(seed, _LONG, county)
        insured = _insured(county, months)
        women_share = LONG_WOMEN_SHARE + rng.normal(0.0, 0.012)
        rate = insured["alla"] * LONG_RATE * level * (1 + rng.normal(0.0, 0.05))
        factor = effect.factor(months) if effect and effect.county == county else np.ones(len(months))
        counts = {}
        for sex, share in (("K", women_share), ("M", 1 - women_share)):
            noise = np.exp(_ar1(rng, len(months), 0.9, 0.004))
            counts[sex] = rate * share * path * factor * noise
        if calibrate and county in calibrate:
            month, women, men = calibrate[county]
            at = months.get_loc(month)
            counts["K"] *= women / counts["K"][at]
            counts["M"] *= men / counts["M"][at]
        counts = {sex: np.round(v).astype(int) for sex, v in counts.items()}
        counts["alla"] = counts["K"] + counts["M"]
        for sex, values in counts.items():
            totals[sex] = totals.get(sex, 0) + values
            frames.append(pd.DataFrame({"county_code": county, "sex": sex, "month": months, "value": values}))
    for sex in ("K", "M", "alla"):
        frames.append(pd.DataFrame({"county_code": None, "sex": sex, "month": months, "value": totals[sex]}))
    return pd.concat(frames, ignore_index=True)


_KON = {"K": "K", "M": "M", "alla": "ALL"}


def sickpay_json_records(frame: pd.DataFrame) -> list[dict]:
    """FK open-data API records (``spt`` with ``namnare``) of :func:`county_sickpay` output,
    ordered riket first, then counties by code; within each, sex ALL, K, M and months in order."""
    order = {"alla": 0, "K": 1, "M": 2}
    frame = frame.assign(_area=frame["county_code"].fillna(""), _sex=frame["sex"].map(order))
    frame = frame.sort_values(["_area", "_sex", "month"], kind="stable")
    records = []
    for row in frame.itertuples(index=False):
        county = None if pd.isna(row.county_code) else row.county_code
        records.append({
            "dimensions": {"lan_kod": county or "ALL", "kommun_kod": f"ALL_{county or 'ALL'}",
                           "aldersklass_kod": "ALL", "kon_kod": _KON[row.sex], "ar": row.month.year,
                           "manad": row.month.month},
            "observations": {"spt": {"value": float(row.value), "rojd": False},
                             "namnare": {"value": int(row.denominator), "rojd": False}},
        })
    return records


def county_names() -> dict[str, str]:
    """County code → name, e.g. ``"03"`` → ``"Uppsala"``."""
    table = counties()
    return dict(zip(table["county_code"], table["county_name"]))
