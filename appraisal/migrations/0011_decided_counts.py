"""Stored counts of decided results (DecidedCount), counted once from the ratings already decided."""

import django.db.models.deletion
from django.db import migrations, models

# What appraisal.scoring.counts.decided_counts_rebuild writes, in one statement for a large table.
COUNT_DECIDED = """
INSERT INTO appraisal_decidedcount (period_id, subject_type, scope_org_id, scope_unit_id, level, "count")
SELECT period_id, subject_type, scope_org_id, scope_unit_id, approved_level, COUNT(*)
FROM appraisal_rating WHERE is_live AND status = 'decided'
GROUP BY period_id, subject_type, scope_org_id, scope_unit_id, approved_level
"""

class Migration(migrations.Migration):

    dependencies = [
        ('appraisal', '0010_rating_proposed_by'),
        ('orgs', '0009_letterhead'),
    ]

    operations = [
        migrations.CreateModel(
            name='DecidedCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_type', models.CharField(choices=[('member_yearly', 'Đảng viên (hằng năm)'), ('leader_quarterly', 'Cán bộ lãnh đạo, quản lý (hằng quý)'), ('leader_yearly', 'Cán bộ lãnh đạo, quản lý (hằng năm)'), ('base_org_yearly', 'Tổ chức cơ sở đảng (hằng năm)'), ('committee_yearly', 'Tập thể cấp ủy (hằng năm)'), ('collective_yearly', 'Tập thể lãnh đạo, quản lý (hằng năm)')], max_length=24, verbose_name='đối tượng')),
                ('level', models.CharField(choices=[('HTXSNV', 'Hoàn thành xuất sắc nhiệm vụ'), ('HTTNV', 'Hoàn thành tốt nhiệm vụ'), ('HTNV', 'Hoàn thành nhiệm vụ'), ('KHTNV', 'Không hoàn thành nhiệm vụ')], max_length=8, verbose_name='mức xếp loại')),
                ('count', models.PositiveIntegerField(verbose_name='số lượng')),
                ('period', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='decided_counts', to='appraisal.period', verbose_name='kỳ đánh giá')),
                ('scope_org', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.partyorganization', verbose_name='thuộc tổ chức đảng')),
                ('scope_unit', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='thuộc cơ quan, đơn vị')),
            ],
            options={
                'verbose_name': 'số kết quả đã quyết định',
                'verbose_name_plural': 'số kết quả đã quyết định',
            },
        ),
        migrations.RunSQL(COUNT_DECIDED, migrations.RunSQL.noop),
    ]
