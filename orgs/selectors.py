"""Reads of the organisation tree and the units, each in a constant number of queries."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from members.models import Exemption, LeaderPosition, Suspension

from .dates import add_months
from .models import CELL_KINDS, PATH_STEP, Block, PartyOrganization, Role, Unit
from .scope import Scope, visible_members, visible_orgs, visible_units


def newest_rateable_admission(on: date) -> date:
    """The latest admission date of a member rated on `on` (admitted ≥ 6 months) [003 B.I.2].

    `add_months` clamps to the month's end, so the cut-off is searched day by day from
    six months back rather than computed by subtraction (31/8 + 6 months = 28/2).
    """
    one_day = timedelta(days=1)
    cutoff = add_months(on, -6)
    while add_months(cutoff + one_day, 6) <= on:
        cutoff += one_day
    return cutoff


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
    not_rated: int = 0  # of those, exempt, suspended or admitted < 6 months

    @property
    def rated(self) -> int:
        return self.members - self.not_rated


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
    cutoff = newest_rateable_admission(on)
    # Count the members the user may see (a unit's leadership sees the people holding posts in
    # its unit, not the whole party cell the unit belongs to), in the cells shown.
    per_cell = (
        visible_members(scope).filter(is_active=True, cell__in=visible_orgs(scope).values("pk"))
        .annotate(exempt=covering(Exemption, on), suspended=covering(Suspension, on))
        .values("cell_id")
        .annotate(
            total=Count("pk"),
            not_rated=Count(
                "pk", filter=Q(exempt=True) | Q(suspended=True) | Q(admitted_on__gt=cutoff)
            ),
        )
        .order_by()
    )
    for row in per_cell:
        cell = by_id[row["cell_id"]]
        for cut in range(PATH_STEP + 1, len(cell.path) + 1, PATH_STEP + 1):
            node = nodes.get(cell.path[:cut])
            if node is not None:
                node.members += row["total"]
                node.not_rated += row["not_rated"]
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


def ancestors(scope: Scope, org: PartyOrganization) -> list[PartyOrganization]:
    """The organisations above `org` that the user may open, top first (the breadcrumb trail)."""
    step = PATH_STEP + 1
    paths = [org.path[:end] for end in range(step, len(org.path), step)]
    found = PartyOrganization.objects.filter(path__in=paths).order_by("depth")
    return [above for above in found if scope.covers_org(above)]


def sub_organizations(scope: Scope, org: PartyOrganization) -> QuerySet[PartyOrganization]:
    """The visible organisations directly under `org`."""
    return visible_orgs(scope).filter(parent=org).order_by("sort_order", "path")


def editable_cells(scope: Scope) -> QuerySet[PartyOrganization]:
    """Active cells where the user may add or change members: all for staff, else their own."""
    qs = PartyOrganization.objects.cells().filter(is_active=True).order_by("path")
    if scope.is_staff_member:
        return qs
    q = Q(pk__in=[])
    for path in scope.org_paths.get(Role.SECRETARY, ()):
        q |= Q(path__startswith=path)
    return qs.filter(q)


def destination_cells() -> QuerySet[PartyOrganization]:
    """Active cells of the deployment a member may be transferred to."""
    return PartyOrganization.objects.filter(kind__in=CELL_KINDS, is_active=True).order_by("path")


@dataclass(frozen=True)
class HomeLink:
    """One thing the user can do, as the home page lists it."""

    label: str
    url: str
    help: str


def _url(name: str) -> str:
    """The URL of `name`, or "" if the project has no such page."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def own_places(scope: Scope) -> list[HomeLink]:
    """The cells a secretary leads and the units a leadership account belongs to (two queries)."""
    links = []
    paths = scope.org_paths.get(Role.SECRETARY, ())
    if paths:
        for org in PartyOrganization.objects.filter(path__in=paths).order_by("path"):
            links.append(HomeLink(org.name, org.get_absolute_url(), "Đảng viên của chi bộ, tìm kiếm, cập nhật hồ sơ."))
    if scope.unit_ids:
        for unit in Unit.objects.filter(pk__in=scope.unit_ids).order_by("name"):
            links.append(HomeLink(unit.name, unit.get_absolute_url(), "Lãnh đạo, quản lý của cơ quan, đơn vị."))
    return links


def home_links(scope: Scope) -> list[HomeLink]:
    """What the user can do from the home page, by role."""
    links = [
        *own_places(scope),
        HomeLink("Cây tổ chức đảng", _url("orgs:tree"), "Các tổ chức đảng trong phạm vi, số đảng viên."),
        HomeLink("Cơ quan, đơn vị", _url("orgs:units"), "Các khối, cơ quan, đơn vị và lãnh đạo."),
        HomeLink("Tìm đảng viên", _url("members:search"), "Tìm theo tên (không cần dấu) hoặc số thẻ."),
    ]
    if scope.is_staff_member or scope.has_role(Role.SECRETARY):
        links.append(HomeLink("Thêm đảng viên", _url("members:create"), "Nhập đảng viên mới vào chi bộ."))
    if scope.is_staff_member:
        links.append(HomeLink("Nhập/xuất Excel", _url("workbook:import"), "Nhập danh sách đảng viên từ tệp Excel."))
    if scope.is_staff_member or scope.has_role(Role.STANDING):
        links.append(HomeLink("Khung tiêu chí", _url("appraisal:framework_list"), "Các khung tiêu chí, biểu điểm."))
    return [link for link in links if link.url]
