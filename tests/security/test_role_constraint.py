"""Staff and standing roles belong to the whole deployment: the database says so (orgs 0004),
and orgs 0003 turned rows from before into viewer roles over the same organisation."""
import importlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from core.admin import RoleAssignmentForm
from core.models import AuditEntry, Role, RoleAssignment
from core.scope import scope_for
from tests.factories import UnitFactory, UserFactory
from tests.security.legacy_roles import create_unchecked_role

pytestmark = pytest.mark.django_db

MIGRATION = "0003_wide_roles_over_an_organisation_become_viewers"
migration = importlib.import_module(f"orgs.migrations.{MIGRATION}")


class _Apps:
    """The models as they stood when the migration ran (RoleAssignment was then in orgs), but
    the audit entries it writes go through today's model: the table has since gained the hash
    chain's columns (core 0006), which the old model cannot fill. In a real run the migration
    comes before those columns exist."""

    def __init__(self, apps):
        self.apps = apps

    def get_model(self, app_label, model_name):
        if model_name == "AuditEntry":
            return AuditEntry
        return self.apps.get_model(app_label, model_name)


def historical_apps():
    return _Apps(MigrationLoader(connection).project_state(("orgs", MIGRATION)).apps)


@pytest.mark.parametrize("role", [Role.STAFF, Role.STANDING])
def test_the_database_refuses_a_wide_role_over_an_organisation(role, tree):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, organization=tree["cell_a"])
    assert not RoleAssignment.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.STANDING])
def test_the_database_refuses_a_wide_role_over_a_unit(role):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, unit=UnitFactory())


@pytest.mark.parametrize("role", [Role.STAFF, Role.STANDING])
def test_a_wide_role_over_the_whole_deployment_is_still_accepted(role):
    RoleAssignment.objects.create(user=UserFactory(), role=role)
    assert RoleAssignment.objects.filter(role=role, organization=None, unit=None).count() == 1


def test_the_data_migration_turns_wide_roles_over_an_organisation_into_viewers(tree):
    hep, bot, whole = UserFactory(username="hep"), UserFactory(username="bot"), UserFactory(username="bxd")
    staff_row = create_unchecked_role(user=hep, role=Role.STAFF, organization=tree["cell_a"])
    standing_row = create_unchecked_role(user=bot, role=Role.STANDING, organization=tree["base"])
    kept = RoleAssignment.objects.create(user=whole, role=Role.STAFF)

    migration.wide_roles_to_viewers(historical_apps(), None)

    staff_row.refresh_from_db()
    standing_row.refresh_from_db()
    kept.refresh_from_db()
    assert (staff_row.role, staff_row.organization, staff_row.unit) == (Role.VIEWER, tree["cell_a"], None)
    assert (standing_row.role, standing_row.organization) == (Role.VIEWER, tree["base"])
    assert (kept.role, kept.organization) == (Role.STAFF, None)
    # What scope_for made of the old rows is what they are now.
    assert scope_for(hep).org_paths == {Role.VIEWER: (tree["cell_a"].path,)}
    entries = AuditEntry.objects.filter(action="role_narrowed").order_by("object_repr")
    assert [(e.object_repr, e.actor, e.changes["role"]) for e in entries] == [
        ("bot", None, ["standing", "viewer"]), ("hep", None, ["staff", "viewer"]),
    ]


def test_the_data_migration_merges_a_row_into_a_viewer_role_already_held(tree):
    user = UserFactory()
    viewer = RoleAssignment.objects.create(user=user, role=Role.VIEWER, organization=tree["cell_a"])
    create_unchecked_role(user=user, role=Role.STAFF, organization=tree["cell_a"])

    migration.wide_roles_to_viewers(historical_apps(), None)

    assert list(RoleAssignment.objects.filter(user=user)) == [viewer]
    assert AuditEntry.objects.get(action="role_narrowed").changes["merged"] is True


def test_after_the_data_migration_every_row_satisfies_the_new_constraint(tree):
    """What 0004 checks when it adds the constraint: no wide role keeps an organisation or unit."""
    for role in (Role.STAFF, Role.STANDING):
        create_unchecked_role(user=UserFactory(), role=role, organization=tree["cell_b"])
    migration.wide_roles_to_viewers(historical_apps(), None)
    assert not RoleAssignment.objects.filter(role__in=[Role.STAFF, Role.STANDING]).exclude(
        organization=None, unit=None
    ).exists()


def test_the_data_migration_leaves_a_clean_database_alone(tree):
    RoleAssignment.objects.create(user=UserFactory(), role=Role.SECRETARY, organization=tree["cell_a"])
    RoleAssignment.objects.create(user=UserFactory(), role=Role.VIEWER, organization=tree["cell_b"])
    before = list(RoleAssignment.objects.values_list("pk", "role", "organization_id", "unit_id"))
    migration.wide_roles_to_viewers(historical_apps(), None)
    assert list(RoleAssignment.objects.values_list("pk", "role", "organization_id", "unit_id")) == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.STANDING])
def test_the_admin_form_refuses_a_wide_role_over_an_organisation_and_names_the_viewer_role(role, tree):
    form = RoleAssignmentForm({"user": UserFactory().pk, "role": role, "organization": tree["cell_a"].pk})
    assert not form.is_valid()
    message = form.non_field_errors()[0]
    assert "toàn Đảng bộ" in message and "“Chỉ xem”" in message
