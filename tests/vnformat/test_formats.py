"""The one module of Vietnamese formats prints as the seed documents do [DOMAIN §10, §10a]."""
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vnformat import (
    fmt_count,
    fmt_date,
    fmt_date_long,
    fmt_fraction,
    fmt_hundredths,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_ratio,
)


@pytest.mark.parametrize(("part", "whole", "printed"), [
    (2, 11, "18,2%"),  # seed 000 fn 4 truncates it to 18,1%
    (1, 6, "16,7%"),  # seed 000 fn 3 prints 16,6%
    (139, 803, "17,3%"),  # seed 000 §4.3
    (808, 882, "91,6%"),  # seed 000 §4.1
    (74, 882, "8,4%"),
    (1, 5, "20%"),
    (5, 5, "100%"),
    (1, 8, "12,5%"),
    (0, 0, "0%"),
])
def test_percentages_have_one_decimal_a_comma_and_round_half_up(part, whole, printed):
    assert fmt_ratio(part, whole) == printed


@pytest.mark.parametrize(("share", "printed"), [
    (Decimal("0.2"), "20%"), (Decimal("0.125"), "12,5%"), (Decimal("0.3"), "30%"),
    (Decimal("0.1234"), "12,3%"), (Decimal("0.1235"), "12,4%"), (Decimal(1), "100%"), ("0.5", "50%"),
])
def test_a_share_prints_as_a_percentage_with_one_decimal(share, printed):
    assert fmt_percent(share) == printed


def test_counts_are_padded_below_ten_zero_stays_zero_and_thousands_take_a_dot():
    printed = [fmt_count(x) for x in (0, 1, 9, 10, 44, 3254, 90036, 1234567)]
    assert printed == ["0", "01", "09", "10", "44", "3.254", "90.036", "1.234.567"]
    assert fmt_fraction(9, 44) == "09/44"


@pytest.mark.parametrize(("value", "printed"), [
    (Decimal("12.50"), "12,5"), (Decimal("70.00"), "70"), (Decimal("89.99"), "89,99"), (70, "70"),
    (3254, "3.254"), (Decimal("1500000.25"), "1.500.000,25"), (Decimal("-0.25"), "-0,25"), (-1200, "-1.200"),
])
def test_numbers_have_a_decimal_comma_and_a_thousands_dot(value, printed):
    assert fmt_number(value) == printed


def test_hundredths_print_as_points():
    assert [fmt_hundredths(n) for n in (8999, 9650, 7000, 5, -150)] == ["89,99", "96,5", "70", "0,05", "-1,5"]


@pytest.mark.parametrize(("day", "table", "prose"), [
    (dt.date(2026, 6, 24), "24/6/2026", "ngày 24 tháng 6 năm 2026"),
    (dt.date(2025, 9, 1), "01/9/2025", "ngày 01 tháng 9 năm 2025"),
    (dt.date(2026, 3, 5), "05/3/2026", "ngày 05 tháng 3 năm 2026"),  # seed 000 writes 08/3/2018
    (dt.date(2026, 1, 12), "12/01/2026", "ngày 12 tháng 01 năm 2026"),
    (dt.date(2023, 2, 2), "02/02/2023", "ngày 02 tháng 02 năm 2023"),
    (dt.date(2025, 12, 25), "25/12/2025", "ngày 25 tháng 12 năm 2025"),
])
def test_dates_pad_the_day_and_only_months_one_and_two(day, table, prose):
    assert fmt_date(day) == table
    assert fmt_date_long(day) == prose


def test_no_date_prints_as_the_empty_text_given():
    assert fmt_date(None) == ""
    assert fmt_date(None, "—") == "—"
    assert fmt_date_long(None) == ""


def test_a_period_is_a_quarter_of_a_year_or_the_year():
    assert fmt_period(2026, 2) == "quý 2/2026"
    assert fmt_period(2026) == "năm 2026"
    assert fmt_period(2026, None, capital=True) == "Năm 2026"
    assert fmt_period(2026, 4, capital=True) == "Quý 4/2026"


@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_a_printed_number_reads_back_to_the_same_value(whole, cents):
    """Remove the thousands dots, read the comma as the decimal point: the value comes back."""
    value = Decimal(whole) + (Decimal(cents) / 100 if whole >= 0 else -Decimal(cents) / 100)
    text = fmt_number(value)
    assert Decimal(text.replace(".", "").replace(",", ".")) == value
    digits = text.lstrip("-").split(",")[0]
    assert all(len(g) == 3 for g in digits.split(".")[1:])


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_a_ratio_is_within_half_a_tenth_of_the_exact_percentage(part, whole):
    text = fmt_ratio(part, whole)
    shown = Decimal(text.rstrip("%").replace(".", "").replace(",", "."))
    exact = Decimal(part) * 100 / Decimal(whole)
    assert abs(shown - exact) <= Decimal("0.05")
