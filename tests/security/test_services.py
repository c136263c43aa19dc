"""Every writer refuses a user outside its scope when called directly, not only through its page."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services as account_services
from appraisal.frameworks import services as appraisal_services
from core.models import AuditEntry, Role
from core.scope import scope_for
from members import services as member_services
from members.models import DisciplineForm, LeadershipRole
from members.workbook.services import import_workbook
from members.workbook.writer import build_workbook
from orgs import services as org_services
from tests.factories import UserFactory
from tests.security.legacy_roles import user_with_unchecked_role

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 1, 10)


def _member_calls(s):
    """(name, service, kwargs) for each member writer, aimed at cell B's member."""
    b = s.member_b
    return [
        ("member.create", member_services.member_create, {
            "cell": s.tree["cell_b"], "full_name": "Người Mới", "gender": "male", "card_number": "N1",
            "admitted_on": DAY,
        }),
        ("member.update", member_services.member_update, {"member": b, "version": b.version, "full_name": "Đổi Tên"}),
        ("member.transfer", member_services.member_transfer, {"member": b, "to_cell": s.tree["cell_a"], "moved_on": DAY}),
        ("member.exempt", member_services.period_start, {"member": b, "kind": "exemption", "start_on": DAY}),
        ("member.suspend", member_services.period_start, {"member": b, "kind": "suspension", "start_on": DAY}),
        ("discipline.record", member_services.discipline_record, {
            "member": b, "form": DisciplineForm.values[0], "violation_on": DAY, "decided_on": DAY,
        }),
        ("position.add", member_services.position_add, {
            "member": b, "title": "Phó", "leadership_role": LeadershipRole.values[0], "group": s.group,
            "start_on": DAY, "unit": s.unit_u2,
        }),
        ("position.end", member_services.position_end, {"position": s.position_b, "end_on": DAY}),
    ]


@pytest.mark.parametrize("index", range(8))
@pytest.mark.parametrize("role", ["secretary", "unit_leadership", "viewer", "standing"])
def test_member_services_refuse_a_member_outside_the_users_cells(index, role, scenario):
    """Called directly with another cell's member, every member writer refuses and writes nothing."""
    name, service, kwargs = _member_calls(scenario)[index]
    user = scenario.users[role]
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        service(actor=user, scope=scope_for(user), **kwargs)
    assert AuditEntry.objects.count() == before, name
    scenario.member_b.refresh_from_db()
    assert scenario.member_b.full_name == "Trần Thị Bình"
    assert scenario.member_b.cell == scenario.tree["cell_b"]


def test_secretary_cannot_place_a_post_in_another_cells_unit(scenario):
    """A secretary adding a post to their own member cannot put it in a unit of another cell."""
    user = scenario.users["secretary"]
    with pytest.raises(ValidationError) as exc:
        member_services.position_add(
            actor=user, scope=scope_for(user), member=scenario.member_a, title="Phó", group=scenario.group,
            leadership_role=LeadershipRole.values[0], start_on=DAY, unit=scenario.unit_u2,
        )
    assert "ngoài phạm vi" in exc.value.message_dict["unit"][0]


