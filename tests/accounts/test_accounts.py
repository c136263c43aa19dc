"""Accounts without the admin: services (rules, messages, audit, refusals) and pages."""
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from core import services as core_services
from core.models import AuditEntry, Role, RoleAssignment
from core.scope import scope_for
from tests.factories import MemberFactory, UnitFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def staff():
    user = user_with_role(Role.STAFF, username="bxd")
    return user, scope_for(user)


# --- services --------------------------------------------------------------------------------


def test_user_create_splits_the_name_and_returns_a_working_temporary_password(staff):
    actor, scope = staff
    user, password = account_services.user_create(actor=actor, scope=scope, username="bithu2", full_name="Vàng A Páo")
    user.refresh_from_db()
    assert (user.last_name, user.first_name) == ("Vàng A", "Páo")
    assert user.check_password(password)
    [entry] = AuditEntry.objects.filter(action="user.create")
    assert entry.actor == actor and entry.changes["username"] == "bithu2"
    assert password not in str(entry.changes)


def test_user_create_linked_to_a_member_takes_the_members_name(tree, staff):
    actor, scope = staff
    member = MemberFactory(full_name="Nguyễn Thị Minh Khai", card_number="C01", cell=tree["cell_a"])
    user, _ = account_services.user_create(actor=actor, scope=scope, username="khai", card_number="C01")
    member.refresh_from_db()
    assert member.user == user
    assert (user.last_name, user.first_name) == ("Nguyễn Thị Minh", "Khai")


def test_user_create_refuses_bad_input_field_by_field(tree, staff):
    actor, scope = staff
    UserFactory(username="bithu")
    owner = UserFactory(username="chu")
    MemberFactory(card_number="C02", cell=tree["cell_a"], user=owner)
    with pytest.raises(ValidationError) as exc:
        account_services.user_create(actor=actor, scope=scope, username="BiThu", full_name="", card_number="C99")
    errors = exc.value.message_dict
    assert errors["username"] == ["Tên đăng nhập “BiThu” đã có người dùng."]
    assert errors["card_number"] == ["Không có đảng viên nào có số thẻ C99."]
    assert "Chưa nhập họ và tên" in errors["full_name"][0]
    with pytest.raises(ValidationError) as exc:
        account_services.user_create(actor=actor, scope=scope, username="moi", card_number="C02")
    assert "đã gắn với tài khoản “chu”" in exc.value.message_dict["card_number"][0]
    assert not User.objects.filter(username="moi").exists()
    assert not AuditEntry.objects.exists()


def test_user_update_relinks_the_member_and_refuses_a_stale_form(tree, staff):
    actor, scope = staff
    first = MemberFactory(card_number="C01", cell=tree["cell_a"])
    second = MemberFactory(card_number="C02", cell=tree["cell_a"])
    user, _ = account_services.user_create(actor=actor, scope=scope, username="an", full_name="Lê An", card_number="C01")
    opened = account_services.account_version(user)
    account_services.user_update(actor=actor, scope=scope, user=user, version=opened,
                         full_name="Lê Văn An", card_number="C02")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.user, second.user) == (None, user)
    [entry] = AuditEntry.objects.filter(action="user.update")
    assert entry.changes == {"last_name": ["Lê", "Lê Văn"], "member": [{"ref": "members.Member", "id": m.pk} for m in (first, second)]}
    with pytest.raises(core_services.StaleEditError):
        account_services.user_update(actor=actor, scope=scope, user=user, version=opened, full_name="X Y")


