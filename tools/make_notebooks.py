"""Write the committed notebooks (without outputs) from the cell lists below.

Run `python tools/make_notebooks.py` after editing. Notebooks are committed without outputs; the
published key figures they print are checked exactly by tests/test_notebooks_papermill.py.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
KERNEL = {"name": "fouress-eval", "display_name": "Python (fouress_eval)", "language": "python"}


def notebook(cells, scope="site"):
    """A notebook of ``cells``; ``scope`` (site, evaluation, national, projects) tells the batch runner
    which runs it belongs to (``fouress_eval.pipeline.planning.BATCH_SCOPES``)."""
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"},
                                             "fouress_eval": {"scope": scope}})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:02d}"  # stable ids keep regenerated notebooks diff-free
    return nb


def hidden_md(text):
    return new_markdown_cell(text, metadata={"tags": ["hide"]})


def code(text, *tags):
    return new_code_cell(text, metadata={"tags": list(tags)} if tags else {})


# The parameters every per-site report declares; values left empty come from the evaluation.
EVALUATION = 'evaluation = ""  # evaluations/<name>.yml name or path; empty: $FOURESS_EVAL_EVALUATION or fouress\n'
SITE = ('municipality = ""  # site: municipality or county, code or name{all}; empty: the evaluation\'s first site\n')
DATA_DIR = 'data_dir = ""  # prepared data folder; empty: the evaluation\'s data_processed/<name>\n'
LANGUAGE = 'language = ""  # report language "sv" or "en"; empty: the evaluation\'s\n'
MIN_COUNT = "min_count = 0  # counts below this are shown as \"<n\"; 0: the evaluation's threshold"
CONTEXT = ("settings, code, data = report_context(evaluation, municipality, data_dir, language=language,\n"
           "                                      min_count={min_count})\n"
           "language, min_count = settings.language, settings.min_count\n")


DATA_QUALITY = [
    hidden_md("# 00 Data quality\n\nFor people reading the notebook itself (this cell is hidden in the HTML "
              "report). Run `fouress-eval prepare` first; then run this notebook from JupyterLab, with "
              "`papermill notebooks/00_data_quality.ipynb out.ipynb -p municipality Torsås`, or through "
              "`fouress-eval run`. Everything shown comes from `fouress_eval` library calls."),
    code(EVALUATION + SITE.format(all="") + DATA_DIR +
         'out_dir = ""  # where tables (CSV/XLSX) and figures (PNG/SVG) are written; empty: not written\n'
         + LANGUAGE + MIN_COUNT, "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import plots, quality, report, store\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.config import report_context\n"
         "from fouress_eval.labels import label\n\n"
         + CONTEXT.format(min_count="min_count") +
         'ex = ReportExports(out_dir, "00_data_quality")\n'
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         "params = {\"evaluation\": settings.name, \"municipality\": code, \"language\": language, \"min_count\": min_count}\n"
         "display(Markdown(report.header_markdown(manifest, code, params, tables, title=label(\"dq_title\", language),\n"
         "                                        language=language, evaluation=settings.title)))\n"
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
         'report.display_table(ex.table("consistency", quality.consistency_findings(tables, code, published=settings.evaluation.published_aggregates, language=language)))'),
    code('display(Markdown("## " + label("dq_disclosure", language)))\n'
         'report.display_table(ex.table("disclosure", quality.disclosure_rules(min_count=min_count, language=language)))'),
    code('display(Markdown("## " + label("dq_privacy", language)))\n'
         "findings = quality.privacy_findings([data], language=language)\n"
         'display(Markdown(label("dq_privacy_ok" if findings.empty else "dq_privacy_found", language)))\n'
         "report.display_table(findings) if not findings.empty else None"),
    code("ex.close();"),
]

SICKNESS_ITS = [
    hidden_md("# 01 Outcome series: interrupted time series\n\nFor people reading the notebook itself (hidden in the "
              "HTML report). The evaluation's outcome series (default: the first in its configuration; for 4-Ess "
              "monthly sick leave of municipal employees, % of scheduled hours recomputed from hours) at one site "
              "(municipality or county) against its comparison units: controlled interrupted time series, every "
              "estimator side by side, placebo tests in time and space, effects 12 and 24 months after the start. "
              "An evaluation without outcome series, or a site without data, gets one sentence saying why. All "
              "numbers come from `fouress_eval.its_report` and `fouress_eval.sickness`."),
    code(EVALUATION + SITE.format(all="") + DATA_DIR +
         'out_dir = ""  # where key results (JSON) are written; empty: not written\n' + LANGUAGE +
         'baseline = ""  # baseline month for the key figures; empty: the evaluation\'s\n'
         'interventions = []  # start month(s) of the intervention and its phases; empty: the evaluation\'s\n'
         'outcome = ""  # outcome name in the evaluation\'s configuration; empty: its first outcome\n'
         'method = "ar1-reml"  # ITS estimator\n'
         "seasonality = 2  # Fourier pairs on the calendar month", "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import its_report, report, store\n"
         "from fouress_eval.config import report_context\n"
         "from fouress_eval.labels import label\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.sickness import conclusion\n\n"
         + CONTEXT.format(min_count="None") +
         'ex = ReportExports(out_dir, "01_sickness_its")\n'
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         "site = its_report.analyse_site(tables, settings, code, outcome=outcome, baseline=baseline,\n"
         "                               interventions=interventions, method=method, seasonality=seasonality)\n"
         "missing, analysis = site.missing, site.analysis\n"
         "params = {\"evaluation\": settings.name, \"municipality\": code, **site.parameters, \"method\": method,\n"
         "          \"seasonality\": seasonality, \"language\": language}\n"
         "display(Markdown(report.header_markdown(manifest, code, params, tables, title=site.title(language),\n"
         "                                        language=language, evaluation=settings.title)))\n"
         "display(Markdown(missing or site.intro(language)))"),
    code("# the published key figures (checked exactly in tests/test_notebooks_papermill.py)\n"
         "if not missing:\n"
         "    from fouress_eval.sickness import key_numbers_text\n"
         "    print(key_numbers_text(analysis, language))", "hide"),
    code('if not missing:\n'
         '    display(Markdown("## " + label("its_conclusion", language)))\n'
         "    display(Markdown(conclusion(analysis, language)))"),
    code('if not missing:\n'
         '    display(Markdown("## " + site.series_heading(language)))\n'
         '    ex.figure("series", site.series_figure(language=language))'),
    code('if not missing:\n'
         '    display(Markdown("## " + site.model_heading(language)))\n'
         '    ex.figure("its", analysis.controlled.plot(language=language))\n'
         '    display(report.display_table(ex.table("effects", report.effects_table(analysis.controlled.effects, language)), decimals=3))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("its_horizons", language)))\n'
         '    display(report.display_table(ex.table("horizons", report.horizon_table(analysis.horizons, language)), decimals=2))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("its_methods", language)))\n'
         '    display(report.display_table(ex.table("methods", report.effects_table(analysis.methods, language)), decimals=3))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("its_placebo", language)))\n'
         '    display(report.display_table(ex.table("placebo_time", report.effects_table(analysis.placebo_time, language)), decimals=3))\n'
         "    if analysis.placebo_space is not None:\n"
         '        ex.figure("placebo_space", site.placebo_figure(language=language))'),
    code('if not missing and analysis.notes:\n'
         '    display(Markdown("## " + label("its_notes", language) + "\\n\\n" + "\\n".join("- " + n for n in analysis.notes)))\n'
         'if not missing:\n'
         '    report.write_key_results(out_dir, "01_sickness_its", analysis.key_results())\n'
         "ex.close();"),
]

PARTICIPANTS = [
    hidden_md("# 02 Participants\n\nFor people reading the notebook itself (hidden in the HTML report). Flow, "
              "compensation, exit reasons, meetings and time to return to work for one site (or `all`), "
              "split by sex and suppressed for display by `fouress_eval.participants_report`; targets from the "
              "evaluation's configuration. An evaluation without participant-level data gets one sentence saying so."),
    code(EVALUATION + SITE.format(all=', or "all"') + DATA_DIR +
         'out_dir = ""  # where key results (JSON) are written; empty: not written\n' + LANGUAGE + MIN_COUNT,
         "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import participants_report as pr, plots, report, store\n"
         "from fouress_eval.config import report_context\n"
         "from fouress_eval.labels import label\n"
         "from fouress_eval.metrics import participants as mp\n"
         "from fouress_eval.exports import ReportExports\n\n"
         + CONTEXT.format(min_count="min_count") +
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         "missing = pr.missing_reason(tables, code, language=language)\n"
         'people = None if missing else pr.select(tables["participants"], code)\n'
         'ex = ReportExports(out_dir, "02_participants")\n'
         'meetings = None if missing else tables["meetings"][tables["meetings"]["participant_id"].isin(people["participant_id"])]\n'
         "display(Markdown(report.header_markdown(manifest, code,\n"
         "    {\"evaluation\": settings.name, \"municipality\": code, \"language\": language, \"min_count\": min_count}, tables,\n"
         "    title=label(\"pr_title\", language), language=language, evaluation=settings.title)))\n"
         'display(Markdown(missing or label("pr_intro", language)))'),
    code("# key counts (checked exactly in tests/test_notebooks_papermill.py)\n"
         "if not missing:\n"
         "    print(pr.key_numbers_text(people, min_count=min_count, language=language))", "hide"),
    code('if not missing:\n'
         '    display(Markdown("## " + label("pr_inflow", language)))\n'
         '    display(report.display_table(ex.table("inflow", pr.inflow_table(people, min_count=min_count, language=language))))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("pr_transitions", language)))\n'
         '    display(report.display_table(ex.table("compensation", pr.shares_table(people, min_count=min_count, language=language))))\n'
         '    display(report.display_table(ex.table("transitions", pr.transition_table(people, min_count=min_count, language=language))))\n'
         '    ex.figure("compensation_flow", plots.compensation_flow(mp.compensation_transitions(people), language=language))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("pr_exit_reasons", language)))\n'
         '    display(report.display_table(ex.table("exit_reasons", pr.exit_reason_table(people, min_count=min_count, language=language))))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("pr_meetings", language)))\n'
         '    display(report.display_table(ex.table("meetings", pr.meetings_table(meetings, people, min_count=min_count, language=language))))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("pr_return", language) + "\\n\\n" + label("pr_return_note", language)))\n'
         '    display(report.display_table(ex.table("return_to_work", pr.return_table(people, min_count=min_count, language=language,\n'
         '        cutoff=settings.data_cutoff)), decimals=2))\n'
         '    ex.figure("kaplan_meier", mp.time_to_return(people, cutoff=settings.data_cutoff).plot(language=language))'),
    code('if not missing:\n'
         '    display(Markdown("## " + label("pr_targets", language)))\n'
         '    display(report.display_table(ex.table("targets", pr.targets_table(settings.evaluation.indicator_targets(),\n'
         '        tables["participants"], tables["meetings"], language)), decimals=2))\n'
         '    report.write_key_results(out_dir, "02_participants", pr.key_results(people, meetings, min_count=min_count,\n'
         '        cutoff=settings.data_cutoff))\n'
         "ex.close();"),
]

CROSS_SITE = [
    hidden_md("# 10 Cross-site summary\n\nFor people reading the notebook itself (hidden in the HTML report). Reads "
              "the key results (JSON) that notebooks 01–03 wrote for each municipality and shows them side by "
              "side. `fouress-eval run` runs it last, once, with `municipality = \"all\"`."),
    code(EVALUATION +
         'municipality = "all"  # always "all": every site with key results\n' + DATA_DIR +
         'reports_dir = ""  # folder of the site reports; empty: the parent of out_dir, else reports/<evaluation>\n'
         'out_dir = ""  # where tables and figures are written; empty: not written\n' + LANGUAGE.rstrip("\n"),
         "parameters"),
    code("from pathlib import Path\n\n"
         "from IPython.display import Markdown, display\n\n"
         "from fouress_eval import cross_site, report, store\n"
         "from fouress_eval.config import report_context\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.labels import label\n\n"
         + CONTEXT.format(min_count="None") +
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         "reports = Path(reports_dir or (Path(out_dir).parent if out_dir else settings.reports_dir))\n"
         'ex = ReportExports(out_dir, "10_cross_site")\n'
         "results = cross_site.collect(reports, missing_ok=True)\n"
         'display(Markdown(report.header_markdown(manifest, "all", {"evaluation": settings.name, "language": language},\n'
         '                                        tables, title=label("cs_title", language), language=language,\n'
         '                                        evaluation=settings.title)))\n'
         'display(Markdown(label("cs_intro" if results else "cs_none", language)))'),
    code('if results and not cross_site.effects_table(results, language).empty:  # no ITS, no forest plot\n'
         '    display(Markdown("## " + label("cs_effects", language)))\n'
         '    ex.figure("forest", cross_site.forest_plot(results, language=language))'),
    code('if results and not cross_site.participants_table(results, language).empty:\n'
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
        found.append((module.NAME, module.CELLS, getattr(module, "SCOPE", "site")))
    return found


if __name__ == "__main__":
    built_in = [("00_data_quality", DATA_QUALITY, "site"), ("01_sickness_its", SICKNESS_ITS, "site"),
                ("02_participants", PARTICIPANTS, "site"), ("10_cross_site", CROSS_SITE, "evaluation")]
    for name, cells, scope in built_in + extra_notebooks():
        target = ROOT / "notebooks" / f"{name}.ipynb"
        nbformat.write(notebook(cells, scope), target)
        print(f"wrote notebooks/{name}.ipynb")
