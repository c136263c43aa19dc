"""Every row of a workbook goes through the validators the forms use (orgs/validators.py,
members/validators.py): what a form refuses, the import refuses, at the row and column, and writes nothing.

Before, the import applied what the forms refused: a tổ đảng directly under the deployment
root, a member admitted in 2099 as chính thức without a date, a name "0000-00-00", a date of
birth 01/01/0001, a second member whose card number only differs by a zero-width space.
"""
import datetime as dt

import pytest

from core.models import AuditEntry
from members.models import Member
from members.workbook.services import import_workbook
from members.workbook.writer import build_workbook
from orgs.models import PartyOrganization
from tests.members.test_workbook_samples import edited, sample_data

pytestmark = pytest.mark.django_db


def _sample_edited(edits: dict[str, dict[str, object]]) -> bytes:
    return edited(build_workbook(sample_data()), edits)


def _state() -> tuple:
    return (PartyOrganization.objects.count(), Member.objects.count(), AuditEntry.objects.count())


# (sheet, cell, value, the problem's beginning: sheet, row, column, and the validator's words)
REFUSED = [
    ("Tổ chức đảng", "C3", "Tổ đảng",
     "Trang tính 'Tổ chức đảng', dòng 3, cột C (Loại): “Tổ đảng” chỉ trực thuộc"),
    ("Tổ chức đảng", "E2", dt.datetime(2100, 1, 1),
     "Trang tính 'Tổ chức đảng', dòng 2, cột E (Ngày thành lập): Ngày thành lập (01/01/2100) không được sau ngày hôm nay"),
    ("Tổ chức đảng", "G3", 10**20, "Trang tính 'Tổ chức đảng', dòng 3, cột G (Thứ tự): Thứ tự phải từ 0 đến 1.000.000"),
    ("Tổ chức đảng", "B2", "#REF!", "Trang tính 'Tổ chức đảng', dòng 2, cột B (Tên tổ chức đảng): “#REF!” không phải"),
    ("Đảng viên", "B2", "0000-00-00", "Trang tính 'Đảng viên', dòng 2, cột B (Họ và tên): “0000-00-00” là một ngày tháng"),
    ("Đảng viên", "B2", "NaN", "Trang tính 'Đảng viên', dòng 2, cột B (Họ và tên): “NaN” không phải họ và tên"),
    ("Đảng viên", "B2", 12345, "Trang tính 'Đảng viên', dòng 2, cột B (Họ và tên): “12345” là một con số"),
    ("Đảng viên", "C2", dt.datetime(1800, 1, 1),
     "Trang tính 'Đảng viên', dòng 2, cột C (Ngày sinh): Ngày sinh (01/01/1800) không được trước 01/01/1900"),
    ("Đảng viên", "E2", dt.datetime(2099, 1, 1),
     "Trang tính 'Đảng viên', dòng 2, cột E (Ngày vào Đảng): Ngày vào Đảng (01/01/2099) không được sau ngày hôm nay"),
    ("Đảng viên", "F2", None,
     "Trang tính 'Đảng viên', dòng 2, cột F (Ngày chính thức): Đảng viên chính thức phải có ngày chính thức"),
    ("Đảng viên", "E2", dt.datetime(1920, 1, 1),
     "Trang tính 'Đảng viên', dòng 2, cột E (Ngày vào Đảng): Ngày vào Đảng (01/01/1920) không được trước ngày thành lập Đảng"),
    ("Đảng viên", "D2", "Nũ", "Trang tính 'Đảng viên', dòng 2, cột D (Giới tính): 'Nũ' không hợp lệ"),
    ("Chức vụ", "I2", dt.datetime(2200, 1, 1), "Trang tính 'Chức vụ', dòng 2, cột I (Từ ngày): Ngày bắt đầu (01/01/2200)"),
    ("Miễn sinh hoạt", "B2", dt.datetime(1970, 1, 1),
     "Trang tính 'Miễn sinh hoạt', dòng 2, cột B (Từ ngày): Ngày bắt đầu (01/01/1970) không được trước ngày vào Đảng"),
    ("Kỷ luật", "D2", dt.datetime(2025, 1, 1),
     "Trang tính 'Kỷ luật', dòng 2, cột C (Ngày quyết định): Ngày quyết định (02/5/2024) không được trước ngày vi phạm"),
]


@pytest.mark.parametrize(("sheet", "ref", "value", "expected"), REFUSED, ids=[f"{r[0]}-{r[1]}" for r in REFUSED])
def test_what_the_forms_refuse_the_import_refuses_and_writes_nothing(sheet, ref, value, expected):
    before = _state()

    result = import_workbook(actor=None, content=_sample_edited({sheet: {ref: value}}))

    messages = [str(p) for p in result.problems]
    assert any(m.startswith(expected) for m in messages), messages
    assert not result.applied and _state() == before


def test_the_unedited_sample_passes_every_validator():
    """The cases above fail because of their edit, not because of the sample."""
    assert import_workbook(actor=None, content=build_workbook(sample_data())).applied


def test_a_card_number_with_a_zero_width_space_is_the_stored_member():
    """"00012345" + U+200B is the member already stored, not a second one."""
    import_workbook(actor=None, content=build_workbook(sample_data()))

    result = import_workbook(actor=None, content=_sample_edited({"Đảng viên": {"A2": "00012345\u200b"}}))

    assert result.ok and result.changed == 0
    assert Member.objects.filter(card_number__startswith="00012345").count() == 1


def test_an_unchanged_row_is_not_judged_again():
    """A stored row the file leaves as it is passes, even if a rule tightened since it was written."""
    import_workbook(actor=None, content=build_workbook(sample_data()))
    Member.objects.filter(card_number="00012345").update(full_name="0000-00-00")  # written before the rule
    data = sample_data()
    data["members"][0]["full_name"] = "0000-00-00"

    result = import_workbook(actor=None, content=build_workbook(data))

    assert result.ok and result.changed == 0
