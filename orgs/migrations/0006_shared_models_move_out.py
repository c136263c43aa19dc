"""RoleAssignment and AuditEntry move to `core`, AccountState to `accounts` (no cycle between apps).

Only Django's record of the models changes: the tables stay where they are, and the new apps'
first migrations take them over under their old names (db_table).
"""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_shared_cache_table")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel("RoleAssignment"),
                migrations.DeleteModel("AuditEntry"),
                migrations.DeleteModel("AccountState"),
            ],
        ),
    ]
