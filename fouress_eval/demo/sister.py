"""SYNTHETIC demo data for the three sister projects of 4-Ess, one raw folder per evaluation.

``write_evaluation_demo(name, out_dir, seed=2017)`` writes the raw files an evaluator of that
project would receive, in the formats ``fouress-eval prepare`` reads, plus ``README.md`` and
``_synthetic.json`` saying that everything is synthetic. Same seed → byte-identical files.

- ``kunskapsstod`` — Kunskapsstöd vid vägval långa sjukfall (Uppsala county, 2016-09 … 2018-07):
  Försäkringskassan county series for all 21 counties and riket, 2014-01 … 2020-12, by sex:
  sjukpenningtal (JSON API) and ongoing sick cases longer than 365 days (Excel download), the
  latter calibrated to about 1 900 in Uppsala in September 2016, two in three women, with a
  modest built-in project effect in Uppsala and a COVID-19 rise in every county from 2020-03. No
  participant register and no interviews (the project has none to give).
- ``pa_vag`` — På väg (Skurup and Svedala, 2019-05 … 2020-12): an interview list of 12
  interviews and focus groups and a coded interview corpus in ``qual/``; no outcome series.
- ``omstallning`` — Omställning (Värmland, 2018-02 … 2019-01): sjukpenningtal for all 21
  counties 2014-01 … 2019-12 (no built-in effect) and a coded corpus of 10 interviews in
  Värmland municipalities.

The facts the data are calibrated to are those of issue 9; everything else is invented.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..io.register import ROLES
from ..municipalities import municipality_name
from ..qual.demo_corpus import CorpusSpec, write_corpus
from . import sister_corpus as corpora
from . import sister_series as series
from ._writers import write_csv, write_json, write_xlsx

__all__ = ["write_evaluation_demo", "EVALUATIONS", "KUNSKAPSSTOD_EFFECT", "UPPSALA_LONG_CASES"]

EVALUATIONS = ("kunskapsstod", "pa_vag", "omstallning")
NOTE = ("SYNTETISKA DEMODATA – inga verkliga personer och inga verkliga siffror. Synthetic demo data: no real "
        "persons, no real figures; calibrated only to the few published facts listed in README.md.")
UPPSALA = "03"
#: published: about 1 900 people sick-listed more than 365 days in Uppsala county at the start, two in three women
UPPSALA_LONG_CASES = (pd.Period("2016-09", freq="M"), 1267, 633)
#: the built-in effect an ITS should find: −0.5 % a month in Uppsala's long cases, 2016-09 … 2018-07
KUNSKAPSSTOD_EFFECT = series.LongCaseEffect(UPPSALA, pd.Period("2016-09", freq="M"),
                                            pd.Period("2018-07", freq="M"), 0.005)
_MODES = {"individual": "Individuell", "group": "Grupp"}
_SEX_LABEL = {"alla": "Kvinnor och män", "K": "Kvinnor", "M": "Män"}


def write_evaluation_demo(name: str, out_dir: str | Path, seed: int = 2017) -> list[Path]:
    """Write the synthetic raw folder of evaluation ``name`` to ``out_dir``; returns the paths written.

    ``name`` is one of :data:`EVALUATIONS`; anything else raises ``ValueError``. The same seed
    gives byte-identical files. Files of the same names are replaced; other files are left alone.
    """
    if name not in _WRITERS:
        raise ValueError(f"no synthetic demo for evaluation {name!r}; expected one of {', '.join(EVALUATIONS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files, calibration = _WRITERS[name](out, seed)
    (out / "README.md").write_text(_README[name](seed), encoding="utf-8")
    write_json(out / "_synthetic.json", {
        "synthetic": True, "generator": "fouress_eval.demo.sister.write_evaluation_demo", "evaluation": name,
        "seed": seed, "note": NOTE, "calibrated_to": calibration,
    })
    return [*files, out / "README.md", out / "_synthetic.json"]


# ---------------------------------------------------------------------------------------------
# writers, one per evaluation: (files written, what the data are calibrated to)
# ---------------------------------------------------------------------------------------------
def _kunskapsstod(out: Path, seed: int) -> tuple[list[Path], dict]:
    months = pd.period_range("2014-01", "2020-12", freq="M")
    spt = out / "fk_sjukpenningtal_lan.json"
    write_json(spt, series.sickpay_json_records(series.county_sickpay(months, seed)), one_record_per_line=True)
    long_cases = series.county_long_cases(months, seed, effect=KUNSKAPSSTOD_EFFECT,
                                          calibrate={UPPSALA: UPPSALA_LONG_CASES})
    excel = out / "fk_sjukfall_over_365_lan.xlsx"
    _long_case_workbook(excel, long_cases)
    month, women, men = UPPSALA_LONG_CASES
    return [spt, excel], {
        "facts": "issue 9: Kunskapsstöd vid vägval långa sjukfall (aggregates only)",
        "uppsala_long_cases": {"month": str(month), "women": women, "men": men, "total": women + men},
        "built_in_effects": [{
            "series": "sjukfall_over_365", "county": UPPSALA, "start": str(KUNSKAPSSTOD_EFFECT.start),
            "end": str(KUNSKAPSSTOD_EFFECT.end), "relative_change_per_month": -KUNSKAPSSTOD_EFFECT.monthly,
            "note": "log-linear slope change from the start month, held at its level after the end month"}],
        "external": [{"name": "COVID-19", "start": str(series.COVID_START), "counties": "all",
                      "sjukpenningtal": "underlying monthly rate +12 % in 2020-03, decaying (8-month time constant)",
                      "sjukfall_over_365": "+1 % a month from 2020-03"}],
    }


def _long_case_workbook(path: Path, frame: pd.DataFrame) -> None:
    """The long cases as FK's Excel download: two heading rows, the table split over two sheets."""
    names = series.county_names()
    header = ("År", "Månad", "Län", "Kommun", "Kön", "Ålder", "Antal pågående sjukfall > 365 dagar")
    order = {"alla": 0, "K": 1, "M": 2}
    frame = frame.assign(_area=frame["county_code"].fillna(""), _sex=frame["sex"].map(order))
    frame = frame.sort_values(["_area", "_sex", "month"], kind="stable")

    def rows(part: pd.DataFrame) -> list[list]:
        return [[r.month.year, r.month.month,
                 "Riket" if pd.isna(r.county_code) else f"{r.county_code} {names[r.county_code]} län",
                 "Samtliga kommuner", _SEX_LABEL[r.sex], "Samtliga åldrar", int(r.value)] for r in part.itertuples()]

    first = frame["month"].dt.year <= 2017
    title = ["Pågående sjukfall längre än 365 dagar per län, kön och månad – " + NOTE,
             "Källa: fouress_eval (syntetisk demo i Försäkringskassans format). Antal vid månadens slut."]
    write_xlsx(path, {"2014-2017": (header, rows(frame[first])), "2018-2020": (header, rows(frame[~first]))},
               titles={"2014-2017": title, "2018-2020": title})