def _org_calls(s):
    cell_b, unit = s.tree["cell_b"], s.unit_u2
    account = s.users["norole"]
    return [
        (org_services.org_create, {"parent": s.tree["root"], "kind": "root_cell", "code": "M", "name": "Mới"}),
        (org_services.org_update, {"org": cell_b, "version": cell_b.version,
                                   "name": "X", "code": "CB2", "established_on": None}),
        (org_services.org_move, {"org": cell_b, "parent": s.tree["root"],
                                 "version": cell_b.version}),
        (org_services.org_deactivate, {"org": cell_b, "version": cell_b.version}),
        (org_services.unit_create, {"code": "U9", "name": "Đơn vị", "block": s.block}),
        (org_services.unit_update, {"unit": unit, "version": unit.version, "code": "U9",
                                    "name": "X", "block": s.block, "party_organization": None,
                                    "has_leadership_collective": True}),
        (org_services.unit_deactivate, {"unit": unit, "version": unit.version}),
        (org_services.coded_list_create, {"model": type(s.block), "code": "K9", "name": "Khối"}),
        (org_services.coded_list_update, {"row": s.block, "version": s.block.version, "code": "K9", "name": "X"}),
        (org_services.coded_list_create, {"model": type(s.group), "code": "G9", "name": "Nhóm"}),
        (org_services.coded_list_update, {"row": s.group, "version": s.group.version, "code": "G9", "name": "X"}),
        (account_services.user_create, {"username": "moi", "full_name": "Người Mới"}),
        (account_services.user_update, {"user": account, "version": account_services.account_version(account),
                                    "full_name": "X Y"}),
        (account_services.role_assign, {"user": account, "role": Role.STAFF}),
        (account_services.role_remove, {"assignment": s.assignment}),
        (account_services.password_reset, {"user": account}),
        (account_services.user_set_active, {"user": account, "active": False}),
    ]


@pytest.mark.parametrize("index", range(17))
@pytest.mark.parametrize("role", ["secretary", "unit_leadership", "viewer", "standing", "staff_in_cell"])
def test_deployment_services_refuse_everyone_but_staff(index, role, scenario):
    """Tree, unit, block, group and account writers refuse anyone but staff over the whole deployment."""
    service, kwargs = _org_calls(scenario)[index]
    if role == "staff_in_cell":
        user = user_with_unchecked_role(Role.STAFF, organization=scenario.tree["cell_b"], username="hep")
    else:
        user = scenario.users[role]
    with pytest.raises(PermissionDenied):
        service(actor=user, scope=scope_for(user), **kwargs)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", ["secretary", "standing", "viewer"])
def test_framework_and_import_writers_refuse_non_staff(role, scenario):
    """Frameworks and workbook imports belong to staff: others are refused by the service itself."""
    user = scenario.users[role]
    with pytest.raises(PermissionDenied):
        appraisal_services.framework_activate(actor=user, framework=scenario.framework, expected_version=1)
    with pytest.raises(PermissionDenied):
        import_workbook(actor=user, content=build_workbook(), dry_run=True)


# --- accounts with the admin's powers --------------------------------------------------------


@pytest.fixture
def admin_account(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("action", ["password.reset", "deactivate", "update"])
def test_staff_cannot_take_over_an_administrator_account(action, scenario, admin_account):
    """Staff cannot set a temporary password on, close, or rename an administrator's account:
    that would hand them the administrator's powers."""
    staff = scenario.users["staff"]
    scope = scope_for(staff)
    with pytest.raises(PermissionDenied):
        if action == "password.reset":
            account_services.password_reset(actor=staff, scope=scope, user=admin_account)
        elif action == "deactivate":
            account_services.user_set_active(actor=staff, scope=scope, user=admin_account, active=False)
        else:
            account_services.user_update(
                actor=staff, scope=scope, user=admin_account, full_name="Ai Đó",
                version=account_services.account_version(admin_account),
            )
    admin_account.refresh_from_db()
    assert admin_account.check_password("matkhau-thu-nghiem") and admin_account.is_active


def test_an_administrator_may_reset_another_administrators_password(scenario, admin_account):
    """An administrator keeps the power to help another administrator."""
    other = UserFactory(username="quantri2", is_superuser=True, is_staff=True)
    password = account_services.password_reset(actor=admin_account, scope=scope_for(admin_account), user=other)
    other.refresh_from_db()
    assert other.check_password(password)


def test_temporary_password_page_refuses_staff_on_an_administrator(scenario, admin_account, client):
    """The page says why in Vietnamese (403), and the password is unchanged."""
    from django.urls import reverse

    client.force_login(scenario.users["staff"])
    response = client.post(reverse("accounts:temporary_password", args=[admin_account.pk]))
    assert response.status_code == 403
    admin_account.refresh_from_db()
    assert admin_account.check_password("matkhau-thu-nghiem")
