"""Placement rules become data (with today's rules and the new province and district kinds);
check constraints on what is local to one row. Rows breaking a new check are named first."""
import datetime

from django.db import migrations, models
from django.db.models import F, Q

from core.migration_checks import refuse_rows_breaking

PARTY_FOUNDED = datetime.date(1930, 2, 3)

# Kind → (may be at the top, parent kinds): the rules orgs.services.PARENT_KINDS fixed until now,
# and where the new province and district kinds may go.
RULES = {
    "province": (True, []),
    "district": (True, ["province"]),
    "root": (True, ["district", "province"]),
    "base_party": (False, ["root", "district"]),
    "base_cell": (False, ["root", "district"]),
    "root_cell": (False, ["root"]),
    "sub_cell": (False, ["base_party"]),
    "group": (False, ["base_cell", "root_cell", "sub_cell"]),
}


def store_rules(apps, schema_editor):
    PlacementRule = apps.get_model("orgs", "PlacementRule")
    for kind, (top, parents) in RULES.items():
        PlacementRule.objects.get_or_create(kind=kind, defaults={"top_allowed": top, "parent_kinds": parents})


def check_rows(apps, schema_editor):
    refuse_rows_breaking(apps, "orgs.PartyOrganization", [
        (~Q(parent=F("pk")), "Tổ chức trực thuộc chính nó"),
        (Q(established_on__isnull=True) | Q(established_on__gte=PARTY_FOUNDED), "Ngày thành lập trước 03/02/1930"),
        (~Q(code=""), "Tổ chức không có mã"),
        (~Q(name=""), "Tổ chức không có tên"),
    ], show=lambda o: f"{o.code} {o.name}")
    for label in ("orgs.Block", "orgs.Unit"):
        refuse_rows_breaking(apps, label, [(~Q(code=""), "Không có mã"), (~Q(name=""), "Không có tên")],
                             show=lambda o: f"{o.code} {o.name}")


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0006_shared_models_move_out'),
    ]

    operations = [
        migrations.RunPython(check_rows, migrations.RunPython.noop),
        migrations.CreateModel(
            name='PlacementRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('province', 'Đảng bộ tỉnh, thành phố'), ('district', 'Đảng bộ cấp huyện và tương đương'), ('root', 'Đảng bộ cấp trên trực tiếp cơ sở'), ('base_party', 'Đảng bộ cơ sở'), ('base_cell', 'Chi bộ cơ sở'), ('root_cell', 'Chi bộ trực thuộc Đảng ủy xã'), ('sub_cell', 'Chi bộ trực thuộc đảng ủy cơ sở'), ('group', 'Tổ đảng')], max_length=16, unique=True, verbose_name='loại tổ chức')),
                ('top_allowed', models.BooleanField(default=False, verbose_name='được là tổ chức cấp cao nhất')),
                ('parent_kinds', models.JSONField(blank=True, default=list, verbose_name='trực thuộc được các loại')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='phiên bản')),
            ],
            options={
                'verbose_name': 'quy tắc trực thuộc',
                'verbose_name_plural': 'quy tắc trực thuộc',
                'ordering': ['kind'],
            },
        ),
        migrations.AlterField(
            model_name='partyorganization',
            name='kind',
            field=models.CharField(choices=[('province', 'Đảng bộ tỉnh, thành phố'), ('district', 'Đảng bộ cấp huyện và tương đương'), ('root', 'Đảng bộ cấp trên trực tiếp cơ sở'), ('base_party', 'Đảng bộ cơ sở'), ('base_cell', 'Chi bộ cơ sở'), ('root_cell', 'Chi bộ trực thuộc Đảng ủy xã'), ('sub_cell', 'Chi bộ trực thuộc đảng ủy cơ sở'), ('group', 'Tổ đảng')], max_length=16, verbose_name='loại'),
        ),
        migrations.AddConstraint(
            model_name='block',
            constraint=models.CheckConstraint(condition=models.Q(('code', ''), _negated=True), name='block_code_not_blank'),
        ),
        migrations.AddConstraint(
            model_name='block',
            constraint=models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='block_name_not_blank'),
        ),
        migrations.AddConstraint(
            model_name='partyorganization',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='org_not_its_own_parent'),
        ),
        migrations.AddConstraint(
            model_name='partyorganization',
            constraint=models.CheckConstraint(condition=models.Q(('established_on__isnull', True), ('established_on__gte', datetime.date(1930, 2, 3)), _connector='OR'), name='org_founded_after_the_party'),
        ),
        migrations.AddConstraint(
            model_name='partyorganization',
            constraint=models.CheckConstraint(condition=models.Q(('code', ''), _negated=True), name='org_code_not_blank'),
        ),
        migrations.AddConstraint(
            model_name='partyorganization',
            constraint=models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='org_name_not_blank'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.CheckConstraint(condition=models.Q(('code', ''), _negated=True), name='unit_code_not_blank'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='unit_name_not_blank'),
        ),
        migrations.RunPython(store_rules, migrations.RunPython.noop),
    ]