def _interview_files(out: Path, seed: int, plan: tuple[corpora.Interview, ...], spec: CorpusSpec,
                     modes: dict[str, str], labels: dict[str, str] | None = None) -> list[Path]:
    """``intervjuer.csv`` (roles by their preferred Swedish label unless ``labels`` says otherwise)
    and the coded corpus in ``qual/``."""
    labels = dict(labels or {})
    for text, code in ROLES.items():
        labels.setdefault(code, text)
    path = out / "intervjuer.csv"
    write_csv(path, ("Intervju-id", "Roll", "Kommun", "Datum", "Form"),
              [[iid, labels[role], municipality_name(code), date, modes[mode]] for iid, role, code, date, mode in plan])
    qual = write_corpus(out / "qual", spec, seed, interviews_path=path)
    transcripts = [qual / "transkript" / f"{iid}.txt" for iid, *_rest in plan]
    return [path, qual / "kodbok.yml", *transcripts, qual / "kodningar.csv"]


def _pa_vag(out: Path, seed: int) -> tuple[list[Path], dict]:
    files = _interview_files(out, seed, corpora.PA_VAG_INTERVIEWS, corpora.PA_VAG_CORPUS,
                             {**_MODES, "group": "Fokusgrupp"}, {"participant": "Deltagare"})
    return files, {"facts": "issue 9: På väg (sites, period, roles; aggregates only)",
                   "interviews": len(corpora.PA_VAG_INTERVIEWS), "municipalities": [corpora.SKURUP, corpora.SVEDALA]}


def _omstallning(out: Path, seed: int) -> tuple[list[Path], dict]:
    months = pd.period_range("2014-01", "2019-12", freq="M")
    spt = out / "fk_sjukpenningtal_lan.json"
    write_json(spt, series.sickpay_json_records(series.county_sickpay(months, seed)), one_record_per_line=True)
    files = _interview_files(out, seed, corpora.OMSTALLNING_INTERVIEWS, corpora.OMSTALLNING_CORPUS, _MODES)
    return [spt, *files], {"facts": "issue 9: Omställning (county, phases, roles; aggregates only)",
                           "built_in_effects": [], "interviews": len(corpora.OMSTALLNING_INTERVIEWS)}


_WRITERS: dict[str, Callable[[Path, int], tuple[list[Path], dict]]] = {
    "kunskapsstod": _kunskapsstod, "pa_vag": _pa_vag, "omstallning": _omstallning}


# ---------------------------------------------------------------------------------------------
# READMEs
# ---------------------------------------------------------------------------------------------
_COMMON = """
Generated by `fouress_eval.demo.sister.write_evaluation_demo("{name}", ..., seed={seed})` (the
`fouress-eval demo --evaluation {name}` command); the same seed gives byte-identical files.
Nothing here comes from a real person, register or interview, and no figure is a real statistic:
county levels, populations and interview texts are invented, and only the few published facts
listed below are matched. `prepare` reads the files at the top of this folder; `README.md` and
`_synthetic.json` are skipped{qual_note}.
"""
_QUAL_NOTE = (", and the interview corpus in `qual/` is read by the interview report\n"
              "(`fouress_eval.interviews_report.load_corpus(\"<this folder>/qual\")`)")
