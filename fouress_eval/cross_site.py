"""The cross-site summary (``10_cross_site``): every municipality's key results side by side.

Reads the machine-readable key results that ``01_sickness_its``, ``02_participants`` and
``03_interviews`` write next to their output notebooks (``<reports>/<code>-<name>/<notebook>.json``)
and joins them into tidy tables, a forest plot of the ITS effects and a joint display of the
quantitative effects next to the themes each municipality's interviews raised. Counts arrive
already suppressed (None) from the per-municipality notebooks.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from .errors import InputError
from .labels import label, register
from .sites import site_name

__all__ = ["collect", "effects_table", "participants_table", "joint_display", "forest_plot"]

register({
    "cs_none": {"sv": "Inga kommunrapporter med nyckelresultat hittades ännu. Kör kommunernas rapporter först "
                      "(`fouress-eval run --municipality all`).",
                "en": "No municipal reports with key results were found yet. Run the municipal reports first "
                      "(`fouress-eval run --municipality all`)."},
    "cs_municipality": {"sv": "Kommun", "en": "Municipality"},
    "cs_baseline": {"sv": "Sjukfrånvaro vid utgångsläget (%)", "en": "Sick leave at baseline (%)"},
    "cs_follow_up": {"sv": "Sjukfrånvaro vid uppföljningen (%)", "en": "Sick leave at follow-up (%)"},
    "cs_slope": {"sv": "Trendförändring mot jämförelsekommuner (procentenheter/månad)",
                 "en": "Slope change vs comparison (points/month)"},
    "cs_effect24": {"sv": "Effekt efter 24 mån (procentenheter, 95 % KI)", "en": "Effect at 24 months (points, 95 % CI)"},
    "cs_participants": {"sv": "Deltagare", "en": "Participants"},
    "cs_salary": {"sv": "Full lön vid avslut (%)", "en": "Full salary at exit (%)"},
    "cs_full_time": {"sv": "Heltidssjukskrivning start → avslut (%)", "en": "Full-time sick leave entry → exit (%)"},
    "cs_median": {"sv": "Median dagar till återgång", "en": "Median days to return"},
    "cs_themes": {"sv": "Vanligaste teman i intervjuerna", "en": "Most frequent interview themes"},
    "cs_alpha": {"sv": "Krippendorffs α (kodare)", "en": "Krippendorff's α (coders)"},
    "cs_forest_title": {"sv": "Trendförändring i sjukfrånvaro mot jämförelsekommunerna",
                        "en": "Slope change in sick leave against the comparison municipalities"},
    "cs_forest_x": {"sv": "Procentenheter per månad (95 % KI)", "en": "Percentage points per month (95 % CI)"},
})


def collect(reports_dir: str | Path, *, missing_ok: bool = False) -> dict[str, dict[str, dict]]:
    """Key results per municipality code and notebook, from ``<reports_dir>/<code>-*/<notebook>.json``.

    With ``missing_ok`` an absent folder or one without key results gives ``{}`` instead of an error.
    """
    root = Path(reports_dir)
    if missing_ok and (not root.is_dir() or not any(root.glob("[0-9][0-9][0-9][0-9]-*/*.json"))):
        return {}
    if not root.is_dir():
        raise InputError("the reports folder does not exist", file=root,
                         expected="a folder written by `fouress-eval run` (reports/<code>-<name>/…)")
    found: dict[str, dict[str, dict]] = {}
    for path in sorted(root.glob("[0-9][0-9][0-9][0-9]-*/*.json")):
        code = path.parent.name[:4]
        try:
            found.setdefault(code, {})[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise InputError(f"unreadable key-results file ({error.msg})", file=path) from None
    if not found:
        raise InputError("no key results found in the reports folder", file=root,
                         expected="run the municipality notebooks first (fouress-eval run)")
    return found


def _name(code: str) -> str:
    return f"{site_name(code)} ({code})"


def effects_table(results: dict, language: str = "sv") -> pd.DataFrame:
    """One row per municipality: baseline and follow-up sick leave, slope change and 24-month effect."""
    rows = []
    for code, notebooks in results.items():
        its = notebooks.get("01_sickness_its")
        if not its:
            continue
        base = (its.get("baseline") or [{}])[0]
        slope = its["slope_change"]
        h24 = next((h for h in its.get("horizons", []) if h.get("horizon") == 24), None)
        rows.append({"code": code, label("cs_municipality", language): _name(code),
                     label("cs_baseline", language): base.get("baseline_sick_pct"),
                     label("cs_follow_up", language): base.get("follow_up_sick_pct"),
                     "slope": slope["estimate"], "slope_low": slope["ci_low"], "slope_high": slope["ci_high"],
                     "effect24": None if h24 is None else h24["absolute"],
                     "effect24_low": None if h24 is None else h24["absolute_low"],
                     "effect24_high": None if h24 is None else h24["absolute_high"]})
    return pd.DataFrame(rows)


def participants_table(results: dict, language: str = "sv") -> pd.DataFrame:
    """One row per municipality: participants and their outcomes (already suppressed upstream)."""
    rows = []
    for code, notebooks in results.items():
        people = notebooks.get("02_participants")
        if not people:
            continue
        rows.append({label("cs_municipality", language): _name(code),
                     label("cs_participants", language): people.get("participants") or "<5",
                     label("cs_full_time", language): f"{_fmt(people.get('entry_full_time_pct'))} → "
                                                      f"{_fmt(people.get('exit_full_time_pct'))}",
                     label("cs_salary", language): people.get("exit_salary_pct"),
                     label("cs_median", language): people.get("median_days_to_return")})
    return pd.DataFrame(rows)


def _fmt(value: object) -> str:
    return "–" if value is None else f"{value:.0f}"


def joint_display(results: dict, language: str = "sv") -> pd.DataFrame:
    """Quantitative effects next to the themes each municipality's interviews raised."""
    effects = effects_table(results, language)
    effects = effects.set_index("code") if not effects.empty else pd.DataFrame(index=pd.Index([], name="code"))
    rows = []
    for code, notebooks in results.items():
        row = {label("cs_municipality", language): _name(code)}
        if code in effects.index:
            e = effects.loc[code]
            row[label("cs_slope", language)] = f"{e['slope']:.3f} ({e['slope_low']:.3f} – {e['slope_high']:.3f})"
            if e["effect24"] is not None and e["effect24"] == e["effect24"]:
                row[label("cs_effect24", language)] = (f"{e['effect24']:.2f} ({e['effect24_low']:.2f} – "
                                                       f"{e['effect24_high']:.2f})")
        people = notebooks.get("02_participants") or {}
        row[label("cs_salary", language)] = people.get("exit_salary_pct")
        talks = notebooks.get("03_interviews") or {}
        themes = talks.get("top_themes") or []
        row[label("cs_themes", language)] = "; ".join(
            f"{t.get('label') or t.get('code')} ({t.get('interviews')})" for t in themes[:3]) or "–"
        rows.append(row)
    return pd.DataFrame(rows)


def forest_plot(results: dict, *, ax: plt.Axes | None = None, language: str = "sv") -> plt.Axes:
    """Forest plot of each municipality's slope change against its comparison municipalities."""
    table = effects_table(results, language)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(8, 0.6 * max(len(table), 2) + 1.2))
    y = range(len(table))
    names = table[label("cs_municipality", language)]
    ax.errorbar(table["slope"], list(y), xerr=[table["slope"] - table["slope_low"], table["slope_high"] - table["slope"]],
                fmt="o", color="C0", capsize=4)
    ax.axvline(0, color="0.5", ls="--", lw=1)
    ax.set_yticks(list(y))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlabel(label("cs_forest_x", language))
    ax.set_title(label("cs_forest_title", language))
    ax.figure.tight_layout()
    return ax
