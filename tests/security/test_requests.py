"""Requests: CSRF on every POST, GET changes nothing, no open redirect, no mass assignment, no IDOR."""
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry, Role, RoleAssignment
from members.models import Member
from tests.permissions import appraisal_objects
from tests.permissions.test_matrix import ROUTES, _url
from tests.security.legacy_roles import create_unchecked_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_view_is_exempt_from_csrf(route):
    """No view opts out of Django's CSRF protection."""
    assert not getattr(route.callback, "csrf_exempt", False)


POSTS = [
    ("members:edit", "member_a"), ("members:transfer", "member_a"), ("members:exempt", "member_a"),
    ("accounts:temporary_password", "norole"), ("accounts:deactivate", "norole"),
    ("orgs:block_create", None), ("workbook:import", None),
]


@pytest.mark.parametrize(("name", "target"), POSTS)
def test_a_post_without_the_csrf_token_is_refused(name, target, scenario):
    """A POST forged from another site (no CSRF token) is refused with 403 and changes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(scenario.users["staff"])
    if target == "member_a":
        url = reverse(name, args=[scenario.member_a.pk])
    elif target:
        url = reverse(name, args=[scenario.users[target].pk])
    else:
        url = reverse(name)
    response = client.post(url, {"code": "K9", "name": "Khối", "full_name": "Đổi", "start_on": "01/01/2024"})
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in ("orgs", "members", "appraisal", "auth")}


@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_get_never_changes_state(role, scenario, client):
    """Opening every page with GET writes nothing: no audit entry, no row added or removed, no password."""
    user = scenario.users[role]
    client.force_login(user)
    appraisal_objects.build(scenario)  # the rating-process objects the walk fills URLs with
    before = _counts()
    audited = AuditEntry.objects.count()
    password = user.password
    for route in ROUTES:
        try:
            url = _url(route, scenario, role)
        except BaseException:  # noqa: BLE001 — a route the walk cannot fill (pytest.skip/fail)
            continue
        client.get(url)
    assert _counts() == before
    assert AuditEntry.objects.count() == audited
    user.refresh_from_db()
    assert user.password == password
    for account in scenario.users.values():
        account.refresh_from_db()
        assert account.check_password("matkhau-thu-nghiem") and account.is_active


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "https:/\\evil.example"])
def test_login_does_not_redirect_to_another_site(target, scenario, client):
    """?next= pointing to another site is ignored after signing in: the user lands at home."""
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "bithu_a", "password": "matkhau-thu-nghiem", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_post_only(scenario, client):
    """A link (GET) cannot sign a user out: logout needs a POST with the CSRF token."""
    client.force_login(scenario.users["secretary"])
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_member_edit_ignores_fields_the_form_does_not_offer(scenario, client):
    """Extra POST fields (cell, user, version of another row, sort key) are not assigned."""
    client.force_login(scenario.users["secretary"])
    member = scenario.member_a
    account = member.user  # the scenario's member account (tests/orgs/scenario.py)
    response = client.post(reverse("members:edit", args=[member.pk]), {
        "full_name": "Nguyễn Văn Ánh", "gender": member.gender, "card_number": member.card_number,
        "admitted_on": "19/05/2010", "official_on": "19/05/2011", "status": member.status, "is_active": "on",
        "version": member.version, "cell": scenario.tree["cell_b"].pk, "user": scenario.users["staff"].pk,
        "user_id": scenario.users["staff"].pk, "cell_id": scenario.tree["cell_b"].pk, "search_name": "x",
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.cell == scenario.tree["cell_a"] and member.user == account


def test_account_creation_cannot_make_an_administrator(scenario, client):
    """is_superuser / is_staff posted with a new account are ignored."""
    client.force_login(scenario.users["staff"])
    response = client.post(reverse("accounts:create"), {
        "username": "moi", "full_name": "Người Mới", "is_superuser": "on", "is_staff": "on",
    })
    assert response.status_code == 200
    from django.contrib.auth import get_user_model

    created = get_user_model().objects.get(username="moi")
    assert not created.is_superuser and not created.is_staff


def test_position_end_of_another_cells_post_is_404(scenario, client):
    """A secretary guessing the id of another cell's post gets 404 and the post stays open."""
    client.force_login(scenario.users["secretary"])
    url = reverse("members:position_end", args=[scenario.position_b.pk])
    assert client.post(url, {"end_on": "01/01/2024"}).status_code == 404
    scenario.position_b.refresh_from_db()
    assert scenario.position_b.end_on is None


