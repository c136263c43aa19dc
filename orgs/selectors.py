"""Reads of the organisation tree and the units, each in a constant number of queries."""
from django.db.models import Count, Q, QuerySet

from core.models import Role
from core.scope import Scope

from .models import (
    CELL_KINDS,
    PATH_STEP,
    Block,
    CommitteeMembership,
    CommitteeRole,
    OrgKind,
    PartyOrganization,
    PlacementRule,
)
from .scope import visible_orgs
from .validators import DEFAULT_PLACEMENT


def placement_rules() -> dict[str, frozenset[str | None]]:
    """Kind → the parent kinds it may sit under (None: at the top), as staff set them: one query.

    A kind without a stored rule (a table emptied by a test's flush, a kind added later) keeps
    the rule a fresh deployment starts with.
    """
    rules = dict(DEFAULT_PLACEMENT)
    for rule in PlacementRule.objects.all():
        rules[rule.kind] = frozenset(rule.parent_kinds) | ({None} if rule.top_allowed else frozenset())
    return rules


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


def blocks_with_unit_counts() -> QuerySet[Block]:
    """Blocks with `active_units`: one query."""
    return Block.objects.annotate(active_units=Count("units", filter=Q(units__is_active=True)))


def commune_word(name: str) -> str:
    """ "Bình Lư" from "Đảng bộ xã Bình Lư": the place a document of the commune is dated at."""
    for prefix in ("Đảng bộ xã ", "Đảng bộ phường ", "Đảng bộ thị trấn ", "Đảng bộ "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def place_of(org: PartyOrganization | None) -> str:
    """Where a document of `org` is dated ("Bình Lư, ngày …"): the commune of the tree's root,
    or "" when the root is not a commune's đảng bộ (one query)."""
    if org is None:
        return ""
    root = PartyOrganization.objects.filter(path=org.path[: PATH_STEP + 1]).only("name", "kind").first()
    if root is None or root.kind != OrgKind.ROOT:
        return ""
    return commune_word(root.name)


def committee_seat(organization: PartyOrganization, full_name: str, day) -> CommitteeMembership | None:
    """The seat `full_name` holds on `organization`'s committee on `day` (the highest role), or None: one query.

    A document prints its signer with the title they hold there ("BÍ THƯ", "PHÓ BÍ THƯ"), never a
    title chosen for whoever is typed.
    """
    if not full_name:
        return None
    seats = (
        CommitteeMembership.objects.filter(organization=organization, member__full_name__iexact=full_name)
        .current_on(day)
    )
    order = list(CommitteeRole.values)
    return min(seats, key=lambda seat: order.index(seat.role), default=None)


def committee_title(organization: PartyOrganization | None, full_name: str, day) -> str:
    """The title `full_name` holds on the committee, as a signature block prints it ("PHÓ BÍ THƯ"), or ""."""
    seat = committee_seat(organization, full_name, day) if organization is not None else None
    return signature_title(seat)


def signature_title(seat: CommitteeMembership | None) -> str:
    """ "BÍ THƯ" for a secretary's seat: the role's label in capitals ("" for no seat)."""
    return seat.get_role_display().upper() if seat is not None else ""


def committee_head(organization: PartyOrganization, day) -> CommitteeMembership | None:
    """The secretary of `organization`'s committee on `day` (else its first deputy), with the member: one query."""
    seats = (
        CommitteeMembership.objects.filter(organization=organization, role__in=(CommitteeRole.SECRETARY, CommitteeRole.DEPUTY))
        .current_on(day).select_related("member").order_by("start_on", "pk")
    )
    order = list(CommitteeRole.values)
    return min(seats, key=lambda seat: order.index(seat.role), default=None)
