"""The synthetic demo dataset: deterministic for a seed, calibrated to the published 4-Ess figures.

``write_demo(out_dir, seed=2017)`` writes the raw files a 4-Ess evaluator would receive — in the
formats real Swedish exports come in — plus ``README.md`` and ``_synthetic.json`` saying that
everything is synthetic. The committed ``data_raw/demo/`` is exactly ``write_demo(..., seed=2017)``.
What is calibrated (DESIGN.md section 3): sick leave in August 2016 and autumn 2019 (Sep–Nov
pooled) per project municipality; the health-centre F+M index for October 2019; the participant
register's every count and share; follow-up meetings per municipality.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..io.personnel import AGE_GROUPS
from ..io.register import ENTRY_COMPENSATION, EXIT_COMPENSATION, EXIT_REASONS, MEETING_TYPES, ROLES, SECTORS
from ..municipalities import municipality_name
from . import _registers, _series
from ._writers import swedish_number, write_csv, write_json, write_xlsx

__all__ = ["write_demo", "DEMO_FILES", "SYNTHETIC_NOTE"]

SYNTHETIC_NOTE = ("SYNTETISKA DEMODATA – inga verkliga personer. Synthetic demo data, no real persons; "
                  "calibrated to the published 4-Ess figures only.")
DEMO_FILES = ("personal_ljungby.xlsx", "personal_torsas.csv", "personal_vimmerby.csv",
              "personal_jamforelsekommuner.csv", "fk_sjukpenningtal.json", "kolada_N00090.json",
              "vardcentral_sjukskrivningar.csv", "deltagare.xlsx", "moten.csv", "intervjuer.csv",
              "README.md", "_synthetic.json")

_PERSONNEL_HEADER = ("Kommun", "Månad", "Kön", "Åldersgrupp", "Antal anställda", "Schemalagd tid (timmar)",
                     "Sjukfrånvaro (timmar)", "Varav 60 dagar eller mer (timmar)", "Varav dag 1-14 (timmar)")
_HOURS = ("scheduled_hours", "sick_hours", "long_sick_hours", "short_sick_hours")
_AGE_LABEL = dict(zip(AGE_GROUPS, ("29 år eller yngre", "30-49 år", "50 år eller äldre")))
_MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _label(mapping: dict[str, str]) -> dict[str, str]:
    """Code → the first (preferred) Swedish label of a reader's label map."""
    out: dict[str, str] = {}
    for text, code in mapping.items():
        out.setdefault(code, text)
    return out


def _with_totals(hours: pd.DataFrame) -> pd.DataFrame:
    """Add a Totalt/Totalt row per municipality and month, as personnel systems print them."""
    totals = hours.groupby(["municipality_code", "month"], as_index=False)[["employees", *_HOURS]].sum()
    totals[list(_HOURS)] = totals[list(_HOURS)].round(1)
    totals = totals.assign(sex="Totalt", age_group="Totalt")
    frame = pd.concat([hours, totals], ignore_index=True)
    order = {"K": 0, "M": 1, "Totalt": 2}
    return frame.sort_values(["municipality_code", "month"], key=lambda s: s.map(order) if s.name == "sex" else s,
                             kind="stable").reset_index(drop=True)


