"""Pure rules of accounts: what scope each role needs, how a Vietnamese name is split, temporary
passwords. No database."""
import pytest

from accounts.services import role_scope_errors, split_full_name, temporary_password
from core.models import Role

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
