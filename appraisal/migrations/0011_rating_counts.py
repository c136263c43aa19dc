"""Stored counts of the live ratings (RatingCount), counted once from the ratings there are."""

import django.db.models.deletion
from django.db import migrations, models

# What appraisal.scoring.counts.rating_counts_rebuild writes, in one statement for a large table.
COUNT_RATINGS = """
INSERT INTO appraisal_ratingcount (period_id, subject_type, scope_org_id, scope_unit_id, level, exclusion, "count")
SELECT period_id, subject_type, scope_org_id, scope_unit_id,
       CASE WHEN status = 'decided' THEN approved_level ELSE '' END AS counted, exclusion, COUNT(*)
FROM appraisal_rating WHERE is_live
GROUP BY period_id, subject_type, scope_org_id, scope_unit_id, counted, exclusion
"""

class Migration(migrations.Migration):

    dependencies = [
        ('appraisal', '0010_rating_proposed_by'),
        ('orgs', '0009_letterhead'),
    ]

    operations = [
        migrations.CreateModel(
            name='RatingCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_type', models.CharField(choices=[('member_yearly', 'Đảng viên (hằng năm)'), ('leader_quarterly', 'Cán bộ lãnh đạo, quản lý (hằng quý)'), ('leader_yearly', 'Cán bộ lãnh đạo, quản lý (hằng năm)'), ('base_org_yearly', 'Tổ chức cơ sở đảng (hằng năm)'), ('committee_yearly', 'Tập thể cấp ủy (hằng năm)'), ('collective_yearly', 'Tập thể lãnh đạo, quản lý (hằng năm)')], max_length=24, verbose_name='đối tượng')),
                ('level', models.CharField(blank=True, choices=[('HTXSNV', 'Hoàn thành xuất sắc nhiệm vụ'), ('HTTNV', 'Hoàn thành tốt nhiệm vụ'), ('HTNV', 'Hoàn thành nhiệm vụ'), ('KHTNV', 'Không hoàn thành nhiệm vụ')], max_length=8, verbose_name='mức đã quyết định')),
                ('exclusion', models.CharField(blank=True, choices=[('exempt', 'Miễn công tác và sinh hoạt đảng'), ('suspended', 'Đình chỉ sinh hoạt đảng'), ('admitted_recently', 'Mới kết nạp dưới 06 tháng'), ('recently_formed', 'Tổ chức đảng mới thành lập, chia tách, sáp nhập dưới 06 tháng'), ('organisation_recently_formed', 'Tổ chức đảng của cấp ủy chưa đủ 06 tháng'), ('not_reviewing', 'Không thuộc diện phải kiểm điểm'), ('yearly_only', 'Chỉ đánh giá, xếp loại hằng năm'), ('training', 'Đào tạo, bồi dưỡng tập trung từ 02 tháng (chuyển sang quý sau)'), ('first_appointed', 'Mới bổ nhiệm dưới 01 tháng (chuyển sang quý sau)'), ('leave', 'Nghỉ ốm, thai sản từ 02 tháng (chuyển sang quý sau)'), ('under_investigation', 'Đang kiểm tra dấu hiệu vi phạm (chuyển sang quý sau)'), ('other', 'Lý do khác')], max_length=32, verbose_name='lý do không xếp loại')),
                ('count', models.PositiveIntegerField(verbose_name='số lượng')),
                ('period', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='rating_counts', to='appraisal.period', verbose_name='kỳ đánh giá')),
                ('scope_org', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.partyorganization', verbose_name='thuộc tổ chức đảng')),
                ('scope_unit', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='thuộc cơ quan, đơn vị')),
            ],
            options={
                'verbose_name': 'số kết quả xếp loại',
                'verbose_name_plural': 'số kết quả xếp loại',
            },
        ),
        migrations.RunSQL(COUNT_RATINGS, migrations.RunSQL.noop),
    ]
