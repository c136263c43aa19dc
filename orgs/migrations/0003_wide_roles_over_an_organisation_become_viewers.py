"""Staff and standing-committee roles act on the whole deployment; held over one organisation
they only ever read that subtree (scope_for treated them as viewers). Make those rows say so,
so that 0004 can forbid an organisation on these roles."""
from django.db import migrations

WIDE_ROLES = ("staff", "standing")


def wide_roles_to_viewers(apps, schema_editor):
    """Turn each staff/standing role held over an organisation into a viewer role over it.

    A row the user already holds as a viewer over the same organisation is deleted instead of
    duplicated. Each change is written to the audit trail (no actor: the migration made it).
    """
    RoleAssignment = apps.get_model("orgs", "RoleAssignment")
    AuditEntry = apps.get_model("orgs", "AuditEntry")
    rows = (
        RoleAssignment.objects.filter(role__in=WIDE_ROLES, organization__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    for row in rows:
        duplicate = RoleAssignment.objects.filter(
            user_id=row.user_id, role="viewer", organization_id=row.organization_id, unit__isnull=True
        ).exists()
        old_role = row.role
        if duplicate:
            row.delete()
        else:
            row.role = "viewer"
            row.unit = None
            row.save(update_fields=["role", "unit"])
        AuditEntry.objects.create(
            actor=None,
            action="role_narrowed",
            object_type=row.user._meta.label,
            object_id=str(row.user_id),
            object_repr=str(row.user.username)[:255],
            changes={"role": [old_role, "viewer"], "organization": str(row.organization_id),
                     "merged": duplicate},
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_account_state")]

    operations = [migrations.RunPython(wide_roles_to_viewers, migrations.RunPython.noop)]
