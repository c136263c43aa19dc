"""Take over the tables orgs made for these models (orgs 0006): the state only, no SQL."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0006_shared_models_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AuditEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='thời điểm')),
                    ('action', models.CharField(max_length=64, verbose_name='thao tác')),
                    ('object_type', models.CharField(max_length=64, verbose_name='loại đối tượng')),
                    ('object_id', models.CharField(max_length=64, verbose_name='mã đối tượng')),
                    ('object_repr', models.CharField(max_length=255, verbose_name='đối tượng')),
                    ('changes', models.JSONField(blank=True, default=dict, verbose_name='thay đổi')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                ],
                options={
                    'verbose_name': 'nhật ký thay đổi',
                    'verbose_name_plural': 'nhật ký thay đổi',
                    'db_table': 'orgs_auditentry',
                    'ordering': ['-at', '-id'],
                    'indexes': [models.Index(fields=['object_type', 'object_id'], name='orgs_audite_object__66f486_idx')],
                },
            ),
            migrations.CreateModel(
                name='RoleAssignment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('role', models.CharField(choices=[('secretary', 'Bí thư chi bộ'), ('unit_leadership', 'Lãnh đạo cơ quan, đơn vị'), ('staff', 'Ban Xây dựng Đảng'), ('standing', 'Ban Thường vụ'), ('viewer', 'Chỉ xem')], max_length=20, verbose_name='vai trò')),
                    ('organization', models.ForeignKey(blank=True, help_text='Phạm vi: tổ chức đảng và các tổ chức trực thuộc. Để trống = toàn Đảng bộ.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='role_assignments', to='orgs.partyorganization', verbose_name='tổ chức đảng')),
                    ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='role_assignments', to='orgs.unit', verbose_name='cơ quan, đơn vị')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_assignments', to=settings.AUTH_USER_MODEL, verbose_name='tài khoản')),
                ],
                options={
                    'verbose_name': 'phân quyền',
                    'verbose_name_plural': 'phân quyền',
                    'db_table': 'orgs_roleassignment',
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('organization__isnull', False), ('role', 'secretary'), ('unit__isnull', True)), models.Q(('organization__isnull', True), ('role', 'unit_leadership'), ('unit__isnull', False)), models.Q(('organization__isnull', True), ('role__in', ['staff', 'standing']), ('unit__isnull', True)), models.Q(('role', 'viewer'), ('unit__isnull', True)), _connector='OR'), name='role_scope_matches_role')],
                },
            ),
            ],
        ),
    ]
