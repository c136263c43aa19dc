"""Create the database cache table when the settings use one (production's default).

`migrate` is the step every deployment runs, so the sign-in brake's shared cache exists before
the first sign-in; `createcachetable` does nothing for other cache backends or if it exists.
"""
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_wide_roles_have_no_organisation")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
