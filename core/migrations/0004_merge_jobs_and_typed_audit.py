"""Join the two branches of core's migrations: background jobs (0003_jobs) and typed audit values."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_jobs"),
        ("core", "0003_audit_actions_dotted_and_values_typed"),
    ]

    operations = []
