"""Pure rules of running the deployment: where each kind of organisation may sit, what scope each
role needs, how a Vietnamese name is split. No database."""
import pytest

from accounts.services import role_scope_errors, split_full_name, temporary_password
from core.models import Role
from orgs.models import OrgKind
from orgs.validators import DEFAULT_PLACEMENT, placement_error

K = OrgKind
PLACEMENTS = [
    # (kind, parent kind, allowed)
    (K.ROOT, None, True),
    (K.ROOT, K.ROOT, False),
    (K.BASE_PARTY, K.ROOT, True),
    (K.BASE_PARTY, None, False),
    (K.BASE_PARTY, K.BASE_PARTY, False),
    (K.BASE_CELL, K.ROOT, True),
    (K.BASE_CELL, K.BASE_PARTY, False),
    (K.ROOT_CELL, K.ROOT, True),
    (K.ROOT_CELL, K.BASE_PARTY, False),
    (K.SUB_CELL, K.BASE_PARTY, True),
    (K.SUB_CELL, K.ROOT, False),
    (K.SUB_CELL, K.BASE_CELL, False),
    (K.GROUP, K.ROOT_CELL, True),
    (K.GROUP, K.SUB_CELL, True),
    (K.GROUP, K.BASE_CELL, True),
    (K.GROUP, K.BASE_PARTY, False),
    (K.GROUP, K.ROOT, False),
    (K.GROUP, K.GROUP, False),
    (K.GROUP, None, False),
]


@pytest.mark.parametrize(("kind", "parent", "allowed"), PLACEMENTS)
def test_placement_table(kind, parent, allowed):
    """Each kind sits only under the kinds DOMAIN §2 draws above it (the rules a fresh deployment starts with)."""
    assert (placement_error(kind, parent) is None) == allowed


def test_every_kind_has_a_placement_rule():
    assert set(DEFAULT_PLACEMENT) == set(OrgKind.values)


def test_placement_messages_name_the_kinds_in_vietnamese():
    """The refusal says what the organisation is and where it may go."""
    message = placement_error(K.SUB_CELL, K.ROOT)
    assert "“Chi bộ trực thuộc đảng ủy cơ sở” chỉ trực thuộc “Đảng bộ cơ sở”" in message
    assert "không trực thuộc “Đảng bộ cấp trên trực tiếp cơ sở”" in message
    assert "là cấp cao nhất hoặc trực thuộc" in placement_error(K.ROOT, K.ROOT)
    assert "chưa chọn tổ chức cấp trên" in placement_error(K.GROUP, None)
    assert placement_error("khac", K.ROOT) == "Loại tổ chức đảng không hợp lệ."


SCOPES = [
    # (role, organisation given, unit given, fields in error)
    (Role.SECRETARY, True, False, set()),
    (Role.SECRETARY, False, False, {"organization"}),
    (Role.SECRETARY, True, True, {"unit"}),
    (Role.UNIT_LEADERSHIP, False, True, set()),
    (Role.UNIT_LEADERSHIP, False, False, {"unit"}),
    (Role.UNIT_LEADERSHIP, True, True, {"organization"}),
    (Role.STAFF, False, False, set()),
    (Role.STAFF, True, False, {"organization"}),
    (Role.STAFF, False, True, {"unit"}),
    (Role.STANDING, False, False, set()),
    (Role.STANDING, True, True, {"organization", "unit"}),
    (Role.VIEWER, False, False, set()),
    (Role.VIEWER, True, False, set()),
    (Role.VIEWER, False, True, {"unit"}),
    ("khac", False, False, {"role"}),
]


@pytest.mark.parametrize(("role", "org", "unit", "fields"), SCOPES)
def test_role_scope_table(role, org, unit, fields):
    """Scopes follow RoleAssignment's check constraint; the error sits on the field to fix."""
    assert set(role_scope_errors(role, has_organization=org, has_unit=unit)) == fields


def test_role_scope_messages_are_vietnamese_and_say_what_to_do():
    errors = role_scope_errors(Role.SECRETARY, has_organization=False, has_unit=False)
    assert errors["organization"] == ["Vai trò “Bí thư chi bộ” phải gắn với một tổ chức đảng: hãy chọn tổ chức đảng."]
    errors = role_scope_errors(Role.STAFF, has_organization=True, has_unit=False)
    assert "toàn Đảng bộ" in errors["organization"][0]


@pytest.mark.parametrize(("full", "parts"), [
    ("Vàng A Páo", ("Vàng A", "Páo")),
    ("  Nguyễn   Thị  Minh Khai ", ("Nguyễn Thị Minh", "Khai")),
    ("An", ("", "An")),
    ("", ("", "")),
    ("Nguye\u0302\u0303n Văn An", ("Nguyễn Văn", "An")),  # decomposed input is normalised
])
def test_split_full_name_keeps_family_and_middle_names_in_last_name(full, parts):
    assert split_full_name(full) == parts




def test_temporary_password_is_random_and_unambiguous():
    passwords = {temporary_password() for _ in range(50)}
    assert len(passwords) == 50
    for p in passwords:
        assert len(p) == 14 and p.count("-") == 2
        assert not set(p.replace("-", "")) & set("01ilo")