@pytest.mark.parametrize("role", ["secretary", "unit_leadership", "viewer", "standing"])
def test_role_remove_and_temporary_password_are_staff_only(role, scenario, client):
    """Only staff take roles away or set temporary passwords, whatever the id guessed."""
    client.force_login(scenario.users[role])
    remove = client.post(reverse("accounts:role_remove", args=[scenario.assignment.pk]))
    password = client.post(reverse("accounts:temporary_password", args=[scenario.users["norole"].pk]))
    assert (remove.status_code, password.status_code) == (403, 403)
    assert RoleAssignment.objects.filter(pk=scenario.assignment.pk).exists()


@pytest.mark.parametrize("role", ["secretary", "unit_leadership", "viewer"])
def test_framework_pages_are_refused_to_cell_and_unit_roles(role, scenario, client):
    """Framework pages (reading, export, trial) are for staff and the standing committee only."""
    client.force_login(scenario.users[role])
    for name in ("framework_detail", "framework_export", "framework_trial"):
        assert client.get(reverse(f"appraisal:{name}", args=[scenario.framework.pk])).status_code == 403


def test_secretary_member_history_of_another_cell_is_404(scenario, client):
    """A secretary cannot read the history of another cell's member (nor of its organisation)."""
    client.force_login(scenario.users["secretary"])
    assert client.get(reverse("members:history", args=[scenario.member_b.pk])).status_code == 404
    assert client.get(reverse("orgs:history", args=[scenario.tree["cell_b"].pk])).status_code == 404


def test_search_and_paging_never_show_another_cells_members(scenario, client):
    """Search by name or card and any page number stay inside the secretary's cell."""
    client.force_login(scenario.users["secretary"])
    for query in ("Bình", "B0000001", "binh"):
        for page in ("1", "2", "999", "-1", "x"):
            response = client.get(reverse("members:search"), {"q": query, "trang": page, "ca_da_chuyen": "1"})
            assert response.status_code == 200
            assert all(row.member.cell_id == scenario.tree["cell_a"].pk for row in response.context["rows"])
    response = client.get(reverse("orgs:detail", args=[scenario.tree["cell_a"].pk]), {"q": "Bình"})
    assert response.context["rows"] == []


def test_member_create_refuses_a_cell_outside_the_secretarys_scope(scenario, client):
    """The cell list offers only the secretary's cells, and a posted id of another cell is refused."""
    client.force_login(scenario.users["secretary"])
    page = client.get(reverse("members:create"))
    offered = list(page.context["form"].fields["cell"].queryset)
    assert scenario.tree["cell_b"] not in offered
    response = client.post(reverse("members:create"), {
        "cell": scenario.tree["cell_b"].pk, "full_name": "Người Lạ", "gender": "male", "card_number": "L1",
        "admitted_on": "01/01/2020", "status": "probationary",
    })
    assert response.status_code == 200
    assert "cell" in response.context["form"].errors
    assert not Member.objects.filter(card_number="L1").exists()


def test_position_add_offers_and_accepts_only_units_in_scope(scenario, client):
    """The unit and organisation lists of a new post are the secretary's; another cell's unit is refused."""
    client.force_login(scenario.users["secretary"])
    url = reverse("members:position_add", args=[scenario.member_a.pk])
    form = client.get(url).context["form"]
    assert scenario.unit_u2 not in list(form.fields["unit"].queryset)
    assert scenario.tree["cell_b"] not in list(form.fields["organization"].queryset)
    response = client.post(url, {
        "title": "Phó", "leadership_role": "deputy", "group": scenario.group.pk, "tier": "commune",
        "unit": scenario.unit_u2.pk, "start_on": "01/01/2024",
    })
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors


def test_workbook_export_of_a_cell_viewer_is_refused_and_staff_in_cell_too(scenario, client):
    """The export is for the whole-deployment roles; a role limited to a cell gets 403."""
    user = scenario.users["secretary"]
    client.force_login(user)
    assert client.get(reverse("workbook:export")).status_code == 403
    create_unchecked_role(user=user, role=Role.STANDING, organization=scenario.tree["cell_a"])
    assert client.get(reverse("workbook:export")).status_code == 403
