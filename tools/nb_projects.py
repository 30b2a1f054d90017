"""Cells of ``notebooks/30_projects.ipynb``; written by ``python tools/make_notebooks.py``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_notebooks loads this file by path

from make_notebooks import code, hidden_md  # noqa: E402

NAME = "30_projects"
SCOPE = "projects"  # run when named: it sets every evaluation side by side, not one evaluation's sites

CELLS = [
    hidden_md("# 30 Projects side by side\n\nFor people reading the notebook itself (hidden in the HTML report). "
              "The evaluations (`evaluations/*.yml`, or those named in `evaluations`) side by side, as an ESF or "
              "samordningsförbund reviewer compares projects: sites, period, baseline, phases, target group and "
              "outcome series; targets against outcomes where both exist (planned participants against the "
              "prepared participant register, goals on an outcome series against the series at the goal date, "
              "published figures as published); and the themes their interviews share, through the mapping "
              "`fouress_eval/data/shared_themes.yml` of each project's code ids to common themes. An evaluation "
              "without prepared data or interviews says so in its rows. All numbers come from "
              "`fouress_eval.projects`."),
    code('evaluations = []  # names; empty: every evaluations/*.yml\n'
         'out_dir = ""  # where tables (CSV/XLSX) are written; empty: not written\n'
         'language = "sv"  # report language "sv" or "en"', "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import projects, report\n"
         "from fouress_eval.exports import ReportExports\n"
         "from fouress_eval.labels import label\n\n"
         "chosen = projects.collect(evaluations)\n"
         'ex = ReportExports(out_dir, "30_projects")\n'
         'params = {"evaluations": [e.name for e in chosen], "language": language}\n'
         "display(Markdown(projects.header_markdown(chosen, params, language=language)))\n"
         'display(Markdown(label("pj_intro", language)))'),
    code('display(Markdown("## " + label("pj_reading", language) + "\\n\\n" + projects.reading(chosen, language)))'),
    code('display(Markdown("## " + label("pj_overview", language)))\n'
         'report.display_table(ex.table("overview", projects.overview_table(chosen, language)))'),
    code('display(Markdown("## " + label("pj_targets", language)))\n'
         'report.display_table(ex.table("targets", projects.targets_table(chosen, language)), decimals=2)'),
    code('display(Markdown("## " + label("pj_themes", language)))\n'
         'report.display_table(ex.table("shared_themes", projects.shared_themes(chosen, language)))'),
    code("ex.close();"),
]
