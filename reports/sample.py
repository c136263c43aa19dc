"""Decided ratings generated straight into the database, for the benchmarks and a first look.

Only `bench_report` (and `render_report --sample`) call this: real ratings come from the rating
workflow's services. Levels are drawn deterministically per subject from a seed, with about
15 % HTXSNV, so most peer groups stay within the 20 % quota and a few do not.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction

from appraisal.models import (
    Framework,
    LevelCode,
    Period,
    PeriodKind,
    PeriodStatus,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.selectors import live_ratings
from members.models import LeaderPosition, Member
from orgs.models import CommitteeMembership, OrgKind, PartyOrganization, Unit

RATED_ORG_KINDS = (OrgKind.BASE_PARTY, OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL)
WEIGHTS = ((LevelCode.EXCELLENT, 15), (LevelCode.GOOD, 80), (LevelCode.PASS, 4), (LevelCode.FAIL, 1))


@dataclass(frozen=True)
class SampleResult:
    ratings: int
    year: int


def _level(rng: random.Random) -> str:
    return rng.choices([c for c, _ in WEIGHTS], weights=[w for _, w in WEIGHTS])[0]


def _period(kind: str, year: int, quarter: int | None = None) -> Period:
    if kind == PeriodKind.YEAR:
        period, _ = Period.objects.get_or_create(
            kind=kind, year=year, defaults={"evaluation_date": dt.date(year, 12, 15), "status": PeriodStatus.CLOSED},
        )
    else:
        period, _ = Period.objects.get_or_create(
            kind=kind, year=year, quarter=quarter,
            defaults={"evaluation_date": dt.date(year, 3 * quarter, 15), "status": PeriodStatus.CLOSED},
        )
    return period


def _frameworks() -> dict[str, Framework]:
    if Framework.objects.count() < len(SubjectType.values):
        call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    chosen: dict[str, Framework] = {}
    for fw in Framework.objects.order_by("-year", "status", "-pk"):
        chosen.setdefault(fw.subject_type, fw)
    return chosen


@transaction.atomic
def generate_ratings(*, roots: list[PartyOrganization], year: int, quarters: int = 2, seed: int = 0) -> SampleResult:
    """Decided ratings of `year` (and its first `quarters` quarters for leaders) under `roots`.

    Subjects that already have a live rating in a period are left alone, so this may run again.
    """
    frameworks = _frameworks()
    year_period = _period(PeriodKind.YEAR, year)
    quarter_periods = [_period(PeriodKind.QUARTER, year, q) for q in range(1, quarters + 1)]
    decided_on = dt.date(year, 12, 28)
    paths = [r.path for r in roots]

    def under(qs, lookup):
        from django.db.models import Q

        q = Q(pk__in=[])
        for p in paths:
            q |= Q(**{f"{lookup}__startswith": p})
        return qs.filter(q)

    taken = set(
        live_ratings().filter(period__in=[year_period, *quarter_periods])
        .values_list("period_id", "subject_type", "member_id", "organization_id", "unit_id", "leader_position_id")
    )
    new: list[Rating] = []

    def add(period, subject_type, **subject):
        key = (period.pk, subject_type, subject.get("member_id"), subject.get("organization_id"),
               subject.get("unit_id"), subject.get("leader_position_id"))
        if key in taken:
            return
        rng = random.Random(f"{seed}:{key}")
        new.append(Rating(
            period=period, subject_type=subject_type, framework=frameworks[subject_type],
            approved_level=_level(rng), proposed_level="", status=RatingStatus.DECIDED,
            decision_number=f"{100 + period.pk}-QĐ/ĐU", decision_date=decided_on if period.kind == "year"
            else dt.date(period.year, 3 * period.quarter, 25), **subject,
        ))

    on = dt.date(year, 12, 15)
    six_months_before = dt.date(year, 6, 15)
    orgs = under(PartyOrganization.objects.filter(kind__in=RATED_ORG_KINDS, is_active=True), "path")
    committee_orgs = set(CommitteeMembership.objects.values_list("organization_id", flat=True).distinct())
    for org in orgs:
        if org.established_on and org.established_on > six_months_before:
            continue
        add(year_period, SubjectType.BASE_ORG_YEARLY, organization_id=org.pk)
        if org.pk in committee_orgs:
            add(year_period, SubjectType.COMMITTEE_YEARLY, organization_id=org.pk)
    for unit in under(Unit.objects.filter(is_active=True, has_leadership_collective=True), "party_organization__path"):
        add(year_period, SubjectType.COLLECTIVE_YEARLY, unit_id=unit.pk)
    positions = under(LeaderPosition.objects.filter(end_on__isnull=True), "member__cell__path")
    for position in positions.only("pk"):
        add(year_period, SubjectType.LEADER_YEARLY, leader_position_id=position.pk)
        for period in quarter_periods:
            add(period, SubjectType.LEADER_QUARTERLY, leader_position_id=position.pk)
    members = under(Member.objects.filter(is_active=True, admitted_on__lte=six_months_before), "cell__path")
    members = members.exclude(exemptions__start_on__lte=on).exclude(suspensions__start_on__lte=on)
    for member_id in members.values_list("pk", flat=True):
        add(year_period, SubjectType.MEMBER_YEARLY, member_id=member_id)
    Rating.objects.bulk_create(new, batch_size=2000)
    return SampleResult(len(new), year)