def test_role_assign_checks_the_scope_like_the_constraint(tree, staff):
    actor, scope = staff
    user = UserFactory(username="moi")
    with pytest.raises(ValidationError) as exc:
        account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.SECRETARY)
    assert "phải gắn với một tổ chức đảng" in exc.value.message_dict["organization"][0]
    with pytest.raises(ValidationError) as exc:
        account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.STAFF, organization=tree["cell_a"])
    assert "toàn Đảng bộ" in exc.value.message_dict["organization"][0]
    unit = UnitFactory()
    with pytest.raises(ValidationError) as exc:
        account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.VIEWER, unit=unit)
    assert "unit" in exc.value.message_dict
    assert not RoleAssignment.objects.filter(user=user).exists()

    account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.SECRETARY, organization=tree["cell_a"])
    account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.UNIT_LEADERSHIP, unit=unit)
    account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.VIEWER, organization=tree["base"])
    account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.STANDING)
    assert RoleAssignment.objects.filter(user=user).count() == 4
    with pytest.raises(ValidationError) as exc:
        account_services.role_assign(actor=actor, scope=scope, user=user, role=Role.SECRETARY, organization=tree["cell_a"])
    assert "đã có vai trò “Bí thư chi bộ” (Chi bộ Tổ Toán)" in exc.value.message_dict["role"][0]
    entries = AuditEntry.objects.filter(action="role.assign", object_id=str(user.pk))
    assert entries.count() == 4
    assert entries.filter(changes__organization__id=tree["cell_a"].pk).exists()


def test_staff_cannot_remove_their_own_last_staff_role(staff):
    actor, scope = staff
    own = RoleAssignment.objects.get(user=actor)
    with pytest.raises(ValidationError, match="không thể tự bỏ vai trò Ban Xây dựng Đảng cuối cùng"):
        account_services.role_remove(actor=actor, scope=scope, assignment=own)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    # With a second staff role of their own, one may go; another staff member may remove it too.
    account_services.role_assign(actor=actor, scope=scope, user=actor, role=Role.STANDING)
    with pytest.raises(ValidationError):
        account_services.role_remove(actor=actor, scope=scope, assignment=own)
    colleague = user_with_role(Role.STAFF, username="bxd2")
    account_services.role_remove(actor=colleague, scope=scope_for(colleague), assignment=own)
    assert not RoleAssignment.objects.filter(pk=own.pk).exists()
    [entry] = AuditEntry.objects.filter(action="role.remove")
    assert entry.actor == colleague and entry.changes["role"] == Role.STAFF


def test_password_reset_and_deactivation(staff):
    actor, scope = staff
    user = UserFactory(username="quen")
    password = account_services.password_reset(actor=actor, scope=scope, user=user)
    user.refresh_from_db()
    assert user.check_password(password)
    account_services.user_set_active(actor=actor, scope=scope, user=user, active=False)
    user.refresh_from_db()
    assert not user.is_active
    with pytest.raises(ValidationError, match="đã bị khóa từ trước"):
        account_services.user_set_active(actor=actor, scope=scope, user=user, active=False)
    with pytest.raises(ValidationError, match="không thể tự khóa"):
        account_services.user_set_active(actor=actor, scope=scope, user=actor, active=False)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "password.reset", "user.deactivate",
    ]


@pytest.mark.parametrize("role", [Role.STANDING, Role.VIEWER])
def test_only_staff_manage_accounts(role):
    actor = user_with_role(role)
    scope = scope_for(actor)
    target = UserFactory(username="ai")
    with pytest.raises(PermissionDenied):
        account_services.user_create(actor=actor, scope=scope, username="x", full_name="X Y")
    with pytest.raises(PermissionDenied):
        account_services.role_assign(actor=actor, scope=scope, user=target, role=Role.STAFF)
    with pytest.raises(PermissionDenied):
        account_services.password_reset(actor=actor, scope=scope, user=target)
    with pytest.raises(PermissionDenied):
        account_services.user_set_active(actor=actor, scope=scope, user=target, active=False)
    assert not RoleAssignment.objects.filter(user=target).exists()


# --- pages -----------------------------------------------------------------------------------


def test_create_page_shows_the_password_once_and_not_cached(client, staff):
    actor, _ = staff
    client.force_login(actor)
    response = client.post(reverse("accounts:create"), {"username": "moi", "full_name": "Lò Văn Sinh"})
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert User.objects.get(username="moi").check_password(password)
    page = client.get(reverse("accounts:detail", args=[User.objects.get(username="moi").pk]))
    assert password not in page.content.decode()


