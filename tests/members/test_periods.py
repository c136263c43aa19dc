"""Temporary activity elsewhere, and ending an exemption, a suspension or a temporary activity.

A secretary records "sinh hoạt tạm thời" and, later, the day it (or an exemption, or a
suspension) ends. Ending only shortens the recorded period; every change is audited, scoped and
explained in Vietnamese.
"""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appraisal.rules import member_eligibility
from core.models import AuditEntry
from core.scope import scope_for
from members import services
from members.models import (
    Exemption,
    Suspension,
    TemporaryActivity,
)

pytestmark = pytest.mark.django_db


def _ctx(scenario, role):
    user = scenario.users[role]
    return {"actor": user, "scope": scope_for(user)}


def _login(client, scenario, role):
    client.force_login(scenario.users[role])
    return client


# -- services -------------------------------------------------------------------------------


def test_temporary_activity_is_recorded_normalised_and_audited(scenario):
    member = scenario.member_a
    activity = services.period_start(
        **_ctx(scenario, "secretary"), member=member, kind="temporary", place="  Chi bộ thôn Nà Bó ",
        start_on=dt.date(2024, 3, 1),
    )
    assert (activity.place, activity.start_on, activity.end_on) == ("Chi bộ thôn Nà Bó", dt.date(2024, 3, 1), None)
    member.refresh_from_db()
    assert member.cell == scenario.tree["cell_a"], "temporary activity does not move the member"
    entry = AuditEntry.objects.get(action="member.temporary")
    assert entry.actor == scenario.users["secretary"] and entry.object_id == str(member.pk)
    assert entry.changes == {"place": "Chi bộ thôn Nà Bó", "start_on": {"date": "2024-03-01"}, "end_on": None}


@pytest.mark.parametrize(("fields", "field", "fragment"), [
    ({"place": "   "}, "place", "Chưa nhập nơi sinh hoạt tạm thời"),
    ({"start_on": dt.date(2001, 1, 1)}, "start_on", "không được trước ngày vào Đảng"),
    ({"end_on": dt.date(2024, 2, 1)}, "end_on", "không được trước ngày bắt đầu"),
])
def test_bad_temporary_activity_names_the_field_and_saves_nothing(scenario, fields, field, fragment):
    data = {"place": "Chi bộ thôn Nà Bó", "start_on": dt.date(2024, 3, 1), "end_on": None} | fields
    with pytest.raises(ValidationError) as exc:
        services.period_start(kind="temporary", **_ctx(scenario, "secretary"), member=scenario.member_a, **data)
    assert fragment in exc.value.message_dict[field][0]
    assert not TemporaryActivity.objects.exists()
    assert not AuditEntry.objects.filter(action="member.temporary").exists()


