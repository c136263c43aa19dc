"""The HTXSNV quota of a peer group: loaded, decided by the engine, stored — once [DOMAIN §7].

[002 §4.1; 003 C.I.2.1, C.II.2.1, C.III.5, C.IV.10–11]
Like a rating's outcome (`scoring.outcome`), a peer group's quota is worked out in one place: its
ratings (the whole group, rated or not yet), the level that counts for each at its stage
(`counted_level`), their scores, their ballot's HTXSNV votes and, for yearly leaders, the quarters
they were proposed HTXSNV, handed to the engine's `apply_quota` with *the group's own framework's*
settings. `quota_refresh` stores the result (`PeerGroupQuota`) whenever a level of the group
changes; the verification queue, the quota page and the report read it. The decision's check is
the same function with the levels the committee is about to decide put in.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from appraisal.frameworks.selectors import quota_settings_of
from appraisal.models import (
    BallotLine,
    LevelCode,
    PeerGroupQuota,
    Period,
    QuotaStatus,
    Rating,
    RatingStatus,
    SubjectType,
    counted_level,
)
from appraisal.rules import Level, QuotaCandidate, QuotaOutcome, apply_quota


@dataclass(frozen=True)
class GroupQuota:
    """One peer group's quota as the engine works it out, with the count it is checked against."""

    key: str
    label: str
    framework_id: int
    subject_type: str
    size: int  # the whole group, rated or not yet
    known: int  # those whose level counts at their stage
    excellent: int  # HTXSNV among them (or, for a decision, among the decided and the batch)
    decided_excellent: int  # HTXSNV already decided: a tie among them is no longer the committee's to break
    outcome: QuotaOutcome

    @property
    def allowed(self) -> int:
        return self.outcome.allowed

    @property
    def status(self) -> str:
        if self.decided_excellent > self.allowed:
            return QuotaStatus.OVER
        if self.outcome.tie is not None:
            return QuotaStatus.TIE
        return QuotaStatus.OVER if self.excellent > self.allowed else QuotaStatus.FINE

    def text(self) -> str:
        """ "Chi bộ thôn 1: 9/10 đối tượng xếp loại từ …, 20% × 9 = 1,8 → 2 (…) ⇒ được tối đa 2"."""
        arithmetic = self.outcome.arithmetic
        return f"{self.label}: {arithmetic.base_text}, {arithmetic.text}"


def group_quotas(
    period_id: int, keys: Iterable[str], *, levels: dict[int, str] | None = None, decided_only: bool = False,
) -> dict[str, GroupQuota]:
    """The quota of each peer group `keys` of a period, in a fixed number of queries.

    `levels` (rating id → level) puts in the levels a decision is about to give (a re-rating in
    the batch stands for the live rating it replaces); `decided_only` counts as HTXSNV only the
    decided ratings and the batch (what a decision may not exceed), the others' levels still
    counting in the base.
    """
    keys = sorted(set(keys))
    if not keys:
        return {}
    levels = levels or {}
    rows = list(
        Rating.objects.filter(period_id=period_id, is_live=True, peer_group__in=keys)
        .exclude(status=RatingStatus.EXCLUDED)
        .values_list("pk", "peer_group", "peer_group_label", "framework_id", "subject_type", "status",
                     "proposed_level", "approved_level", "total_score", "leader_position_id")
    )
    stands_for = dict(
        Rating.objects.filter(pk__in=levels, supersedes__isnull=False).values_list("supersedes_id", "pk")
    ) if levels else {}
    votes = _excellent_votes([row[0] for row in rows])
    leaders = [row[9] for row in rows if row[4] == SubjectType.LEADER_YEARLY]
    quarters = _excellent_quarters(Period.objects.get(pk=period_id).year, leaders) if leaders else {}
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        groups[row[1]].append(row)
    settings = quota_settings_of({row[3] for row in rows})
    out = {}
    for key, members in groups.items():
        _, _, label, framework_id, subject_type = members[0][:5]
        candidates, excellent, decided = [], 0, 0
        for pk, _key, _label, _fw, _type, status, proposed, approved, score, position in members:
            in_batch = pk in levels or pk in stands_for
            code = levels[stands_for.get(pk, pk)] if in_batch else counted_level(status, proposed, approved)
            if not code:
                continue
            level = Level.from_code(code)
            candidates.append(QuotaCandidate(pk, level, score or 0, votes.get(pk, 0), quarters.get(position, 0)))
            if level is Level.EXCELLENT and (not decided_only or in_batch or status == RatingStatus.DECIDED):
                excellent += 1
            if level is Level.EXCELLENT and status == RatingStatus.DECIDED and not in_batch:
                decided += 1
        outcome = apply_quota(
            candidates, settings[framework_id], by_quarters=subject_type == SubjectType.LEADER_YEARLY,
            group_size=len(members),
        )
        out[key] = GroupQuota(key, label, framework_id, subject_type, len(members), len(candidates), excellent,
                              decided, outcome)
    return out


def _excellent_votes(rating_ids: list[int]) -> dict[int, int]:
    """The HTXSNV votes of each rating's latest ballot line (one query)."""
    found: dict[int, int] = {}
    lines = BallotLine.objects.filter(rating_id__in=rating_ids).order_by("meeting__held_on", "pk")
    for rating_id, excellent in lines.values_list("rating_id", "excellent"):
        found[rating_id] = excellent
    return found


def _excellent_quarters(year: int, positions: list[int]) -> dict[int, int]:
    """Per leader post: the quarters of the year it was *proposed* HTXSNV [002 §8.2]."""
    rows = Rating.objects.filter(
        is_live=True, subject_type=SubjectType.LEADER_QUARTERLY, leader_position_id__in=positions,
        period__year=year, proposed_level=LevelCode.EXCELLENT,
    ).values_list("leader_position_id").annotate(n=Count("pk")).order_by()
    return dict(rows)


def quota_refresh(period_id: int, keys: Iterable[str]) -> dict[str, GroupQuota]:
    """Work out and store the quota of peer groups of a period (after a level of theirs changed)."""
    quotas = group_quotas(period_id, keys)
    now = timezone.now()
    PeerGroupQuota.objects.filter(period_id=period_id, peer_group__in=list(keys)).delete()
    PeerGroupQuota.objects.bulk_create([_stored(period_id, q, now) for q in quotas.values()])
    return quotas


def _stored(period_id: int, q: GroupQuota, now) -> PeerGroupQuota:
    outcome = q.outcome
    return PeerGroupQuota(
        period_id=period_id, peer_group=q.key, label=q.label, framework_id=q.framework_id,
        subject_type=q.subject_type, size=q.size, known=q.known, base=outcome.base, allowed=outcome.allowed,
        excellent=q.excellent, status=q.status, base_text=outcome.arithmetic.base_text,
        arithmetic_text=outcome.arithmetic.text, ranked_by=outcome.ranked_by,
        places=[
            {"rating": place.subject_id, "rank": place.rank, "status": place.status,
             "level": place.level.code if place.level is not None else "", "note": place.note}
            for place in outcome.places
        ],
        tie_text=f"{outcome.tie.text} {outcome.tie.source}" if outcome.tie is not None else "",
        computed_at=now,
    )


def refresh_groups_of(ratings: Iterable[Rating]) -> None:
    """Store again the quota of the peer groups these ratings belong to (by period)."""
    by_period: dict[int, set[str]] = defaultdict(set)
    for rating in ratings:
        if rating.peer_group:
            by_period[rating.period_id].add(rating.peer_group)
    for period_id, keys in by_period.items():
        quota_refresh(period_id, keys)
