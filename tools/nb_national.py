"""Cells of ``notebooks/20_national_its.ipynb``; written by ``python tools/make_notebooks.py``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_notebooks loads this file by path

from make_notebooks import CONTEXT, EVALUATION, LANGUAGE, code, hidden_md  # noqa: E402

NAME = "20_national_its"
SCOPE = "national"  # run when named: it needs the national dataset (fouress-eval demo --national)

CELLS = [
    hidden_md("# 20 National comparison\n\nFor people reading the notebook itself (hidden in the HTML report). "
              "One interrupted time series of monthly sick leave (% of scheduled hours, recomputed from hours) "
              "fitted to every municipality in the prepared data with the same model and the same start month; "
              "the project municipalities (`treated`) are ranked among the others (placebo in space, two-sided "
              "permutation p = share of municipalities at least as extreme, the treated one counted), with a "
              "caterpillar plot and a funnel plot. With `municipality` set to one municipality, that one is ranked "
              "too (added to `treated`). `treated` and `interventions` default to the evaluation's municipality "
              "sites and start month(s). With few municipalities in the data the smallest possible p is large, "
              "and the report says so. All numbers come from `fouress_eval.national`."),
    code(EVALUATION +
         'municipality = "all"  # "all", or one municipality (code or name) to rank in addition to `treated`\n'
         'data_dir = ""  # prepared national data folder, e.g. data_processed/national; empty: the evaluation\'s\n'
         'out_dir = ""  # where tables (CSV/XLSX), figures (PNG/SVG) and key results (JSON) go; empty: not written\n'
         + LANGUAGE +
         'treated = []  # municipalities to rank, never used as comparisons; empty: the evaluation\'s municipality sites\n'
         'interventions = []  # common start month(s), the same for every municipality; empty: the evaluation\'s\n'
         'method = "ols"  # ITS estimator; ols/newey-west are fast, ar1-reml takes seconds for 290 municipalities\n'
         "seasonality = 2  # Fourier pairs on the calendar month\n"
         'term = "slope_change"  # the effect that is ranked: "slope_change" or "level_change"', "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import national, report, store\n"
         "from fouress_eval.config import report_context\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.labels import label\n\n"
         + CONTEXT.format(min_count="None") +
         "treated = list(treated) or list(settings.municipalities)\n"
         "interventions = [str(m) for m in (interventions or settings.interventions)]\n"
         'ranked = treated + ([] if code == "all" else [code])\n'
         'ex = ReportExports(out_dir, "20_national_its")\n'
         "manifest, tables = store.load_manifest(data), store.load_tables(data)\n"
         'params = {"municipality": municipality, "treated": treated, "interventions": interventions,\n'
         '          "method": method, "seasonality": seasonality, "term": term, "language": language}\n'
         "display(Markdown(national.header_markdown(manifest, code, params, tables, language=language)))\n"
         'ranking = national.rank_municipalities(tables["absence_monthly"], treated=ranked, interventions=interventions,\n'
         "                                       method=method, seasonality=seasonality, term=term)\n"
         'display(Markdown(label("nat_intro", language)))'),
    code('display(Markdown("## " + label("nat_summary", language) + "\\n\\n" + ranking.summary(language)))'),
    code('display(Markdown("## " + label("nat_caterpillar", language)))\n'
         'ex.figure("caterpillar", ranking.plot_caterpillar(language=language))'),
    code('display(Markdown("## " + label("nat_funnel", language)))\n'
         'ex.figure("funnel", ranking.plot_funnel(language=language))'),
    code('display(Markdown("## " + label("nat_ranks", language)))\n'
         'report.display_table(ex.table("ranks", ranking.ranks_table(language)), decimals=3)'),
    code("if len(ranking.failed):\n"
         '    display(Markdown("## " + label("nat_failed", language)))\n'
         '    display(report.display_table(ex.table("failed", ranking.failed_table(language))))'),
    code("if ranking.notes:\n"
         '    display(Markdown("## " + label("nat_notes", language) + "\\n\\n" + "\\n".join("- " + n for n in ranking.notes)))\n'
         'report.write_key_results(out_dir, "20_national_its", ranking.key_results())\n'
         "ex.close();"),
]
