"""Position groups become a coded list like blocks (orgs.CodedList): a code and a name are never
blank, as for blocks. Groups breaking it are named first; every stored group is kept as it is."""
from django.db import migrations, models
from django.db.models import Q

from core.migration_checks import refuse_rows_breaking


def check_rows(apps, schema_editor):
    refuse_rows_breaking(apps, "members.PositionGroup", [
        (~Q(code=""), "Nhóm chức danh không có mã"),
        (~Q(name=""), "Nhóm chức danh không có tên"),
    ], show=lambda g: f"{g.code or '(không mã)'} {g.name}")


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0004_versions"),
    ]

    operations = [
        migrations.RunPython(check_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="positiongroup",
            constraint=models.CheckConstraint(condition=models.Q(("code", ""), _negated=True),
                                              name="positiongroup_code_not_blank"),
        ),
        migrations.AddConstraint(
            model_name="positiongroup",
            constraint=models.CheckConstraint(condition=models.Q(("name", ""), _negated=True),
                                              name="positiongroup_name_not_blank"),
        ),
    ]
