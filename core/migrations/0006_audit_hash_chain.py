"""The audit trail becomes a hash chain (core.audit_chain); the entries already there are chained
in id order and the head row made."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.audit_chain import link


def chain_existing(apps, schema_editor):
    """Chain the existing entries in id order, a batch at a time, and store the head."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    last_id, last_digest, count, batch = None, "", 0, []
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(entry)
        if len(batch) == 2000:
            last_id, last_digest = link(batch, prev_id=last_id, prev_digest=last_digest)
            AuditEntry.objects.bulk_update(batch, ["prev_id", "prev_digest", "digest"])
            count, batch = count + len(batch), []
    if batch:
        last_id, last_digest = link(batch, prev_id=last_id, prev_digest=last_digest)
        AuditEntry.objects.bulk_update(batch, ["prev_id", "prev_digest", "digest"])
        count += len(batch)
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_id": last_id, "last_digest": last_digest, "entries": count})


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_job_heartbeat_and_interruption'),
        ('orgs', '0009_letterhead'),  # its data migrations write entries: chain them too
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_id', models.BigIntegerField(blank=True, null=True, verbose_name='mục cuối')),
                ('last_digest', models.CharField(blank=True, max_length=64, verbose_name='mã băm mục cuối')),
                ('entries', models.PositiveBigIntegerField(default=0, verbose_name='số mục')),
            ],
            options={
                'verbose_name': 'đầu chuỗi nhật ký',
                'verbose_name_plural': 'đầu chuỗi nhật ký',
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='digest',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='mã băm'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_digest',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='mã băm mục trước'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_id',
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name='mục trước'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='thời điểm'),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
