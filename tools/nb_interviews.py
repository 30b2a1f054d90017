"""Cells of ``notebooks/03_interviews.ipynb``; written by ``python tools/make_notebooks.py``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_notebooks loads this file by path

from make_notebooks import code, hidden_md  # noqa: E402

NAME = "03_interviews"

CELLS = [
    hidden_md("# 03 Interviews\n\nFor people reading the notebook itself (hidden in the HTML report). The coded "
              "interviews of one municipality (or `all`): codes by role and municipality, themes, what works and "
              "what does not, co-occurring codes, inter-coder agreement and quotes. The corpus is not in the "
              "prepared data folder: it is read from `qual_dir` (codebook `kodbok.yml`, `transkript/`, "
              "`kodningar.csv`) with the interview list `intervjuer.csv` of the folder above; empty means the "
              "synthetic demo `data_raw/demo/qual`. Interview counts are shown however small; quotes show role "
              "and municipality only, hidden when fewer than 3 interviews share them (see "
              "`fouress_eval.interviews_report`)."),
    code('municipality = "Torsås"  # municipality code or name, or "all"\n'
         'data_dir = ""  # prepared data folder (for the manifest); empty means <project>/data_processed\n'
         'qual_dir = ""  # coded interview corpus; empty means <project>/data_raw/demo/qual\n'
         'out_dir = ""  # where key results (JSON) are written; empty: not written\n'
         'language = "sv"  # report language: "sv" or "en"\n'
         'coder = "kodare_A"  # whose codings the tallies and quotes use; empty: the first coder', "parameters"),
    code("from IPython.display import Markdown, display\n\n"
         "from fouress_eval import interviews_report as ir, plots, report, store\n"
         "from fouress_eval.config import resolve_data_dir\n"
         "from fouress_eval.labels import label\n"
         "from fouress_eval.municipalities import municipality_code\n"
         "from fouress_eval.qual import tallies\n\n"
         'code = "all" if municipality == "all" else municipality_code(municipality)\n'
         "corpus = ir.load_corpus(qual_dir)\n"
         "selection = ir.select(corpus, code)\n"
         "params = {\"municipality\": municipality, \"qual_dir\": qual_dir, \"language\": language, \"coder\": coder}\n"
         "display(Markdown(ir.header_markdown(store.load_manifest(resolve_data_dir(data_dir)), selection, code, params,\n"
         "                                    language=language)))\n"
         'display(Markdown(label("ir_intro", language)))'),
    code('display(Markdown("## " + label("ir_code_role", language)))\n'
         'plots.code_group_heatmap(ir.code_tally(selection, "role", coder=coder), language=language);'),
    code("report.display_table(ir.code_role_table(selection, coder=coder, language=language))"),
    code('display(Markdown("## " + label("ir_themes", language)))\n'
         "report.display_table(ir.theme_table(selection, coder=coder, language=language))"),
    code('display(Markdown("## " + label("ir_code_municipality", language)))\n'
         "report.display_table(ir.code_municipality_table(corpus, coder=coder, language=language))"),
    code('display(Markdown("## " + label("ir_valence", language)))\n'
         "report.display_table(ir.valence_table(selection, coder=coder, language=language), decimals=2)"),
    code('display(Markdown("## " + label("ir_cooccurrence", language)))\n'
         "plots.cooccurrence_heatmap(tallies.cooccurrence(selection, coder=coder or None),\n"
         "                           labels=tallies.code_table(selection), language=language);"),
    code("report.display_table(ir.cooccurrence_pairs(selection, coder=coder, language=language), decimals=2)"),
    code('display(Markdown("## " + label("ir_agreement", language)))\n'
         "levels = ir.agreement_levels(selection)\n"
         "display(Markdown(ir.agreement_reading(levels, language) + \" \" + label(\"ir_bars_sentence\", language)))\n"
         'plots.agreement_bars(levels["sentence"], language=language) if levels else None;'),
    code("report.display_table(ir.agreement_table(levels, language=language), decimals=2)"),
    code('display(Markdown("## " + label("ir_quotes", language)))\n'
         "report.display_table(ir.quotes_table(selection, coder=coder, language=language))"),
    code('report.write_key_results(out_dir, "03_interviews", ir.key_results(corpus, code, coder=coder));'),
]
