"""Tests for fouress_eval.municipalities against the shared reference lists (sjbrg/swedish-geodata)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from fouress_eval.errors import InputError
from fouress_eval.municipalities import (
    comparison_municipalities,
    counties,
    county_code,
    county_of,
    fold,
    municipalities,
    municipality_code,
    municipality_name,
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def reference_municipalities(reference_dir: Path) -> list[dict[str, str]]:
    rows = read_csv(reference_dir / "municipalities.csv")
    assert len(rows) == 290
    return rows


@pytest.fixture(scope="module")
def reference_counties(reference_dir: Path) -> list[dict[str, str]]:
    rows = read_csv(reference_dir / "counties.csv")
    assert len(rows) == 21
    return rows


def strip_swedish(text: str) -> str:
    """Independent accent stripping: å→a, ä→a, ö→o (and capitals)."""
    return text.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))


# Håbo (0305) and Habo (0643) differ only by the ring on the a: stripping Håbo's accent gives
# the other municipality's exact name, which must win.
ACCENT_TWINS = {"0305": "0643"}


# --- the lists ------------------------------------------------------------------------------


def test_municipalities_equal_reference(reference_municipalities):
    ours = municipalities()
    assert list(ours.columns[:3]) == ["municipality_code", "municipality_name", "county_code"]
    assert len(ours) == 290
    assert ours["municipality_code"].is_unique
    reference = {r["municipality_code"]: (r["municipality_name_short"], r["county_code"])
                 for r in reference_municipalities}
    package = {row.municipality_code: (row.municipality_name, row.county_code)
               for row in ours.itertuples(index=False)}
    assert set(package) == set(reference)
    mismatches = {code: (package[code], reference[code]) for code in reference
                  if package[code] != reference[code]}
    assert mismatches == {}


def test_counties_equal_reference(reference_counties):
    ours = counties()
    assert len(ours) == 21
    package = dict(zip(ours["county_code"], ours["county_name"]))
    reference = {r["county_code"]: r["county_name_short"] for r in reference_counties}
    assert package == reference


def test_municipality_county_names_match_their_county(reference_counties):
    short = {r["county_code"]: r["county_name_short"] for r in reference_counties}
    frame = municipalities()
    assert frame["county_name"].notna().all()
    assert (frame["county_name"] == frame["county_code"].map(short)).all()
    assert set(frame["county_code"]) == set(short)


def test_codes_are_four_characters_with_leading_zero_and_county_prefix():
    frame = municipalities()
    for code, county in zip(frame["municipality_code"], frame["county_code"]):
        assert isinstance(code, str) and len(code) == 4 and code.isdigit(), code
        assert isinstance(county, str) and len(county) == 2 and county.isdigit(), county
        assert code[:2] == county
    assert all(code.startswith("0") for code in frame["municipality_code"] if int(code) < 1000)
    assert "0834" in set(frame["municipality_code"])


# --- municipality_code ----------------------------------------------------------------------


def test_code_resolves_codes(reference_municipalities):
    for row in reference_municipalities:
        code = row["municipality_code"]
        assert municipality_code(code) == code
        assert municipality_code(int(code)) == code
        assert municipality_code(str(int(code))) == code
        assert municipality_code(float(int(code))) == code
        assert municipality_code(f" {code} ") == code


def test_code_resolves_short_names_in_any_case(reference_municipalities):
    for row in reference_municipalities:
        code, name = row["municipality_code"], row["municipality_name_short"]
        for variant in (name, name.lower(), name.upper(), f"  {name} ", name.replace(" ", "\u00a0")):
            assert municipality_code(variant) == code, variant


def test_code_resolves_names_without_swedish_letters(reference_municipalities):
    for row in reference_municipalities:
        code, name = row["municipality_code"], row["municipality_name_short"]
        expected = ACCENT_TWINS.get(code, code)
        for variant in (strip_swedish(name), strip_swedish(name).lower(), strip_swedish(name).upper()):
            assert municipality_code(variant) == expected, variant


def test_code_resolves_code_and_name(reference_municipalities):
    for row in reference_municipalities:
        code, name = row["municipality_code"], row["municipality_name_short"]
        for variant in (f"{code} {name}", f"{code} - {name}", f"{code}–{name}", f"{int(code)} {name}"):
            assert municipality_code(variant) == code, variant


def test_code_resolves_long_names(reference_municipalities):
    # The reference long names include genitive forms, some wrong ("Kalmars kommun"); they are
    # still unambiguous and resolve.
    for row in reference_municipalities:
        code, long_name = row["municipality_code"], row["municipality_name"]
        assert municipality_code(long_name) == code, long_name
        assert municipality_code(long_name.lower()) == code, long_name
        assert municipality_code(f"{row['municipality_name_short']} kommun") == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (834, "0834"), ("0834", "0834"), ("Torsås", "0834"), ("torsas", "0834"), ("TORSÅS", "0834"),
        ("0834 Torsås", "0834"), ("Torsås kommun", "0834"), ("Kalmars kommun", "0880"),
        ("Kalmar kommun", "0880"), ("Stockholms stad", "0180"), ("Göteborgs stad", "1480"),
        ("Goteborg", "1480"), ("Malung-Sälen", "2023"), ("Upplands Väsby", "0114"),
        ("Håbo", "0305"), ("håbo", "0305"), ("HÅBO", "0305"), ("Habo", "0643"), ("HABO", "0643"),
        ("Håbo kommun", "0305"), ("Habo kommun", "0643"),
    ],
)
def test_code_examples(value, code):
    assert municipality_code(value) == code


@pytest.mark.parametrize("value", ["Atlantis", "Kalmar län", "0000", "9999", 1, "Torsås stadsdel", "",
                                   "Hâbo"])
def test_code_unknown_raises_with_value(value):
    with pytest.raises(InputError) as info:
        municipality_code(value)
    assert info.value.value == value
    assert repr(value) in str(info.value)
    assert info.value.expected


@pytest.mark.parametrize("value", [None, float("nan")])
def test_code_missing_raises(value):
    with pytest.raises(InputError):
        municipality_code(value)


def test_no_two_municipalities_share_a_name(reference_municipalities):
    # Exact names (case-insensitive) are unique, and folded names collide only for the known pair
    # Håbo/Habo, which the lookup tells apart by the exact spelling.
    by_exact = defaultdict(set)
    by_fold = defaultdict(set)
    for row in reference_municipalities:
        name = row["municipality_name_short"]
        by_exact[name.lower()].add(row["municipality_code"])
        by_fold[fold(name)].add(row["municipality_code"])
        assert fold(name) == strip_swedish(name).lower()
    assert {k: v for k, v in by_exact.items() if len(v) > 1} == {}
    assert {k: v for k, v in by_fold.items() if len(v) > 1} == {"habo": {"0305", "0643"}}


def test_long_and_short_name_variants_do_not_collide(reference_municipalities):
    names = defaultdict(set)
    for row in reference_municipalities:
        short = row["municipality_name_short"]
        for variant in (short, row["municipality_name"], f"{short} kommun", f"{short}s kommun",
                        f"{short} stad", f"{short}s stad"):
            names[variant.lower()].add(row["municipality_code"])
    assert {k: v for k, v in names.items() if len(v) > 1} == {}


# --- other helpers --------------------------------------------------------------------------


def test_municipality_name_roundtrip(reference_municipalities):
    for row in reference_municipalities:
        assert municipality_name(row["municipality_code"]) == row["municipality_name_short"]
    with pytest.raises(InputError):
        municipality_name("9999")


def test_county_of_and_county_code(reference_counties):
    assert county_of("0834") == "08"
    assert county_of("Torsås") == "08"
    for row in reference_counties:
        code = row["county_code"]
        for variant in (code, int(code), row["county_name"], row["county_name_short"],
                        row["county_name"].lower(), strip_swedish(row["county_name"])):
            assert county_code(variant) == code, variant
    with pytest.raises(InputError):
        county_code("Atlantis län")


def test_comparison_municipalities_are_the_rest_of_kalmar_county(reference_municipalities):
    kalmar = [r["municipality_code"] for r in reference_municipalities if r["county_code"] == "08"]
    result = comparison_municipalities("0834")
    assert "0834" not in result
    assert sorted(result) == sorted(c for c in kalmar if c != "0834")
    assert len(result) == len(kalmar) - 1 == 11
    assert len(set(result)) == len(result)


def test_comparison_municipalities_exclude(reference_municipalities):
    result = comparison_municipalities("0834", exclude=("0880", "0861"))
    assert "0880" not in result and "0861" not in result and "0834" not in result
    assert len(result) == 9


def test_comparison_municipalities_every_county(reference_municipalities):
    by_county = defaultdict(set)
    for row in reference_municipalities:
        by_county[row["county_code"]].add(row["municipality_code"])
    for row in reference_municipalities:
        code = row["municipality_code"]
        assert set(comparison_municipalities(code)) == by_county[row["county_code"]] - {code}


@pytest.mark.parametrize("spelling", ["0834", "834", 834, "Torsås", "torsas", "0834 Torsås"])
def test_comparison_municipalities_accepts_any_spelling_of_the_municipality(spelling):
    result = comparison_municipalities(spelling, exclude=("Kalmar", 861))
    assert result == comparison_municipalities("0834", exclude=("0880", "0861"))
    assert "0834" not in result and "0880" not in result and "0861" not in result


def test_comparison_municipalities_unknown_raises():
    with pytest.raises(InputError):
        comparison_municipalities("Atlantis")
    with pytest.raises(InputError):
        comparison_municipalities("0834", exclude=("Atlantis",))
