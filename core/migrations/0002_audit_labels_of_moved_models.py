"""Audit entries written before the move name the models by their old app: name them by the new."""
from django.db import migrations

RENAMED = {"orgs.RoleAssignment": "core.RoleAssignment", "orgs.AccountState": "accounts.AccountState"}


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMED.items():
        AuditEntry.objects.filter(object_type=old).update(object_type=new)


def backwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in RENAMED.items():
        AuditEntry.objects.filter(object_type=new).update(object_type=old)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
