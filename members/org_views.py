"""Pages of the organisation tree with its people: the tree, an organisation and its members,
the units with their leaders, blocks and position groups (served under /to-chuc/)."""
from functools import partial

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.scope import role_required
from core.views import code_name_create, code_name_edit
from core.vntext import search_text
from orgs import selectors as org_selectors
from orgs.scope import get_visible_org, get_visible_unit
from orgs.selectors import blocks_with_unit_counts
from orgs.services import coded_list_create, coded_list_update

from . import selectors
from .models import PositionGroup

STAFF = (Role.STAFF,)


@role_required()
def tree(request):
    """The visible organisation tree, folded at any size, with member counts per subtree; or the
    organisations whose name (without tones) or code match the search box."""
    today = timezone.localdate()
    text = search_text(request.GET.get("q"))
    context = {"on": today, "text": text, "search_limit": selectors.SEARCH_LIMIT}
    if text:
        context["results"] = _linked(selectors.search_orgs(request.scope, today, text))
    else:
        built = selectors.org_tree(request.scope, today)
        context.update(top=built.top, nodes=_linked(built.nodes))
    return TemplateResponse(request, "orgs/tree.html", context)


@role_required()
def tree_branch(request, pk):
    """An organisation's children, folded like the tree: htmx asks for them when a node opens
    (the partial), and without JavaScript the node's link opens them as a page."""
    org = get_visible_org(request.scope, pk)
    today = timezone.localdate()
    built = selectors.org_tree(request.scope, today, root=org)
    template = "orgs/tree.html#children" if request.htmx else "orgs/tree.html"
    return TemplateResponse(request, template, {
        "on": today, "branch": org, "ancestors": org_selectors.ancestors(request.scope, org),
        "top": built.top, "nodes": _linked(built.nodes), "text": "",
    })


def _linked(nodes: list[selectors.OrgNode]) -> list[selectors.OrgNode]:
    """Give each node the addresses of its page and its branch: two reversals a page, not three a node."""
    page, branch = _address_of("orgs:detail"), _address_of("orgs:tree_branch")
    for node in nodes:
        node.url, node.branch_url = page(node.org.pk), branch(node.org.pk)
    return nodes


def _address_of(name: str):
    """The address of the page `name` for any id, reversed once."""
    mark = "987654321"
    before, after = reverse(name, args=[int(mark)]).split(mark)
    return lambda pk: f"{before}{pk}{after}"


@role_required()
def detail(request, pk):
    """An organisation's page: its sub-organisations and its members, searchable and paged."""
    org = get_visible_org(request.scope, pk)
    today = timezone.localdate()
    text = search_text(request.GET.get("q"))
    include_left = bool(request.GET.get("ca_da_chuyen"))
    members = selectors.member_list(
        request.scope, today, organization=org, text=text, include_left=include_left
    )
    page = Paginator(members, selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    return TemplateResponse(request, "orgs/detail.html", {
        "org": org,
        "parent": org.parent if org.parent_id and request.scope.covers_org(org.parent) else None,
        "ancestors": org_selectors.ancestors(request.scope, org),
        "children": org_selectors.sub_organizations(request.scope, org),
        "text": text,
        "include_left": include_left,
        "page": page,
        "rows": selectors.member_rows(page.object_list, today),
        "can_edit": request.scope.edits_org(org),
        "can_manage": request.scope.is_staff_member,
        "on": today,
    })


@role_required()
def units(request):
    """Blocks and their units, with the leaders currently in post."""
    today = timezone.localdate()
    return TemplateResponse(request, "orgs/units.html", {
        "blocks": selectors.units_by_block(request.scope, today),
        "can_manage": request.scope.is_staff_member,
    })


@role_required()
def unit(request, pk):
    """A unit's page: its block, party organisation and every post held in it."""
    found = get_visible_unit(request.scope, pk)
    today = timezone.localdate()
    current, past = [], []
    for position in selectors.unit_positions(found):
        (current if position.covers(today) else past).append(position)
    return TemplateResponse(request, "orgs/unit.html", {
        "unit": found, "current_positions": current, "past_positions": past,
        "can_manage": request.scope.is_staff_member,
    })


@role_required(*STAFF)
def blocks(request):
    """Blocks and position groups, with links to add and edit them."""
    return TemplateResponse(request, "orgs/blocks.html", {
        "blocks": blocks_with_unit_counts(),
        "groups": selectors.position_groups_with_counts(),
    })


@role_required(*STAFF)
def group_create(request):
    """Add a position group (the peer group of the 20 % quota)."""
    return code_name_create(request, partial(coded_list_create, model=PositionGroup), title="Thêm nhóm chức danh",
                            done="Đã thêm nhóm chức danh")


@role_required(*STAFF)
def group_edit(request, pk):
    """Edit a position group."""
    group = get_object_or_404(PositionGroup, pk=pk)
    return code_name_edit(request, group, coded_list_update)
