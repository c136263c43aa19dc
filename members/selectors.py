"""Reads of members: lists with their status computed in bulk, a member's history, the people
of the tree (member counts per organisation, leaders per unit)."""
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from core.scope import Scope, path_q
from core.vntext import fold
from orgs.models import PATH_STEP, Block, PartyOrganization
from orgs.scope import visible_orgs, visible_units

from .models import (
    Exemption,
    LeaderPosition,
    Member,
    MemberStatus,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Transfer,
)
from .scope import get_visible_member, visible_members

PAGE_SIZE = 100


def with_status_flags(qs: QuerySet[Member], on: date) -> QuerySet[Member]:
    """Annotate `is_exempt` and `is_suspended` on `on`, so a list of 900 costs one query."""
    return qs.select_related("cell").annotate(
        is_exempt=covering(Exemption, on), is_suspended=covering(Suspension, on)
    )


@dataclass(frozen=True)
class MemberRow:
    """One member as lists show them: the member and their party status on a date.

    Whether the member is rated in a period is the rating process's decision (its eligibility
    rules, stored on the period's ratings); lists here show only the facts it reads.
    """

    member: Member
    status: str  # chính thức / dự bị
    badges: tuple[str, ...]  # miễn sinh hoạt, đình chỉ, đã chuyển đi

    @property
    def inactive(self) -> bool:
        return bool(self.badges)


def member_row(member: Member, on: date) -> MemberRow:
    """The status of one member annotated by `with_status_flags` (no query)."""
    badges = []
    if not member.is_active:
        badges.append("Đã chuyển đi")
    if member.is_exempt:
        badges.append("Miễn sinh hoạt")
    if member.is_suspended:
        badges.append("Đình chỉ sinh hoạt")
    return MemberRow(member=member, status=MemberStatus(member.status).label, badges=tuple(badges))


def member_rows(members, on: date) -> list[MemberRow]:
    """Rows for an evaluated page of annotated members."""
    return [member_row(m, on) for m in members]


def member_list(
    scope: Scope, on: date, *, organization=None, text: str = "", include_left: bool = False
) -> QuerySet[Member]:
    """Visible members (of `organization`'s subtree if given), matching `text`, Vietnamese order."""
    qs = visible_members(scope)
    if organization is not None:
        qs = qs.in_subtree(organization)
    if not include_left:
        qs = qs.filter(is_active=True)
    if text:
        qs = qs.search(text)
    return with_status_flags(qs, on).by_name()


def member_detail(scope: Scope, pk, on: date) -> Member:
    """The member with everything their page shows prefetched, or 404 outside the scope."""
    qs = with_status_flags(Member.objects.all(), on).prefetch_related(
        Prefetch("transfers", queryset=Transfer.objects.select_related("from_cell", "to_cell").order_by("-moved_on", "-pk")),
        Prefetch("temporary_activities", queryset=TemporaryActivity.objects.order_by("-start_on", "-pk")),
        Prefetch("exemptions", queryset=Exemption.objects.order_by("-start_on", "-pk")),
        Prefetch("suspensions", queryset=Suspension.objects.order_by("-start_on", "-pk")),
        "disciplines",
        Prefetch(
            "positions",
            queryset=LeaderPosition.objects.select_related("unit", "organization", "group").order_by("-start_on", "-pk"),
        ),
    )
    return get_visible_member(scope, pk, queryset=qs)


def open_period_pk(periods, on: date) -> int | None:
    """Of prefetched periods, the pk of the one not yet over on `on` (as services.current_period)."""
    candidates = [p for p in periods if p.end_on is None or p.end_on >= on]  # not_over_on, on prefetched rows
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.start_on, p.pk)).pk


def split_positions(member: Member, on: date) -> tuple[list, list]:
    """The member's prefetched positions as (current, past) on `on`."""
    current, past = [], []
    for position in member.positions.all():
        (current if position.covers(on) else past).append(position)
    return current, past


def covering(model, on: date):
    """A subquery: the outer member has a `model` period (exemption, suspension) covering `on`."""
    return Exists(
        model.objects.filter(member=OuterRef("pk")).current_on(on)
    )


# The tree page opens levels from the top while it shows at most this many organisations (a
# commune opens whole; a province of 100 communes shows its communes, folded), at most this deep.
TREE_PAGE_ROWS = 100
TREE_OPEN_LEVELS = 3
SEARCH_LIMIT = 50


