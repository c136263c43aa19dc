"""Decided ratings for the benchmarks and a first look, made fast.

Periods are opened by the workflow's own service (`period_open`: every subject, its place in the
tree, its peer group, and who is left out and why); the decision is then written straight into
the open ratings, level drawn per subject from a seed and HTXSNV kept within each peer group's quota, skipping the scores,
meetings and verification a real decision goes through. Only `bench_report` calls this.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from appraisal.models import (
    Decision,
    DecisionKind,
    Period,
    PeriodKind,
    RatingStatus,
)
from appraisal.process.periods.services import period_open
from appraisal.scoring.counts import rating_counts_rebuild
from appraisal.scoring.quota import quota_refresh
from appraisal.selectors import live_ratings
from demo.levels import MEMBER_WEIGHTS, draw_level, within_quota


@dataclass(frozen=True)
class SampleResult:
    decided: int
    excluded: int


def _sample_actor():
    """A superuser to open periods with (the service requires staff)."""
    user, _ = get_user_model().objects.get_or_create(
        username="bench-report", defaults={"is_superuser": True, "is_staff": False, "is_active": False},
    )
    return user


def _period(kind: str, year: int, quarter: int | None = None) -> Period:
    evaluation = dt.date(year, 12, 15) if kind == PeriodKind.YEAR else dt.date(year, 3 * quarter, 15)
    period, _ = Period.objects.get_or_create(kind=kind, year=year, quarter=quarter,
                                             defaults={"evaluation_date": evaluation})
    return period


def decide_all(period: Period, *, seed: int = 0) -> int:
    """Write a decision (one per level, four UPDATEs) into the period's open ratings."""
    decision, _ = Decision.objects.get_or_create(
        period=period, kind=DecisionKind.RATING, number=f"{100 + period.pk}-QĐ/ĐU",
        defaults={"decided_on": period.evaluation_date + dt.timedelta(days=10), "authority": "Ban Thường vụ Đảng ủy"},
    )
    open_rows = list(
        live_ratings().filter(period=period).exclude(status__in=[RatingStatus.DECIDED, RatingStatus.EXCLUDED])
        .values_list("pk", "peer_group")
    )
    drawn: dict[str, list[tuple[int, str]]] = {}
    for pk, peer in open_rows:
        drawn.setdefault(peer, []).append((pk, draw_level(random.Random(f"{seed}:{pk}"), MEMBER_WEIGHTS)))
    by_level: dict[str, list[int]] = {}
    for rows in drawn.values():
        # Within each peer group, HTXSNV above the engine's quota go down to HTTNV (as the committee would).
        for (pk, _), level in zip(rows, within_quota([level for _, level in rows]), strict=True):
            by_level.setdefault(level, []).append(pk)
    open_ids = [pk for pk, _ in open_rows]
    for level, ids in by_level.items():
        for start in range(0, len(ids), 5000):
            live_ratings().filter(pk__in=ids[start:start + 5000]).update(
                status=RatingStatus.DECIDED, approved_level=level, proposed_level=level, decision=decision,
                decision_number=decision.number, decision_date=decision.decided_on,
            )
    quota_refresh(period.pk, drawn)  # each peer group's quota, stored as a decision stores it
    rating_counts_rebuild([period])  # and the counts of its decided results
    return len(open_ids)


def generate_ratings(*, year: int, quarters: int = 2, seed: int = 0) -> SampleResult:
    """Open the year (and its first `quarters` quarters) for the whole deployment and decide every rating."""
    call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115 (idempotent, quick)
    actor = _sample_actor()
    decided = excluded = 0
    periods = [_period(PeriodKind.YEAR, year)] + [_period(PeriodKind.QUARTER, year, q) for q in range(1, quarters + 1)]
    for period in periods:
        with transaction.atomic():
            result = period_open(actor=actor, period=period)
            excluded += sum(result.excluded.values())
            decided += decide_all(period, seed=seed)
    return SampleResult(decided, excluded)
