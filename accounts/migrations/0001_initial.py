"""Take over the tables orgs made for these models (orgs 0006): the state only, no SQL."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0006_shared_models_move_out'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AccountState',
                fields=[
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='account_state', serialize=False, to=settings.AUTH_USER_MODEL, verbose_name='tài khoản')),
                    ('must_change_password', models.BooleanField(default=False, help_text='Mật khẩu tạm thời: lần đăng nhập sau phải đổi trước khi làm việc khác.', verbose_name='phải đổi mật khẩu')),
                ],
                options={
                    'verbose_name': 'trạng thái tài khoản',
                    'verbose_name_plural': 'trạng thái tài khoản',
                    'db_table': 'orgs_accountstate',
                },
            ),
            ],
        ),
    ]
