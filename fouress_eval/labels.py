"""Every label and sentence a report shows, in Swedish (default) and English."""

from __future__ import annotations

__all__ = ["label", "LABELS", "register"]

LABELS: dict[str, dict[str, str]] = {
    # interrupted time series
    "sick_pct": {"sv": "Sjukfrånvaro (% av schemalagd tid)", "en": "Sick leave (% of scheduled hours)"},
    "its_title": {"sv": "Sjukfrånvaro: avbruten tidsserie", "en": "Sick leave: interrupted time series"},
    "its_intro": {"sv": "Sjukfrånvaro bland kommunens anställda (procent av schemalagd tid, beräknad från timmar) "
                        "jämförs månad för månad med jämförelsekommunernas. Modellen skattar nivå- och "
                        "trendförändring när insatsen startade, utöver trend och säsong, och jämfört med "
                        "jämförelsekommunerna (kontrollerad avbruten tidsserie).",
                  "en": "Sick leave among the municipality's employees (per cent of scheduled hours, computed from "
                        "hours) is compared month by month with the comparison municipalities. The model estimates "
                        "the change in level and trend when the intervention started, beyond trend and season, and "
                        "relative to the comparison municipalities (controlled interrupted time series)."},
    "its_conclusion": {"sv": "Slutsats", "en": "Conclusion"},
    "its_series": {"sv": "Sjukfrånvaro per månad", "en": "Monthly sick leave"},
    "its_model": {"sv": "Avbruten tidsserie mot jämförelsekommunerna", "en": "Interrupted time series against the comparison municipalities"},
    "its_horizons": {"sv": "Effekt 12 och 24 månader efter start", "en": "Effect 12 and 24 months after the start"},
    "its_methods": {"sv": "Jämförelse av skattningsmetoder", "en": "Comparison of estimators"},
    "its_placebo": {"sv": "Placebotest", "en": "Placebo tests"},
    "pr_title": {"sv": "Deltagare, möten och återgång i arbete", "en": "Participants, meetings and return to work"},
    "pr_intro": {"sv": "Deltagarregistret och mötesloggen: inflöde per år och kön, ersättning vid start och avslut, "
                       "avslutsorsaker, avstämningsmöten per deltagare och tid till återgång i arbete. Antal under "
                       "gränsen för röjandeskydd visas som \"<5\" och celler som annars kan räknas fram som \"..\".",
                 "en": "The participant register and the meeting log: inflow per year and sex, compensation at entry "
                       "and exit, exit reasons, follow-up meetings per participant and time to return to work. Counts "
                       "below the disclosure threshold are shown as \"<5\" and cells that could otherwise be derived "
                       "as \"..\"."},
    "pr_inflow": {"sv": "Nya deltagare per år", "en": "New participants per year"},
    "pr_transitions": {"sv": "Ersättning vid start och vid avslut", "en": "Compensation at entry and at exit"},
    "pr_exit_reasons": {"sv": "Avslutsorsaker", "en": "Exit reasons"},
    "pr_meetings": {"sv": "Avstämningsmöten per deltagare", "en": "Follow-up meetings per participant"},
    "pr_return": {"sv": "Tid till återgång i arbete", "en": "Time to return to work"},
    "pr_return_note": {"sv": "Händelse: avslutad med full lön. Pågående deltagare är censurerade vid uttagsdatum; "
                             "andra avslut är censurerade vid avslutet (Kaplan–Meier).",
                       "en": "Event: closed on full salary. Ongoing participants are censored at the data cut-off; "
                             "other exits are censored at exit (Kaplan–Meier)."},
    "pr_targets": {"sv": "Mål och utfall (hela projektet)", "en": "Targets and outcomes (whole project)"},
    "real_start": {"sv": "Verklig start", "en": "Actual start"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "its_notes": {"sv": "Anmärkningar", "en": "Notes"},
    "interruption": {"sv": "Start", "en": "Start"},
    "term": {"sv": "Förändring", "en": "Change"},
    "level_change": {"sv": "Nivåförändring", "en": "Level change"},
    "slope_change": {"sv": "Trendförändring (per månad)", "en": "Slope change (per month)"},
    "estimate": {"sv": "Skattning", "en": "Estimate"},
    "ci_low": {"sv": "95 % KI, nedre", "en": "95 % CI, lower"},
    "ci_high": {"sv": "95 % KI, övre", "en": "95 % CI, upper"},
    "p_value": {"sv": "p-värde", "en": "p-value"},
    "method": {"sv": "Metod", "en": "Method"},
    "placebo": {"sv": "Placebostart", "en": "Placebo start"},
    "placebo_space_title": {"sv": "Placebotest i rummet: start {interruption}", "en": "Placebo in space: start {interruption}"},
    "placebo_ratio": {"sv": "kvot", "en": "rate ratio"},
    "placebo_difference": {"sv": "skillnad", "en": "difference"},
    "placebo_units_sorted": {"sv": "{n} enheter, sorterade efter skattning", "en": "{n} units, sorted by estimate"},
    "horizon": {"sv": "Månader efter start", "en": "Months after start"},
    "absolute": {"sv": "Skillnad (procentenheter)", "en": "Difference (percentage points)"},
    "relative": {"sv": "Relativ skillnad", "en": "Relative difference"},
    "observed": {"sv": "Observerat", "en": "Observed"},
    "fitted": {"sv": "Skattat", "en": "Fitted"},
    "counterfactual": {"sv": "Kontrafaktiskt (utan insats)", "en": "Counterfactual (no intervention)"},
    "post_period": {"sv": "Efter insatsens start", "en": "After the intervention started"},
    "excluded": {"sv": "Utesluten från skattningen", "en": "Excluded from estimation"},
    "time": {"sv": "Tid", "en": "Time"},
    # report header
    "synthetic_banner": {
        "sv": "**Syntetiska demodata.** Alla siffror i denna rapport bygger på påhittade data som är "
              "kalibrerade mot projektets publicerade uppgifter. Inga verkliga personer ingår.",
        "en": "**Synthetic demo data.** Every figure in this report comes from invented data calibrated "
              "to the project's published figures. No real person is included.",
    },
    "evaluation": {"sv": "Utvärdering", "en": "Evaluation"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "county": {"sv": "Län", "en": "County"},
    "period": {"sv": "Period", "en": "Period"},
    "package_version": {"sv": "Paketversion", "en": "Package version"},
    "prepared": {"sv": "Data förberedda", "en": "Data prepared"},
    "parameters": {"sv": "Parametrar", "en": "Parameters"},
    "sources": {"sv": "Datakällor", "en": "Data sources"},
    # data-quality notebook
    "dq_title": {"sv": "Datakvalitet", "en": "Data quality"},
    "dq_intro": {
        "sv": "Rapporten visar vilka källor som lästs in, hur många rader varje källa har för kommunen, "
              "vilka månader som täcks, och resultatet av validering och integritetskontroll.",
        "en": "This report shows which sources were read, how many rows each has for the municipality, "
              "which months are covered, and the results of validation and the privacy check.",
    },
    "dq_sources": {"sv": "Inlästa filer", "en": "Files read"},
    "dq_rows": {"sv": "Rader per tabell", "en": "Rows per table"},
    "dq_coverage": {"sv": "Täckning per månad", "en": "Coverage by month"},
    "dq_validation": {"sv": "Validering", "en": "Validation"},
    "all_municipalities": {"sv": "Alla projektkommuner", "en": "All project municipalities"},
    "cs_title": {"sv": "Kommunerna sida vid sida", "en": "The municipalities side by side"},
    "cs_intro": {"sv": "Sammanställning av nyckelresultaten från kommunrapporterna: sjukfrånvarons förändring mot "
                       "jämförelsekommunerna, deltagarnas utfall och de teman intervjuerna tog upp.",
                 "en": "Key results of the municipal reports side by side: the change in sick leave against the "
                       "comparison municipalities, the participants' outcomes and the themes the interviews raised."},
    "cs_effects": {"sv": "Sjukfrånvaro: effekter", "en": "Sick leave: effects"},
    "cs_people": {"sv": "Deltagarnas utfall", "en": "Participant outcomes"},
    "cs_joint": {"sv": "Effekter och intervjuteman", "en": "Effects and interview themes"},
    "dq_consistency": {"sv": "Stämmer delarna med totalerna?", "en": "Do parts add up to totals?"},
    "dq_disclosure": {"sv": "Röjandeskydd i rapporterna", "en": "Disclosure control in the reports"},
    "dq_privacy": {"sv": "Integritet", "en": "Privacy"},
    "dq_privacy_ok": {"sv": "Inga personnummer hittades i förberedda data.",
                      "en": "No personal identity numbers were found in the prepared data."},
    "dq_privacy_found": {"sv": "Personnummer hittades i förberedda data – rapporten får inte spridas.",
                         "en": "Personal identity numbers were found in the prepared data – do not share this report."},
    # table columns
    "file": {"sv": "Fil", "en": "File"},
    "table": {"sv": "Tabell", "en": "Table"},
    "rows": {"sv": "Rader", "en": "Rows"},
    "checksum": {"sv": "SHA-256 (första 12 tecken)", "en": "SHA-256 (first 12 characters)"},
    "first_month": {"sv": "Första månad", "en": "First month"},
    "last_month": {"sv": "Sista månad", "en": "Last month"},
    "check": {"sv": "Kontroll", "en": "Check"},
    "result": {"sv": "Resultat", "en": "Result"},
    "detail": {"sv": "Detalj", "en": "Detail"},
    "month": {"sv": "Månad", "en": "Month"},
    "share_present": {"sv": "Andel serier med data", "en": "Share of series with data"},
    "ok": {"sv": "OK", "en": "OK"},
    "note": {"sv": "Notering", "en": "Note"},
    "failed": {"sv": "Fel", "en": "Failed"},
    # tables
    "absence_monthly": {"sv": "Schemalagd tid och sjukfrånvaro (personalsystem)", "en": "Scheduled and sick hours (personnel system)"},
    "sickpay_monthly": {"sv": "Sjukpenningtal (Försäkringskassan)", "en": "Sickness-benefit rate (Försäkringskassan)"},
    "kolada": {"sv": "Nyckeltal (Kolada)", "en": "Key figures (Kolada)"},
    "clinic_sicklistings": {"sv": "Sjukskrivningar per vårdcentral", "en": "Sick-listings per health centre"},
    "participants": {"sv": "Deltagare", "en": "Participants"},
    "meetings": {"sv": "Möten", "en": "Meetings"},
    "interviews": {"sv": "Intervjuer", "en": "Interviews"},
}


def label(key: str, language: str = "sv") -> str:
    """The text for ``key`` in ``language`` (``"sv"`` or ``"en"``)."""
    if language not in ("sv", "en"):
        raise ValueError(f"language must be 'sv' or 'en', not {language!r}")
    return LABELS[key][language]


def register(labels: dict[str, dict[str, str]]) -> None:
    """Add a module's labels (key → {"sv": …, "en": …}); a key may not change meaning once set."""
    for key, texts in labels.items():
        if set(texts) != {"sv", "en"}:
            raise ValueError(f"label {key!r} needs exactly 'sv' and 'en' texts")
        if key in LABELS and LABELS[key] != texts:
            raise ValueError(f"label {key!r} is already defined differently")
        LABELS[key] = texts
