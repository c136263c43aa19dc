"""Reads of members: lists with their status computed in bulk, a member's history, the people
of the tree (member counts per organisation, leaders per unit)."""
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from core.scope import Scope
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
    candidates = [p for p in periods if p.end_on is None or p.end_on >= on]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.start_on, p.pk)).pk


def split_positions(member: Member, on: date) -> tuple[list, list]:
    """The member's prefetched positions as (current, past) on `on`."""
    current, past = [], []
    for position in member.positions.all():
        (current if position.is_current(on) else past).append(position)
    return current, past


def covering(model, on: date):
    """A subquery: the outer member has a `model` period (exemption, suspension) covering `on`."""
    return Exists(
        model.objects.filter(member=OuterRef("pk"), start_on__lte=on).filter(
            Q(end_on__isnull=True) | Q(end_on__gte=on)
        )
    )


@dataclass
class OrgNode:
    """One row of the tree page: an organisation and the counts of its subtree."""

    org: PartyOrganization
    level: int  # indentation relative to the top of the visible tree
    children: int = 0
    members: int = 0  # active members in the subtree


def org_tree(scope: Scope, on: date) -> list[OrgNode]:
    """The visible tree in path order, with subtree member counts: two queries, any size.

    One query reads the organisations; one aggregates active members per cell. Totals roll up
    to every visible ancestor in Python, by the materialised path.
    """
    orgs = list(visible_orgs(scope).order_by("path"))
    if not orgs:
        return []
    top = min(o.depth for o in orgs)
    nodes = {o.path: OrgNode(org=o, level=o.depth - top) for o in orgs}
    by_id = {o.pk: o for o in orgs}
    for o in orgs:
        parent_path = o.path[: -(PATH_STEP + 1)]
        if parent_path in nodes:
            nodes[parent_path].children += 1
    # Count the members the user may see (a unit's leadership sees the people holding posts in
    # its unit, not the whole party cell the unit belongs to), in the cells shown. Who of them
    # is rated is the rating process's to say (stored on each period's ratings).
    per_cell = (
        visible_members(scope).filter(is_active=True, cell__in=visible_orgs(scope).values("pk"))
        .values("cell_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in per_cell:
        cell = by_id[row["cell_id"]]
        for cut in range(PATH_STEP + 1, len(cell.path) + 1, PATH_STEP + 1):
            node = nodes.get(cell.path[:cut])
            if node is not None:
                node.members += row["total"]
    return list(nodes.values())


def current_positions(on: date) -> QuerySet[LeaderPosition]:
    """Positions held on `on`, with the member and group, heads first."""
    return (
        LeaderPosition.objects.filter(start_on__lte=on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
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
