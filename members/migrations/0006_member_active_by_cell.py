"""Active members counted per cell from a partial index (the tree and the home page read it alone)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_position_group_coded_list_checks'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='member',
            index=models.Index(condition=models.Q(('is_active', True)), fields=['cell'], name='member_active_by_cell'),
        ),
    ]
