"""The home page's counts and the tree's come from grouped queries. The tree counts members; who is
rated is decided once, when a period is opened (`appraisal.rules.eligibility`), and the home page
counts what the opening stored: each active member once, under the first reason that applies,
whatever mix of exemptions, suspensions and new admissions there is."""
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.models import Exclusion, Period, PeriodKind, Rating
from appraisal.process.periods.services import period_create, period_open
from core.dates import add_months
from core.scope import scope_for
from members.models import Exemption, Member, Suspension
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


def _first_reason(member) -> str | None:
    """The seeds' order [003 B.I.2]: exempt, suspended, admitted less than 6 months before."""
    if _covers(Exemption, member):
        return Exclusion.EXEMPT
    if _covers(Suspension, member):
        return Exclusion.SUSPENDED
    if add_months(member.admitted_on, 6) > ON:
        return Exclusion.ADMITTED_RECENTLY
    return None


@pytest.fixture
def frameworks(db):
    """Loaded once for all the examples (a function fixture runs once around @given)."""
    call_command("load_frameworks", stdout=StringIO())


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(PERSON, min_size=1, max_size=12))
def test_dashboard_counts_what_opening_the_period_stored_and_the_tree_agrees_on_members(frameworks, people):
    Rating.objects.all().delete()
    Period.objects.all().delete()
    Member.objects.all().delete()
    root = OrgFactory(kind=OrgKind.ROOT)
    cells = [OrgFactory(kind=OrgKind.ROOT_CELL, parent=root) for _ in range(2)]
    for cell, admitted_days, exempt, suspended, active in people:
        member = MemberFactory(cell=cells[cell], admitted_on=ON - dt.timedelta(days=admitted_days),
                               official_on=None, status="probationary", is_active=active)
        _period(Exemption, member, exempt)
        _period(Suspension, member, suspended)
    expected = {}
    for member in Member.objects.filter(is_active=True):
        reason = _first_reason(member)
        if reason is not None:
            expected[reason.value] = expected.get(reason.value, 0) + 1
    staff = user_with_role("staff")
    period_open(actor=staff, period=period_create(actor=staff, kind=PeriodKind.YEAR, year=ON.year, evaluation_date=ON))
    scope = scope_for(staff)

    board = dashboard(scope, ON)
    tree = {n.org: n for n in org_tree(scope, ON).nodes}

    assert board.members == Member.objects.filter(is_active=True).count()
    assert {c.key: c.count for c in board.not_rated} == expected
    assert board.rated + board.not_rated_total == board.members  # each active member once
    assert tree[root].members == board.members
    assert sum(tree[c].members for c in cells) == board.members
