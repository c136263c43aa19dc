"""Who counts as what: roles held over part of the tree, removed roles, closed accounts."""
import pytest
from django.urls import reverse

from core.models import Role, RoleAssignment
from core.scope import scope_for
from tests.factories import MemberFactory, UnitFactory, UserFactory, user_with_role
from tests.security.legacy_roles import user_with_unchecked_role

pytestmark = pytest.mark.django_db

# Pages for party-building staff (or the standing committee) over the whole deployment.
DEPLOYMENT_PAGES = (
    "accounts:list", "accounts:create", "core:audit", "orgs:blocks", "orgs:create",
    "orgs:unit_create", "appraisal:framework_list", "appraisal:framework_create",
    "workbook:import", "workbook:export", "workbook:template",
)


@pytest.mark.parametrize("role", [Role.STAFF, Role.STANDING])
@pytest.mark.parametrize("page", DEPLOYMENT_PAGES)
def test_staff_or_standing_role_limited_to_an_organisation_is_not_a_deployment_role(
    role, page, scenario, client
):
    """A staff or standing role given over one organisation (a row from before orgs 0004) does
    not open the pages of the whole deployment: accounts, audit trail, frameworks, imports."""
    user = user_with_unchecked_role(role, organization=scenario.tree["cell_a"], username="hep")
    client.force_login(user)
    assert client.get(reverse(page)).status_code == 403


@pytest.mark.parametrize("role", [Role.STAFF, Role.STANDING])
def test_staff_role_limited_to_an_organisation_reads_only_that_subtree(role, scenario, client):
    """Such a role reads its own organisation's part of the tree, nothing else, and changes nothing."""
    user = user_with_unchecked_role(role, organization=scenario.tree["cell_a"], username="hep")
    scope = scope_for(user)
    assert not scope.sees_everything and not scope.is_staff_member
    assert not scope.has_role(Role.STAFF) and not scope.has_role(Role.STANDING)
    assert not scope.edits_org(scenario.tree["cell_a"])
    client.force_login(user)
    assert client.get(reverse("members:detail", args=[scenario.member_a.pk])).status_code == 200
    assert client.get(reverse("members:detail", args=[scenario.member_b.pk])).status_code == 404
    assert client.get(reverse("core:audit")).status_code == 403


def test_account_pages_do_not_open_for_a_staff_role_limited_to_an_organisation(scenario, client):
    """No temporary password for another account through a staff role given over one cell."""
    user = user_with_unchecked_role(Role.STAFF, organization=scenario.tree["cell_a"], username="hep")
    client.force_login(user)
    target = scenario.users["secretary"]
    assert client.get(reverse("accounts:detail", args=[target.pk])).status_code == 403
    assert client.post(reverse("accounts:temporary_password", args=[target.pk])).status_code == 403
    target.refresh_from_db()
    assert target.check_password("matkhau-thu-nghiem")


def test_a_role_removed_mid_session_is_gone_on_the_next_request(scenario, client):
    """Permissions are read on every request: removing a role takes effect without a new sign-in."""
    user = scenario.users["secretary"]
    client.force_login(user)
    assert client.get(reverse("members:edit", args=[scenario.member_a.pk])).status_code == 200
    RoleAssignment.objects.filter(user=user).delete()
    assert client.get(reverse("members:edit", args=[scenario.member_a.pk])).status_code == 403
    assert client.get(reverse("members:detail", args=[scenario.member_a.pk])).status_code == 403


def test_a_closed_account_is_signed_out_on_its_next_request(scenario, client):
    """An account closed while signed in is sent to the login page on its next request."""
    user = scenario.users["staff"]
    client.force_login(user)
    assert client.get(reverse("accounts:list")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_closed_account_cannot_sign_in(scenario, client):
    """The login page refuses a closed account, with its password right."""
    user = scenario.users["secretary"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.post(reverse("login"), {"username": user.username, "password": "matkhau-thu-nghiem"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_superuser_without_roles_sees_and_edits_everything(scenario):
    """An administrator (superuser) is treated as staff over the whole deployment."""
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    scope = scope_for(admin)
    assert scope.sees_everything and scope.is_staff_member
    assert scope.edits_org(scenario.tree["cell_b"])


def test_unit_leadership_tree_counts_only_the_members_it_may_see(scenario, client):
    """The tree page of a unit's leadership counts the people it may see, not the whole party cell
    its unit belongs to."""
    for _ in range(4):
        MemberFactory(cell=scenario.tree["village"])  # village members outside the unit
    client.force_login(scenario.users["unit_leadership"])
    response = client.get(reverse("orgs:tree"))
    [node] = [n for n in response.context["nodes"] if n.org == scenario.tree["village"]]
    assert node.members == 1  # the chairman holding a post in the unit, not 5


def test_unit_leadership_dashboard_counts_only_the_members_it_may_see(scenario, client):
    """The home dashboard of a unit's leadership counts the same people as its tree page."""
    for _ in range(4):
        MemberFactory(cell=scenario.tree["village"])
    client.force_login(scenario.users["unit_leadership"])
    board = client.get(reverse("home")).context["board"]
    assert board.members == 1


def test_secretary_whose_own_member_record_lies_elsewhere_opens_the_tree(scenario, client):
    """A secretary linked to a member of another cell still gets the tree, counting only their cell."""
    user = scenario.users["secretary"]
    scenario.member_b.user = user
    scenario.member_b.save()
    client.force_login(user)
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 200
    assert [n.org for n in response.context["nodes"]] == [scenario.tree["cell_a"]]


def test_viewer_limited_to_an_organisation_sees_only_it(scenario, client):
    """A viewer given one organisation does not see the rest of the deployment."""
    user = user_with_role(Role.VIEWER, organization=scenario.tree["cell_a"], username="xem_a")
    client.force_login(user)
    assert client.get(reverse("members:detail", args=[scenario.member_b.pk])).status_code == 404
    assert client.get(reverse("orgs:unit", args=[scenario.unit_u2.pk])).status_code == 404
    assert client.get(reverse("members:edit", args=[scenario.member_a.pk])).status_code == 403
    found = client.get(reverse("members:search"), {"q": "Bình"}).context["rows"]
    assert found == []


def test_unit_leadership_does_not_see_units_of_other_parts(scenario, client):
    """A unit's leadership sees its own unit only, not a unit of a neighbouring cell."""
    other = UnitFactory(code="KHAC", block=scenario.block, party_organization=scenario.tree["village"])
    client.force_login(scenario.users["unit_leadership"])
    assert client.get(reverse("orgs:unit", args=[other.pk])).status_code == 404


def test_admin_refuses_a_staff_role_limited_to_an_organisation(scenario):
    """The admin's role form says in Vietnamese that staff and standing roles cover the whole deployment."""
    from core.admin import RoleAssignmentForm

    form = RoleAssignmentForm(data={
        "user": scenario.users["norole"].pk, "role": Role.STAFF, "organization": scenario.tree["cell_a"].pk,
    })
    assert not form.is_valid()
    assert "áp dụng cho toàn Đảng bộ" in str(form.errors)
