"""Identity numbers, pseudonyms, output scanning and small-cell suppression.

Check digits below are worked out by hand: the nine digits YYMMDDNNN are weighted 2,1,2,1,…;
two-digit products are replaced by the sum of their digits; check = (10 - sum % 10) % 10.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from fouress_eval.errors import InputError
from fouress_eval.privacy import (Finding, PrivacyError, assert_no_identity_numbers, find_identity_numbers,
                                  is_identity_number, load_secret, luhn_check_digit, mask, mask_small_counts,
                                  normalise_identity_number, pseudonym, pseudonymise_column, scan_files,
                                  scan_frame)

# 811218-9876: 8 1 1 2 1 8 9 8 7 -> 16,1,2,2,2,8,18,8,14 -> 7+1+2+2+2+8+9+8+5 = 44 -> check 6
VALID = "811218-9876"
# 640823-3234 (Skatteverket's example): 12,4,0,8,4,3,6,2,6 -> 3+4+0+8+4+3+6+2+6 = 36 -> 4
# 121212-1212: every product is 2 -> 9 * 2 = 18 -> 2
# samordningsnummer 811278-9873 (day 18 + 60): 16,1,2,2,14,8,18,8,14 -> 7+1+2+2+5+8+9+8+5 = 47 -> 3
COORDINATION = "811278-9873"
# 811291-9876 (day 31 + 60): 7+1+2+2+(18->9)+1+9+8+5 = 44 -> 6
# 250102-1238: 4,5,0,1,0,2,2,2,6 = 22 -> 8;  250162-1235 (coordination): 4+5+0+1+(12->3)+2+2+2+6 = 25 -> 5
# 050101-2348: 0,5,0,1,0,1,4,3,8 = 22 -> 8
TODAY = date(2025, 1, 1)
SECRET = b"unit-test-secret"


@pytest.mark.parametrize("nine, check", [("811218987", 6), ("640823323", 4), ("121212121", 2),
                                         ("811278987", 3), ("250102123", 8), ("050101234", 8)])
def test_luhn_check_digit_by_hand(nine, check):
    assert luhn_check_digit(nine) == check


def test_luhn_needs_nine_digits():
    with pytest.raises(ValueError):
        luhn_check_digit("81121898")


@pytest.mark.parametrize("text", ["811218-9876", "8112189876", "19811218-9876", "198112189876", "  811218-9876\n",
                                  "640823-3234", "121212+1212", COORDINATION, "811291-9876", "19811278-9873"])
def test_valid_numbers(text):
    assert is_identity_number(text)


@pytest.mark.parametrize("text", [
    "811218-9875",    # wrong check digit (6 is right)
    "811318-9875",    # month 13; 7+1+2+3+2+8+9+8+5 = 45, so 5 passes the Luhn test
    "810018-9870",    # month 00; 7+1+0+0+2+8+9+8+5 = 40 -> 0
    "811232-9878",    # day 32; 7+1+2+2+6+2+9+8+5 = 42 -> 8
    "811200-9876",    # day 00; 7+1+2+2+0+0+9+8+5 = 34 -> 6
    "811260-9873",    # day 60 (coordination day 0); 7+1+2+2+3+0+9+8+5 = 37 -> 3
    "811292-9875",    # day 92; 7+1+2+2+9+2+9+8+5 = 45 -> 5
    "21811218-9876",  # no such century
    "19811218+9876",  # '+' only belongs to the ten-digit form
    "811218 9876", "811218-987", "8112189876x", "", "P-0123456789ab",
])
def test_invalid_numbers(text):
    assert not is_identity_number(text)


@pytest.mark.parametrize("text, today, expected", [
    ("811218-9876", TODAY, "198112189876"),
    ("8112189876", TODAY, "198112189876"),
    ("19811218-9876", TODAY, "198112189876"),
    ("121212-1212", TODAY, "201212121212"),
    ("121212+1212", TODAY, "191212121212"),       # '+': 100 years or older
    ("250102-1238", TODAY, "192501021238"),       # born tomorrow would be impossible: 1925
    ("250102-1238", date(2025, 1, 2), "202501021238"),
    ("250162-1235", TODAY, "192501621235"),       # coordination day 62 = day 2
    ("250162-1235", date(2025, 1, 2), "202501621235"),
    (COORDINATION, TODAY, "198112789873"),
])
def test_normalise_century(text, today, expected):
    assert normalise_identity_number(text, today=today) == expected


def test_normalise_rejects_invalid_without_revealing_it():
    with pytest.raises(InputError) as caught:
        normalise_identity_number("811218-9875")
    assert "9875" not in str(caught.value) and "check digit" in str(caught.value)


def test_mask_reveals_no_digits():
    assert mask(" 811218-9876 ") == "******-****"
    assert mask("198112189876") == "************"


def test_find_in_free_text():
    text = "Ring 811218-9876 eller 19640823-3234. Samordningsnr 811278-9873; fel: 811218-9875"
    assert find_identity_numbers(text) == ["811218-9876", "19640823-3234", "811278-9873"]


@pytest.mark.parametrize("text", [
    "order 00811218987600 sent",       # 14-digit order number with 8112189876 inside
    "ref 1281121898765",               # 13 digits
    "x 12811218-9876",                 # longer digit run before the separator form
    "share 0.8112189876",              # decimals of a number
    "sha256 a8112189876f0c",           # inside a hex digest
])
def test_find_ignores_longer_runs(text):
    assert find_identity_numbers(text) == []


def test_find_after_json_escape():
    assert find_identity_numbers('"rad 1\\n811218-9876\\n"') == ["811218-9876"]


# --- property tests --------------------------------------------------------------------------------------

def reference_valid(ten: str) -> bool:
    """Luhn validation written the other way round: double every second digit from the right."""
    total = 0
    for i, char in enumerate(reversed(ten)):
        digit = int(char) * (2 if i % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def reference_check(nine: str) -> int:
    return next(c for c in range(10) if reference_valid(nine + str(c)))


PROPERTY_TODAY = date(2025, 6, 15)


@st.composite
def people(draw, first=date(1890, 1, 1), last=PROPERTY_TODAY):
    born = draw(st.dates(min_value=first, max_value=last))
    coordination = draw(st.booleans())
    serial = f"{draw(st.integers(0, 999)):03d}"
    day = born.day + (60 if coordination else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    check = reference_check(yymmdd + serial)
    twelve = f"{born.year}{born.month:02d}{day:02d}{serial}{check}"
    centenarian = (born.year + 100, born.month, born.day) <= (last.year, last.month, last.day)
    tail = f"{serial}{check}"
    tens = [f"{yymmdd}+{tail}"] if centenarian else [f"{yymmdd}-{tail}", f"{yymmdd}{tail}"]
    return twelve, tens + [twelve, f"{twelve[:8]}-{tail}"]


@settings(max_examples=150, deadline=None)
@given(people())
def test_every_format_detected_and_normalised(person):
    twelve, forms = person
    for form in forms:
        assert is_identity_number(form)
        assert find_identity_numbers(f"Anteckning: {form}, se ärendet.") == [form]
        assert normalise_identity_number(form, today=PROPERTY_TODAY) == twelve


@settings(max_examples=100, deadline=None)
@given(people(), st.integers(1, 9))
def test_changed_check_digit_is_invalid(person, shift):
    twelve, forms = person
    for form in forms:
        wrong = form[:-1] + str((int(form[-1]) + shift) % 10)
        assert not is_identity_number(wrong)
        assert find_identity_numbers(f"nr {wrong}") == []


@settings(max_examples=60, deadline=None)
@given(people(first=date(1935, 1, 1), last=date(2015, 12, 31)), st.binary(min_size=1, max_size=40),
       st.binary(min_size=1, max_size=40))
def test_pseudonym_properties(person, secret, other):
    assume(secret != other)
    twelve, forms = person
    first = pseudonym(forms[0], secret)
    assert first.startswith("P-") and len(first) == 14
    assert all(pseudonym(form, secret) == first for form in forms)  # 10- and 12-digit forms agree
    assert pseudonym(twelve, secret) == first                         # deterministic
    assert pseudonym(twelve, other) != first


def test_pseudonym_is_hmac_of_twelve_digits():
    expected = "P-" + hmac.new(SECRET, b"198112189876", hashlib.sha256).hexdigest()[:12]
    assert pseudonym("811218-9876", SECRET) == expected
    assert pseudonym("  D-017 ", SECRET) == "P-" + hmac.new(SECRET, b"D-017", hashlib.sha256).hexdigest()[:12]


# --- pseudonymise_column -------------------------------------------------------------------------------

def test_pseudonymise_column_same_person_same_pseudonym():
    ids = pd.Series(["811218-9876", "198112189876", 8112189876, "D-017", 501012348], name="Personnummer")
    out = pseudonymise_column(ids, SECRET)
    assert out.iloc[0] == out.iloc[1] == out.iloc[2] != out.iloc[3]
    assert out.iloc[4] == pseudonym("050101-2348", SECRET)  # a numeric cell lost the leading zero
    assert out.str.fullmatch(r"P-[0-9a-f]{12}").all()
    assert "9876" not in "".join(out)


def test_pseudonymise_column_refuses_bad_check_digit():
    ids = pd.Series(["811218-9876", "640823-3234", "811218-9875"])
    with pytest.raises(InputError) as caught:
        pseudonymise_column(ids, SECRET, file="deltagare.xlsx", column="Personnummer")
    error = caught.value
    assert (error.file, error.row, error.column, error.value) == ("deltagare.xlsx", 4, "Personnummer", "******-****")
    assert "check digit" in error.expected and "9875" not in str(error)


def test_pseudonymise_column_refuses_missing_value():
    with pytest.raises(InputError) as caught:
        pseudonymise_column(pd.Series(["811218-9876", None]), SECRET, file="moten.csv", column="Personnummer")
    assert caught.value.row == 3 and "missing" in str(caught.value)


# --- scanning frames and files ----------------------------------------------------------------------------

def test_scan_frame_cells_names_numbers_and_index():
    frame = pd.DataFrame({"participant_id": ["P-0123456789ab", "P-ffffffffffff"],
                          "note": ["ok", "ring 811218-9876"], "number": [8112189876, 3],
                          "as_float": [1.5, 198112189876.0]})
    assert scan_frame(frame, "participants") == [Finding("participants", "note", 3, "******-****"),
                                                 Finding("participants", "number", 2, "**********"),
                                                 Finding("participants", "as_float", 3, "************")]
    named = pd.DataFrame({"19811218-9876": [1]})
    assert scan_frame(named, "t") == [Finding("t", "********-****", 1, "********-****")]
    indexed = pd.DataFrame({"x": [1]}, index=pd.Index(["640823-3234"], name="pnr"))
    assert scan_frame(indexed, "t") == [Finding("t", "pnr", 2, "******-****")]


def _scan_cell_by_cell(frame: pd.DataFrame) -> list[tuple[str, int, str]]:
    """The reference: every non-missing cell as text through find_identity_numbers, in order."""
    from fouress_eval.clean import is_missing
    from fouress_eval.privacy import _as_text, _scannable

    found = []
    for name in frame.columns:
        if not _scannable(frame[name]):
            continue
        for position, value in enumerate(frame[name].tolist()):
            if not is_missing(value):
                found += [(str(name), position + 2, n) for n in find_identity_numbers(_as_text(value))]
    return found


_CELL_TEXT = st.one_of(st.sampled_from(["811218-9876", "19811218-9876", "198112189876", "8112189876",
                                        "640823-3234", "ring 811218-9876 nu", "..", "", "P-0123456789ab",
                                        "811218-9875", "1234567890", "Torsås"]),
                       st.text(alphabet="0123456789-+ .ab", max_size=16))
_NUMBER = st.one_of(st.sampled_from([8112189876, 198112189876, 6408233234, 1234567890, -8112189876]),
                    st.integers(-10**14, 10**14))
_FLOAT = st.one_of(st.sampled_from([8112189876.0, 198112189876.0, 8112189876.5, 1e16, float("nan")]),
                   st.floats(allow_nan=True, allow_infinity=True, width=64))


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.one_of(_CELL_TEXT, st.none()), min_size=1, max_size=30),
       numbers=st.lists(_NUMBER, min_size=1, max_size=30), floats=st.lists(_FLOAT, min_size=1, max_size=30))
def test_scan_frame_finds_exactly_what_a_cell_by_cell_scan_finds(texts, numbers, floats):
    """The fast scan (numbers pre-filtered, text tested once per distinct value) agrees with reading
    every cell, positions and order included, for text, integer, float and mixed columns."""
    size = max(len(texts), len(numbers), len(floats))
    frame = pd.DataFrame({"text": (texts * size)[:size], "number": (numbers * size)[:size],
                          "float": (floats * size)[:size],
                          "mixed": ([*texts, *numbers, *floats] * size)[:size]})
    frame["mixed"] = frame["mixed"].astype(object)
    frame["nullable"] = pd.array([n if i % 3 else None for i, n in enumerate(frame["number"])], dtype="Int64")
    frame["listed"] = [[t] for t in frame["text"]]  # unhashable cells: read one by one
    fast = [(f.column, f.row, f.masked) for f in scan_frame(frame, "t")]
    assert fast == [(c, r, mask(n)) for c, r, n in _scan_cell_by_cell(frame)]


def test_assert_no_identity_numbers():
    assert_no_identity_numbers(pd.DataFrame({"participant_id": ["P-0123456789ab"], "n": [4]}), "participants")
    dirty = pd.DataFrame({"participant_id": ["P-0123456789ab", "P-0123456789ac"], "comment": ["", "640823-3234"]})
    with pytest.raises(PrivacyError) as caught:
        assert_no_identity_numbers(dirty, "participants")
    message = str(caught.value)
    assert isinstance(caught.value, InputError)
    assert "participants" in message and "row 3" in message and "'comment'" in message
    assert "3234" not in message


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    (folder / "sub").mkdir(parents=True)
    pd.DataFrame({"participant_id": ["P-0123456789ab"], "n": [3]}).to_parquet(folder / "clean.parquet")
    pd.DataFrame({"pnr": ["P-1", "811218-9876"]}).to_parquet(folder / "sub" / "dirty.parquet")
    (folder / "table.csv").write_text("id;kommun\nP-1;0781\n19640823-3234;0834\n", encoding="cp1252")
    (folder / "report.html").write_text("<p>Sjukfrånvaro 7,8 %</p>\n<td>811278-9873</td>\n", encoding="utf-8")
    notebook = {"cells": [{"outputs": [{"text": ["0\n811218-9876\n"]}]}]}
    (folder / "nb.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    (folder / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00 811218-9876 \x00")
    workbook = Workbook()
    workbook.active.title = "ok"
    workbook.active.append(["Personnummer", "Kommun"])
    workbook.active.append(["P-1", "Ljungby"])
    sheet = workbook.create_sheet("deltagare")
    sheet["A1"], sheet["B4"] = "Personnummer", "121212-1212"
    sheet["C5"] = 8112189876
    workbook.save(folder / "register.xlsx")
    return folder


def test_scan_files_folder(files):
    found = {(Path(f.location.split(" (sheet")[0]).name, f.location.partition(" (sheet ")[2], f.column, f.row,
              f.masked) for f in scan_files(files)}
    assert found == {
        ("dirty.parquet", "", "pnr", 3, "******-****"),
        ("table.csv", "", None, 3, "********-****"),
        ("report.html", "", None, 2, "******-****"),
        ("nb.ipynb", "", None, 1, "******-****"),
        ("register.xlsx", "'deltagare')", "B", 4, "******-****"),
        ("register.xlsx", "'deltagare')", "C", 5, "**********"),
    }


def test_scan_files_single_paths(files):
    assert scan_files(files / "clean.parquet") == []
    assert scan_files([files / "figure.png", files / "clean.parquet"]) == []
    assert len(scan_files([files / "table.csv", files / "report.html"])) == 2
    with pytest.raises(InputError):
        scan_files(files / "missing.csv")


# --- the secret ---------------------------------------------------------------------------------------------

@pytest.fixture
def no_secret_env(monkeypatch):
    for name in ("FOURESS_EVAL_SECRET", "FOURESS_EVAL_SECRET_FILE", "FOURESS_EVAL_ROOT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_secret_from_env_var_first(no_secret_env, tmp_path):
    (tmp_path / "key").write_text("from-file\n")
    no_secret_env.setenv("FOURESS_EVAL_SECRET_FILE", str(tmp_path / "key"))
    no_secret_env.setenv("FOURESS_EVAL_SECRET", "from-env")
    assert load_secret(tmp_path) == b"from-env"
    no_secret_env.delenv("FOURESS_EVAL_SECRET")
    assert load_secret(tmp_path) == b"from-file"
    assert not (tmp_path / ".fouress_secret").exists()
    no_secret_env.setenv("FOURESS_EVAL_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(InputError):
        load_secret(tmp_path)


def test_secret_generated_once_with_private_mode(no_secret_env, tmp_path, capsys):
    first = load_secret(tmp_path)
    path = tmp_path / ".fouress_secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 64 and bytes.fromhex(first.decode())  # 32 random bytes as hex
    assert load_secret(tmp_path) == first
    assert first.decode() not in capsys.readouterr().out


def test_secret_in_project_root_by_default(no_secret_env, tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "notebooks").mkdir()
    no_secret_env.chdir(tmp_path / "notebooks")
    secret = load_secret()
    assert (tmp_path / ".fouress_secret").read_bytes().strip() == secret


# --- small counts ---------------------------------------------------------------------------------------------

def test_mask_small_counts_edges():
    shown = mask_small_counts(pd.Series([0, 1, 4, 5, float("nan"), 12], index=list("abcdef"), name="n"))
    assert shown.dtype == object and shown.name == "n" and list(shown.index) == list("abcdef")
    assert shown.iloc[[0, 1, 2, 3, 5]].tolist() == [0, "<5", "<5", 5, 12]
    assert type(shown["a"]) is int and type(shown["d"]) is int
    assert pd.isna(shown["e"])


def test_mask_small_counts_threshold_and_floats():
    assert mask_small_counts(pd.Series([9, 10]), min_count=10).tolist() == ["<10", 10]
    assert mask_small_counts(pd.Series([3.0, 7.0])).tolist() == ["<5", 7]
    with pytest.raises(ValueError):
        mask_small_counts(pd.Series([-1]))
