"""Selectors of the tree: the 6-month cut-off agrees with the rule, counts roll up by path."""
import datetime as dt

import pytest

from core.dates import add_months
from core.scope import scope_for
from members.models import Member, not_rated_reason
from members.selectors import newest_rateable_admission, org_tree
from tests.factories import MemberFactory, user_with_role


@pytest.mark.parametrize("on", [
    dt.date(2027, 2, 28), dt.date(2026, 8, 30), dt.date(2026, 8, 31), dt.date(2028, 2, 29),
    dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 3, 31),
])
def test_cutoff_is_the_last_admission_rated_on_the_day(on):
    """Admitted on the cut-off: rated; one day later: not (month ends clamp: 31/8 + 6 = 28/2)."""
    cutoff = newest_rateable_admission(on)
    assert add_months(cutoff, 6) <= on
    assert add_months(cutoff + dt.timedelta(days=1), 6) > on


def test_cutoff_on_the_last_day_of_february():
    assert newest_rateable_admission(dt.date(2027, 2, 28)) == dt.date(2026, 8, 31)


@pytest.mark.django_db
def test_tree_counts_agree_with_the_not_rated_rule(tree):
    """Around the 6-month boundary, the tree's SQL count equals the pure rule applied per member."""
    on = dt.date(2027, 2, 28)
    for admitted in (dt.date(2026, 8, 28), dt.date(2026, 8, 31), dt.date(2026, 9, 1), dt.date(2026, 12, 1)):
        MemberFactory(cell=tree["village"], admitted_on=admitted, official_on=None, status="probationary")
    staff = user_with_role("staff")
    node = next(n for n in org_tree(scope_for(staff), on).nodes if n.org == tree["village"])
    expected = sum(
        not_rated_reason(m, on, exempt=False, suspended=False) is not None
        for m in Member.objects.filter(cell=tree["village"])
    )
    assert node.not_rated == expected == 2
    assert node.members == 4
