"""orgs.validators: the one check of an organisation, unit or block, used by every path."""
import datetime as dt

import pytest

from orgs.models import OrgKind
from orgs.validators import DEFAULT_PLACEMENT, org_errors, placement_error, placement_rule_errors

K = OrgKind
TODAY = dt.date(2026, 6, 24)


def _org(**overrides):
    values = {"code": "CB1", "name": "Chi bộ thôn Nà Bó", "kind": K.ROOT_CELL, "parent_kind": K.ROOT,
              "established_on": dt.date(1990, 1, 1), "rules": DEFAULT_PLACEMENT, "today": TODAY}
    return org_errors(**(values | overrides))


def test_a_good_organisation_has_no_errors():
    assert _org() == {}


def test_a_tổ_đảng_directly_under_the_deployment_root_is_refused():
    """The import once let a tổ đảng sit under the commune itself: the validator says where it may go."""
    errors = _org(kind=K.GROUP, parent_kind=K.ROOT)
    assert "“Tổ đảng” chỉ trực thuộc “Chi bộ cơ sở” hoặc “Chi bộ trực thuộc Đảng ủy xã”" in errors["kind"][0]


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1800, 1, 1), dt.date(1930, 2, 2), dt.date(2100, 1, 1)])
def test_a_founding_date_outside_the_partys_life_is_refused(day):
    assert "established_on" in _org(established_on=day)


@pytest.mark.parametrize("name", ["#REF!", "0000-00-00", "NaN", "2020"])
def test_an_organisation_named_by_a_broken_cell_is_refused(name):
    assert "name" in _org(name=name)


def test_a_commune_may_sit_under_a_district_or_a_province_by_the_default_rules():
    """DOMAIN §2: a deployment may be rooted at a district (001) or a province-level committee (003)."""
    assert placement_error(K.ROOT, K.DISTRICT) is None
    assert placement_error(K.ROOT, K.PROVINCE) is None
    assert placement_error(K.DISTRICT, K.PROVINCE) is None
    assert placement_error(K.BASE_PARTY, K.DISTRICT) is None
    assert placement_error(K.PROVINCE, K.ROOT) is not None


def test_rules_passed_in_decide_not_the_defaults():
    """The rules are data: a deployment that lets a tổ đảng sit under a đảng bộ cơ sở may."""
    rules = dict(DEFAULT_PLACEMENT) | {K.GROUP: frozenset({K.BASE_PARTY})}
    assert placement_error(K.GROUP, K.BASE_PARTY, rules) is None
    assert placement_error(K.GROUP, K.ROOT_CELL, rules) is not None


def test_a_placement_rule_must_leave_somewhere_to_sit_and_not_nest_a_kind_in_itself():
    assert placement_rule_errors(kind=K.GROUP, top_allowed=False, parent_kinds=[]) == {
        "parent_kinds": ["Chọn ít nhất một loại tổ chức cấp trên, hoặc cho phép là cấp cao nhất."]
    }
    assert "chính loại" in placement_rule_errors(kind=K.GROUP, top_allowed=False, parent_kinds=[K.GROUP])["parent_kinds"][0]
    assert placement_rule_errors(kind=K.GROUP, top_allowed=False, parent_kinds=["x"])
    assert placement_rule_errors(kind=K.GROUP, top_allowed=False, parent_kinds=[K.ROOT_CELL]) == {}
