"""Write the committed notebooks (without outputs) from the cell lists below.

Run `python tools/make_notebooks.py --record` after editing (with the demo data prepared): it writes
the notebooks without outputs, except the cells marked ``# NBVAL_CHECK_OUTPUT``, whose outputs are
recorded from a run on the demo data so that nbval compares them exactly in ``make test``.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
KERNEL = {"name": "fouress-eval", "display_name": "Python (fouress_eval)", "language": "python"}


def notebook(cells):
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # stable ids keep regenerated notebooks diff-free
    return nb


def hidden_md(text):
    return new_markdown_cell(text, metadata={"tags": ["hide"]})


def code(text, *tags):
    return new_code_cell(text, metadata={"tags": list(tags)} if tags else {})


DATA_QUALITY = [
    hidden_md("# 00 Data quality\n\nFor people reading the notebook itself (this cell is hidden in the HTML "
              "report). Run `fouress-eval prepare` first; then run this notebook from JupyterLab, with "
              "`papermill notebooks/00_data_quality.ipynb out.ipynb -p municipality Torsås`, or through "
              "`fouress-eval run`. Everything shown comes from `fouress_eval` library calls."),
    code('municipality = "Torsås"  # municipality code or name\n'
         'data_dir = ""  # prepared data folder; empty means <project>/data_processed\n'
         'out_dir = ""  # where tables (CSV/XLSX) and figures (PNG/SVG) are written; empty: not written\n'
         'language = "sv"  # report language: "sv" or "en"\n'
         "min_count = 5  # person counts below this are shown as \"<5\"", "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import plots, quality, report, store\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.config import resolve_data_dir\n"
         "from fouress_eval.labels import label\n"
         "from fouress_eval.municipalities import municipality_code\n\n"
         "code = municipality_code(municipality)\n"
         "data = resolve_data_dir(data_dir)\n"
         'ex = ReportExports(out_dir, "00_data_quality")\n'
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         "params = {\"municipality\": municipality, \"language\": language, \"min_count\": min_count}\n"
         "display(Markdown(report.header_markdown(manifest, code, params, tables,\n"
         "                                        title=label(\"dq_title\", language), language=language)))\n"
         "display(Markdown(label(\"dq_intro\", language)))"),
    code('display(Markdown("## " + label("dq_sources", language)))\n'
         'report.display_table(ex.table("sources", quality.sources_table(manifest, language=language)))'),
    code('display(Markdown("## " + label("dq_rows", language)))\n'
         'report.display_table(ex.table("rows", quality.rows_per_table(tables, code, min_count=min_count, language=language)))'),
    code('display(Markdown("## " + label("dq_coverage", language)))\n'
         'ex.figure("coverage", plots.coverage_heatmap(quality.coverage(tables, code, language=language), language=language))'),
    code('display(Markdown("## " + label("dq_validation", language)))\n'
         'report.display_table(ex.table("validation", quality.validation_findings(manifest, tables, code, language=language)))'),
    code('display(Markdown("## " + label("dq_consistency", language)))\n'
         'report.display_table(ex.table("consistency", quality.consistency_findings(tables, code, language=language)))'),
    code('display(Markdown("## " + label("dq_disclosure", language)))\n'
         'report.display_table(ex.table("disclosure", quality.disclosure_rules(min_count=min_count, language=language)))'),
    code('display(Markdown("## " + label("dq_privacy", language)))\n'
         "findings = quality.privacy_findings([data], language=language)\n"
         'display(Markdown(label("dq_privacy_ok" if findings.empty else "dq_privacy_found", language)))\n'
         "report.display_table(findings) if not findings.empty else None"),
    code("ex.close();"),
]

SICKNESS_ITS = [
    hidden_md("# 01 Sick leave: interrupted time series\n\nFor people reading the notebook itself (hidden in the "
              "HTML report). Monthly sick leave of municipal employees (% of scheduled hours, recomputed from "
              "hours) in one municipality against its comparison municipalities: controlled interrupted "
              "time series, every estimator side by side, placebo tests in time and space, effects 12 and 24 "
              "months after the start. All numbers come from `fouress_eval.sickness`."),
    code('municipality = "Torsås"  # municipality code or name\n'
         'data_dir = ""  # prepared data folder; empty means <project>/data_processed\n'
         'out_dir = ""  # where key results (JSON) are written; empty: not written\n'
         'language = "sv"  # report language: "sv" or "en"\n'
         'baseline = "2016-08"  # baseline month for the key figures\n'
         'interventions = ["2017-02"]  # start of the intervention (one or more months)\n'
         'outcome = "sick_pct"  # sick leave, % of scheduled hours\n'
         'method = "ar1-reml"  # ITS estimator\n'
         "seasonality = 2  # Fourier pairs on the calendar month", "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import plots, report, store\n"
         "from fouress_eval.config import resolve_data_dir\n"
         "from fouress_eval.labels import label\n"
         "from fouress_eval.municipalities import municipality_code\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.sickness import analyse_sickness, conclusion\n\n"
         "code = municipality_code(municipality)\n"
         'ex = ReportExports(out_dir, "01_sickness_its")\n'
         "data = resolve_data_dir(data_dir)\n"
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         "params = {\"municipality\": municipality, \"baseline\": baseline, \"interventions\": interventions,\n"
         "          \"outcome\": outcome, \"method\": method, \"seasonality\": seasonality, \"language\": language}\n"
         "display(Markdown(report.header_markdown(manifest, code, params, tables,\n"
         "                                        title=label(\"its_title\", language), language=language)))\n"
         "analysis = analyse_sickness(tables[\"absence_monthly\"], code, baseline=baseline, interventions=interventions,\n"
         "                            method=method, seasonality=seasonality, outcome=outcome)\n"
         "display(Markdown(label(\"its_intro\", language)))"),
    code("# the published key figures (checked exactly in tests/test_notebooks_papermill.py)\n"
         "from fouress_eval.sickness import key_numbers_text\n"
         "print(key_numbers_text(analysis, language))", "hide"),
    code('display(Markdown("## " + label("its_conclusion", language)))\n'
         "display(Markdown(conclusion(analysis, language)))"),
    code('display(Markdown("## " + label("its_series", language)))\n'
         'ex.figure("series", plots.sick_leave_series(analysis.series, municipalities=[code], baseline=baseline, language=language))'),
    code('display(Markdown("## " + label("its_model", language)))\n'
         'ex.figure("its", analysis.controlled.plot(language=language))\n'
         'report.display_table(ex.table("effects", report.effects_table(analysis.controlled.effects, language)), decimals=3)'),
    code('display(Markdown("## " + label("its_horizons", language)))\n'
         'report.display_table(ex.table("horizons", report.horizon_table(analysis.horizons, language)), decimals=2)'),
    code('display(Markdown("## " + label("its_methods", language)))\n'
         'report.display_table(ex.table("methods", report.effects_table(analysis.methods, language)), decimals=3)'),
    code('display(Markdown("## " + label("its_placebo", language)))\n'
         'display(report.display_table(ex.table("placebo_time", report.effects_table(analysis.placebo_time, language)), decimals=3))\n'
         "if analysis.placebo_space is not None:\n"
         '    ex.figure("placebo_space", analysis.placebo_space.plot())'),
    code('if analysis.notes:\n'
         '    display(Markdown("## " + label("its_notes", language) + "\\n\\n" + "\\n".join("- " + n for n in analysis.notes)))\n'
         'report.write_key_results(out_dir, "01_sickness_its", analysis.key_results())\n'
         "ex.close();"),
]

PARTICIPANTS = [
    hidden_md("# 02 Participants\n\nFor people reading the notebook itself (hidden in the HTML report). Flow, "
              "compensation, exit reasons, meetings and time to return to work for one municipality (or `all`), "
              "split by sex and suppressed for display by `fouress_eval.participants_report`."),
    code('municipality = "Torsås"  # municipality code or name, or "all"\n'
         'data_dir = ""  # prepared data folder; empty means <project>/data_processed\n'
         'out_dir = ""  # where key results (JSON) are written; empty: not written\n'
         'language = "sv"  # report language: "sv" or "en"\n'
         "min_count = 5  # counts below this are shown as \"<5\"", "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import participants_report as pr, plots, report, store\n"
         "from fouress_eval.config import resolve_data_dir\n"
         "from fouress_eval.labels import label\n"
         "from fouress_eval.metrics import participants as mp\n"
         "from fouress_eval.metrics.targets import DEMO_TARGETS\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.municipalities import municipality_code\n\n"
         'code = "all" if municipality == "all" else municipality_code(municipality)\n'
         "data = resolve_data_dir(data_dir)\n"
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         'people = pr.select(tables["participants"], code)\n'
         'ex = ReportExports(out_dir, "02_participants")\n'
         'meetings = tables["meetings"][tables["meetings"]["participant_id"].isin(people["participant_id"])]\n'
         "display(Markdown(report.header_markdown(manifest, code,\n"
         "    {\"municipality\": municipality, \"language\": language, \"min_count\": min_count}, tables,\n"
         "    title=label(\"pr_title\", language), language=language)))\n"
         'display(Markdown(label("pr_intro", language)))'),
    code("# key counts (checked exactly in tests/test_notebooks_papermill.py)\n"
         "print(pr.key_numbers_text(people, min_count=min_count, language=language))", "hide"),
    code('display(Markdown("## " + label("pr_inflow", language)))\n'
         'report.display_table(ex.table("inflow", pr.inflow_table(people, min_count=min_count, language=language)))'),
    code('display(Markdown("## " + label("pr_transitions", language)))\n'
         'display(report.display_table(ex.table("compensation", pr.shares_table(people, min_count=min_count, language=language))))\n'
         'display(report.display_table(ex.table("transitions", pr.transition_table(people, min_count=min_count, language=language))))\n'
         'ex.figure("compensation_flow", plots.compensation_flow(mp.compensation_transitions(people), language=language))'),
    code('display(Markdown("## " + label("pr_exit_reasons", language)))\n'
         'report.display_table(ex.table("exit_reasons", pr.exit_reason_table(people, min_count=min_count, language=language)))'),
    code('display(Markdown("## " + label("pr_meetings", language)))\n'
         'report.display_table(ex.table("meetings", pr.meetings_table(meetings, people, min_count=min_count, language=language)))'),
    code('display(Markdown("## " + label("pr_return", language) + "\\n\\n" + label("pr_return_note", language)))\n'
         'display(report.display_table(ex.table("return_to_work", pr.return_table(people, min_count=min_count, language=language)), decimals=2))\n'
         'ex.figure("kaplan_meier", mp.time_to_return(people).plot(language=language))'),
    code('display(Markdown("## " + label("pr_targets", language)))\n'
         'report.display_table(ex.table("targets", pr.targets_table(DEMO_TARGETS, tables["participants"], tables["meetings"], language)), decimals=2)'),
    code('report.write_key_results(out_dir, "02_participants", pr.key_results(people, meetings, min_count=min_count))\n'
         "ex.close();"),
]

CROSS_SITE = [
    hidden_md("# 10 Cross-site summary\n\nFor people reading the notebook itself (hidden in the HTML report). Reads "
              "the key results (JSON) that notebooks 01–03 wrote for each municipality and shows them side by "
              "side. `fouress-eval run` runs it last, once, with `municipality = \"all\"`."),
    code('municipality = "all"  # always "all": every municipality with key results\n'
         'data_dir = ""  # prepared data folder; empty means <project>/data_processed\n'
         'reports_dir = ""  # folder of the municipal reports; empty: the parent of out_dir, else <project>/reports\n'
         'out_dir = ""  # where tables and figures are written; empty: not written\n'
         'language = "sv"  # report language: "sv" or "en"', "parameters"),
    code("from pathlib import Path\n\n"
         "from IPython.display import Markdown, display\n\n"
         "from fouress_eval import cross_site, report, store\n"
         "from fouress_eval.config import find_project_root, resolve_data_dir\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.labels import label\n\n"
         "data = resolve_data_dir(data_dir)\n"
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         'reports = Path(reports_dir or (Path(out_dir).parent if out_dir else find_project_root() / "reports"))\n'
         'ex = ReportExports(out_dir, "10_cross_site")\n'
         "results = cross_site.collect(reports, missing_ok=True)\n"
         'display(Markdown(report.header_markdown(manifest, "all", {"municipality": municipality, "language": language},\n'
         '                                        tables, title=label("cs_title", language), language=language)))\n'
         'display(Markdown(label("cs_intro" if results else "cs_none", language)))'),
    code('if results:\n'
         '    display(Markdown("## " + label("cs_effects", language)))\n'
         '    ex.figure("forest", cross_site.forest_plot(results, language=language))'),
    code('if results:\n'
         '    display(Markdown("## " + label("cs_people", language)))\n'
         '    display(report.display_table(ex.table("participants", cross_site.participants_table(results, language))))'),
    code('if results:\n'
         '    display(Markdown("## " + label("cs_joint", language)))\n'
         '    display(report.display_table(ex.table("joint_display", cross_site.joint_display(results, language))))'),
    code("ex.close();"),
]


def extra_notebooks() -> list[tuple[str, list]]:
    """Notebooks defined in ``tools/nb_*.py`` (each module has ``NAME`` and ``CELLS``)."""
    import importlib.util

    found = []
    for path in sorted(Path(__file__).parent.glob("nb_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.append((module.NAME, module.CELLS))
    return found


CHECKED = "# NBVAL_CHECK_OUTPUT"


def record_checked_outputs(path: Path) -> None:
    """Execute ``path`` with its default parameters on the prepared demo data and keep the outputs
    of the ``# NBVAL_CHECK_OUTPUT`` cells only, so nbval compares those exactly in ``make test``."""
    import tempfile

    import papermill as pm

    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / path.name
        pm.execute_notebook(str(path), str(executed), kernel_name="fouress-eval", progress_bar=False,
                            cwd=str(path.parent))
        ran = nbformat.read(str(executed), as_version=4)
    nb = nbformat.read(str(path), as_version=4)
    outputs = {c["id"]: c.get("outputs", []) for c in ran.cells if c.cell_type == "code"}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(CHECKED):
            cell.outputs = [o for o in outputs.get(cell["id"], []) if o.get("output_type") == "stream"]
            cell.execution_count = 1  # nbval compares only cells that count as run
    nbformat.write(nb, str(path))


if __name__ == "__main__":
    import sys

    built_in = [("00_data_quality", DATA_QUALITY), ("01_sickness_its", SICKNESS_ITS),
                ("02_participants", PARTICIPANTS), ("10_cross_site", CROSS_SITE)]
    for name, cells in built_in + extra_notebooks():
        target = ROOT / "notebooks" / f"{name}.ipynb"
        nbformat.write(notebook(cells), target)
        if "--record" in sys.argv and any(c.cell_type == "code" and c.source.startswith(CHECKED) for c in cells):
            record_checked_outputs(target)  # needs `make prepare` first
        print(f"wrote notebooks/{name}.ipynb")
