"""What every report opens with: municipality, period, sources with checksums, version, parameters."""

from __future__ import annotations

import pandas as pd

from . import __version__
from .labels import label
from .municipalities import municipality_name

__all__ = ["header_markdown", "display_table"]


def header_markdown(manifest: dict, municipality_code: str, parameters: dict, tables: dict[str, pd.DataFrame],
                    *, title: str, language: str = "sv") -> str:
    """The opening block of a report as Markdown.

    States the municipality, the period the monthly data cover, every input file with the
    first 12 characters of its SHA-256, the package version, the parameters, and a banner when
    the data are the synthetic demo.
    """
    months = [f["month"] for f in tables.values() if "month" in f and len(f)]
    period = ""
    if months:
        period = f"{min(m.min() for m in months)} – {max(m.max() for m in months)}"
    lines = [f"# {title}: {municipality_name(municipality_code)} ({municipality_code})", ""]
    if manifest.get("synthetic"):
        lines += [f"> {label('synthetic_banner', language)}", ""]
    lines += [
        f"- **{label('municipality', language)}:** {municipality_name(municipality_code)} ({municipality_code})",
        f"- **{label('period', language)}:** {period}",
        f"- **{label('package_version', language)}:** fouress_eval {__version__}",
        f"- **{label('prepared', language)}:** {manifest.get('created', '')}",
        f"- **{label('parameters', language)}:** "
        + ", ".join(f"`{k}` = `{v}`" for k, v in parameters.items()),
        f"- **{label('sources', language)}:** "
        + "; ".join(f"{i['file']} (SHA-256 {i['sha256'][:12]}…)" for i in manifest.get("inputs", [])),
    ]
    return "\n".join(lines)


def display_table(frame: pd.DataFrame, *, decimals: int = 1):
    """A table as a reader sees it in the HTML report: no row numbers, full cell text, numbers
    with ``decimals`` decimals (Swedish reports keep the same precision as the published figures)."""
    if frame is None or frame.empty:
        return frame
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    return frame.style.hide(axis="index").format({c: f"{{:.{decimals}f}}" for c in floats})
