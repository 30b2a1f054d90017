"""Tests for fouress_eval.clean: the parsers for numbers, months, dates and sex."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fouress_eval.clean import is_missing, parse_column, parse_date, parse_month, parse_number, parse_sex
from fouress_eval.errors import InputError

# ---------------------------------------------------------------------------------------------
# Independent formatters (do not reuse any code from the package)
# ---------------------------------------------------------------------------------------------

GROUP_SEPARATORS = ["", " ", "\u00a0", "\u202f"]
MINUS_SIGNS = ["-", "\u2212"]
PERCENT_SUFFIXES = ["", " %", "%"]
DECIMALS = 2


def group_digits(digits: str, separator: str) -> str:
    """'1234567' → '1<sep>234<sep>567'."""
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def swedish(hundredths: int, separator: str, minus: str, suffix: str) -> str:
    """A value given in hundredths, written the Swedish way: '−1 234,50 %'."""
    sign = minus if hundredths < 0 else ""
    whole, fraction = divmod(abs(hundredths), 10**DECIMALS)
    return f"{sign}{group_digits(str(whole), separator)},{fraction:0{DECIMALS}d}{suffix}"


def english(hundredths: int) -> str:
    """A value given in hundredths, written the English way: '-1,234.50'."""
    sign = "-" if hundredths < 0 else ""
    whole, fraction = divmod(abs(hundredths), 10**DECIMALS)
    return f"{sign}{group_digits(str(whole), ',')}.{fraction:0{DECIMALS}d}"


HUNDREDTHS = st.integers(min_value=-10**11, max_value=10**11)

# ---------------------------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------------------------


@given(HUNDREDTHS, st.sampled_from(GROUP_SEPARATORS), st.sampled_from(MINUS_SIGNS),
       st.sampled_from(PERCENT_SUFFIXES))
def test_parse_number_swedish_format_roundtrips(hundredths, separator, minus, suffix):
    text = swedish(hundredths, separator, minus, suffix)
    assert parse_number(text) == pytest.approx(hundredths / 100, rel=1e-12, abs=1e-9)


@given(HUNDREDTHS, st.sampled_from(["", " ", "\t"]))
def test_parse_number_tolerates_surrounding_white_space(hundredths, pad):
    text = pad + swedish(hundredths, " ", "-", "") + pad
    assert parse_number(text) == pytest.approx(hundredths / 100, rel=1e-12, abs=1e-9)


@given(HUNDREDTHS)
def test_parse_number_english_format_roundtrips(hundredths):
    # Both separators present: the last one is the decimal mark.
    text = english(hundredths)
    if abs(hundredths) < 100_000:  # no thousands comma: "7.80" must still read as 7.8
        assert "," not in text
    assert parse_number(text) == pytest.approx(hundredths / 100, rel=1e-12, abs=1e-9)


@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from(GROUP_SEPARATORS))
def test_parse_number_integers(number, separator):
    assert parse_number(number) == float(number)
    assert parse_number(np.int64(number)) == float(number)
    text = ("-" if number < 0 else "") + group_digits(str(abs(number)), separator)
    assert parse_number(text) == float(number)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_parse_number_passes_floats_through(number):
    assert parse_number(number) == number
    assert parse_number(np.float64(number)) == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7,8", 7.8),
        ("7.8", 7.8),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1\u202f234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567.0),
        ("7,8 %", 7.8),
        ("7,8%", 7.8),
        ("\u22123", -3.0),
        ("-3", -3.0),
        ("+3,5", 3.5),
        ("0", 0.0),
        (",5", 0.5),
    ],
)
def test_parse_number_examples(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["", "  ", "..", "...", "-", "\u2013", "NA", "saknas", None,
                                   float("nan"), np.nan, pd.NA])
def test_parse_number_missing_is_nan(value):
    assert math.isnan(parse_number(value))


@pytest.mark.parametrize("value", ["abc", "1,2,3", "7,8 kr", "7,8 %%", "1-2", "12abc", "--3",
                                   "e5", True, False])
def test_parse_number_garbage_raises(value):
    with pytest.raises(InputError) as info:
        parse_number(value)
    assert info.value.expected
    assert "number" in info.value.expected
    if not isinstance(value, bool):
        assert info.value.value == value
        assert repr(value) in str(info.value)


# ---------------------------------------------------------------------------------------------
# parse_month
# ---------------------------------------------------------------------------------------------

SWEDISH_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                  "september", "oktober", "november", "december"]
SWEDISH_ABBREVIATIONS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
                         "nov", "dec"]
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
ENGLISH_ABBREVIATIONS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                         "nov", "dec"]


def excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def month_spellings(year: int, month: int) -> list[object]:
    """Every accepted way of writing (year, month), written independently of the package."""
    yy = f"{year % 100:02d}"
    forms: list[object] = [
        f"{year}-{month:02d}",
        f"{year}-{month}",
        f"{year}{month:02d}",
        f"{year}M{month:02d}",
        f"{year}m{month:02d}",
        f"{year}-{month:02d}-01",
        f"{year}-{month:02d}-15",
        f"{year}/{month:02d}",
        f"{month:02d}/{year}",
        f"{month}/{year}",
        f" {year}-{month:02d} ",
        int(f"{year}{month:02d}"),
    ]
    for names in (SWEDISH_MONTHS, SWEDISH_ABBREVIATIONS, ENGLISH_MONTHS, ENGLISH_ABBREVIATIONS):
        name = names[month - 1]
        for spelled in (name, name.lower(), name.upper(), name.capitalize()):
            forms += [f"{spelled}-{yy}", f"{spelled} {year}", f"{spelled}-{year}", f"{spelled} {yy}"]
    first, mid = dt.date(year, month, 1), dt.date(year, month, 15)
    forms += [first, mid, dt.datetime(year, month, 15, 13, 45), pd.Timestamp(first),
              np.datetime64(mid.isoformat()), pd.Period(year=year, month=month, freq="M"),
              pd.Period(mid, freq="D")]
    if year <= 2063:  # the package reads serial numbers 30000..60000 as dates (1982..2064)
        forms += [excel_serial(first), excel_serial(mid), float(excel_serial(mid))]
    return forms


YEARS = st.integers(min_value=1990, max_value=2060)
MONTHS = st.integers(min_value=1, max_value=12)


@given(YEARS, MONTHS)
def test_parse_month_accepts_every_form(year, month):
    expected = pd.Period(year=year, month=month, freq="M")
    for form in month_spellings(year, month):
        result = parse_month(form)
        assert result == expected, f"{form!r} parsed as {result!r}"
        assert isinstance(result, pd.Period) and result.freqstr == "M"


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [
        ("2016-08", 2016, 8), ("2016-8", 2016, 8), ("201608", 2016, 8), ("2016M08", 2016, 8),
        ("2016-08-01", 2016, 8), ("08/2016", 2016, 8), ("aug-16", 2016, 8), ("Aug 2016", 2016, 8),
        ("augusti 2016", 2016, 8), ("AUGUSTI 2016", 2016, 8), ("August 2016", 2016, 8),
        ("oct-19", 2019, 10), ("okt-19", 2019, 10), ("maj 2020", 2020, 5), ("May 2020", 2020, 5),
        ("mars-21", 2021, 3), ("aug-69", 2069, 8), ("aug-70", 1970, 8), ("aug-99", 1999, 8),
        ("aug-00", 2000, 8), ("jan. 2017", 2017, 1),
    ],
)
def test_parse_month_examples(text, year, month):
    assert parse_month(text) == pd.Period(year=year, month=month, freq="M")


@given(st.integers(min_value=0, max_value=99), MONTHS)
def test_parse_month_two_digit_years_pivot_at_70(yy, month):
    year = 2000 + yy if yy < 70 else 1900 + yy
    text = f"{SWEDISH_ABBREVIATIONS[month - 1]}-{yy:02d}"
    assert parse_month(text) == pd.Period(year=year, month=month, freq="M")


@pytest.mark.parametrize("value", ["", "..", "-", None, float("nan"), pd.NaT, np.datetime64("NaT")])
def test_parse_month_missing_is_nat(value):
    assert parse_month(value) is pd.NaT


@pytest.mark.parametrize("value", ["2016-13", "2016-00", "foo 2016", "13/2016", "0/2016", "augustus 2016",
                                   "2016", "abc", "2016-08-01-01", "1066-08", 12345, True])
def test_parse_month_invalid_raises(value):
    with pytest.raises(InputError) as info:
        parse_month(value)
    assert info.value.expected
    assert "month" in info.value.expected


# ---------------------------------------------------------------------------------------------
# parse_date
# ---------------------------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))


@given(DAYS)
def test_parse_date_accepts_every_form(day):
    expected = pd.Timestamp(day)
    forms: list[object] = [
        day.isoformat(),
        f"{day.year}-{day.month}-{day.day}",
        day.strftime("%Y%m%d"),
        int(day.strftime("%Y%m%d")),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.isoformat()} 12:30",
        f"{day.isoformat()}T12:30:15",
        day,
        dt.datetime(day.year, day.month, day.day, 23, 59),
        pd.Timestamp(day) + pd.Timedelta(hours=5),
        np.datetime64(day.isoformat()),
    ]
    if day.year <= 2063:
        forms += [excel_serial(day), float(excel_serial(day))]
    for form in forms:
        result = parse_date(form)
        assert result == expected, f"{form!r} parsed as {result!r}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-02-15", "2017-02-15"), ("20170215", "2017-02-15"), ("15/2/2017", "2017-02-15"),
        (42781, "2017-02-15"), ("2016-02-29", "2016-02-29"),
    ],
)
def test_parse_date_examples(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


@pytest.mark.parametrize("value", ["2017-02-30", "2017-13-01", "2015-02-29", "32/1/2017", "20171301",
                                   "2017/02/15x", "tomorrow", "15 feb 2017", 12345, 20171340])
def test_parse_date_invalid_raises(value):
    with pytest.raises(InputError) as info:
        parse_date(value)
    assert info.value.expected
    assert "date" in info.value.expected


@pytest.mark.parametrize("value", ["", "..", "-", None, float("nan"), pd.NaT, np.datetime64("NaT")])
def test_parse_date_missing_is_nat(value):
    assert parse_date(value) is pd.NaT


# ---------------------------------------------------------------------------------------------
# parse_sex
# ---------------------------------------------------------------------------------------------

SEX_FORMS = {
    "K": ["K", "kvinna", "kvinnor", "kv", "women", "woman", "female"],
    "M": ["M", "man", "män", "men", "male"],
    "alla": ["alla", "totalt", "total", "T", "ALL", "both", "Kvinnor och män", "män och kvinnor",
             "båda könen", "samtliga"],
}


def case_variants(text: str) -> list[str]:
    return [text, text.lower(), text.upper(), text.capitalize(), text.title(), f"  {text} "]


@pytest.mark.parametrize(("form", "code"), [(f, c) for c, fs in SEX_FORMS.items() for f in fs])
def test_parse_sex_accepted_forms_any_case(form, code):
    for variant in case_variants(form):
        assert parse_sex(variant) == code, variant


@pytest.mark.parametrize("form", ["Män", "män", "MÄN", "Man", "MAN"])
def test_parse_sex_men(form):
    assert parse_sex(form) == "M"


@pytest.mark.parametrize("form", ["Kvinnor och män", "KVINNOR OCH MÄN", "kvinnor och män",
                                  "Kvinnor  och\u00a0män"])
def test_parse_sex_both(form):
    assert parse_sex(form) == "alla"


@pytest.mark.parametrize("value", ["X", "kvinnorna", "okänd", "1", 1])
def test_parse_sex_unknown_raises(value):
    with pytest.raises(InputError) as info:
        parse_sex(value)
    assert info.value.expected
    assert repr(value) in str(info.value)


@pytest.mark.parametrize("value", [None, "", float("nan")])
def test_parse_sex_missing_raises(value):
    with pytest.raises(InputError):
        parse_sex(value)


# ---------------------------------------------------------------------------------------------
# parse_column and is_missing
# ---------------------------------------------------------------------------------------------


def test_parse_column_parses_every_value_and_keeps_index():
    series = pd.Series(["7,8", "1 234", "..", "7,8"], index=[10, 11, 12, 13], name="andel")
    out = parse_column(series, parse_number, file="data.csv")
    assert list(out.index) == [10, 11, 12, 13]
    assert out.name == "andel"
    assert out[10] == 7.8 and out[11] == 1234.0 and math.isnan(out[12]) and out[13] == 7.8


def test_parse_column_error_default_row_is_position_plus_two():
    series = pd.Series(["7,8", "1 234", "abc"], index=[100, 200, 300], name="andel")
    with pytest.raises(InputError) as info:
        parse_column(series, parse_number, file="raw/data.csv")
    error = info.value
    assert (error.file, error.row, error.column, error.value) == ("raw/data.csv", 4, "andel", "abc")
    assert error.expected
    message = str(error)
    for part in ("raw/data.csv", "row 4", "andel", "'abc'", error.expected):
        assert part in message


def test_parse_column_error_uses_given_rows_and_column():
    series = pd.Series(["2016-08", "2016-13"], name="internal")
    rows = pd.Series([17, 42])
    with pytest.raises(InputError) as info:
        parse_column(series, parse_month, file="månader.xlsx", column="Månad", rows=rows)
    error = info.value
    assert (error.file, error.row, error.column, error.value) == ("månader.xlsx", 42, "Månad", "2016-13")
    message = str(error)
    for part in ("månader.xlsx", "row 42", "Månad", "'2016-13'"):
        assert part in message


def test_parse_column_error_for_repeated_value_is_located_at_first_bad_row():
    series = pd.Series(["X", "K", "X"], name="kön")
    with pytest.raises(InputError) as info:
        parse_column(series, parse_sex, file="f.csv")
    assert info.value.row == 2


@given(st.lists(st.integers(min_value=-10**6, max_value=10**6), max_size=20),
       st.integers(min_value=0, max_value=20))
def test_parse_column_bad_value_row_property(values, bad_position):
    texts = [str(v) for v in values]
    bad_position = min(bad_position, len(texts))
    texts.insert(bad_position, "oops")
    with pytest.raises(InputError) as info:
        parse_column(pd.Series(texts, name="n"), parse_number, file="x.csv")
    assert info.value.row == bad_position + 2
    assert info.value.column == "n"


@pytest.mark.parametrize("value", [None, float("nan"), pd.NaT, pd.NA, "", " .. ", "-", "NA", "saknas",
                                   np.datetime64("NaT")])
def test_is_missing_true(value):
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, "0", "x", "K", pd.Timestamp("2017-01-01")])
def test_is_missing_false(value):
    assert not is_missing(value)
