"""Rows the database no longer accepts, made on purpose to test the code that guards against them.

Since orgs 0004, a staff or standing role cannot be held over an organisation. Deployments
migrated from older versions were cleaned by orgs 0003, but scope_for still defends against
such a row; these helpers put one in the test database past the check constraint.
"""
from django.db import connection

from core.models import RoleAssignment
from tests.factories import UserFactory

CONSTRAINT = "role_scope_matches_role"


def _constraint():
    return next(c for c in RoleAssignment._meta.constraints if c.name == CONSTRAINT)


def create_unchecked_role(*, user, role: str, organization=None, unit=None) -> RoleAssignment:
    """Insert a role assignment without the check constraint looking at it.

    SQLite skips CHECK constraints while `ignore_check_constraints` is on. PostgreSQL drops the
    constraint and adds it back NOT VALID (rows already there are not checked, new ones are);
    the test's transaction rolls both back. Needs the `db` fixture (a transaction to roll back).
    """
    fields = {"user": user, "role": role, "organization": organization, "unit": unit}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                return RoleAssignment.objects.create(**fields)
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    constraint = _constraint()
    with connection.cursor() as cursor:
        # ALTER TABLE refuses a table with foreign key checks still pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            with connection.schema_editor() as editor:
                editor.remove_constraint(RoleAssignment, constraint)
                row = RoleAssignment.objects.create(**fields)
                editor.execute(f"{constraint.create_sql(RoleAssignment, editor)} NOT VALID")
        finally:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return row


def user_with_unchecked_role(role: str, *, organization=None, unit=None, username=None):
    """A user holding one role the database would refuse (see create_unchecked_role)."""
    user = UserFactory(**({"username": username} if username else {}))
    create_unchecked_role(user=user, role=role, organization=organization, unit=unit)
    return user
