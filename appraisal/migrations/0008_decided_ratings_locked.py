"""Database triggers refuse changing or deleting a decided rating (appraisal.guards, core.db_guard)."""
from django.db import migrations

from appraisal.guards import DECIDED_RATING
from core.db_guard import install


class Migration(migrations.Migration):

    dependencies = [
        ("appraisal", "0007_decision_signer_title"),
        ("core", "0007_maintenance_switch"),
    ]

    operations = [install(DECIDED_RATING)]
