"""Pages for changing the tree, units, blocks and position groups, and the home dashboard."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Exemption, PositionGroup, Suspension
from orgs.models import Block, OrgKind, PartyOrganization, Unit
from tests.factories import BlockFactory, MemberFactory, OrgFactory, UnitFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def staff_client(client, scenario):
    client.force_login(scenario.users["staff"])
    return client




def test_staff_create_an_organisation_from_its_parents_page(scenario, staff_client):
    base = scenario.tree["base"]
    html = staff_client.get(base.get_absolute_url()).content.decode()
    assert f"{reverse('orgs:create')}?cha={base.pk}" in html
    form = staff_client.get(reverse("orgs:create"), {"cha": base.pk})
    assert form.context["form"].initial["parent"] == base.pk
    response = staff_client.post(reverse("orgs:create"), {
        "parent": base.pk, "kind": OrgKind.SUB_CELL, "code": "CB3", "name": "Chi bộ Tổ Anh",
        "established_on": "15/09/2020",
    })
    created = PartyOrganization.objects.get(code="CB3")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.parent == base and created.established_on == dt.date(2020, 9, 15)


def test_create_page_shows_the_placement_error_and_creates_nothing(scenario, staff_client):
    response = staff_client.post(reverse("orgs:create"), {
        "parent": scenario.tree["root"].pk, "kind": OrgKind.GROUP, "code": "TD1", "name": "Tổ đảng 1",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa lưu" in html
    assert "“Tổ đảng” chỉ trực thuộc" in html
    assert not PartyOrganization.objects.filter(code="TD1").exists()


def test_secretary_cannot_open_the_staff_pages(scenario, client):
    client.force_login(scenario.users["secretary"])
    cell = scenario.tree["cell_a"]
    for url in (reverse("orgs:create"), reverse("orgs:edit", args=[cell.pk]), reverse("orgs:blocks")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("orgs:edit", args=[cell.pk]), {
        "code": "CB1", "name": "Đổi tên", "version": cell.version,
    }).status_code == 403
    cell.refresh_from_db()
    assert cell.name == "Chi bộ Tổ Toán"
    html = client.get(cell.get_absolute_url()).content.decode()
    assert reverse("orgs:edit", args=[cell.pk]) not in html


def test_edit_page_refuses_a_stale_form(scenario, staff_client):
    cell = scenario.tree["cell_a"]
    opened = staff_client.get(reverse("orgs:edit", args=[cell.pk])).context["form"].initial["version"]
    # Someone else's save (every writer claims the next version).
    PartyOrganization.objects.filter(pk=cell.pk).update(name="Đổi bởi người khác", version=opened + 1)
    response = staff_client.post(reverse("orgs:edit", args=[cell.pk]), {
        "code": "CB1", "name": "Tên của tôi", "version": opened,
    })
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    cell.refresh_from_db()
    assert cell.name == "Đổi bởi người khác"


def test_move_page_offers_no_descendant_and_moves(scenario, staff_client):
    base = scenario.tree["base"]
    cell = scenario.tree["cell_a"]
    choices = staff_client.get(reverse("orgs:move", args=[base.pk])).context["form"].fields["parent"].queryset
    assert base not in choices and cell not in choices and scenario.tree["root"] in choices
    other = OrgFactory(code="DB2", name="Đảng bộ 2", kind=OrgKind.BASE_PARTY, parent=scenario.tree["root"])
    response = staff_client.post(reverse("orgs:move", args=[cell.pk]), {"parent": other.pk, "version": cell.version})
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.parent == other and cell.path.startswith(other.path)


def test_deactivate_page_says_what_is_left(scenario, staff_client):
    cell = scenario.tree["cell_a"]
    response = staff_client.post(reverse("orgs:deactivate", args=[cell.pk]), {"version": cell.version})
    assert response.status_code == 200
    assert "còn 01 đảng viên đang sinh hoạt" in response.content.decode()
    cell.refresh_from_db()
    assert cell.is_active


def test_unit_pages(scenario, staff_client):
    block = scenario.block
    response = staff_client.post(reverse("orgs:unit_create"), {
        "code": "MTTQ", "name": "Ủy ban MTTQ xã", "block": block.pk, "has_leadership_collective": "on",
    })
    unit = Unit.objects.get(code="MTTQ")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    edit = staff_client.get(reverse("orgs:unit_edit", args=[unit.pk]))
    fp = edit.context["form"].initial["version"]
    response = staff_client.post(reverse("orgs:unit_edit", args=[unit.pk]), {
        "code": "MTTQ", "name": "Ủy ban Mặt trận Tổ quốc xã", "block": block.pk,
        "party_organization": scenario.tree["village"].pk, "version": fp,
    })
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.party_organization == scenario.tree["village"] and not unit.has_leadership_collective
    response = staff_client.post(reverse("orgs:unit_deactivate", args=[scenario.unit_u.pk]), {
        "version": scenario.unit_u.version,
    })
    assert "còn 01 người đang giữ chức vụ" in response.content.decode()


def test_block_and_group_pages(scenario, staff_client):
    assert staff_client.post(reverse("orgs:block_create"), {"code": "K2", "name": "Khối sự nghiệp"}).status_code == 302
    block = Block.objects.get(code="K2")
    page = staff_client.get(reverse("orgs:block_edit", args=[block.pk]))
    response = staff_client.post(reverse("orgs:block_edit", args=[block.pk]), {
        "code": "K2", "name": "Khối đơn vị sự nghiệp xã", "sort_order": "4",
        "version": page.context["form"].initial["version"],
    })
    assert response.status_code == 302
    block.refresh_from_db()
    assert (block.name, block.sort_order) == ("Khối đơn vị sự nghiệp xã", 4)
    duplicate = staff_client.post(reverse("orgs:group_create"), {"code": "TP", "name": "Trùng"})
    assert "Mã “TP” đã được dùng cho một nhóm chức danh khác." in duplicate.content.decode()
    assert PositionGroup.objects.filter(code="TP").count() == 1
    html = staff_client.get(reverse("orgs:blocks")).content.decode()
    assert "Khối đơn vị sự nghiệp xã" in html and "Trưởng các phòng, ban" in html


# --- home dashboard --------------------------------------------------------------------------


def test_dashboard_counts_for_staff(scenario, staff_client):
    """Organisations by kind, members, units by block (rated or not is counted from an opened
    period: tests/appraisal/test_workflow_views.py)."""
    today = timezone.localdate()
    cell_b = scenario.tree["cell_b"]
    Exemption.objects.create(member=MemberFactory(cell=cell_b), start_on=dt.date(2020, 1, 1))
    both = MemberFactory(cell=cell_b)
    Exemption.objects.create(member=both, start_on=dt.date(2020, 1, 1))
    Suspension.objects.create(member=both, start_on=dt.date(2020, 1, 1))
    Suspension.objects.create(member=MemberFactory(cell=cell_b), start_on=dt.date(2020, 1, 1))
    MemberFactory(cell=cell_b, admitted_on=today - dt.timedelta(days=20), official_on=None)
    MemberFactory(cell=cell_b, is_active=False)
    response = staff_client.get(reverse("home"))
    board = response.context["board"]
    assert {c.key: c.count for c in board.orgs_by_kind} == {
        OrgKind.ROOT: 1, OrgKind.BASE_PARTY: 1, OrgKind.ROOT_CELL: 1, OrgKind.SUB_CELL: 2,
    }
    assert board.members == 7  # the three of the scenario and four here (the one who left is not counted)
    assert board.period is None and board.not_rated == []
    assert [(c.label, c.count) for c in board.units_by_block] == [("Khối cơ quan thuộc HĐND, UBND xã", 3)]
    html = response.content.decode()
    assert "Thuộc diện xếp loại: biết khi mở kỳ đánh giá năm (chưa mở kỳ nào)." in html
    for kept in (reverse("orgs:tree"), reverse("orgs:units"), reverse("members:search")):
        assert f'href="{kept}"' in html


def test_dashboard_counts_only_the_secretarys_cell(scenario, client):
    client.force_login(scenario.users["secretary"])
    board = client.get(reverse("home")).context["board"]
    assert [(c.key, c.count) for c in board.orgs_by_kind] == [(OrgKind.SUB_CELL, 1)]
    assert board.members == 1
    assert [c.label for c in board.units_by_block] == ["Khối cơ quan thuộc HĐND, UBND xã"]
    assert board.units == 1


def _grow(scenario, n):
    for i in range(n):
        block = BlockFactory(code=f"KX{i}-{n}")
        UnitFactory(block=block)
        org = OrgFactory(kind=OrgKind.ROOT_CELL, parent=scenario.tree["root"])
        MemberFactory(cell=org)


def _queries_as_it_grows(scenario, client, url):
    """The page's query counts with 2 and with 17 more of everything (after a first, warming
    request), and the last response."""
    client.get(url)
    _grow(scenario, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(scenario, 15)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    return len(small.captured_queries), len(large.captured_queries), response


@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_dashboard_query_count_does_not_grow(scenario, client, role):
    client.force_login(scenario.users[role])
    small, large, response = _queries_as_it_grows(scenario, client, reverse("home"))
    assert large == small
    if role == "staff":
        assert len(response.context["board"].units_by_block) == 18


def test_blocks_page_query_count_does_not_grow(scenario, staff_client):
    small, large, _ = _queries_as_it_grows(scenario, staff_client, reverse("orgs:blocks"))
    assert large == small
