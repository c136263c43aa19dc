"""The home page's counts and the tree's come from grouped queries; both agree with the rule applied
to each member (members.models.not_rated_reason), whatever mix of exemptions, suspensions and
new admissions there is."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.scope import scope_for
from members.models import Exemption, Member, NotRatedReason, Suspension, not_rated_reason
from members.selectors import org_tree
from orgs.models import OrgKind
from reports.dashboard import dashboard
from tests.factories import MemberFactory, OrgFactory, user_with_role

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 30)

# One member: (cell 0/1, admitted days before ON, exempt: None / (start, end) offsets, suspended: likewise, active)
SPAN = st.none() | st.tuples(st.integers(-400, 30), st.none() | st.integers(-30, 400))
PERSON = st.tuples(st.integers(0, 1), st.integers(1, 400), SPAN, SPAN, st.booleans())


def _period(model, member, span):
    if span is not None:
        start, length = span
        start_on = ON + dt.timedelta(days=start)
        end_on = None if length is None else start_on + dt.timedelta(days=abs(length))
        model.objects.create(member=member, start_on=start_on, end_on=end_on)


def _covers(model, member) -> bool:
    return any(p.start_on <= ON and (p.end_on is None or p.end_on >= ON) for p in model.objects.filter(member=member))


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(PERSON, min_size=1, max_size=12))
def test_dashboard_and_tree_agree_with_the_rule_for_each_member(people):
    Member.objects.all().delete()
    root = OrgFactory(kind=OrgKind.ROOT)
    cells = [OrgFactory(kind=OrgKind.ROOT_CELL, parent=root) for _ in range(2)]
    for cell, admitted_days, exempt, suspended, active in people:
        member = MemberFactory(cell=cells[cell], admitted_on=ON - dt.timedelta(days=admitted_days),
                               official_on=None, status="probationary", is_active=active)
        _period(Exemption, member, exempt)
        _period(Suspension, member, suspended)
    expected = {reason: 0 for reason in NotRatedReason}
    for member in Member.objects.filter(is_active=True):
        reason = not_rated_reason(member, ON, exempt=_covers(Exemption, member), suspended=_covers(Suspension, member))
        if reason is not None:
            expected[reason] += 1
    scope = scope_for(user_with_role("staff"))

    board = dashboard(scope, ON)
    tree = {n.org: n for n in org_tree(scope, ON).nodes}

    assert board.members == Member.objects.filter(is_active=True).count()
    assert {c.key: c.count for c in board.not_rated} == {
        r.value: expected[r] for r in (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED, NotRatedReason.NEW)
    }
    assert (tree[root].members, tree[root].not_rated) == (board.members, board.not_rated_total)
    assert sum(tree[c].members for c in cells) == board.members
