"""Shared checks every validator builds on: cleaning, names, codes, dates, choices. No database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.validators import code_problem, name_problem, sort_order_problem
from core.vntext import choice_from_text, clean_code, clean_text
from members.models import Gender
from orgs.models import OrgKind


@pytest.mark.parametrize("raw", [
    "A0000001\u200b", "\u200bA0000001", "A000\u200d0001", "\ufeffA0000001", "A0000001\u00ad", " A0000001\u00a0",
])
def test_invisible_characters_never_make_a_second_code(raw):
    """A zero-width space, joiner, BOM or soft hyphen pasted with a card number is removed."""
    assert clean_code(raw) == "A0000001"


def test_clean_text_is_nfc_with_single_blanks():
    assert clean_text("  Nguye\u0302\u0303n \u00a0 Văn\tAn ") == "Nguyễn Văn An"


@pytest.mark.parametrize("name", [
    "0000-00-00", "31/12/2020", "2020-01-01 00:00:00", "#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?",
    "NaN", "nan", "None", "null", "12345", "1e309", "-5", "3,5", "   ", "", "---", "...",
])
def test_a_name_that_is_a_date_a_number_or_a_spreadsheet_error_is_refused(name):
    """What a broken file or a slip of the hand leaves in a name cell is never a name."""
    assert name_problem(name, "họ và tên") is not None


@pytest.mark.parametrize("name", ["Nguyễn Văn An", "Vàng A Páo", "H'Hen Niê", "Chi bộ thôn 1", "Lò Thị Na"])
def test_real_names_pass(name):
    assert name_problem(name, "họ và tên") is None


def test_name_refusals_say_what_the_value_is_in_vietnamese():
    assert name_problem("0000-00-00", "họ và tên") == "“0000-00-00” là một ngày tháng, không phải họ và tên."
    assert "giá trị lỗi" in name_problem("#REF!", "họ và tên")
    assert name_problem("", "tên khối") == "Chưa nhập tên khối."


@pytest.mark.parametrize(("code", "ok"), [("A0000001", True), ("", False), ("#REF!", False), ("NaN", False)])
def test_code_problem(code, ok):
    assert (code_problem(code) is None) == ok


@pytest.mark.parametrize(("typed", "value"), [
    ("Nữ", Gender.FEMALE), ("nữ", Gender.FEMALE), ("NỮ", Gender.FEMALE), ("Nu", Gender.FEMALE),
    ("nam", Gender.MALE), ("female", Gender.FEMALE), (" Nữ ", Gender.FEMALE),
    ("Nũ", None), ("Nứ", None), ("Năm", None), ("", None), ("x", None),
])
def test_a_gender_with_a_wrong_mark_is_refused_not_guessed(typed, value):
    """"Nu" typed without marks is Nữ; "Nũ" carries a different mark and is refused."""
    assert choice_from_text(typed, Gender) == value


def test_a_kind_typed_without_marks_is_read_when_unambiguous():
    assert choice_from_text("chi bo co so", OrgKind) == OrgKind.BASE_CELL
    assert choice_from_text("Chi bộ cơ sỡ", OrgKind) is None


@pytest.mark.parametrize(("value", "ok"), [(0, True), (1_000_000, True), (-1, False), (10**20, False), (None, True)])
def test_sort_order_range(value, ok):
    assert (sort_order_problem(value) is None) == ok


@given(st.text(max_size=40))
def test_cleaning_is_idempotent_and_never_raises(text):
    """Whatever is typed, cleaning twice is cleaning once, and the checks answer without raising."""
    assert clean_code(clean_code(text)) == clean_code(text)
    name_problem(text, "tên")
    code_problem(text)
    choice_from_text(text, Gender)


