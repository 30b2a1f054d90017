"""Tables and figures of a report as files: CSV per table, one XLSX workbook per municipality,
PNG and SVG per figure.

A notebook passes every table it displays through :meth:`ReportExports.table` (the display
form, after suppression — never the analytic table) and every figure through
:meth:`ReportExports.figure`. :meth:`ReportExports.close` then rebuilds the municipality's
workbook ``tabeller.xlsx`` from all CSV files in its folder, so notebooks of the same
municipality can run in any order, even at the same time: each writes its own CSVs, and the
workbook is replaced atomically by whoever finishes last.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

__all__ = ["ReportExports", "build_workbook", "WORKBOOK", "sheet_name"]

WORKBOOK = "tabeller.xlsx"
FIGURE_DPI = 150  # resolution of the saved PNG files
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_name(notebook: str, name: str, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, no ``[]:*?/\\``) unique within ``taken``."""
    prefix = notebook.split("_", 1)[0]
    base = _BAD_SHEET.sub("-", f"{prefix} {name}")[:31]
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _atomic(target: Path, write) -> Path:
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _ipython():
    """The running IPython shell (a notebook kernel), or None in plain Python."""
    import sys

    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    return get_ipython()


def build_workbook(folder: str | Path) -> Path | None:
    """Rebuild ``<folder>/tabeller.xlsx`` from ``<folder>/tables/*/*.csv`` (one sheet per table)."""
    folder = Path(folder)
    files = sorted((folder / "tables").glob("*/*.csv"))
    if not files:
        return None
    taken: set[str] = set()

    def write(path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for csv in files:
                frame = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
                frame.to_excel(writer, sheet_name=sheet_name(csv.parent.name, csv.stem, taken), index=False)

    return _atomic(folder / WORKBOOK, write)


class ReportExports:
    """Collects one notebook's tables and figures under ``out_dir`` (no files when ``out_dir`` is empty).

    Layout: ``tables/<notebook>/<name>.csv`` (UTF-8 with BOM so Excel reads å/ä/ö),
    ``figures/<notebook>/<name>.png`` and ``.svg``, and the workbook ``tabeller.xlsx``.
    """

    def __init__(self, out_dir: str | Path, notebook: str) -> None:
        self.folder = Path(out_dir) if out_dir else None
        self.notebook = notebook
        self.written: list[Path] = []

    def table(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Save a display table as CSV and return it unchanged (for ``display_table``)."""
        if self.folder is not None and frame is not None and not frame.empty:
            target = self.folder / "tables" / self.notebook / f"{name}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            index = not isinstance(frame.index, pd.RangeIndex)
            self.written.append(_atomic(target, lambda p: frame.to_csv(p, index=index, encoding="utf-8-sig")))
        return frame

    def figure(self, name: str, figure=None) -> None:
        """Save a figure (an Axes, a Figure, or the current figure) as PNG (150 dpi) and SVG.

        In a notebook the saved PNG is also what is shown, at the size the inline backend would
        use (``figure.dpi``), and the figure is closed: the tight bounding box is computed once for
        both files and the inline backend does not draw the figure a third time (about half of a
        report's figure time). Without a folder nothing is written and the figure is left to the
        notebook's own display.
        """
        if self.folder is None:
            return
        if figure is None:
            figure = plt.gcf()
        figure = getattr(figure, "figure", figure)
        target = self.folder / "figures" / self.notebook
        target.mkdir(parents=True, exist_ok=True)
        # savefig(bbox_inches="tight") would lay out and measure the figure again for each format;
        # a canvas without a renderer of its own (not Agg-based) is left to do so
        renderer = getattr(figure.canvas, "get_renderer", None)
        pad = plt.rcParams["savefig.pad_inches"]
        bbox = "tight" if renderer is None else figure.get_tightbbox(renderer()).padded(pad)
        paths = {}
        for suffix in ("png", "svg"):
            paths[suffix] = path = target / f"{name}.{suffix}"
            self.written.append(_atomic(path, lambda p, s=suffix: figure.savefig(p, format=s, dpi=FIGURE_DPI,
                                                                                     bbox_inches=bbox)))
        shell = _ipython()
        if shell is not None:
            from IPython.display import Image, display

            width = None if isinstance(bbox, str) else round(bbox.width * figure.dpi)
            display(Image(filename=str(paths["png"]), width=width))
            plt.close(figure)

    def close(self) -> Path | None:
        """Rebuild the municipality's workbook from every notebook's tables."""
        if self.folder is None:
            return None
        return build_workbook(self.folder)
