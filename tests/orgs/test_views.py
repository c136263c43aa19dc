"""Organisation pages: tree with counts, organisation page with members, units; query counts."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from members.models import Exemption, Suspension
from orgs.models import OrgKind
from tests.factories import MemberFactory, OrgFactory, user_with_role

pytestmark = pytest.mark.django_db



def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_tree_shows_every_visible_node_with_subtree_counts(scenario, client):
    """Staff see the whole tree; each node counts members of its subtree, rated or not."""
    today = timezone.localdate()
    MemberFactory(cell=scenario.tree["cell_a"], admitted_on=today - dt.timedelta(days=30), official_on=None)
    exempt = MemberFactory(cell=scenario.tree["cell_b"])
    Exemption.objects.create(member=exempt, start_on=dt.date(2020, 1, 1))
    MemberFactory(cell=scenario.tree["cell_b"], is_active=False)
    response = _page(client, scenario.users["staff"], reverse("orgs:tree"))
    nodes = {n.org.code: n for n in response.context["nodes"]}
    assert list(nodes) == ["XA", "DBCS1", "CB1", "CB2", "THON1"]
    # root: member_a, member_b, member_u, the new one, the exempt one (the one who left is not counted)
    assert nodes["XA"].members == 5
    assert (nodes["DBCS1"].members, nodes["DBCS1"].children) == (4, 2)
    assert nodes["CB1"].members == 2
    assert nodes["XA"].children == 2
    assert [nodes[c].level for c in nodes] == [0, 1, 2, 2, 1]
    assert "Chi bộ Tổ Toán" in response.content.decode()


def test_secretary_sees_only_their_cell_in_the_tree(scenario, client):
    response = _page(client, scenario.users["secretary"], reverse("orgs:tree"))
    assert [n.org.code for n in response.context["nodes"]] == ["CB1"]
    assert response.context["nodes"][0].level == 0
    assert "Chi bộ Tổ Văn" not in response.content.decode()


def _deep_tree(tree, cells: int, members_per_cell: int):
    """Add a deeper branch with `cells` cells under a new đảng bộ, each with members."""
    base = OrgFactory(code=f"DB{cells}", name="Đảng bộ Công an", kind=OrgKind.BASE_PARTY, parent=tree["root"])
    for i in range(cells):
        cell = OrgFactory(code=f"D{cells}-{i}", kind=OrgKind.SUB_CELL, parent=base)
        group = OrgFactory(code=f"G{cells}-{i}", kind=OrgKind.GROUP, parent=cell)
        MemberFactory.create_batch(members_per_cell, cell=group)
        Exemption.objects.create(member=MemberFactory(cell=cell), start_on=dt.date(2020, 1, 1))


def test_tree_reads_in_constant_queries(tree, client):
    """10 or 500 members, 3 or 20 cells: the tree page costs the same number of queries."""
    client.force_login(user_with_role(Role.STAFF))
    _deep_tree(tree, cells=2, members_per_cell=4)  # 10 members
    small = _queries(client, reverse("orgs:tree"))
    _deep_tree(tree, cells=20, members_per_cell=24)  # + 500 members
    large = _queries(client, reverse("orgs:tree"))
    assert small == large, (small, large)


def test_organization_page_lists_members_in_vietnamese_order_with_status(scenario, client):
    """Members sort by given name in the Vietnamese alphabet (D before Đ); status computed per member."""
    cell = scenario.tree["cell_a"]
    today = timezone.localdate()
    MemberFactory(full_name="Hoàng Văn Đức", cell=cell)
    MemberFactory(full_name="Vũ Thị Dung", cell=cell, status="probationary", official_on=None,
                  admitted_on=today - dt.timedelta(days=40))
    suspended = MemberFactory(full_name="Lò Văn Bảo", cell=cell)
    Suspension.objects.create(member=suspended, start_on=dt.date(2025, 1, 1))
    response = _page(client, scenario.users["secretary"], reverse("orgs:detail", args=[cell.pk]))
    rows = response.context["rows"]
    assert [r.member.full_name for r in rows] == ["Nguyễn Văn Ánh", "Lò Văn Bảo", "Vũ Thị Dung", "Hoàng Văn Đức"]
    by_name = {r.member.full_name: r for r in rows}
    assert by_name["Lò Văn Bảo"].badges == ("Đình chỉ sinh hoạt",)
    assert by_name["Vũ Thị Dung"].status == "Dự bị"
    assert by_name["Vũ Thị Dung"].badges == () and not by_name["Nguyễn Văn Ánh"].inactive
    html = response.content.decode()
    assert "Đình chỉ sinh hoạt" in html


def test_organization_search_ignores_tones(scenario, client):
    """“nguyen van anh” finds “Nguyễn Văn Ánh” and nobody else."""
    MemberFactory(full_name="Nguyễn Văn Bình", cell=scenario.tree["cell_a"])
    url = reverse("orgs:detail", args=[scenario.tree["cell_a"].pk]) + "?q=nguyen+van+anh"
    response = _page(client, scenario.users["secretary"], url)
    assert [r.member.full_name for r in response.context["rows"]] == ["Nguyễn Văn Ánh"]


def test_organization_page_paginates_by_100(scenario, client):
    MemberFactory.create_batch(120, cell=scenario.tree["cell_b"])
    url = reverse("orgs:detail", args=[scenario.tree["cell_b"].pk])
    first = _page(client, scenario.users["staff"], url)
    assert len(first.context["rows"]) == 100
    second = client.get(url + "?trang=2")
    assert len(second.context["rows"]) == 21  # 120 + Trần Thị Bình
    assert "Trang 2/2" in second.content.decode()


def test_organization_page_lists_subtree_members_for_a_party_committee(scenario, client):
    response = _page(client, scenario.users["staff"], reverse("orgs:detail", args=[scenario.tree["base"].pk]))
    assert {r.member.full_name for r in response.context["rows"]} == {"Nguyễn Văn Ánh", "Trần Thị Bình"}


def test_unit_leadership_sees_only_post_holders_of_their_unit(scenario, client):
    """Unit leadership open their unit's party cell but see only the people holding posts in the unit."""
    MemberFactory(full_name="Đinh Thị Hoa", cell=scenario.tree["village"])
    response = _page(client, scenario.users["unit_leadership"], reverse("orgs:detail", args=[scenario.tree["village"].pk]))
    assert [r.member.full_name for r in response.context["rows"]] == ["Lê Văn Cường"]


