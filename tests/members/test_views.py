"""Member pages: search, the member's page, and the forms that call the services."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry, Role
from members.models import (
    Discipline,
    Exemption,
    LeaderPosition,
    Member,
    Suspension,
    TemporaryActivity,
    Transfer,
)
from tests.factories import MemberFactory, user_with_role

pytestmark = pytest.mark.django_db


def _login(client, scenario, role):
    client.force_login(scenario.users[role])
    return client


def _member_form(**overrides):
    data = {
        "full_name": "Phạm Thị Dung", "gender": "female", "card_number": "N0000009",
        "admitted_on": "01/03/2020", "status": "official", "official_on": "2021-03-01",
        "date_of_birth": "", "cell": "",
    }
    return data | overrides


# search


def test_search_without_tones_finds_the_member_in_scope(scenario, client):
    response = _login(client, scenario, "staff").get(reverse("members:search"), {"q": "nguyen van anh"})
    assert [r.member.full_name for r in response.context["rows"]] == ["Nguyễn Văn Ánh"]
    assert "Chi bộ Tổ Toán" in response.content.decode()


def test_search_is_scoped_to_the_secretary(scenario, client):
    """A secretary searching for another cell's member finds nothing."""
    response = _login(client, scenario, "secretary").get(reverse("members:search"), {"q": "tran thi binh"})
    assert response.context["rows"] == []
    assert "Không tìm thấy đảng viên nào" in response.content.decode()


def test_search_by_card_number(scenario, client):
    response = _login(client, scenario, "staff").get(reverse("members:search"), {"q": "B0000001"})
    assert [r.member.full_name for r in response.context["rows"]] == ["Trần Thị Bình"]


