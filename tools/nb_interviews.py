"""Cells of ``notebooks/03_interviews.ipynb``; written by ``python tools/make_notebooks.py``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_notebooks loads this file by path

from make_notebooks import CONTEXT, EVALUATION, LANGUAGE, SITE, code, hidden_md  # noqa: E402

NAME = "03_interviews"


def guarded(text):
    """A cell that runs only when the evaluation has interviews (``missing`` is None)."""
    return code("if not missing:\n" + "".join("    " + line for line in text.splitlines(True)))

CELLS = [
    hidden_md("# 03 Interviews\n\nFor people reading the notebook itself (hidden in the HTML report). The coded "
              "interviews of one municipality (or `all`): codes by role and municipality, themes, what works and "
              "what does not, co-occurring codes, inter-coder agreement and quotes. The corpus is not in the "
              "prepared data folder: it is read from `qual_dir` (codebook `kodbok.yml`, `transkript/`, "
              "`kodningar.csv`) with the interview list `intervjuer.csv` of the folder above; empty: the "
              "evaluation's `interviews.corpus`; an evaluation without interviews gets one sentence saying so. Interview counts are shown however small; quotes show role "
              "and municipality only, hidden when fewer than 3 interviews share them (see "
              "`fouress_eval.interviews_report`)."),
    code(EVALUATION + SITE.format(all=', or "all"') +
         'data_dir = ""  # prepared data folder (for the manifest); empty: the evaluation\'s data_processed/<name>\n'
         'qual_dir = ""  # coded interview corpus; empty: the evaluation\'s interviews.corpus\n'
         'out_dir = ""  # where key results (JSON) are written; empty: not written\n' + LANGUAGE +
         'coder = "kodare_A"  # whose codings the tallies and quotes use; empty: the first coder', "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import interviews_report as ir, plots, report, store\n"
         "from fouress_eval.config import report_context\n"
         "from fouress_eval.labels import label\n"
         "from fouress_eval.qual import tallies\n\n"
         + CONTEXT.format(min_count="None") +
         "folder = qual_dir or settings.qual_dir\n"
         'missing = ir.missing_reason(folder, code, language=language) if folder else label("ir_not_configured", language)\n'
         "corpus = None if missing else ir.load_corpus(folder)\n"
         "selection = None if missing else ir.select(corpus, code)\n"
         "params = {\"evaluation\": settings.name, \"municipality\": code, \"qual_dir\": str(folder or \"\"), \"language\": language,\n"
         "          \"coder\": coder}\n"
         "display(Markdown(ir.header_markdown(store.load_manifest(data), selection, code, params, language=language,\n"
         "                                    evaluation=settings.title)))\n"
         'display(Markdown(missing or label("ir_intro", language)))'),
    guarded('display(Markdown("## " + label("ir_code_role", language)))\n'
            'plots.code_group_heatmap(ir.code_tally(selection, "role", coder=coder), language=language);'),
    guarded("display(report.display_table(ir.code_role_table(selection, coder=coder, language=language)))"),
    guarded('display(Markdown("## " + label("ir_themes", language)))\n'
            "display(report.display_table(ir.theme_table(selection, coder=coder, language=language)))"),
    guarded('display(Markdown("## " + label("ir_code_municipality", language)))\n'
            "display(report.display_table(ir.code_municipality_table(corpus, coder=coder, language=language)))"),
    guarded('display(Markdown("## " + label("ir_valence", language)))\n'
            "display(report.display_table(ir.valence_table(selection, coder=coder, language=language), decimals=2))"),
    guarded('display(Markdown("## " + label("ir_cooccurrence", language)))\n'
            "plots.cooccurrence_heatmap(tallies.cooccurrence(selection, coder=coder or None),\n"
            "                           labels=tallies.code_table(selection), language=language);"),
    guarded("display(report.display_table(ir.cooccurrence_pairs(selection, coder=coder, language=language), decimals=2))"),
    guarded('display(Markdown("## " + label("ir_agreement", language)))\n'
            "levels = ir.agreement_levels(selection)\n"
            "display(Markdown(ir.agreement_reading(levels, language) + \" \" + label(\"ir_bars_sentence\", language)))\n"
            'plots.agreement_bars(levels["sentence"], language=language) if levels else None;'),
    guarded("display(report.display_table(ir.agreement_table(levels, language=language), decimals=2))"),
    guarded('display(Markdown("## " + label("ir_quotes", language)))\n'
            "display(report.display_table(ir.quotes_table(selection, coder=coder, language=language)))\n"
            'report.write_key_results(out_dir, "03_interviews", ir.key_results(corpus, code, coder=coder))'),
]