def _personnel_files(out: Path, hours: pd.DataFrame) -> None:
    def text_rows(frame: pd.DataFrame, kommun, month, sex, age) -> list[list[str]]:
        return [[kommun(r.municipality_code), month(r.month), sex(r.sex), age(r.age_group), f"{r.employees:.0f}",
                 *(swedish_number(getattr(r, h)) for h in _HOURS)] for r in frame.itertuples()]

    own = hours["municipality_code"]
    # Ljungby: an Excel export with a title row, months as Excel dates, sexes written out
    ljungby = hours[own == "0781"]
    rows = [["Ljungby", r.month.to_timestamp().to_pydatetime(), {"K": "Kvinnor", "M": "Män"}[r.sex],
             _AGE_LABEL[r.age_group], int(r.employees), *(float(getattr(r, h)) for h in _HOURS)]
            for r in ljungby.itertuples()]
    write_xlsx(out / "personal_ljungby.xlsx", {"Sjukfrånvaro": (_PERSONNEL_HEADER, rows)},
               titles={"Sjukfrånvaro": ["Sjukfrånvaro per månad, Ljungby kommun – " + SYNTHETIC_NOTE]})
    # Torsås: cp1252, semicolons, "0834 Torsås", ISO months, totals rows
    torsas = _with_totals(hours[own == "0834"])
    write_csv(out / "personal_torsas.csv", _PERSONNEL_HEADER,
              text_rows(torsas, lambda c: f"{c} {municipality_name(c)}", str, str, str), encoding="cp1252")
    # Vimmerby: UTF-8 with BOM, commas (so decimal commas are quoted), "aug-16" months
    vimmerby = hours[own == "0884"]
    write_csv(out / "personal_vimmerby.csv", _PERSONNEL_HEADER,
              text_rows(vimmerby, municipality_name, lambda m: f"{_MONTHS_SHORT[m.month - 1]}-{m.year % 100:02d}",
                        {"K": "kvinnor", "M": "män"}.get, str), encoding="utf-8-sig", separator=",")
    others = hours[~own.isin(["0781", "0834", "0884"])]
    write_csv(out / "personal_jamforelsekommuner.csv", _PERSONNEL_HEADER,
              text_rows(others, municipality_name, str, str, str), encoding="cp1252",
              title="Jämförelsekommuner i Kronobergs och Kalmar län – " + SYNTHETIC_NOTE)


def _register_files(out: Path, register: pd.DataFrame, log: pd.DataFrame, talks: pd.DataFrame) -> None:
    entry, exit_, reasons = _label(ENTRY_COMPENSATION), _label(EXIT_COMPENSATION), _label(EXIT_REASONS)
    sectors, roles, kinds = _label(SECTORS), _label(ROLES), _label(MEETING_TYPES)

    def day(value) -> object:
        return None if pd.isna(value) else value.to_pydatetime()

    header = ("Personnummer", "Kommun", "Kön", "Sektor", "Startdatum", "Slutdatum", "Ersättning vid start",
              "Ersättning vid avslut", "Avslutsorsak")
    rows = [[r.personal_id, municipality_name(r.municipality_code), r.sex, sectors[r.sector], day(r.start_date),
             day(r.end_date), entry[r.entry_compensation], exit_.get(r.exit_compensation),
             reasons.get(r.exit_reason)] for r in register.itertuples()]
    write_xlsx(out / "deltagare.xlsx", {"Deltagare": (header, rows)},
               titles={"Deltagare": ["Deltagare i 4-Ess, uttag 2019-10-31 – " + SYNTHETIC_NOTE]})
    write_csv(out / "moten.csv", ("Personnummer", "Kommun", "Datum", "Mötestyp"),
              [[r.personal_id, municipality_name(r.municipality_code), f"{r.date:%Y-%m-%d}", kinds[r.meeting_type]]
               for r in log.itertuples()])
    write_csv(out / "intervjuer.csv", ("Intervju-id", "Roll", "Kommun", "Datum", "Form"),
              [[r.interview_id, roles[r.role], municipality_name(r.municipality_code), f"{r.date:%Y-%m-%d}",
                {"individual": "Individuell", "group": "Grupp"}[r.mode]] for r in talks.itertuples()])