def test_search_reads_in_constant_queries(tree, client):
    """10 or 500 matching members: the search page costs the same number of queries."""
    client.force_login(user_with_role(Role.STAFF))
    url = reverse("members:search") + "?q=nguyen"
    members = MemberFactory.create_batch(10, cell=tree["cell_a"])
    Suspension.objects.create(member=members[0], start_on=dt.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    MemberFactory.create_batch(490, cell=tree["cell_b"])
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["page"].paginator.count == 500
    assert len(small.captured_queries) == len(large.captured_queries)


# member page


def test_member_page_shows_history_and_positions(scenario, client):
    member = scenario.member_a
    Transfer.objects.create(member=member, from_cell=scenario.tree["village"], to_cell=scenario.tree["cell_a"], moved_on=dt.date(2019, 5, 1))
    TemporaryActivity.objects.create(member=member, place="Chi bộ Sở Y tế", start_on=dt.date(2022, 1, 1))
    Exemption.objects.create(member=member, start_on=dt.date(2023, 1, 1), end_on=dt.date(2023, 6, 30), reason="Ốm dài ngày")
    Suspension.objects.create(member=member, start_on=dt.date(2024, 2, 1), end_on=dt.date(2024, 3, 1))
    Discipline.objects.create(member=member, form="reprimand", violation_on=dt.date(2024, 1, 5), decided_on=dt.date(2024, 1, 20), decision_number="05-QĐ/UBKT")
    LeaderPosition.objects.create(member=member, title="Phó Bí thư", organization=scenario.tree["cell_a"], leadership_role="deputy", group=scenario.group, start_on=dt.date(2015, 1, 1), end_on=dt.date(2020, 12, 31))
    response = _login(client, scenario, "secretary").get(reverse("members:detail", args=[member.pk]))
    html = response.content.decode()
    for text in ("Chi bộ thôn Nà Bó", "Chi bộ Sở Y tế", "Ốm dài ngày", "01/02/2024", "Khiển trách", "05-QĐ/UBKT", "Bí thư chi bộ", "Phó Bí thư"):
        assert text in html, text
    assert [p.title for p in response.context["current_positions"]] == ["Bí thư chi bộ"]
    assert [p.title for p in response.context["past_positions"]] == ["Phó Bí thư"]
    assert response.context["can_edit"]


def test_member_page_is_read_only_for_the_standing_committee(scenario, client):
    response = _login(client, scenario, "standing").get(reverse("members:detail", args=[scenario.member_a.pk]))
    assert not response.context["can_edit"]
    assert "Sửa hồ sơ" not in response.content.decode()


def test_unit_leadership_sees_their_post_holder_but_not_others(scenario, client):
    client = _login(client, scenario, "unit_leadership")
    assert client.get(reverse("members:detail", args=[scenario.member_u.pk])).status_code == 200
    assert client.get(reverse("members:detail", args=[scenario.member_a.pk])).status_code == 404


# create and edit


def test_create_member_through_the_form(scenario, client):
    cell = scenario.tree["cell_a"]
    response = _login(client, scenario, "secretary").post(reverse("members:create"), _member_form(cell=cell.pk))
    member = Member.objects.get(card_number="N0000009")
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert (member.cell, member.admitted_on, member.official_on) == (cell, dt.date(2020, 3, 1), dt.date(2021, 3, 1))


def test_create_form_offers_only_the_secretarys_cells(scenario, client):
    """A secretary cannot even pick another cell: the choice is refused, nothing created."""
    response = _login(client, scenario, "secretary").post(
        reverse("members:create"), _member_form(cell=scenario.tree["cell_b"].pk)
    )
    assert response.status_code == 200
    assert list(response.context["form"].fields["cell"].queryset) == [scenario.tree["cell_a"]]
    assert "cell" in response.context["form"].errors
    assert not Member.objects.filter(card_number="N0000009").exists()


def test_duplicate_card_shows_a_vietnamese_message_on_the_field(scenario, client):
    response = _login(client, scenario, "secretary").post(
        reverse("members:create"), _member_form(cell=scenario.tree["cell_a"].pk, card_number="B0000001")
    )
    errors = response.context["form"].errors["card_number"]
    assert "Số thẻ đảng viên B0000001 đã có trong hệ thống" in errors[0]
    assert "Chưa lưu" in response.content.decode()


def test_bad_date_is_named_in_the_message(scenario, client):
    response = _login(client, scenario, "staff").post(
        reverse("members:create"), _member_form(cell=scenario.tree["cell_a"].pk, admitted_on="31/02/2020")
    )
    assert "Ngày vào Đảng: ngày không hợp lệ" in response.context["form"].errors["admitted_on"][0]


def _edit_data(member, **overrides):
    return {
        "full_name": member.full_name, "gender": member.gender, "card_number": member.card_number,
        "admitted_on": member.admitted_on.isoformat(), "status": member.status,
        "official_on": member.official_on.isoformat(), "date_of_birth": "", "is_active": "on",
        "version": member.version,
    } | overrides


def test_edit_saves_and_is_audited(scenario, client):
    member = scenario.member_a
    response = _login(client, scenario, "secretary").post(
        reverse("members:edit", args=[member.pk]), _edit_data(member, full_name="Nguyễn Văn Ánh Dương")
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.version) == ("Nguyễn Văn Ánh Dương", 2)
    assert AuditEntry.objects.filter(action="member.update", object_id=str(member.pk)).exists()


def test_stale_edit_form_is_refused_and_nothing_overwritten(scenario, client):
    """Two people open the form on version 1; the second submit gets a Vietnamese message."""
    member = scenario.member_a
    client = _login(client, scenario, "secretary")
    stale = _edit_data(member, full_name="Tên Cũ Đè Lên")
    assert client.post(reverse("members:edit", args=[member.pk]), _edit_data(member, card_number="A0000002")).status_code == 302
    response = client.post(reverse("members:edit", args=[member.pk]), stale)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    member.refresh_from_db()
    assert (member.full_name, member.card_number, member.version) == ("Nguyễn Văn Ánh", "A0000002", 2)


def test_secretary_guessing_another_cells_edit_url_gets_404(scenario, client):
    url = reverse("members:edit", args=[scenario.member_b.pk])
    response = _login(client, scenario, "secretary").post(url, _edit_data(scenario.member_b, full_name="X"))
    assert response.status_code == 404
    scenario.member_b.refresh_from_db()
    assert scenario.member_b.full_name == "Trần Thị Bình"


def test_viewer_cannot_post_an_edit(scenario, client):
    response = _login(client, scenario, "viewer").post(
        reverse("members:edit", args=[scenario.member_a.pk]), _edit_data(scenario.member_a, full_name="X")
    )
    assert response.status_code == 403


# transfer, exemption, suspension, discipline, positions


def test_transfer_through_the_form(scenario, client):
    """The secretary moves a member out; the member then lies outside their scope."""
    member = scenario.member_a
    client = _login(client, scenario, "secretary")
    response = client.post(reverse("members:transfer", args=[member.pk]), {
        "to_cell": scenario.tree["cell_b"].pk, "moved_on": "01/06/2024", "note": "", "version": member.version,
    })
    assert response.status_code == 302 and response["Location"] == reverse("orgs:tree")
    member.refresh_from_db()
    assert member.cell == scenario.tree["cell_b"]
    assert Transfer.objects.get(member=member).from_cell == scenario.tree["cell_a"]
    assert client.get(reverse("members:detail", args=[member.pk])).status_code == 404


def test_transfer_to_the_same_cell_is_explained(scenario, client):
    member = scenario.member_a
    response = _login(client, scenario, "secretary").post(reverse("members:transfer", args=[member.pk]), {
        "to_cell": scenario.tree["cell_a"].pk, "moved_on": "01/06/2024", "version": member.version,
    })
    assert "Đảng viên đang sinh hoạt tại “Chi bộ Tổ Toán”" in response.context["form"].errors["to_cell"][0]
    assert not Transfer.objects.exists()


def test_exempt_through_the_form(scenario, client):
    response = _login(client, scenario, "secretary").post(
        reverse("members:exempt", args=[scenario.member_a.pk]), {"start_on": "01/01/2025", "reason": "Tuổi cao"}
    )
    assert response.status_code == 302
    assert Exemption.objects.get(member=scenario.member_a).start_on == dt.date(2025, 1, 1)


def test_suspend_with_unordered_dates_is_refused(scenario, client):
    response = _login(client, scenario, "secretary").post(
        reverse("members:suspend", args=[scenario.member_a.pk]), {"start_on": "01/06/2025", "end_on": "01/01/2025"}
    )
    assert "Ngày kết thúc (01/01/2025) không được trước ngày bắt đầu (01/6/2025)." in response.context["form"].errors["end_on"]
    assert not Suspension.objects.exists()


def test_discipline_through_the_form(scenario, client):
    response = _login(client, scenario, "staff").post(reverse("members:discipline", args=[scenario.member_b.pk]), {
        "form": "warning", "violation_on": "05/01/2024", "decided_on": "20/01/2024", "related_to_duties": "on",
    })
    assert response.status_code == 302
    assert Discipline.objects.get(member=scenario.member_b).form == "warning"


def test_position_add_and_end_through_the_forms(scenario, client):
    client = _login(client, scenario, "secretary")
    response = client.post(reverse("members:position_add", args=[scenario.member_a.pk]), {
        "title": "Tổ trưởng chuyên môn", "leadership_role": "head", "group": scenario.group.pk,
        "tier": "commune", "unit": scenario.unit_a.pk, "start_on": "01/09/2024",
    })
    assert response.status_code == 302
    position = LeaderPosition.objects.get(title="Tổ trưởng chuyên môn")
    response = client.post(reverse("members:position_end", args=[position.pk]), {"end_on": "31/08/2025"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.end_on == dt.date(2025, 8, 31)


def test_member_page_reads_in_constant_queries(scenario, client):
    """A long history costs the same number of queries as a short one."""
    member = scenario.member_a
    url = reverse("members:detail", args=[member.pk])
    client = _login(client, scenario, "secretary")

    def add_history(year):
        Exemption.objects.create(member=member, start_on=dt.date(year, 1, 1), end_on=dt.date(year, 1, 31))
        Suspension.objects.create(member=member, start_on=dt.date(year, 2, 1), end_on=dt.date(year, 2, 28))
        Transfer.objects.create(member=member, from_cell=scenario.tree["village"], to_cell=scenario.tree["cell_a"], moved_on=dt.date(year, 3, 1))
        Discipline.objects.create(member=member, form="reprimand", violation_on=dt.date(year, 4, 1), decided_on=dt.date(year, 4, 20))
        LeaderPosition.objects.create(member=member, title=f"Chức vụ {year}", unit=scenario.unit_a, leadership_role="member", group=scenario.group, start_on=dt.date(year, 5, 1), end_on=dt.date(year, 12, 31))

    add_history(2011)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for year in range(2012, 2024):
        add_history(year)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["past_positions"]) == 13
    assert len(small.captured_queries) == len(large.captured_queries)
