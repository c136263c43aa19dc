"""Database triggers refuse changing a final report's figures and file, or deleting it
(reports.guards, core.db_guard)."""
from django.db import migrations

from core.db_guard import install
from reports.guards import FINAL_REPORT


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_initial"),
        ("core", "0007_maintenance_switch"),
    ]

    operations = [install(FINAL_REPORT)]
