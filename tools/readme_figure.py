"""Regenerate docs/its_torsas.png, the README's example figure, from the synthetic demo data.

Run after `make prepare`: `.venv/bin/python tools/readme_figure.py`.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from fouress_eval import its_report, store  # noqa: E402
from fouress_eval.config import get_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    settings = get_settings("fouress", root=ROOT)  # evaluations/fouress.yml
    code = settings.site("Torsås")
    analysis = its_report.analyse_site(store.load_tables(settings.processed_dir), settings, code).analysis
    ax = analysis.controlled.plot(language="en")
    ax.set_title("Torsås: monthly sick leave of municipal employees (synthetic demo data)")
    ax.set_ylabel("Sick leave, % of scheduled hours")
    ax.figure.savefig(ROOT / "docs" / "its_torsas.png", dpi=110, bbox_inches="tight")
    print("wrote docs/its_torsas.png")
