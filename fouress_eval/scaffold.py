"""Starting an evaluation (``fouress-eval new NAME``): its configuration skeleton and raw-data folder.

:func:`new_evaluation` writes ``evaluations/<name>.yml`` from :func:`~fouress_eval.evaluation.skeleton`
and creates ``data_raw/<name>/qual/`` with a ``README.md`` saying which raw exports go where.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError
from .evaluation import NAME_PATTERN, skeleton

__all__ = ["new_evaluation", "RAW_README"]

RAW_README = """# Raw data for the evaluation {name}

Put the raw exports of this evaluation here; `fouress-eval prepare --evaluation {name}` reads every
file whose name it recognises and writes tidy tables to `data_processed/{name}/`. Nothing in this
folder is committed to version control unless you choose to; it holds health data, so keep it on
storage approved for personal data.

| file name starts with | what | from |
|---|---|---|
| `personal_` | sick and scheduled hours of municipal employees per month, sex, age group | the municipality's HR/payroll system |
| `fk_` | sjukpenningtal and other Försäkringskassan measures (JSON or Excel) | Försäkringskassan's open data |
| `kolada_` | Kolada key figures (e.g. N00090) | the Kolada API |
| `vardcentral_` | sick-listings by diagnosis chapter and listed patients per health centre | the region |
| `deltagare` | participant register (one row per episode) | the project |
| `moten` | meeting log | the project |
| `intervjuer` | interview list (id, role, municipality, date, mode) | the evaluator |
| `qual/` | codebook `kodbok.yml`, transcripts `transkript/*.txt`, codings `kodningar.csv` | the evaluator |

Then: `fouress-eval run --evaluation {name}` writes the reports to `reports/{name}/<site>/`.
Sections without data (no participant register, no interviews, no outcome series) say so in one
sentence in the reports.
"""


def new_evaluation(name: str, root: str | Path, force: bool = False) -> tuple[Path, Path]:
    """Write ``<root>/evaluations/<name>.yml`` (the commented skeleton) and create
    ``<root>/data_raw/<name>/qual/`` with the raw folder's ``README.md`` (an existing README is kept).

    Returns ``(configuration file, raw folder)``. An :class:`InputError` for a name that is not
    lower-case letters, digits and _ starting with a letter, or for an existing configuration
    unless ``force`` (which overwrites it).
    """
    if not re.fullmatch(NAME_PATTERN, name):
        raise InputError("not a valid evaluation name", value=name,
                         expected="lower-case letters, digits and _, starting with a letter (e.g. pa_vag)")
    root = Path(root)
    config = root / "evaluations" / f"{name}.yml"
    if config.exists() and not force:
        raise InputError("the evaluation exists already", file=config, value=name,
                         expected="another name, or --force to overwrite the configuration")
    raw = root / "data_raw" / name
    config.parent.mkdir(parents=True, exist_ok=True)
    (raw / "qual").mkdir(parents=True, exist_ok=True)
    config.write_text(skeleton(name), encoding="utf-8")
    readme = raw / "README.md"
    if not readme.exists():
        readme.write_text(RAW_README.format(name=name), encoding="utf-8")
    return config, raw
