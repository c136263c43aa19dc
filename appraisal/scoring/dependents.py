"""Ratings whose conditions read other ratings' levels, refreshed when those change [DOMAIN §6 "Order"]."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from appraisal.models import (
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.scoring import outcome as outcomes

# ------------------------------------------------------------------------------ dependents


def dependents(ratings: list[Rating]) -> list[int]:
    """Ratings of the same period whose conditions read these ratings' levels [DOMAIN §6 "Order"]:
    the organisation of a member, the committee and parent of an organisation, the head of a
    collective and the organisation whose leadership it is, the year of a leader's quarter."""
    if not ratings:
        return []
    period_id = ratings[0].period_id
    # Gathered per kind, so the query has a fixed shape whatever the number of ratings.
    org_paths, org_ids, committee_orgs, units, quarter_leaders = set(), set(), set(), set(), defaultdict(set)
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
    for year, positions in sorted(quarter_leaders.items()):
        q |= Q(period__year=year, period__kind="year", subject_type=SubjectType.LEADER_YEARLY,
               leader_position_id__in=sorted(positions))
    own = {r.pk for r in ratings}
    return [
        pk for pk in Rating.objects.filter(q, is_live=True).exclude(
            status__in=[RatingStatus.EXCLUDED, RatingStatus.DECIDED]
        ).values_list("pk", flat=True)
        if pk not in own
    ]


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split(".")[:-1]
    return [".".join(parts[:n]) + "." for n in range(1, len(parts) + 1)]


def refresh_with_dependents(ratings: list[Rating]) -> None:
    """Store the outcome of the ratings, then of those that depend on them, two levels up."""
    outcomes.refresh([r.pk for r in ratings])
    layer = ratings
    for _ in range(3):
        ids = dependents(layer)
        if not ids:
            return
        outcomes.refresh(ids)
        layer = list(Rating.objects.filter(pk__in=ids).select_related("organization", "unit", "scope_org", "period"))


def refresh_with_dependents_after_decision(ratings: list[Rating]) -> None:
    """A decided rating keeps its stored outcome; the ratings that depend on it are refreshed."""
    layer = ratings
    for _ in range(3):
        ids = dependents(layer)
        if not ids:
            return
        outcomes.refresh(ids)
        layer = list(Rating.objects.filter(pk__in=ids).select_related("organization", "unit", "scope_org", "period"))
