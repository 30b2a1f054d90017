"""Report files: CSV per table, one workbook per municipality, PNG and SVG per figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from fouress_eval.exports import ReportExports, build_workbook, sheet_name  # noqa: E402
from fouress_eval.privacy import scan_files  # noqa: E402


def test_tables_figures_and_workbook(tmp_path):
    first = ReportExports(tmp_path, "00_data_quality")
    shown = pd.DataFrame({"Kön": ["Kvinnor", "Män"], "Antal": [12, "<5"]})
    assert first.table("inflöde", shown) is shown
    _fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    first.figure("kurva", ax)
    first.close()
    second = ReportExports(tmp_path, "02_participants")
    second.table("avslut", pd.DataFrame({"x": [1]}, index=pd.Index(["Lön"], name="Ersättning")))
    second.close()
    csv = tmp_path / "tables" / "00_data_quality" / "inflöde.csv"
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads å/ä/ö
    assert pd.read_csv(csv, encoding="utf-8-sig")["Antal"].tolist() == ["12", "<5"]
    assert (tmp_path / "figures" / "00_data_quality" / "kurva.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "figures" / "00_data_quality" / "kurva.svg").read_bytes()[:500]
    book = openpyxl.load_workbook(tmp_path / "tabeller.xlsx")
    assert book.sheetnames == ["00 inflöde", "02 avslut"]  # both notebooks' tables, whoever closed last
    assert [c.value for c in book["02 avslut"][1]] == ["Ersättning", "x"]
    assert scan_files(tmp_path) == []


def test_nothing_written_without_a_folder(tmp_path):
    exports = ReportExports("", "01_sickness_its")
    exports.table("t", pd.DataFrame({"a": [1]}))
    exports.figure("f", plt.subplots()[0])
    assert exports.close() is None and exports.written == []
    assert build_workbook(tmp_path) is None


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    long = sheet_name("01_sickness_its", "a/very:long*name?with[bad]characters", taken)
    assert len(long) <= 31 and not set("[]:*?/\\") & set(long)
    again = sheet_name("01_sickness_its", "a/very:long*name?with[bad]characters", taken)
    assert again != long and len(again) <= 31


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_figure_in_a_notebook_is_shown_once_as_the_saved_png_and_closed(tmp_path, monkeypatch):
    import io

    from fouress_eval import exports

    shown = []
    monkeypatch.setattr(exports, "_ipython", lambda: object())  # as in a kernel
    monkeypatch.setattr("IPython.display.display", lambda *objects: shown.extend(objects))
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([2014, 2020], [4.1, 5.3], label="Torsås")
    ax.set_title("Sjukfrånvaro")
    ax.set_ylabel("% av schemalagd tid")
    ax.legend()
    reference = io.BytesIO()
    fig.savefig(reference, format="png", dpi=150, bbox_inches="tight")  # what savefig's own layout gives
    ReportExports(tmp_path, "01_sickness_its").figure("serie", ax)
    png = (tmp_path / "figures" / "01_sickness_its" / "serie.png").read_bytes()
    assert len(shown) == 1 and shown[0].data == png
    assert not plt.fignum_exists(fig.number)  # the inline backend will not draw it again
    width, height = _png_size(png)
    ref_width, ref_height = _png_size(reference.getvalue())
    assert abs(width - ref_width) <= 2 and abs(height - ref_height) <= 2
    assert abs(shown[0].width - width * fig.dpi / 150) <= 1  # shown at the inline backend's size


def test_figure_on_a_canvas_without_its_own_renderer_is_saved_tight(tmp_path, monkeypatch):
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from fouress_eval import exports

    shown = []
    monkeypatch.setattr(exports, "_ipython", lambda: object())
    monkeypatch.setattr("IPython.display.display", lambda *objects: shown.extend(objects))
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2], [3, 4])
    FigureCanvasSVG(fig)  # no get_renderer(): savefig's own tight layout is used
    ReportExports(tmp_path, "00_data_quality").figure("kurva", fig)
    png = (tmp_path / "figures" / "00_data_quality" / "kurva.png").read_bytes()
    assert len(shown) == 1 and shown[0].data == png and shown[0].width is None
