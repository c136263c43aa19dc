"""The stored counts of live ratings (`RatingCount`) equal a fresh count after every service that
changes what they count: opening a period, a decision, a re-rating (in preparation, then decided:
the old result stops counting), an announcement; and `rating_counts_rebuild` writes them again."""
import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from appraisal.models import RatingCount, RatingStatus, SubjectType
from appraisal.process.decisions import services as decision_services
from appraisal.process.meetings import services as meeting_services
from appraisal.process.rerating import services as rerating_services
from appraisal.scoring.counts import DECIDED_LEVEL
from appraisal.selectors import (
    latest_decided_year_period,
    live_ratings,
    member_rating_counts,
    visible_ratings,
)
from core.models import Role, RoleAssignment
from core.scope import scope_for
from members.models import Discipline, DisciplineForm
from tests.appraisal.test_workflow_process import _decide, _meeting, _ready, _reload, _verify

KEY = ("period_id", "subject_type", "scope_org_id", "scope_unit_id")


def _fresh() -> Counter:
    rows = (live_ratings().annotate(level=DECIDED_LEVEL).values_list(*KEY, "level", "exclusion")
            .annotate(n=Count("pk")).order_by())
    return Counter({tuple(key): n for *key, n in rows})


def _stored() -> Counter:
    stored = Counter()
    for *key, n in RatingCount.objects.values_list(*KEY, "level", "exclusion", "count"):
        assert tuple(key) not in stored, "one row per period, place, subject type, level and reason"
        stored[tuple(key)] = n
    return stored


def _decided_pair(commune):
    ratings = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    _meeting(commune, ratings, [(2, 8, 0, 0), (0, 10, 0, 0)])
    _verify(commune, ratings)
    _decide(commune, ratings, ["HTTNV", "HTTNV"])
    return _reload(ratings)


def _decided(counts: Counter) -> int:
    return sum(n for (*_, level, _exclusion), n in counts.items() if level)


def test_opening_and_a_decision_store_the_counts_of_their_ratings(commune):
    opened = _stored()
    assert opened == _fresh() and _decided(opened) == 0 < sum(opened.values())
    _decided_pair(commune)
    assert _stored() == _fresh()
    assert _decided(_stored()) == 2


def test_a_rerating_moves_the_count_to_the_new_level_and_an_announcement_changes_none(commune):
    old, _ = _decided_pair(commune)
    Discipline.objects.create(member=old.member, form=DisciplineForm.WARNING, decided_on=dt.date(2026, 3, 1),
                              violation_on=dt.date(2025, 10, 1), decision_number="03-QĐ/UBKT")
    new = rerating_services.rating_rerate(actor=commune.users["staff"], rating=old, reason="Kỷ luật")
    assert _stored() == _fresh()  # a re-rating in preparation does not count yet
    new.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["staff"], rating=new, expected_version=new.version,
                                    level="KHTNV", note="Xếp loại lại")
    before = _stored()
    _decide(commune, [new], ["KHTNV"], number="30-QĐ/ĐU")
    after = _stored()
    assert after == _fresh()
    place = (old.period_id, old.subject_type, old.scope_org_id, old.scope_unit_id)
    assert after[(*place, "HTTNV", "")] == before[(*place, "HTTNV", "")] - 1
    assert after[(*place, "KHTNV", "")] == before[(*place, "KHTNV", "")] + 1
    decision_services.ratings_announce(actor=commune.users["standing"], ratings=_reload([new]))
    assert _stored() == after


@pytest.mark.parametrize("year", [None, 2025])
def test_the_rebuild_command_writes_the_counts_again(commune, year):
    _decided_pair(commune)
    expected = _stored()
    RatingCount.objects.update(count=99)
    args = ["--year", str(year)] if year else []
    call_command("rating_counts_rebuild", *args, stdout=StringIO())
    assert _stored() == expected == _fresh()


@pytest.mark.parametrize("decided", [False, True])
def test_each_account_counts_from_the_stored_counts_the_members_it_sees(commune, decided):
    """Rated and left out, and the newest year with a decision, from the stored counts of the
    account's part of the tree (and its own ratings when they lie outside), equal what the ratings
    it sees give."""
    if decided:
        _decided_pair(commune)
    # A member who is also the secretary of another cell: their own rating lies outside that part.
    RoleAssignment.objects.create(user=commune.users["member"], role=Role.SECRETARY, organization=commune.base_cell)
    for name, user in commune.users.items():
        scope = scope_for(user)
        seen = visible_ratings(scope, live_ratings().filter(period=commune.period, subject_type=SubjectType.MEMBER_YEARLY))
        fresh = Counter(seen.values_list("exclusion", flat=True))
        rated, left_out = member_rating_counts(scope, commune.period)
        assert (rated, {c.code: c.count for c in left_out}) == (fresh.pop("", 0), dict(fresh)), name
        years = seen.filter(status=RatingStatus.DECIDED).values_list("period__year", flat=True)
        newest = latest_decided_year_period(scope)
        assert (newest.year if newest else None) == max(years, default=None), name
