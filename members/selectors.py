"""Reads of members: lists with their status computed in bulk, and a member's history."""
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from orgs.dates import add_months
from orgs.scope import Scope, get_visible_member, visible_members
from orgs.selectors import covering

from .models import (
    Exemption,
    LeaderPosition,
    Member,
    MemberStatus,
    NotRatedReason,
    Suspension,
    TemporaryActivity,
    Transfer,
    not_rated_reason,
)

PAGE_SIZE = 100


def with_status_flags(qs: QuerySet[Member], on: date) -> QuerySet[Member]:
    """Annotate `is_exempt` and `is_suspended` on `on`, so a list of 900 costs one query."""
    return qs.select_related("cell").annotate(
        is_exempt=covering(Exemption, on), is_suspended=covering(Suspension, on)
    )


@dataclass(frozen=True)
class MemberRow:
    """One member as lists show them: the member and their status labels on a date."""

    member: Member
    status: str  # chính thức / dự bị
    badges: tuple[str, ...]  # miễn sinh hoạt, đình chỉ, mới kết nạp, đã chuyển đi
    not_rated: NotRatedReason | None

    @property
    def is_rated(self) -> bool:
        return self.not_rated is None


_BADGES = {
    NotRatedReason.EXEMPT: "Miễn sinh hoạt",
    NotRatedReason.SUSPENDED: "Đình chỉ sinh hoạt",
    NotRatedReason.LEFT: "Đã chuyển đi",
}


def member_row(member: Member, on: date) -> MemberRow:
    """The status of one member annotated by `with_status_flags` (no query)."""
    exempt, suspended = member.is_exempt, member.is_suspended
    badges = []
    if not member.is_active:
        badges.append(_BADGES[NotRatedReason.LEFT])
    if exempt:
        badges.append(_BADGES[NotRatedReason.EXEMPT])
    if suspended:
        badges.append(_BADGES[NotRatedReason.SUSPENDED])
    if add_months(member.admitted_on, 6) > on:
        badges.append("Mới kết nạp dưới 06 tháng")
    return MemberRow(
        member=member,
        status=MemberStatus(member.status).label,
        badges=tuple(badges),
        not_rated=not_rated_reason(member, on, exempt=exempt, suspended=suspended),
    )


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
