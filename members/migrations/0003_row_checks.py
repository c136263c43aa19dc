"""Check constraints on what is local to one row of a member's record (dates in order, plausible
admission, a status matching the date of becoming official). Rows breaking one are named first."""
import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q

from core.migration_checks import refuse_rows_breaking

PARTY_FOUNDED = datetime.date(1930, 2, 3)
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
ORDERED = Q(end_on__isnull=True) | Q(end_on__gte=F("start_on"))


def check_rows(apps, schema_editor):
    refuse_rows_breaking(apps, "members.Member", [
        (~Q(full_name=""), "Đảng viên không có họ tên"),
        (~Q(card_number=""), "Đảng viên không có số thẻ"),
        (Q(gender__in=["male", "female"]), "Giới tính không hợp lệ"),
        (Q(admitted_on__gte=PARTY_FOUNDED), "Ngày vào Đảng trước 03/02/1930"),
        (Q(date_of_birth__isnull=True) | Q(date_of_birth__gte=EARLIEST_BIRTH, date_of_birth__lt=F("admitted_on")),
         "Ngày sinh trước 01/01/1900 hoặc không trước ngày vào Đảng"),
        (Q(status="probationary", official_on__isnull=True) | Q(status="official", official_on__isnull=False, official_on__gte=F("admitted_on")),
         "Tình trạng không khớp ngày chính thức (chính thức phải có ngày chính thức, không trước ngày vào Đảng; dự bị thì chưa có)"),
    ], show=lambda m: f"{m.card_number} {m.full_name}")
    for label in ("members.Exemption", "members.Suspension", "members.TemporaryActivity"):
        refuse_rows_breaking(apps, label, [(ORDERED, "Ngày kết thúc trước ngày bắt đầu")],
                             show=lambda p: f"đảng viên #{p.member_id} từ {p.start_on}")
    refuse_rows_breaking(apps, "members.TemporaryActivity", [(~Q(place=""), "Không ghi nơi sinh hoạt tạm thời")],
                         show=lambda p: f"đảng viên #{p.member_id} từ {p.start_on}")
    refuse_rows_breaking(apps, "members.Discipline", [(Q(decided_on__gte=F("violation_on")), "Ngày quyết định trước ngày vi phạm")],
                         show=lambda d: f"đảng viên #{d.member_id} ngày {d.decided_on}")


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_initial'),
        ('orgs', '0007_placement_rules_and_row_checks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(check_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='discipline',
            constraint=models.CheckConstraint(condition=models.Q(('decided_on__gte', models.F('violation_on'))), name='discipline_decided_after_violation'),
        ),
        migrations.AddConstraint(
            model_name='exemption',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='exemption_dates_ordered'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('full_name', ''), _negated=True), name='member_name_not_blank'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('card_number', ''), _negated=True), name='member_card_not_blank'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('gender__in', ['male', 'female'])), name='member_gender_known'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('admitted_on__gte', datetime.date(1930, 2, 3))), name='member_admitted_after_the_party'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('date_of_birth__isnull', True), models.Q(('date_of_birth__gte', datetime.date(1900, 1, 1)), ('date_of_birth__lt', models.F('admitted_on'))), _connector='OR'), name='member_born_before_admission'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('official_on__isnull', True), ('status', 'probationary')), models.Q(('official_on__gte', models.F('admitted_on')), ('official_on__isnull', False), ('status', 'official')), _connector='OR'), name='member_status_matches_official_date'),
        ),
        migrations.AddConstraint(
            model_name='suspension',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='suspension_dates_ordered'),
        ),
        migrations.AddConstraint(
            model_name='temporaryactivity',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='temporary_activity_dates_ordered'),
        ),
        migrations.AddConstraint(
            model_name='temporaryactivity',
            constraint=models.CheckConstraint(condition=models.Q(('place', ''), _negated=True), name='temporary_activity_place_not_blank'),
        ),
    ]
