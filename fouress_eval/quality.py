"""Data-quality summaries of the processed store for one municipality.

Everything the data-quality notebook shows comes from here. Counts of person-level tables
(participants, meetings, interviews) pass small-cell suppression before display.
"""

from __future__ import annotations

from collections.abc import Sequence

from pathlib import Path

import pandas as pd

from .labels import label
from .privacy import mask_small_counts, scan_files

__all__ = ["sources_table", "rows_per_table", "coverage", "validation_findings", "privacy_findings",
           "disclosure_rules", "consistency_findings",
           "PERSON_TABLES"]

PERSON_TABLES = ("participants", "meetings", "interviews")


def _municipal_rows(table: str, frame: pd.DataFrame, code: str) -> pd.DataFrame:
    if "municipality_code" not in frame:
        return frame.iloc[0:0]
    return frame[frame["municipality_code"] == code]


def _months(table: str, frame: pd.DataFrame) -> pd.Series:
    """The months each row speaks for (Period[M]); Kolada years count as their December."""
    if "month" in frame:
        return frame["month"]
    if "year" in frame:
        return frame["year"].map(lambda y: pd.Period(year=int(y), month=12, freq="M"))
    for column in ("start_date", "date"):
        if column in frame:
            return frame[column].dt.to_period("M")
    return pd.Series(pd.NaT, index=frame.index)


def sources_table(manifest: dict, language: str = "sv") -> pd.DataFrame:
    """One row per raw file read: file, tidy table, rows, first 12 characters of its SHA-256."""
    rows = [{label("file", language): i["file"], label("table", language): label(i["table"], language),
             label("rows", language): i["rows"], label("checksum", language): i["sha256"][:12]}
            for i in manifest["inputs"]]
    return pd.DataFrame(rows)


def rows_per_table(tables: dict[str, pd.DataFrame], code: str, *, min_count: int = 5,
                   language: str = "sv") -> pd.DataFrame:
    """Rows per tidy table for municipality ``code`` with the first and last month covered.

    Row counts of person-level tables below ``min_count`` are shown as ``"<min_count"``.
    """
    records = []
    for table, frame in tables.items():
        part = _municipal_rows(table, frame, code)
        if part.empty:
            continue
        months = _months(table, part).dropna()
        count = len(part)
        shown = mask_small_counts(pd.Series([count]), min_count).iloc[0] if table in PERSON_TABLES else count
        records.append({label("table", language): label(table, language), label("rows", language): shown,
                        label("first_month", language): str(months.min()) if len(months) else "",
                        label("last_month", language): str(months.max()) if len(months) else ""})
    return pd.DataFrame(records)


def coverage(tables: dict[str, pd.DataFrame], code: str, *, language: str = "sv") -> pd.DataFrame:
    """Share (0–1) of each table's series for ``code`` that have data in each month.

    Rows: months from the earliest to the latest month of any table; columns: tables. For
    person-level tables the value is 1 when any record falls in the month (presence only, no
    counts), so nothing about individuals can be read off.
    """
    shares = {}
    for table, frame in tables.items():
        part = _municipal_rows(table, frame, code)
        if part.empty:
            continue
        months = _months(table, part)
        if table in PERSON_TABLES or table == "kolada":
            present = pd.Series(1.0, index=pd.PeriodIndex(months.dropna().unique()))
        else:
            keys = [c for c in ("sex", "age_group", "clinic", "diagnosis_chapter", "measure", "area_level")
                    if c in part]
            series_id = part[keys].astype(str).agg("|".join, axis=1)
            present = series_id.groupby(months).nunique() / series_id.nunique()
        shares[label(table, language)] = present
    if not shares:
        return pd.DataFrame()
    result = pd.DataFrame(shares)
    full = pd.period_range(result.index.min(), result.index.max(), freq="M")
    result = result.reindex(full).fillna(0.0)
    result.index.name = label("month", language)
    return result


