"""Invariants of the period proposal and the meeting's date, over random input (hypothesis)."""
import datetime as dt

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from appraisal.models import Period, PeriodKind
from appraisal.process.meetings.services import held_on_problem
from appraisal.process.periods.services import _check_dates
from appraisal.selectors import DEADLINE_FIELDS, period_after

DAYS = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2098, 12, 31))


@st.composite
def periods(draw):
    kind = draw(st.sampled_from([PeriodKind.YEAR, PeriodKind.QUARTER]))
    days = sorted(draw(st.lists(DAYS, min_size=4, max_size=4)))  # self-assessment → decision → report, in order
    return Period(
        kind=kind, year=draw(st.integers(2001, 2098)),
        quarter=draw(st.integers(1, 4)) if kind == PeriodKind.QUARTER else None,
        evaluation_date=draw(DAYS), product_list_due=draw(st.none() | DAYS),
        self_assessment_due=days[0], decision_due=days[1] if draw(st.booleans()) else None, report_due=days[3],
    )


@given(periods())
def test_the_proposal_follows_the_latest_and_passes_the_periods_own_checks(latest):
    """The proposed period comes right after the latest of its kind; every deadline moves by the
    same span, so their order holds and the proposal is never refused by the period's checks."""
    proposal = period_after(latest.kind, latest, dt.date(2026, 12, 7))
    if latest.kind == PeriodKind.YEAR:
        assert (proposal.year, proposal.quarter) == (latest.year + 1, None)
        span = 12
    else:
        assert proposal.year * 4 + proposal.quarter == latest.year * 4 + latest.quarter + 1
        span = 3
    for name in DEADLINE_FIELDS:
        before, after = getattr(latest, name), proposal.deadlines[name]
        assert (after is None) == (before is None)
        if before is not None:
            months = (after.year - before.year) * 12 + after.month - before.month
            assert months == span and after.day <= before.day
    assert _check_dates(proposal.deadlines) == []


@given(st.integers(-800, 800), st.integers(2020, 2030))
def test_a_meeting_is_recorded_only_between_its_periods_year_and_today(offset, year):
    today = timezone.localdate()
    day = today + dt.timedelta(days=offset)
    period = Period(kind=PeriodKind.YEAR, year=year, evaluation_date=dt.date(year, 12, 15))
    problem = held_on_problem(period, day)
    assert (problem is None) == (dt.date(year, 1, 1) <= day <= today)
    if day > today and day.year >= year:
        assert "sau ngày hôm nay" in problem
    elif day.year < year:
        assert f"trước năm {year}" in problem