_QUAL_ROWS = """| `intervjuer.csv` | interview list: id, role, municipality, date, form (Individuell / {group}) | UTF-8, `;` |
| `qual/kodbok.yml` | codebook: themes and codes with definitions, when (not) to use, valence | YAML |
| `qual/transkript/*.txt` | one short synthetic transcript per interview, written for this package; each starts with `[Syntetisk demointervju – påhittad text]` | UTF-8 text |
| `qual/kodningar.csv` | segment codings by `kodare_A` and `kodare_B` (interview, start, end, code, coder); kodare_B sometimes misses, mixes up or trims a segment | UTF-8, `;` |"""


def _readme_kunskapsstod(seed: int) -> str:
    month, women, men = UPPSALA_LONG_CASES
    return f"""# Kunskapsstöd vid vägval långa sjukfall — demo data, SYNTHETIC

**{NOTE}**
{_COMMON.format(name="kunskapsstod", seed=seed, qual_note="")}
Calibrated to (issue 9): Uppsala county (03), project period 2016-09-01 … 2018-07-31; about
1 900 people sick-listed more than 365 days in the county at the start, two in three women — the
demo has exactly {women + men} ongoing cases longer than 365 days in Uppsala in {month} ({women} women,
{men} men). Uppsala's sjukpenningtal is 10–11 days at the start and falls towards the project's
goal of 9.0 days (by 2020) before COVID-19 lifts it again.

Built in, so that an interrupted time series has something to find: Uppsala's long cases fall by
0.5 % a month more than the other counties' from 2016-09 to 2018-07 (about −10 % by the end) and
stay at that level afterwards; sjukpenningtal has no built-in project effect. COVID-19 from
2020-03 raises both series in every county (an external interruption, not the project's effect).
The project has no participant register and no interview corpus, so none is written here.

| file | what | format |
|---|---|---|
| `fk_sjukpenningtal_lan.json` | sjukpenningtal 1.0 (rolling 12 months) and insured (`namnare`) for the 21 counties and riket, K / M / ALL, 2014-01 … 2020-12 | Försäkringskassan API records |
| `fk_sjukfall_over_365_lan.xlsx` | ongoing sick cases longer than 365 days, 21 counties and riket, by sex, 2014-01 … 2020-12 (tidy measure `sjukfall_over_365`) | FK Excel download: two heading rows, the table split over two sheets |
| `README.md`, `_synthetic.json` | this description; the synthetic marker with seed and calibration | |
"""


def _readme_pa_vag(seed: int) -> str:
    return f"""# På väg — demo data, SYNTHETIC

**{NOTE}**
{_COMMON.format(name="pa_vag", seed=seed, qual_note=_QUAL_NOTE)}
Calibrated to (issue 9): Skurup (1264, project owner) and Svedala (1263), project period
2019-05-01 … 2020-12-31; a process evaluation built on interviews and focus groups with social
workers (socialsekreterare), Försäkringskassan's and Arbetsförmedlingen's case officers, Region
Skåne's health care, participants ("nollplacerade": people aged 18–64 on social assistance because
of illness, without any benefit) and the steering group: {len(corpora.PA_VAG_INTERVIEWS)} interviews and focus
groups, in Skurup and Svedala only, in two rounds (autumn 2019 and autumn 2020, the second during
the pandemic). The project followed no individual outcomes and has no outcome series, so no register
or series file is written here.

| file | what | format |
|---|---|---|
{_QUAL_ROWS.format(group="Fokusgrupp")}
| `README.md`, `_synthetic.json` | this description; the synthetic marker | |
"""


def _readme_omstallning(seed: int) -> str:
    return f"""# Omställning — demo data, SYNTHETIC

**{NOTE}**
{_COMMON.format(name="omstallning", seed=seed, qual_note=_QUAL_NOTE)}
Calibrated to (issue 9): Värmland county (17); a service-design project in phases (1–2:
2018-02-15 … 2018-08-31, 3: 2018-09-01 … 2019-01-31) for highly educated employees in school,
health and care who struggle to return to their own work; mostly qualitative.
{len(corpora.OMSTALLNING_INTERVIEWS)} interviews with participants (medarbetare), managers, HR strategists,
occupational health, service designers and the steering group, all in Värmland municipalities
(Karlstad, Arvika, Kristinehamn). The county series lets a county-level interrupted time series
with two phases run; it has no built-in project effect.

| file | what | format |
|---|---|---|
| `fk_sjukpenningtal_lan.json` | sjukpenningtal 1.0 (rolling 12 months) and insured (`namnare`) for the 21 counties and riket, K / M / ALL, 2014-01 … 2019-12 | Försäkringskassan API records |
{_QUAL_ROWS.format(group="Grupp")}
| `README.md`, `_synthetic.json` | this description; the synthetic marker | |
"""


_README: dict[str, Callable[[int], str]] = {
    "kunskapsstod": _readme_kunskapsstod, "pa_vag": _readme_pa_vag, "omstallning": _readme_omstallning}