def member_counts_by_cell(scope: Scope, on: date, *, under: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """(cell path, active members the user may see) for every cell under one of the paths
    `under` (all if none): two queries, grouped by cell. Who of them is rated in a period is
    the rating process's to say (`rules.eligibility`, stored on the period's ratings)."""
    members = visible_members(scope).filter(is_active=True)
    orgs = PartyOrganization.objects.all()
    if under:
        members = members.filter(path_q(under, "cell__"))
        orgs = orgs.filter(path_q(under))
    rows = members.values_list("cell_id").annotate(total=Count("*")).order_by()
    paths = dict(orgs.values_list("pk", "path"))
    return [(paths[cell], total) for cell, total in rows if cell in paths]


@dataclass
class OrgNode:
    """One organisation as the tree shows it: the counts of its subtree and its children."""

    org: PartyOrganization
    level: int = 0  # depth below the first row of the page
    children: int = 0  # visible sub-organisations
    members: int = 0  # active members in the subtree the user may see
    kids: list["OrgNode"] = field(default_factory=list)  # the children shown (the node is open)
    trail: tuple[str, ...] = ()  # names of the ancestors, for search results
    url: str = ""  # the organisation's page
    branch_url: str = ""  # its children, folded like the tree

    @property
    def is_open(self) -> bool:
        return bool(self.kids)


@dataclass
class OrgTree:
    """What a tree page shows: the first rows (nested) and every shown node in page order."""

    top: list[OrgNode]
    nodes: list[OrgNode]


def _sorted(qs):
    return qs.order_by("sort_order", "code")


def _top_orgs(scope: Scope):
    """The visible organisations whose parent the user does not see (the roots, for wide roles)."""
    orgs = visible_orgs(scope)
    if scope.sees_everything:
        return orgs.filter(parent__isnull=True)
    return orgs.exclude(parent__in=visible_orgs(scope).values("pk"))


def _children_counts(scope: Scope, parents: list[OrgNode]) -> None:
    """Set how many visible sub-organisations each node has: one grouped query."""
    if not parents:
        return
    counts = dict(
        visible_orgs(scope).filter(parent__in=[n.org.pk for n in parents])
        .values_list("parent_id").annotate(n=Count("pk", distinct=True)).order_by()
    )
    for node in parents:
        node.children = counts.get(node.org.pk, 0)


def _add_member_counts(scope: Scope, on: date, nodes: list[OrgNode], *, under: tuple[str, ...] = ()) -> None:
    """Roll the members of every cell (under `under`) up to the shown nodes above it, by the path."""
    by_path = {n.org.path: n for n in nodes}
    step = PATH_STEP + 1
    deepest = max(map(len, by_path), default=0)
    for path, total in member_counts_by_cell(scope, on, under=under):
        for cut in range(step, min(len(path), deepest) + 1, step):
            node = by_path.get(path[:cut])
            if node is not None:
                node.members += total


def org_tree(scope: Scope, on: date, *, root: PartyOrganization | None = None) -> OrgTree:
    """The tree folded for a page, in a number of queries that does not grow with its size.

    The first rows are the top of the user's part of the tree (or `root`'s children); levels
    below open while the page stays within TREE_PAGE_ROWS organisations and TREE_OPEN_LEVELS
    levels. Every node carries its subtree's member counts and how many children it has, so a
    folded node can be opened on demand.
    """
    first_orgs = visible_orgs(scope).filter(parent=root) if root is not None else _top_orgs(scope)
    top = [OrgNode(org=o) for o in _sorted(first_orgs)]
    shown, frontier = list(top), top
    for level in range(1, TREE_OPEN_LEVELS + 1):
        _children_counts(scope, frontier)
        wanted = sum(n.children for n in frontier)
        if not wanted or len(shown) + wanted > TREE_PAGE_ROWS or level == TREE_OPEN_LEVELS:
            break
        parents = {n.org.pk: n for n in frontier}
        frontier = []
        for org in _sorted(visible_orgs(scope).filter(parent__in=list(parents))):
            node = OrgNode(org=org, level=level)
            parents[org.parent_id].kids.append(node)
            frontier.append(node)
        shown += frontier
    _add_member_counts(scope, on, shown, under=(root.path,) if root is not None else ())
    return OrgTree(top=top, nodes=_page_order(top))


def _page_order(top: list[OrgNode]) -> list[OrgNode]:
    """The shown nodes as the page lists them: each followed by its open children."""
    ordered, stack = [], list(reversed(top))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(node.kids))
    return ordered


def _outermost(paths) -> tuple[str, ...]:
    """The paths not under another of them (a subtree counted once)."""
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def search_orgs(scope: Scope, on: date, text: str) -> list[OrgNode]:
    """Visible organisations whose name (without tones or case) or code contains `text`.

    At most SEARCH_LIMIT, in tree order, each with its counts, children and ancestors' names.
    """
    folded = fold(text)
    if not folded:
        return []
    found = list(
        visible_orgs(scope).filter(Q(search_name__contains=folded) | Q(code__icontains=text.strip()))
        .order_by("path")[:SEARCH_LIMIT]
    )
    nodes = [OrgNode(org=o) for o in found]
    _children_counts(scope, nodes)
    _add_member_counts(scope, on, nodes, under=_outermost(o.path for o in found))
    step = PATH_STEP + 1
    above = {p for o in found for p in (o.path[:cut] for cut in range(step, len(o.path), step))}
    names = dict(visible_orgs(scope).filter(path__in=above).values_list("path", "name")) if above else {}
    for node in nodes:
        path = node.org.path
        node.trail = tuple(names[p] for p in (path[:cut] for cut in range(step, len(path), step)) if p in names)
    return nodes


def current_positions(on: date) -> QuerySet[LeaderPosition]:
    """Positions held on `on`, with the member and group, heads first."""
    return (
        LeaderPosition.objects.current_on(on)
        .select_related("member", "group")
        .order_by("leadership_role", "member__sort_key", "pk")
    )


@dataclass
class BlockRow:
    """A block and its visible units (each with `current_leaders` prefetched)."""

    block: Block
    units: list = field(default_factory=list)


def units_by_block(scope: Scope, on: date) -> list[BlockRow]:
    """Visible units grouped by block, each with its current leaders: two queries."""
    units = visible_units(scope).filter(is_active=True).select_related(
        "block", "party_organization"
    ).prefetch_related(
        Prefetch("positions", queryset=current_positions(on), to_attr="current_leaders")
    )
    rows: dict[int, BlockRow] = {}
    for unit in units:
        rows.setdefault(unit.block_id, BlockRow(block=unit.block)).units.append(unit)
    return list(rows.values())


def unit_positions(unit) -> QuerySet[LeaderPosition]:
    """Every post held in the unit, current and past, newest first."""
    return (
        unit.positions.select_related("member", "group")
        .order_by("end_on", "-start_on", "pk")
    )


def position_groups_with_counts() -> QuerySet[PositionGroup]:
    """Position groups with `positions_held` (current or past posts): one query."""
    return PositionGroup.objects.annotate(positions_held=Count("positions"))
