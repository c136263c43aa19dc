"""The stored counts of decided results (`DecidedCount`) equal a fresh count of the live decided
ratings after every service that changes which results count: a decision, a re-rating's decision
(the old result stops counting), an announcement; and `decided_counts_rebuild` writes them again."""
import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from appraisal.models import DecidedCount, RatingStatus
from appraisal.process.decisions import services as decision_services
from appraisal.process.meetings import services as meeting_services
from appraisal.process.rerating import services as rerating_services
from appraisal.selectors import live_ratings
from members.models import Discipline, DisciplineForm
from tests.appraisal.test_workflow_process import _decide, _meeting, _ready, _reload, _verify

KEY = ("period_id", "subject_type", "scope_org_id", "scope_unit_id")


def _fresh() -> Counter:
    rows = (live_ratings().filter(status=RatingStatus.DECIDED).values_list(*KEY, "approved_level")
            .annotate(n=Count("pk")).order_by())
    return Counter({tuple(key): n for *key, n in rows})


def _stored() -> Counter:
    stored = Counter()
    for *key, n in DecidedCount.objects.values_list(*KEY, "level", "count"):
        assert tuple(key) not in stored, "one row per period, place, subject type and level"
        stored[tuple(key)] = n
    return stored


def _decided_pair(commune):
    ratings = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    _meeting(commune, ratings, [(2, 8, 0, 0), (0, 10, 0, 0)])
    _verify(commune, ratings)
    _decide(commune, ratings, ["HTTNV", "HTTNV"])
    return _reload(ratings)


def test_a_decision_stores_the_counts_of_its_results(commune):
    assert _stored() == _fresh() == Counter()
    _decided_pair(commune)
    assert sum(_fresh().values()) >= 2
    assert _stored() == _fresh()


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
    assert after[(*place, "HTTNV")] == before[(*place, "HTTNV")] - 1
    assert after[(*place, "KHTNV")] == before[(*place, "KHTNV")] + 1
    decision_services.ratings_announce(actor=commune.users["standing"], ratings=_reload([new]))
    assert _stored() == after


@pytest.mark.parametrize("year", [None, 2025])
def test_the_rebuild_command_writes_the_counts_again(commune, year):
    _decided_pair(commune)
    expected = _stored()
    DecidedCount.objects.update(count=99)
    args = ["--year", str(year)] if year else []
    call_command("decided_counts_rebuild", *args, stdout=StringIO())
    assert _stored() == expected == _fresh()