def test_overlapping_temporary_activity_is_refused(scenario):
    ctx = _ctx(scenario, "secretary")
    services.period_start(kind="temporary", **ctx, member=scenario.member_a, place="Thôn A", start_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.period_start(kind="temporary", **ctx, member=scenario.member_a, place="Thôn B", start_on=dt.date(2024, 6, 1))
    assert "Trùng với thời gian sinh hoạt tạm thời đã có: từ 01/01/2024 (chưa kết thúc)" in exc.value.message_dict["start_on"][0]
    assert TemporaryActivity.objects.count() == 1


def test_ending_a_suspension_makes_the_member_rated_again_after_it(scenario):
    """Lifted on 30/6/2024: suspended on 30/6, rated again from 1/7 [003 B.I.2]."""
    member = scenario.member_a
    Suspension.objects.create(member=member, start_on=dt.date(2024, 1, 10), reason="Chờ xử lý")
    period = services.period_end(**_ctx(scenario, "secretary"), member=member, kind="suspension",
                                 end_on=dt.date(2024, 6, 30))
    assert period.end_on == dt.date(2024, 6, 30)
    suspension = Suspension.objects.get()
    assert suspension.covers(dt.date(2024, 6, 30)) and not suspension.covers(dt.date(2024, 7, 1))
    assert member_eligibility(evaluated_on=dt.date(2024, 12, 31), admitted_on=member.admitted_on,
                              suspended=suspension.covers(dt.date(2024, 12, 31))).rated
    entry = AuditEntry.objects.get(action="member.suspend_end")
    assert entry.changes == {"start_on": {"date": "2024-01-10"}, "end_on": [None, {"date": "2024-06-30"}]}


@pytest.mark.parametrize("kind", ["exemption", "suspension", "temporary"])
def test_ending_when_nothing_is_open_is_refused_in_vietnamese(scenario, kind):
    member = scenario.member_a
    past = dt.date(2020, 1, 1), dt.date(2020, 12, 31)
    if kind == "temporary":
        TemporaryActivity.objects.create(member=member, place="Thôn A", start_on=past[0], end_on=past[1])
    else:
        (Exemption if kind == "exemption" else Suspension).objects.create(member=member, start_on=past[0], end_on=past[1])
    with pytest.raises(ValidationError) as exc:
        services.period_end(**_ctx(scenario, "secretary"), member=member, kind=kind, end_on=dt.date(2021, 1, 1))
    assert exc.value.messages == [
        f"Đảng viên {member} hiện không có thời gian {services.PERIOD_KINDS[kind].label} nào chưa kết thúc."
    ]
    assert not AuditEntry.objects.filter(action__endswith="_end").exists()


def test_end_before_start_or_after_the_recorded_end_is_refused(scenario):
    member = scenario.member_a
    today = timezone.localdate()
    planned_end = today + dt.timedelta(days=90)
    Exemption.objects.create(member=member, start_on=dt.date(2024, 5, 1), end_on=planned_end)
    ctx = _ctx(scenario, "secretary")
    with pytest.raises(ValidationError) as exc:
        services.period_end(**ctx, member=member, kind="exemption", end_on=dt.date(2024, 4, 30))
    assert exc.value.message_dict["end_on"] == [
        "Ngày kết thúc (30/4/2024) không được trước ngày bắt đầu miễn công tác và sinh hoạt đảng (01/5/2024)."
    ]
    with pytest.raises(ValidationError) as exc:
        services.period_end(**ctx, member=member, kind="exemption", end_on=planned_end + dt.timedelta(days=1))
    assert "muốn kéo dài, hãy ghi một lần miễn công tác và sinh hoạt đảng mới" in exc.value.message_dict["end_on"][0]
    assert Exemption.objects.get().end_on == planned_end
    # Shortening a planned end is what "kết thúc" is for.
    services.period_end(**ctx, member=member, kind="exemption", end_on=dt.date(2024, 12, 31))
    assert Exemption.objects.get().end_on == dt.date(2024, 12, 31)


@pytest.mark.parametrize("role", ["viewer", "standing", "unit_leadership"])
def test_only_editors_of_the_cell_record_or_end(scenario, role):
    member = scenario.member_a
    Suspension.objects.create(member=member, start_on=dt.date(2024, 1, 10))
    with pytest.raises(PermissionDenied):
        services.period_end(**_ctx(scenario, role), member=member, kind="suspension", end_on=dt.date(2024, 6, 30))
    with pytest.raises(PermissionDenied):
        services.period_start(kind="temporary", **_ctx(scenario, role), member=member, place="Thôn A", start_on=dt.date(2024, 1, 1))
    assert Suspension.objects.get().end_on is None and not TemporaryActivity.objects.exists()


def test_secretary_of_another_cell_cannot_end_a_suspension(scenario):
    """cell_a's secretary against cell_b's member: refused by the service, not only by the page."""
    Suspension.objects.create(member=scenario.member_b, start_on=dt.date(2024, 1, 10))
    with pytest.raises(PermissionDenied):
        services.period_end(**_ctx(scenario, "secretary"), member=scenario.member_b, kind="suspension",
                            end_on=dt.date(2024, 6, 30))
    assert Suspension.objects.get().end_on is None


def test_current_period_is_the_one_not_over_today(scenario):
    member = scenario.member_a
    today = timezone.localdate()
    Exemption.objects.create(member=member, start_on=dt.date(2019, 1, 1), end_on=dt.date(2019, 12, 31))
    assert services.current_period(member, "exemption", today) is None
    running = Exemption.objects.create(member=member, start_on=dt.date(2023, 1, 1), end_on=today + dt.timedelta(days=10))
    assert services.current_period(member, "exemption", today) == running
    outcome = member_eligibility(evaluated_on=today, admitted_on=member.admitted_on, exempt=running.covers(today))
    assert [r.code for r in outcome.reasons] == ["exempt"]


# -- pages ----------------------------------------------------------------------------------


def test_member_page_offers_end_links_only_for_open_periods_and_only_to_editors(scenario, client):
    member = scenario.member_a
    Exemption.objects.create(member=member, start_on=dt.date(2018, 1, 1), end_on=dt.date(2018, 12, 31))
    Suspension.objects.create(member=member, start_on=dt.date(2024, 1, 10))
    url = reverse("members:detail", args=[member.pk])
    page = _login(client, scenario, "secretary").get(url).content.decode()
    assert reverse("members:suspension_end", args=[member.pk]) in page
    assert reverse("members:exemption_end", args=[member.pk]) not in page
    assert reverse("members:temporary", args=[member.pk]) in page
    page = _login(client, scenario, "standing").get(url).content.decode()
    assert reverse("members:suspension_end", args=[member.pk]) not in page


def test_end_page_lifts_the_suspension_and_shows_it(scenario, client):
    member = scenario.member_a
    Suspension.objects.create(member=member, start_on=dt.date(2024, 1, 10), reason="Chờ xử lý")
    client = _login(client, scenario, "secretary")
    url = reverse("members:suspension_end", args=[member.pk])
    page = client.get(url).content.decode()
    assert "Đang ghi: từ 10/01/2024 (chưa xác định ngày kết thúc)." in page
    response = client.post(url, {"end_on": "30/06/2024", "version": Suspension.objects.get().version}, follow=True)
    assert response.redirect_chain[-1][0] == member.get_absolute_url()
    body = response.content.decode()
    assert "Đã ghi kết thúc đình chỉ sinh hoạt đảng cho đảng viên Nguyễn Văn Ánh." in body
    assert "30/6/2024" in body
    assert Suspension.objects.get().end_on == dt.date(2024, 6, 30)


def test_end_page_with_a_bad_date_keeps_the_period_and_says_why(scenario, client):
    member = scenario.member_a
    Suspension.objects.create(member=member, start_on=dt.date(2024, 1, 10))
    response = _login(client, scenario, "secretary").post(
        reverse("members:suspension_end", args=[member.pk]), {"end_on": "01/01/2024", "version": 1}
    )
    assert response.status_code == 200
    assert "không được trước ngày bắt đầu đình chỉ sinh hoạt đảng (10/01/2024)" in response.content.decode()
    assert Suspension.objects.get().end_on is None


def test_end_page_without_an_open_period_says_so_and_has_no_form(scenario, client):
    member = scenario.member_a
    client = _login(client, scenario, "secretary")
    response = client.get(reverse("members:exemption_end", args=[member.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "<form method=\"post\" class=\"edit\"" not in body
    assert "hiện không có thời gian miễn công tác và sinh hoạt đảng nào chưa kết thúc" in body
    response = client.post(reverse("members:exemption_end", args=[member.pk]), {"end_on": "01/01/2024", "version": 1})
    assert response.status_code == 200 and not AuditEntry.objects.filter(action="member.exempt_end").exists()


def test_temporary_activity_through_the_form_then_ended(scenario, client):
    member = scenario.member_a
    client = _login(client, scenario, "secretary")
    response = client.post(reverse("members:temporary", args=[member.pk]),
                           {"place": "Chi bộ thôn Nà Bó", "start_on": "01/03/2024", "end_on": ""})
    assert response.status_code == 302
    page = client.get(member.get_absolute_url()).content.decode()
    assert "Chi bộ thôn Nà Bó" in page and reverse("members:temporary_end", args=[member.pk]) in page
    client.post(reverse("members:temporary_end", args=[member.pk]),
                {"end_on": "31/08/2024", "version": TemporaryActivity.objects.get().version})
    assert TemporaryActivity.objects.get().end_on == dt.date(2024, 8, 31)
    empty = client.post(reverse("members:temporary", args=[member.pk]), {"place": "", "start_on": "01/09/2024"})
    assert "Nơi sinh hoạt tạm thời" in empty.content.decode() and TemporaryActivity.objects.count() == 1


def test_member_page_queries_do_not_grow_with_periods(scenario, client):
    member = scenario.member_a
    url = reverse("members:detail", args=[member.pk])
    client = _login(client, scenario, "secretary")
    TemporaryActivity.objects.create(member=member, place="Thôn 0", start_on=dt.date(2000, 1, 1), end_on=dt.date(2000, 2, 1))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for year in range(2001, 2015):
        TemporaryActivity.objects.create(member=member, place=f"Thôn {year}", start_on=dt.date(year, 1, 1), end_on=dt.date(year, 2, 1))
        Exemption.objects.create(member=member, start_on=dt.date(year, 3, 1), end_on=dt.date(year, 4, 1))
        Suspension.objects.create(member=member, start_on=dt.date(year, 5, 1), end_on=dt.date(year, 6, 1))
    TemporaryActivity.objects.create(member=member, place="Thôn mở", start_on=dt.date(2024, 1, 1))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["open_temporary"] == TemporaryActivity.objects.get(place="Thôn mở").pk
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_change_made_by_someone_else_meanwhile_is_not_overwritten(scenario, client):
    """Two secretaries open the end page; the second to save is told to reload, the first's date stays."""
    member = scenario.member_a
    planned = timezone.localdate() + dt.timedelta(days=60)
    Suspension.objects.create(member=member, start_on=dt.date(2024, 1, 10))
    client = _login(client, scenario, "secretary")
    url = reverse("members:suspension_end", args=[member.pk])
    seen = client.get(url).context["form"]["version"].value()
    assert seen == Suspension.objects.get().version
    # Meanwhile staff set a planned end.
    services.period_end(**_ctx(scenario, "staff"), member=member, kind="suspension", end_on=planned, version=seen)
    response = client.post(url, {"end_on": "30/06/2024", "version": seen})
    assert response.status_code == 200
    assert "vừa được người khác sửa sau khi đồng chí mở trang" in response.content.decode()
    assert Suspension.objects.get().end_on == planned
    assert AuditEntry.objects.filter(action="member.suspend_end").count() == 1