def write_demo(out_dir: str | Path, seed: int = 2017) -> list[Path]:
    """Write the synthetic demo raw files to ``out_dir``; returns the paths written.

    The same seed gives byte-identical files. Existing files of the same names are replaced;
    other files in ``out_dir`` are left alone.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    hours = _series.personnel_hours(streams[0])
    _personnel_files(out, hours)
    write_json(out / "fk_sjukpenningtal.json", _series.sickpay_records(streams[1]), one_record_per_line=True)
    values = _series.kolada_values(hours)
    write_json(out / "kolada_N00090.json", {"count": len(values), "values": values, "next_page": None})
    clinics = _series.clinic_sicklistings(streams[2])
    write_csv(out / "vardcentral_sjukskrivningar.csv",
              ("Vårdcentral", "Kommun", "Månad", "Diagnoskapitel", "Antal sjukskrivna", "Listade"),
              [[r.clinic, municipality_name(r.municipality_code), str(r.month), r.diagnosis_chapter,
                str(r.sicklisted), str(r.listed_population)] for r in clinics.itertuples()],
              encoding="utf-8-sig", separator=",")
    register = _registers.participants(streams[3])
    log = _registers.meetings(register, streams[4])
    _register_files(out, register, log, _registers.interviews(streams[5]))
    from ..qual.demo_corpus import write_demo_corpus  # the interview corpus builds on intervjuer.csv

    write_demo_corpus(out / "qual", seed=seed, interviews_path=out / "intervjuer.csv")
    (out / "README.md").write_text(_readme(seed), encoding="utf-8")
    write_json(out / "_synthetic.json", {
        "synthetic": True, "generator": "fouress_eval.demo.write_demo", "seed": seed,
        "note": SYNTHETIC_NOTE,
        "calibrated_to": "4-Ess final report figures, DESIGN.md section 3 (aggregates only)",
    })
    return [out / name for name in DEMO_FILES]


def _readme(seed: int) -> str:
    targets = "\n".join(f"| {municipality_name(c)} | {a:.1f} | {b:.1f} |"
                        for c, (a, b) in _series.SICK_PCT_TARGETS.items())
    return f"""# Demo data — SYNTHETIC

**{SYNTHETIC_NOTE}**

Generated by `fouress-eval demo --out data_raw/demo --seed {seed}` (`fouress_eval.demo`); the
same seed gives byte-identical files, and a test checks that the committed files are exactly
what the generator writes. Nothing here comes from a real person, employee, patient or
register: the identity numbers are invented (valid check digit, birth numbers 980–999) so that
the pseudonymisation path is exercised. The interview list holds metadata only.

Calibrated to the published aggregate figures of the 4-Ess final report (see DESIGN.md §3):

| Municipality | Sick leave Aug 2016 (%) | Autumn 2019, Sep–Nov pooled (%) |
|---|---|---|
{targets}

Health-centre F+M sick-listings per 1 000 listed, index October 2019 vs January 2016: Ljungby
(two centres) −49 %, Vimmerby −21 %, Torsås +1 %. Participant register: 103 episodes (Ljungby
35, Torsås 37, Vimmerby 31; 98 women, 5 men; 11 starts in 2017, 45 in 2018, 47 in 2019; 76
closed by 2019-10-31, 27 ongoing) with the published entry/exit compensation and exit reasons;
197 follow-up meetings (106/41/50) plus three-party meetings. Comparison municipalities of
Kronoberg and Kalmar counties have no intervention.

| file | what | format |
|---|---|---|
| `personal_ljungby.xlsx` | personnel hours, Ljungby | Excel, title row, Excel dates |
| `personal_torsas.csv` | personnel hours, Torsås, with totals rows | cp1252, `;`, decimal comma |
| `personal_vimmerby.csv` | personnel hours, Vimmerby | UTF-8 with BOM, `,`, months as `aug-16` |
| `personal_jamforelsekommuner.csv` | personnel hours, 10 comparison municipalities | cp1252, `;`, title row |
| `fk_sjukpenningtal.json` | sjukpenningtal 1.0 by municipality, county, Sweden and sex | Försäkringskassan API records |
| `kolada_N00090.json` | N00090 sick leave of municipal employees per year | Kolada v2 page |
| `vardcentral_sjukskrivningar.csv` | F and M sick-listings and listed patients per centre | UTF-8 with BOM, `,` |
| `deltagare.xlsx` | participant register | Excel, title row |
| `moten.csv` | meeting log | UTF-8, `;` |
| `intervjuer.csv` | interview metadata | UTF-8, `;` |
| `qual/kodbok.yml` | codebook: themes and codes with definitions and valence | YAML |
| `qual/transkript/I01.txt` … | 30 short synthetic interview transcripts, written for this package | UTF-8 text |
| `qual/kodningar.csv` | segment codings by two coders (interview, start, end, code, coder) | UTF-8, `;` |

The transcripts are invented from scratch (no sentence comes from any published report or real
interview); `prepare` reads only the files at the top of this folder, the `qual/` files are read
by `fouress_eval.qual.codings.read_codings_csv`.
"""
