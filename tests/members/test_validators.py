"""members.validators: the one check of a member and their history, used by every path."""
import datetime as dt

import pytest

from members import validators as v
from members.models import DisciplineForm, Gender, LeadershipRole, MemberStatus, Tier

TODAY = dt.date(2026, 6, 24)


def _member(**overrides):
    values = {"full_name": "Nguyễn Văn An", "date_of_birth": dt.date(1980, 5, 1), "gender": Gender.MALE,
              "card_number": "01234567", "admitted_on": dt.date(2005, 5, 19), "official_on": dt.date(2006, 5, 19),
              "status": MemberStatus.OFFICIAL, "today": TODAY}
    return v.member_errors(**(values | overrides))


def test_a_good_member_has_no_errors():
    assert _member() == {}


def test_admitted_in_2099_as_official_without_a_date_is_refused_on_both_fields():
    """The import once stored exactly this; the validator names both problems."""
    errors = _member(admitted_on=dt.date(2099, 1, 1), official_on=None)
    assert errors["admitted_on"] == ["Ngày vào Đảng (01/01/2099) không được sau ngày hôm nay."]
    assert errors["official_on"] == ["Đảng viên chính thức phải có ngày chính thức."]


@pytest.mark.parametrize(("field", "day"), [
    ("date_of_birth", dt.date(1, 1, 1)), ("date_of_birth", dt.date(1800, 1, 1)), ("date_of_birth", dt.date(2100, 1, 1)),
    ("admitted_on", dt.date(1, 1, 1)), ("admitted_on", dt.date(1800, 1, 1)), ("admitted_on", dt.date(2100, 1, 1)),
    ("official_on", dt.date(2100, 1, 1)),
])
def test_implausible_dates_are_refused(field, day):
    assert field in _member(**{field: day})


def test_admitted_as_a_child_is_refused():
    errors = _member(date_of_birth=dt.date(2000, 1, 1), admitted_on=dt.date(2010, 1, 1), official_on=dt.date(2011, 1, 1))
    assert "chưa đủ 16 tuổi" in errors["admitted_on"][0]


@pytest.mark.parametrize("gender", [None, "", "Nũ", "other"])
def test_an_unknown_gender_is_refused(gender):
    assert "Giới tính" in _member(gender=gender)["gender"][0]


@pytest.mark.parametrize("name", ["0000-00-00", "#REF!", "NaN", "123"])
def test_a_name_that_is_not_a_name_is_refused(name):
    assert "full_name" in _member(full_name=name)


def test_periods_overlap_and_order():
    existing = [(dt.date(2024, 1, 1), dt.date(2024, 6, 30)), (dt.date(2025, 1, 1), None)]
    common = {"admitted_on": dt.date(2005, 1, 1), "existing": existing, "label": "đình chỉ sinh hoạt đảng", "today": TODAY}
    assert v.period_errors(start_on=dt.date(2024, 7, 1), end_on=dt.date(2024, 12, 31), **common) == {}
    assert "Trùng" in v.period_errors(start_on=dt.date(2024, 6, 1), end_on=None, **common)["start_on"][0]
    assert "end_on" in v.period_errors(start_on=dt.date(2024, 8, 1), end_on=dt.date(2024, 7, 1), **common)
    assert "start_on" in v.period_errors(start_on=dt.date(2004, 8, 1), end_on=None, **common)
    assert "end_on" in v.period_errors(start_on=dt.date(2024, 8, 1), end_on=dt.date(2100, 1, 1), **common)


def test_discipline_and_position_checks():
    ok = v.discipline_errors(form=DisciplineForm.WARNING, violation_on=dt.date(2024, 1, 1),
                             decided_on=dt.date(2024, 2, 1), admitted_on=dt.date(2005, 1, 1), today=TODAY)
    assert ok == {}
    bad = v.discipline_errors(form="x", violation_on=dt.date(2024, 3, 1), decided_on=dt.date(2024, 2, 1),
                              admitted_on=dt.date(2005, 1, 1), today=TODAY)
    assert set(bad) == {"form", "decided_on"}
    position = v.position_errors(title="#REF!", leadership_role=LeadershipRole.HEAD, tier=Tier.COMMUNE,
                                 has_unit=False, has_organization=False, start_on=dt.date(2024, 1, 1),
                                 end_on=dt.date(2023, 1, 1), today=TODAY)
    assert set(position) == {"title", "unit", "end_on"}
