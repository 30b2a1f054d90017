"""What every report opens with: municipality, period, sources with checksums, version, parameters."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import __version__
from .labels import label
from .sites import site_level, site_name

__all__ = ["header_markdown", "display_table", "write_key_results", "effects_table", "horizon_table"]


def header_markdown(manifest: dict, municipality_code: str, parameters: dict, tables: dict[str, pd.DataFrame],
                    *, title: str, language: str = "sv", evaluation: str | None = None) -> str:
    """The opening block of a report as Markdown.

    States the evaluation (its title, when given), the site (municipality or county), the period
    the monthly data cover, every input file with the
    first 12 characters of its SHA-256, the package version, the parameters, and a banner when
    the data are the synthetic demo.
    """
    months = [f["month"] for f in tables.values() if "month" in f and len(f)]
    period = ""
    if months:
        period = f"{min(m.min() for m in months)} – {max(m.max() for m in months)}"
    where = (label("all_municipalities", language) if municipality_code == "all"
             else f"{site_name(municipality_code, language)} ({municipality_code})")
    lines = [f"# {title}: {where}", ""]
    if manifest.get("synthetic"):
        lines += [f"> {label('synthetic_banner', language)}", ""]
    if evaluation:
        lines += [f"- **{label('evaluation', language)}:** {evaluation}"]
    lines += [
        f"- **{label('county' if site_level(municipality_code) == 'county' else 'municipality', language)}:** {where}",
        f"- **{label('period', language)}:** {period}",
        f"- **{label('package_version', language)}:** fouress_eval {__version__}",
        f"- **{label('prepared', language)}:** {manifest.get('created', '')}",
        f"- **{label('parameters', language)}:** "
        + ", ".join(f"`{k}` = `{v}`" for k, v in parameters.items()),
        f"- **{label('sources', language)}:** "
        + "; ".join(f"{i['file']} (SHA-256 {i['sha256'][:12]}…)" for i in manifest.get("inputs", [])),
    ]
    return "\n".join(lines)


def display_table(frame: pd.DataFrame, *, decimals: int = 1, index: bool | None = None):
    """A table as a reader sees it in the HTML report: full cell text, floats with ``decimals``
    decimals, row labels only when the index holds labels (``index`` overrides), and the table's
    suppression footnote (``attrs["note"]``) as caption."""
    if frame is None or frame.empty:
        return frame
    def fmt(value: object) -> object:
        return f"{value:.{decimals}f}" if isinstance(value, float) and value == value else value

    styler = frame.style.format(fmt, na_rep="")
    if index is None:  # labelled rows are shown, plain row numbers are not
        index = not isinstance(frame.index, pd.RangeIndex)
    styler = styler if index else styler.hide(axis="index")
    note = frame.attrs.get("note")
    return styler.set_caption(note) if note else styler


def write_key_results(out_dir: str | Path, notebook: str, results: dict) -> Path | None:
    """Write a notebook's key results as ``<out_dir>/<notebook>.json`` (atomically) for the batch
    summary and the cross-site report; nothing is written when ``out_dir`` is empty."""
    if not out_dir:
        return None
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{notebook}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=_json_default) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def _json_default(value: object) -> object:
    if isinstance(value, (pd.Period, pd.Timestamp)):
        return str(value)
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.DataFrame):
        return value.to_dict(orient="records")
    return str(value)


def effects_table(effects: pd.DataFrame, language: str = "sv") -> pd.DataFrame:
    """An ITS effects table (``ITSResult.effects``, ``compare_methods`` or ``placebo_in_time``) with
    report labels; rows with an ``error`` keep it in a last column."""
    columns = [c for c in ("method", "placebo", "interruption", "term", "estimate", "ci_low", "ci_high", "p_value")
               if c in effects]
    table = effects[columns + (["error"] if "error" in effects and effects["error"].notna().any() else [])].copy()
    table["term"] = table["term"].map(lambda t: label(t, language))
    if "real" in effects:  # placebo tables: mark the actual start
        table.insert(1, label("real_start", language), effects["real"].map(
            lambda r: label("yes", language) if r else ""))
    return table.rename(columns={c: label(c, language) for c in columns})


def horizon_table(horizons: pd.DataFrame, language: str = "sv") -> pd.DataFrame:
    """Effects at horizons (``ITSResult.effect_at``) with report labels; relative values in per cent."""
    table = pd.DataFrame({
        label("horizon", language): horizons["horizon"],
        label("absolute", language): horizons["absolute"],
        label("ci_low", language): horizons["absolute_low"], label("ci_high", language): horizons["absolute_high"],
        label("relative", language) + " (%)": 100 * horizons["relative"],
    })
    return table
