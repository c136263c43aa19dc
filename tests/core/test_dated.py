""""Current on a date", written once (core.models.DatedQuerySet): every dated row asks it the same way."""
import datetime as dt

import pytest

from members.models import Exemption, LeaderPosition, Suspension, TemporaryActivity
from orgs.models import CommitteeMembership, CommitteeRole
from tests.factories import MemberFactory, PositionGroupFactory

D = dt.date
DAY = D(2026, 6, 30)

# (start_on, end_on, current on DAY, overlapping Q2/2026, not over on DAY)
CASES = [
    pytest.param(D(2026, 6, 30), None, True, True, True, id="starts that day, open ended"),
    pytest.param(D(2026, 1, 1), D(2026, 6, 30), True, True, True, id="ends that day"),
    pytest.param(D(2026, 6, 30), D(2026, 6, 30), True, True, True, id="starts and ends that day"),
    pytest.param(D(2020, 1, 1), None, True, True, True, id="open ended, long before"),
    pytest.param(D(2026, 7, 1), None, False, False, True, id="starts the day after"),
    pytest.param(D(2026, 1, 1), D(2026, 6, 29), False, True, False, id="ended the day before"),
    pytest.param(D(2026, 1, 1), D(2026, 3, 31), False, False, False, id="ended before the quarter"),
    pytest.param(D(2026, 4, 1), D(2026, 4, 1), False, True, False, id="one day inside the quarter"),
    pytest.param(D(2026, 3, 31), D(2026, 4, 1), False, True, False, id="ends on the quarter's first day"),
    pytest.param(D(2026, 7, 1), D(2026, 12, 31), False, False, True, id="later"),
]


def _rows(start, end):
    member = MemberFactory()
    cell = member.cell
    return [
        LeaderPosition.objects.create(member=member, title="Bí thư", organization=cell, leadership_role="head",
                                      group=PositionGroupFactory(), start_on=start, end_on=end),
        CommitteeMembership.objects.create(organization=cell, member=member, role=CommitteeRole.MEMBER,
                                           start_on=start, end_on=end),
        Exemption.objects.create(member=member, start_on=start, end_on=end),
        Suspension.objects.create(member=member, start_on=start, end_on=end),
        TemporaryActivity.objects.create(member=member, place="Xã khác", start_on=start, end_on=end),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "current", "overlapping", "not_over"), CASES)
def test_current_on_a_date_has_one_meaning_for_every_dated_row(start, end, current, overlapping, not_over):
    rows = _rows(start, end)
    for row in rows:
        model = type(row)
        assert model.objects.current_on(DAY).filter(pk=row.pk).exists() is current, model.__name__
        assert row.covers(DAY) is current, model.__name__
        assert model.objects.overlapping(D(2026, 4, 1), DAY).filter(pk=row.pk).exists() is overlapping
        assert model.objects.not_over_on(DAY).filter(pk=row.pk).exists() is not_over


def test_the_cases_are_not_all_alike():
    """The table tells rows apart on each question (a method answering always True would fail it)."""
    for column in (2, 3, 4):
        assert {case.values[column] for case in CASES} == {True, False}
