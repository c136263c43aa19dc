"""Ratings whose conditions read other ratings' levels, refreshed when those change [DOMAIN §6 "Order"]."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from appraisal.models import (
    Period,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.scoring import outcome as outcomes
from appraisal.scoring.loader import period_bounds
from appraisal.scoring.quota import refresh_groups_of
from orgs.models import CommitteeMembership

# ------------------------------------------------------------------------------ dependents


def dependents(ratings: list[Rating]) -> list[int]:
    """Ratings of the same period whose conditions read these ratings' levels [DOMAIN §6 "Order"]:
    the organisation of a member, the committee and parent of an organisation, the head of a
    collective and the organisation whose leadership it is, the year of a leader's quarter."""
    if not ratings:
        return []
    period_id = ratings[0].period_id
    # Gathered per kind, so the query has a fixed shape whatever the number of ratings.
    org_paths, org_ids, committee_orgs, units, quarter_units = set(), set(), set(), set(), set()
    quarter_leaders = defaultdict(set)
    for r in ratings:
        if r.subject_type == SubjectType.MEMBER_YEARLY and r.scope_org_id:
            org_paths.update(_ancestor_paths(r.scope_org.path))
        elif r.subject_type == SubjectType.BASE_ORG_YEARLY:
            committee_orgs.add(r.organization_id)
            if r.organization.parent_id:
                org_ids.add(r.organization.parent_id)
        elif r.subject_type == SubjectType.COLLECTIVE_YEARLY:
            units.add(r.unit_id)
            if r.unit.party_organization_id:
                org_ids.add(r.unit.party_organization_id)
        elif r.subject_type == SubjectType.LEADER_QUARTERLY:
            quarter_leaders[r.period.year].add(r.leader_position_id)
            if r.leader_position.unit_id:  # the head's figures for the collective reach its colleagues
                quarter_units.add(r.leader_position.unit_id)
    same = Q(period_id=period_id)
    q = Q(pk__in=[])
    if org_paths:
        q |= same & Q(subject_type=SubjectType.BASE_ORG_YEARLY, organization__path__in=sorted(org_paths))
    if org_ids:
        q |= same & Q(subject_type=SubjectType.BASE_ORG_YEARLY, organization_id__in=sorted(org_ids))
    if committee_orgs:
        q |= same & Q(subject_type=SubjectType.COMMITTEE_YEARLY, organization_id__in=sorted(committee_orgs))
    if units:
        q |= same & Q(subject_type=SubjectType.LEADER_YEARLY, leader_position__unit_id__in=sorted(units))
    if quarter_units:
        q |= same & Q(subject_type=SubjectType.LEADER_QUARTERLY, leader_position__unit_id__in=sorted(quarter_units))
    for year, positions in sorted(quarter_leaders.items()):
        q |= Q(period__year=year, period__kind="year", subject_type=SubjectType.LEADER_YEARLY,
               leader_position_id__in=sorted(positions))
    own = {r.pk for r in ratings}
    return [
        pk for pk in Rating.objects.filter(q, is_live=True).exclude(status=RatingStatus.EXCLUDED)
        .values_list("pk", flat=True)
        if pk not in own
    ]


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split(".")[:-1]
    return [".".join(parts[:n]) + "." for n in range(1, len(parts) + 1)]


def refresh_with_dependents(
    ratings: list[Rating], *, actor=None, because: str = "", include_own: bool = True,
) -> None:
    """Store again the outcome of `ratings`, then of every rating that depends on them, layer by
    layer (a member before its cell, a cell before its đảng bộ and its committee), and the quota
    of their peer groups — all in the caller's transaction.

    A decided rating is never edited: when its outcome would now differ, it is flagged for a
    re-rating (`OutcomeChange`). A dependent whose level changes gets an audit entry saying why
    (`because`); so do the ratings themselves when `actor` is given (something they read changed,
    not something typed on them). `include_own=False` when the caller has just stored theirs.
    """
    seen: set[int] = set()
    layer = [r for r in ratings if r.pk not in seen]
    first = True
    for _ in range(_MAX_LAYERS):
        if first:
            ids = [r.pk for r in layer]
        else:  # a quarter's dependents lie in its year: each period's layer on its own
            by_period: dict[int, list[Rating]] = defaultdict(list)
            for rating in layer:
                by_period[rating.period_id].append(rating)
            ids = [pk for part in by_period.values() for pk in dependents(part)]
        ids = [pk for pk in ids if pk not in seen]
        if not ids:
            break
        seen.update(ids)
        if include_own or not first:
            outcomes.refresh_changed(ids, actor=actor, because=because, audit=actor is not None or not first)
        first = False
        layer = list(Rating.objects.filter(pk__in=ids).select_related(
            "organization", "unit", "scope_org", "period", "leader_position"))
    refresh_groups_of(ratings)


_MAX_LAYERS = 6  # member → chi bộ trực thuộc → đảng bộ cơ sở → its committee …, with room to spare


def refresh_for_members(*, member_ids: set[int], days: set, actor=None, because: str = "") -> None:
    """A fact about some members changed (a discipline recorded, even years later): work out again
    every live rating that reads it — the members' own, their posts', the committees they sit on —
    then those that depend on them; a decided one is flagged for re-rating, never edited
    [003 C.II.2.4, C.IV.7–9; 002 §4.4]. `days` are the dates the facts are about (violations): only
    the periods containing one are touched."""
    periods = [p for p in Period.objects.all() if any(_covers(p, day) for day in days)]
    if not member_ids or not periods:
        return
    seats = CommitteeMembership.objects.filter(member_id__in=member_ids).values("organization_id")
    ratings = list(
        Rating.objects.filter(is_live=True, period__in=periods).exclude(status=RatingStatus.EXCLUDED).filter(
            Q(member_id__in=member_ids) | Q(leader_position__member_id__in=member_ids)
            | Q(subject_type=SubjectType.COMMITTEE_YEARLY, organization_id__in=seats)
        ).select_related("organization", "unit", "scope_org", "period", "leader_position")
    )
    by_period: dict[int, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_period[rating.period_id].append(rating)
    for group in by_period.values():
        refresh_with_dependents(group, actor=actor, because=because)


def _covers(period: Period, day) -> bool:
    start, end = period_bounds(period)
    return start <= day <= end


def on_member_facts_changed(sender, *, member_ids, days, actor=None, because="", **kwargs) -> None:
    """members.signals.member_facts_changed → `refresh_for_members` (connected in AppraisalConfig.ready)."""
    refresh_for_members(member_ids=set(member_ids), days=set(days), actor=actor, because=because)