def test_organization_page_reads_in_constant_queries(tree, client):
    """10 or 500 members in the cell: the organisation page costs the same number of queries."""
    cell = tree["cell_a"]
    client.force_login(user_with_role(Role.SECRETARY, organization=cell))
    url = reverse("orgs:detail", args=[cell.pk])
    members = MemberFactory.create_batch(10, cell=cell)
    Exemption.objects.create(member=members[0], start_on=dt.date(2020, 1, 1))
    small = _queries(client, url)
    MemberFactory.create_batch(490, cell=cell)
    large = _queries(client, url)
    assert small == large, (small, large)


def test_units_page_lists_blocks_units_and_current_leaders(scenario, client):
    response = _page(client, scenario.users["staff"], reverse("orgs:units"))
    [block] = response.context["blocks"]
    assert block.block.name == "Khối cơ quan thuộc HĐND, UBND xã"
    leaders = {u.name: [p.member.full_name for p in u.current_leaders] for u in block.units}
    assert leaders["Ủy ban nhân dân xã"] == ["Lê Văn Cường"]
    assert leaders["Trường THCS"] == ["Trần Thị Bình"]
    assert "Chủ tịch UBND xã" in response.content.decode()


def test_units_page_is_scoped_for_unit_leadership(scenario, client):
    response = _page(client, scenario.users["unit_leadership"], reverse("orgs:units"))
    assert [u.name for row in response.context["blocks"] for u in row.units] == ["Ủy ban nhân dân xã"]


def test_unit_page_separates_current_and_past_posts(scenario, client):
    scenario.position_u.end_on = dt.date(2024, 12, 31)
    scenario.position_u.save()
    response = _page(client, scenario.users["unit_leadership"], reverse("orgs:unit", args=[scenario.unit_u.pk]))
    assert response.context["current_positions"] == []
    assert [p.title for p in response.context["past_positions"]] == ["Chủ tịch UBND xã"]


def test_home_lists_what_the_role_can_do(scenario, client):
    """A secretary may add members; a viewer only reads; labels are Vietnamese."""
    secretary = _page(client, scenario.users["secretary"], reverse("home")).content.decode()
    assert "Thêm đảng viên" in secretary and "Cây tổ chức đảng" in secretary
    client.logout()
    viewer = _page(client, scenario.users["viewer"], reverse("home")).content.decode()
    assert "Thêm đảng viên" not in viewer and "Tìm đảng viên" in viewer


def test_home_greets_in_vietnamese_name_order(scenario, client):
    """Family and middle names come before the given name: “Nguyễn Văn Phúc”, not “Phúc Nguyễn Văn”."""
    user = scenario.users["secretary"]
    user.last_name, user.first_name = "Nguyễn Văn", "Phúc"
    user.save()
    assert "Xin chào, đồng chí Nguyễn Văn Phúc" in _page(client, user, reverse("home")).content.decode()


def test_nav_shows_colleagues_screens_only_to_their_roles(scenario, client):
    """“Khung tiêu chí” for staff and standing; “Nhập/xuất Excel” for staff; never for a secretary."""
    from django.urls import NoReverseMatch

    def exists(name):
        try:
            return bool(reverse(name))
        except NoReverseMatch:
            return False

    staff = _page(client, scenario.users["staff"], reverse("home")).content.decode()
    client.logout()
    standing = _page(client, scenario.users["standing"], reverse("home")).content.decode()
    client.logout()
    secretary = _page(client, scenario.users["secretary"], reverse("home")).content.decode()
    assert "Khung tiêu chí" not in secretary and "Nhập/xuất Excel" not in secretary
    if exists("appraisal:framework_list"):
        assert "Khung tiêu chí" in staff and "Khung tiêu chí" in standing
    if exists("workbook:import"):
        assert "Nhập/xuất Excel" in staff and "Nhập/xuất Excel" not in standing


def test_home_leads_a_secretary_to_their_own_cell_and_a_leader_to_their_unit(scenario, client):
    """The home page links the secretary's cell and the unit leadership's unit first."""
    client.force_login(scenario.users["secretary"])
    body = client.get(reverse("home")).content.decode()
    assert f'href="{scenario.tree["cell_a"].get_absolute_url()}"' in body
    assert scenario.tree["cell_b"].get_absolute_url() + '"' not in body
    client.force_login(scenario.users["unit_leadership"])
    body = client.get(reverse("home")).content.decode()
    assert f'href="{scenario.unit_u.get_absolute_url()}"' in body


def test_audit_entries_of_any_model_are_named_in_vietnamese():
    """An audit entry about a framework says "Khung tiêu chí"; an unknown model falls back to its verbose name."""
    from core.audit import object_type_label

    assert object_type_label("appraisal.Framework") == "Khung tiêu chí"
    assert object_type_label("members.Suspension") == "Đình chỉ sinh hoạt"
    assert object_type_label("khong.TonTai") == "khong.TonTai"