def test_create_page_shows_errors_and_creates_nothing(client, staff):
    actor, _ = staff
    client.force_login(actor)
    response = client.post(reverse("accounts:create"), {"username": "bxd", "full_name": "A B"})
    assert response.status_code == 200
    assert "Tên đăng nhập “bxd” đã có người dùng." in response.content.decode()
    assert User.objects.count() == 1


def test_role_add_page_refuses_a_wrong_scope_with_a_message(client, tree, staff):
    actor, _ = staff
    target = UserFactory(username="moi")
    client.force_login(actor)
    url = reverse("accounts:role_add", args=[target.pk])
    response = client.post(url, {"role": Role.SECRETARY})
    assert response.status_code == 200
    assert "phải gắn với một tổ chức đảng" in response.content.decode()
    response = client.post(url, {"role": Role.SECRETARY, "organization": tree["cell_a"].pk})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=target, organization=tree["cell_a"]).exists()


def test_role_remove_page_refuses_own_last_staff_role(client, staff):
    actor, _ = staff
    client.force_login(actor)
    own = RoleAssignment.objects.get(user=actor)
    response = client.post(reverse("accounts:role_remove", args=[own.pk]))
    assert response.status_code == 200
    assert "không thể tự bỏ vai trò" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_deactivated_account_cannot_sign_in(client, staff):
    actor, _ = staff
    target = UserFactory(username="nghi")
    client.force_login(actor)
    assert client.post(reverse("accounts:deactivate", args=[target.pk])).status_code == 302
    client.logout()
    assert not client.login(username="nghi", password="matkhau-thu-nghiem")


def test_temporary_password_page(client, staff):
    actor, _ = staff
    target = UserFactory(username="quen")
    client.force_login(actor)
    assert client.get(reverse("accounts:temporary_password", args=[target.pk])).status_code == 200
    response = client.post(reverse("accounts:temporary_password", args=[target.pk]))
    target.refresh_from_db()
    assert target.check_password(response.context["password"])


def test_password_change_for_any_signed_in_user(client, tree):
    user = user_with_role(Role.SECRETARY, organization=tree["cell_a"], username="bithu")
    client.force_login(user)
    url = reverse("accounts:password_change")
    page = client.get(url)
    assert "Mật khẩu hiện tại" in page.content.decode()
    wrong = client.post(url, {"old_password": "sai", "new_password1": "Xa-Binh-Lu-2026", "new_password2": "Xa-Binh-Lu-2026"})
    assert "Mật khẩu hiện tại không đúng" in wrong.content.decode()
    done = client.post(url, {"old_password": "matkhau-thu-nghiem", "new_password1": "Xa-Binh-Lu-2026",
                             "new_password2": "Xa-Binh-Lu-2026"})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password("Xa-Binh-Lu-2026")
    assert client.get(reverse("home")).status_code == 200  # still signed in
    assert AuditEntry.objects.filter(action="password.change", actor=user).exists()


def test_account_list_shows_roles_and_scopes(client, tree, staff):
    actor, _ = staff
    user_with_role(Role.SECRETARY, organization=tree["cell_a"], username="bithu_a")
    client.force_login(actor)
    html = client.get(reverse("accounts:list")).content.decode()
    assert "bithu_a" in html
    assert "Bí thư chi bộ <span class=\"muted\">— Chi bộ Tổ Toán và các tổ chức trực thuộc</span>" in html
    assert "Ban Xây dựng Đảng <span class=\"muted\">— Toàn Đảng bộ</span>" in html


def _add_accounts(tree, n, offset):
    unit = UnitFactory()
    for i in range(n):
        user = user_with_role(Role.SECRETARY, organization=tree["cell_a"], username=f"u{offset + i}")
        RoleAssignment.objects.create(user=user, role=Role.UNIT_LEADERSHIP, unit=unit)
        MemberFactory(cell=tree["cell_a"], user=user)


def test_account_list_query_count_does_not_grow_with_rows(client, tree, staff):
    actor, _ = staff
    client.force_login(actor)
    url = reverse("accounts:list")
    _add_accounts(tree, 2, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_accounts(tree, 20, 100)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["rows"]) == 23
    assert len(large.captured_queries) == len(small.captured_queries)
