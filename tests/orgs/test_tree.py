"""The organisation tree at any size: folded from the top, opened on demand, searched by name or code,
in a number of queries that does not grow with the tree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from members.selectors import TREE_PAGE_ROWS
from orgs.models import OrgKind
from tests.factories import MemberFactory, OrgFactory, user_with_role

pytestmark = pytest.mark.django_db


def _province(communes: int, cells: int, members: int = 0) -> list:
    """`communes` roots, each with `cells` village cells of `members` members: a province in small."""
    roots = []
    for c in range(communes):
        root = OrgFactory(code=f"P{c:03d}-XA", name=f"Đảng bộ xã Thử {c}", kind=OrgKind.ROOT, sort_order=c)
        for i in range(cells):
            cell = OrgFactory(code=f"P{c:03d}-CB{i:03d}", name=f"Chi bộ thôn Nậm {c}-{i}",
                              kind=OrgKind.ROOT_CELL, parent=root, sort_order=i)
            MemberFactory.create_batch(members, cell=cell)
        roots.append(root)
    return roots


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role(Role.STAFF))
    return client


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_a_province_opens_folded_with_its_communes_and_their_counts(staff_client):
    """More organisations than a page shows: only the top level, each with its subtree's counts."""
    roots = _province(communes=3, cells=40, members=1)

    response, _ = _get(staff_client, reverse("orgs:tree"))

    nodes = response.context["nodes"]
    assert [n.org for n in nodes] == roots
    assert [(n.children, n.members, n.is_open) for n in nodes] == [
        (40, 40, False), (40, 40, False), (40, 40, False),
    ]
    html = response.content.decode()
    branch = reverse("orgs:tree_branch", args=[roots[0].pk])
    assert f'<details hx-get="{branch}" hx-trigger="toggle once" hx-target="find ul" hx-swap="innerHTML">' in html
    assert f'<a href="{branch}">Xem 40 tổ chức trực thuộc</a>' in html  # the way in without JavaScript
    assert all(f'<a class="org-link" href="{root.get_absolute_url()}">{root.name}</a>' in html for root in roots)
    assert "Chi bộ thôn Nậm" not in html


def test_a_commune_opens_whole(staff_client, tree):
    """A tree that fits in a page opens level by level: every node shown, each under its parent."""
    response, _ = _get(staff_client, reverse("orgs:tree"))

    nodes = response.context["nodes"]
    assert [(n.org.code, n.level) for n in nodes] == [
        ("XA", 0), ("DBCS1", 1), ("CB1", 2), ("CB2", 2), ("THON1", 1),
    ]
    assert "<details open>" in response.content.decode() and "Xem " not in response.content.decode()


def test_opening_a_node_with_htmx_gets_its_children_as_the_partial(staff_client):
    roots = _province(communes=3, cells=40, members=2)
    url = reverse("orgs:tree_branch", args=[roots[1].pk])

    response, _ = _get(staff_client, url, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith("<li>") and "<html" not in html
    assert html.count('<div class="org-row org-leaf">') == 40
    assert "Chi bộ thôn Nậm 1-0" in html and "Chi bộ thôn Nậm 0-0" not in html
    assert [n.members for n in response.context["nodes"]] == [2] * 40


def test_without_javascript_the_branch_is_a_page_with_its_place_in_the_tree(staff_client):
    roots = _province(communes=2, cells=3)
    response, _ = _get(staff_client, reverse("orgs:tree_branch", args=[roots[1].pk]))

    html = response.content.decode()
    assert "<html" in html and "Đảng bộ xã Thử 1: các tổ chức trực thuộc</h1>" in html
    assert f'href="{roots[1].get_absolute_url()}"' in html
    assert [n.org.code for n in response.context["nodes"]] == ["P001-CB000", "P001-CB001", "P001-CB002"]


def test_a_branch_outside_the_users_part_is_not_found(client, tree):
    client.force_login(user_with_role(Role.SECRETARY, organization=tree["cell_a"]))
    assert client.get(reverse("orgs:tree_branch", args=[tree["cell_b"].pk])).status_code == 404
    assert client.get(reverse("orgs:tree_branch", args=[tree["cell_a"].pk])).status_code == 200


@pytest.mark.parametrize("typed", ["nam 2-1", "NẬM 2-1", "p002-cb001"])
def test_search_finds_an_organisation_by_name_without_tones_or_by_code(staff_client, typed):
    _province(communes=3, cells=3, members=1)

    response, _ = _get(staff_client, reverse("orgs:tree") + f"?q={typed}")

    [found] = response.context["results"]
    assert found.org.code == "P002-CB001" and found.members == 1
    assert found.trail == ("Đảng bộ xã Thử 2",)
    assert "Đảng bộ xã Thử 2" in response.content.decode()


def test_search_stays_in_the_users_part_of_the_tree(client, tree):
    client.force_login(user_with_role(Role.SECRETARY, organization=tree["cell_a"]))
    response = client.get(reverse("orgs:tree") + "?q=chi bo")
    assert [n.org.code for n in response.context["results"]] == ["CB1"]


def test_search_without_a_match_says_so(staff_client, tree):
    response, _ = _get(staff_client, reverse("orgs:tree") + "?q=khong co dau")
    assert response.context["results"] == []
    assert "Không có tổ chức đảng nào khớp với “khong co dau”" in response.content.decode()


def _costs(client, root) -> tuple[int, int, int]:
    return (
        _get(client, reverse("orgs:tree"))[1],
        _get(client, reverse("orgs:tree_branch", args=[root.pk]), HTTP_HX_REQUEST="true")[1],
        _get(client, reverse("orgs:tree") + "?q=nam")[1],
    )


def _more_communes(start: int, communes: int, cells: int) -> None:
    for c in range(start, start + communes):
        root = OrgFactory(code=f"Q{c}", kind=OrgKind.ROOT)
        for i in range(cells):
            MemberFactory.create_batch(2, cell=OrgFactory(code=f"Q{c}-{i}", name=f"Chi bộ Nậm Q{i}",
                                                          kind=OrgKind.ROOT_CELL, parent=root))


def test_queries_do_not_grow_with_a_folded_tree(staff_client):
    """The root page, a branch and a search cost the same for 3 or 6 communes of 40 cells."""
    roots = _province(communes=3, cells=40, members=1)
    before = _costs(staff_client, roots[0])
    _more_communes(10, communes=3, cells=40)
    assert _costs(staff_client, roots[0]) == before


def test_queries_do_not_grow_with_an_open_tree(staff_client):
    """A commune shown whole costs the same with 5 cells or 60, and with 10 members or 240."""
    roots = _province(communes=1, cells=5, members=2)
    before = _costs(staff_client, roots[0])
    for i in range(5, 60):
        MemberFactory.create_batch(4, cell=OrgFactory(code=f"P000-CB{i:03d}", kind=OrgKind.ROOT_CELL, parent=roots[0]))
    assert _costs(staff_client, roots[0]) == before


def test_the_root_page_does_not_grow_with_what_lies_below_the_top(staff_client):
    """Folded: 3 communes of 40 cells or of 400 cells make the same page (bar the counts)."""
    roots = _province(communes=3, cells=40)
    small = len(_get(staff_client, reverse("orgs:tree"))[0].content)
    for root in roots:
        for i in range(40, 400):
            OrgFactory(code=f"{root.code}-{i}", kind=OrgKind.ROOT_CELL, parent=root)
    large = len(_get(staff_client, reverse("orgs:tree"))[0].content)
    assert large - small < 100  # "40" → "400" three times, twice each
    assert TREE_PAGE_ROWS < 3 + 3 * 40
