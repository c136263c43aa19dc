"""Cell conversion: pure, no database."""
import datetime as dt
import unicodedata

import pytest

from members.models import Gender, MemberStatus
from members.workbook.cells import CellError, convert, to_bool, to_choice, to_date, to_int, to_text
from members.workbook.spec import Column
from orgs.models import OrgKind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12345678, "12345678"),
        (12345678.0, "12345678"),
        ("  Nguyễn   Văn  Ánh ", "Nguyễn Văn Ánh"),
        (None, ""),
        (1.5, "1.5"),
    ],
)
def test_text_from_numbers_and_padded_strings(value, expected):
    """Whole numbers lose the '.0' a spreadsheet adds; inner blanks collapse."""
    assert to_text(value) == expected


def test_text_is_nfc():
    """Decomposed input (NFD) comes out precomposed."""
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    assert to_text(decomposed) == "Nguyễn"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19/05/2010", dt.date(2010, 5, 19)),
        ("9/5/2010", dt.date(2010, 5, 9)),
        ("2010-05-19", dt.date(2010, 5, 19)),
        (dt.datetime(2010, 5, 19), dt.date(2010, 5, 19)),
        (dt.date(2010, 5, 19), dt.date(2010, 5, 19)),
        (40317, dt.date(2010, 5, 19)),
        (40317.0, dt.date(2010, 5, 19)),
    ],
)
def test_dates_in_every_form_a_spreadsheet_gives(value, expected):
    assert to_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2020", "2010/05", "hôm qua", -3])
def test_bad_dates_are_refused_with_the_value(value):
    with pytest.raises(CellError, match=str(value).split("/")[0]):
        to_date(value)


@pytest.mark.parametrize(("value", "expected"), [("Có", True), ("không", False), ("x", True), (0, False), (True, True)])
def test_booleans(value, expected):
    assert to_bool(value) is expected


def test_bad_boolean_names_the_accepted_values():
    with pytest.raises(CellError, match="'Có' hoặc 'Không'"):
        to_bool("có lẽ")


def test_int_refuses_fractions():
    assert to_int(3.0) == 3
    with pytest.raises(CellError):
        to_int(2.5)


def test_choice_by_label_case_and_tone_insensitive_when_unambiguous():
    assert to_choice("Nữ", Gender) == Gender.FEMALE
    assert to_choice("nu", Gender) == Gender.FEMALE
    assert to_choice("CHI BỘ CƠ SỞ", OrgKind) == OrgKind.BASE_CELL
    assert to_choice("base_cell", OrgKind) == OrgKind.BASE_CELL


def test_unknown_choice_lists_the_labels():
    with pytest.raises(CellError, match="'Nam', 'Nữ'"):
        to_choice("Khác", Gender)


# Where each length-limited column of the workbook is stored.
STORED_IN = {
    ("orgs", "code"): ("orgs.PartyOrganization", "code"),
    ("orgs", "name"): ("orgs.PartyOrganization", "name"),
    ("blocks", "code"): ("orgs.Block", "code"),
    ("blocks", "name"): ("orgs.Block", "name"),
    ("units", "code"): ("orgs.Unit", "code"),
    ("units", "name"): ("orgs.Unit", "name"),
    ("members", "card_number"): ("members.Member", "card_number"),
    ("members", "full_name"): ("members.Member", "full_name"),
    ("positions", "title"): ("members.LeaderPosition", "title"),
    ("positions", "group"): ("members.PositionGroup", "code"),
    ("positions", "group_name"): ("members.PositionGroup", "name"),
    ("exemptions", "reason"): ("members.Exemption", "reason"),
    ("suspensions", "reason"): ("members.Suspension", "reason"),
    ("temporary_activities", "place"): ("members.TemporaryActivity", "place"),
    ("disciplines", "decision_number"): ("members.Discipline", "decision_number"),
    ("disciplines", "reason"): ("members.Discipline", "reason"),
}


@pytest.mark.parametrize(("sheet_key", "column_key"), sorted(STORED_IN))
def test_text_column_limits_match_the_model_fields(sheet_key, column_key):
    """Each stored text column refuses what its database field could not hold."""
    from django.apps import apps

    from members.workbook.spec import SHEETS

    sheet = next(s for s in SHEETS if s.key == sheet_key)
    model_label, field_name = STORED_IN[(sheet_key, column_key)]
    field = apps.get_model(model_label)._meta.get_field(field_name)
    assert sheet.column(column_key).max_length == field.max_length


def test_every_limited_text_column_is_checked_against_a_model():
    """A new text column with a limit must be added to STORED_IN (so the limit cannot drift)."""
    from members.workbook.spec import SHEETS

    limited = {(s.key, c.key) for s in SHEETS for c in s.columns if c.max_length}
    assert limited == set(STORED_IN)


def test_text_over_the_limit_names_both_lengths():
    column = Column("full_name", "Họ và tên", max_length=5)
    with pytest.raises(CellError, match="dài 6 ký tự, tối đa 5 ký tự"):
        convert(column, "Lò Văn")
    assert convert(column, "  Lò  Vă ") == "Lò Vă"


def test_a_label_with_a_wrong_tone_is_refused_but_one_typed_without_tones_is_read():
    """"Nũ" is not "Nữ" (a wrong mark is a typo to fix); "Nu", typed with no marks at all, is."""
    with pytest.raises(CellError, match="'Nũ' không hợp lệ, chỉ nhận một trong: 'Nam', 'Nữ'"):
        to_choice("Nũ", Gender)
    assert to_choice("Nu", Gender) == Gender.FEMALE
    assert to_choice("chinh thuc", MemberStatus) == MemberStatus.OFFICIAL


def test_numbers_that_are_not_whole_and_finite_are_refused():
    """1e309 or NaN in "Thứ tự" was an OverflowError on confirm: now a cell error on the preview.

    (How large a "Thứ tự" may be is the validators' rule: tests/members/test_workbook_malformed.py.)
    """
    for value in (float("inf"), "NaN", "-inf", "1.5", "-1"):
        with pytest.raises(CellError):
            to_int(value)
    assert to_int("1e3") == 1000 and to_int(10**20) == 10**20  # whole: read, then judged by the validator
