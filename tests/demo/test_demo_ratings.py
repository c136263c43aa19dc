"""The demo's rating history: last year and this year's past quarters decided through the
services, one re-rating, this year open with work in progress; every quota respected."""
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.db import transaction

from appraisal.models import (
    Decision,
    DecisionKind,
    Meeting,
    Period,
    PeriodStatus,
    Rating,
    RatingStatus,
)
from appraisal.rules import Level, excellent_quota
from appraisal.scoring.loader import frameworks
from core.models import AuditEntry
from demo.builder import seed_demo

# The module shares one seeded demo (about a minute): its tests run in one test process.
pytestmark = pytest.mark.xdist_group("demo_ratings")

REFERENCE = date(2026, 8, 20)  # Q3: the year before, Q1 and Q2 decided; 2026 open


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo seeded once for the module, inside a transaction rolled back at its end (the
    tests' own transactions are savepoints in it), so the data migrations' rows stay."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo(seed=0, reference=REFERENCE, ratings=True)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_past_periods_are_decided_and_closed_and_this_year_is_open(demo):
    """2025 and Q1–Q2/2026 closed with every rated subject decided; 2026 open with work to do."""
    periods = {str(p): p for p in Period.objects.all()}
    assert set(periods) == {"Năm 2025", "Quý 1/2026", "Quý 2/2026", "Năm 2026"}
    for name in ("Năm 2025", "Quý 1/2026", "Quý 2/2026"):
        period = periods[name]
        assert period.status == PeriodStatus.CLOSED
        states = Counter(Rating.objects.filter(period=period, is_live=True).values_list("status", flat=True))
        assert set(states) <= {RatingStatus.DECIDED, RatingStatus.EXCLUDED}, (name, states)
        assert states[RatingStatus.DECIDED] > 0
    current = Counter(Rating.objects.filter(period=periods["Năm 2026"]).values_list("status", flat=True))
    assert periods["Năm 2026"].status == PeriodStatus.OPEN
    assert current[RatingStatus.DRAFT] and current[RatingStatus.SUBMITTED] and current[RatingStatus.PROPOSED]
    assert Meeting.objects.filter(period=periods["Năm 2026"]).exists()


@pytest.mark.django_db
def test_one_rerating_keeps_both_ratings(demo):
    """One member of 2025 was re-rated after a later discipline: a QĐ 01 decision, the old rating
    superseded and kept."""
    new = Rating.objects.get(supersedes__isnull=False)
    assert new.is_live and not new.supersedes.is_live
    assert new.decision.kind == DecisionKind.RERATING
    assert Level.from_code(new.approved_level) < Level.from_code(new.supersedes.approved_level)


@pytest.mark.django_db
def test_no_peer_group_exceeds_its_quota(demo):
    """Every decided peer group of every period has at most the HTXSNV its quota allows."""
    groups = defaultdict(list)
    for r in Rating.objects.filter(is_live=True, status=RatingStatus.DECIDED):
        groups[(r.period_id, r.peer_group)].append(r)
    assert groups
    for members in groups.values():
        settings = frameworks([members[0].framework_id])[members[0].framework_id].spec.quota
        base = sum(1 for r in members if Level.from_code(r.approved_level) >= settings.base_min_level)
        excellent = sum(1 for r in members if r.approved_level == "HTXSNV")
        assert excellent <= excellent_quota(base, len(members), settings)


@pytest.mark.django_db
def test_every_step_went_through_the_audited_services(demo):
    """Scores, hand-ins, meetings, proposals, verifications, decisions and announcements are in
    the audit trail, as a user's clicks would leave them."""
    actions = Counter(AuditEntry.objects.values_list("action", flat=True))
    for action in ("period.open", "rating.scores", "rating.submit", "meeting.record", "rating.propose",
                   "rating.verify", "rating.decide", "rating.announce", "rating.rerate", "rating.superseded"):
        assert actions[action] > 0, action
    assert Decision.objects.filter(kind=DecisionKind.RATING).count() >= 3


@pytest.mark.django_db
def test_nothing_is_dated_after_the_reference_day(demo):
    """The demo's meetings and decisions happened by the reference day: this year's meeting is
    not dated in December when the demo is built in August (a meeting in the future is refused)."""
    assert Meeting.objects.filter(period__year=REFERENCE.year).exists()
    assert not Meeting.objects.filter(held_on__gt=REFERENCE).exists()
    assert not Decision.objects.filter(decided_on__gt=REFERENCE).exists()