def validation_findings(manifest: dict, tables: dict[str, pd.DataFrame], code: str, *,
                        min_employees: int = 10, language: str = "sv") -> pd.DataFrame:
    """What validation established and what an evaluator should know, one row per finding."""
    sv = language == "sv"
    ok, note = label("ok", language), label("note", language)
    rows = [(("Alla tabeller klarade schemavalideringen" if sv else "Every table passed schema validation"), ok,
             ", ".join(label(t, language) for t in tables))]
    if manifest.get("ignored"):
        rows.append((("Filer som inte kändes igen" if sv else "Files not recognised"), note,
                     ", ".join(manifest["ignored"])))
    absence = tables.get("absence_monthly")
    if absence is not None:
        part = absence[absence["municipality_code"] == code]
        small = part[part["employees"] <= min_employees]
        if len(small):
            groups = small[["sex", "age_group"]].drop_duplicates()
            rows.append(((f"Personalgrupper med {min_employees} eller färre anställda" if sv else
                          f"Employee groups with {min_employees} or fewer employees"), note,
                         (f"{len(groups)} grupp(er), {len(small)} månadsrader; nyckeltal för dem redovisas inte"
                          if sv else f"{len(groups)} group(s), {len(small)} monthly rows; their key figures are withheld")))
    sickpay = tables.get("sickpay_monthly")
    if sickpay is not None:
        part = sickpay[sickpay["municipality_code"] == code]
        hidden = int(part["suppressed"].sum())
        if hidden:
            rows.append((("Värden röjandeskyddade av Försäkringskassan" if sv else
                          "Values suppressed at source by Försäkringskassan"), note,
                         (f"{hidden} värden visas inte" if sv else f"{hidden} values are not shown")))
    participants = tables.get("participants")
    if participants is not None:
        part = participants[participants["municipality_code"] == code]
        ongoing = mask_small_counts(pd.Series([int(part["end_date"].isna().sum())]), 5).iloc[0]
        rows.append((("Pågående deltagare (högercensurerade)" if sv else "Ongoing participants (right-censored)"),
                     note, str(ongoing)))
    return pd.DataFrame(rows, columns=[label("check", language), label("result", language), label("detail", language)])


def privacy_findings(paths: list[Path] | Path, language: str = "sv") -> pd.DataFrame:
    """Identity numbers found in files (masked); an empty table when there are none."""
    findings = scan_files(paths)
    return pd.DataFrame([{label("file", language): str(f.location), "column": f.column, "row": f.row,
                          "masked": f.masked} for f in findings])


def disclosure_rules(*, min_count: int = 5, min_employees: int = 10, language: str = "sv") -> pd.DataFrame:
    """The disclosure rules every report applies, one row per rule (what is hidden and how it shows)."""
    sv = language == "sv"
    rows = [
        (("Antal personer (deltagare, möten, intervjuer)" if sv else "Counts of people (participants, meetings, "
          "interviews)"), (f"antal 1–{min_count - 1} visas som \"<{min_count}\"" if sv else
                           f"counts 1–{min_count - 1} are shown as \"<{min_count}\"")),
        (("Sekundärt röjandeskydd" if sv else "Secondary suppression"),
         ("ytterligare en cell döljs (\"..\") där en summa annars skulle avslöja ett dolt värde" if sv else
          "one more cell is hidden (\"..\") where a total would otherwise reveal a hidden value")),
        (("Andelar" if sv else "Shares"), ("andelar av dolda antal visas inte" if sv else
                                           "shares of hidden counts are not shown")),
        (("Personalgrupper" if sv else "Employee groups"),
         (f"nyckeltal för grupper med {min_employees} eller färre anställda redovisas inte (\"–\")" if sv else
          f"key figures of groups with {min_employees} or fewer employees are withheld (\"–\")")),
        (("Försäkringskassans röjandekontroll" if sv else "Försäkringskassan's disclosure control"),
         ("värden som är röjda hos källan förblir dolda" if sv else "values suppressed at source stay hidden")),
        (("Citat" if sv else "Quotes"), ("anges med roll och kommun, aldrig namn; kommunen döljs när färre än tre "
                                         "intervjuer finns i gruppen" if sv else
                                         "carry role and municipality, never names; the municipality is hidden when "
                                         "fewer than three interviews share the group")),
    ]
    return pd.DataFrame(rows, columns=[label("check", language), label("detail", language)])


def consistency_findings(tables: dict[str, pd.DataFrame], code: str, *, published: Sequence = (),
                         language: str = "sv") -> pd.DataFrame:
    """Whether parts add up to totals in the prepared data for ``code`` (participants by sex, closed
    plus ongoing episodes) and the slips in the project report's own aggregates ``published``
    (``Evaluation.published_aggregates``) that an evaluator citing it should know."""
    from .metrics.consistency import check_parts, check_published

    findings = []
    people = tables.get("participants")
    if people is not None:
        part = people[people["municipality_code"] == code]
        findings += check_parts(len(part), part["sex"].value_counts().tolist(), kind="count",
                                label="participants by sex" if language == "en" else "deltagare per kön")
        findings += check_parts(len(part), [int(part["end_date"].notna().sum()), int(part["end_date"].isna().sum())],
                                kind="count", label="closed + ongoing" if language == "en" else "avslutade + pågående")
    rows = [(f.label, label("note", language), f"{f.expected:g} ≠ {f.found:g}") for f in findings]
    if not findings:
        rows.append((("Delar summerar till totaler i förberedda data" if language == "sv" else
                      "Parts add up to totals in the prepared data"), label("ok", language), ""))
    if published:
        for finding in check_published(published):
            rows.append(((f"Slutrapporten: {finding.label}" if language == "sv" else
                          f"Final report: {finding.label}"), label("note", language),
                         (f"summan {finding.expected:g} ≠ delarna {finding.found:g}" if language == "sv" else
                          f"total {finding.expected:g} ≠ parts {finding.found:g}")))
    return pd.DataFrame(rows, columns=[label("check", language), label("result", language),
                                       label("detail", language)])
