"""The SQLite maintenance switch the row guards read (core.db_guard); PostgreSQL uses the session
setting kiemdiem.maintenance instead and needs no table."""
from django.db import migrations

from core.db_guard import SQLITE_SWITCH


def create_switch(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {SQLITE_SWITCH} (on_since TEXT)")


def drop_switch(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_SWITCH}")


class Migration(migrations.Migration):

    dependencies = [("core", "0006_audit_hash_chain")]

    operations = [migrations.RunPython(create_switch, drop_switch)]
