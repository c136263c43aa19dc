"""Invariants of the rating engine, checked with hypothesis. No database."""

import random
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.rules import (
    CriterionEntry,
    Discipline,
    Facts,
    Level,
    QuotaCandidate,
    SubjectType,
    apply_quota,
    excellent_quota,
    rate,
)
from tests.appraisal.test_rules import compiled

MEMBER = compiled(SubjectType.MEMBER_YEARLY)
LEADER = compiled(SubjectType.LEADER_QUARTERLY)

levels = st.sampled_from(list(Level))
candidates = st.lists(
    st.builds(
        QuotaCandidate,
        subject_id=st.integers(0, 10_000),
        level=levels,
        score=st.integers(40, 100).map(D),
        votes=st.integers(0, 5),
        excellent_quarters=st.integers(0, 3),
    ),
    max_size=70,
    unique_by=lambda c: c.subject_id,
)
facts = st.builds(
    Facts,
    tasks_assigned=st.integers(0, 10),
    tasks_done=st.integers(0, 10),
    tasks_exceeded=st.integers(0, 10),
    outstanding=st.booleans(),
    discipline=st.sampled_from(list(Discipline)),
    degradation=st.booleans(),
    low_confidence_votes=st.integers(0, 10),
    confidence_votes_cast=st.integers(0, 10),
)
shares = st.lists(st.integers(0, 100), min_size=10, max_size=10)


def member_entries(pcts):
    out = []
    for c, pct in zip(MEMBER.criteria, pcts, strict=True):
        if c.kind.value == "quantitative":
            out.append(CriterionEntry(c.code, achieved=D(pct), plan=D(100)))
        else:
            out.append(CriterionEntry(c.code, points=(c.max_points * pct / 100).quantize(D("0.01"))))
    return out


@given(candidates, st.booleans())
def test_quota_is_never_exceeded(cands, by_quarters):
    """Inside plus the seats of a tie never exceed the allowed number."""
    outcome = apply_quota(cands, by_quarters=by_quarters)
    seats = outcome.tie.seats if outcome.tie else 0
    assert len(outcome.inside) + seats <= outcome.allowed
    excellent = [c for c in cands if c.level is Level.EXCELLENT]
    decided = len(outcome.inside) + len(outcome.pushed_down) + (len(outcome.tie.subject_ids) if outcome.tie else 0)
    assert decided == len(excellent)


@given(candidates, st.booleans(), st.randoms())
def test_quota_does_not_depend_on_input_order(cands, by_quarters, rnd):
    """Shuffling the group changes nothing: ties are never broken by position."""
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    a = apply_quota(cands, by_quarters=by_quarters)
    b = apply_quota(shuffled, by_quarters=by_quarters)
    assert set(a.inside) == set(b.inside)
    assert {p.subject_id for p in a.pushed_down} == {p.subject_id for p in b.pushed_down}
    assert (a.tie and set(a.tie.subject_ids)) == (b.tie and set(b.tie.subject_ids))


@given(st.integers(0, 2000), st.integers(0, 2000))
def test_quota_bounds(base, extra):
    """The quota is 0 ≤ allowed ≤ base and about 20 % of the base."""
    allowed = excellent_quota(base, base + extra)
    assert 0 <= allowed <= base
    assert allowed <= D("0.2") * base + 1


@given(shares, facts)
def test_a_condition_never_raises_a_level(pcts, f):
    """The final level is never above the level the score gives."""
    result = rate(MEMBER, "dv", member_entries(pcts), f)
    assert result.level <= result.score_level
    assert all(r.cap < result.score_level for r in result.reasons[1:])


@given(shares, facts, st.integers(0, 9), st.integers(1, 30))
def test_level_never_falls_when_only_the_score_rises(pcts, f, index, bump):
    """Raising one criterion's result (all else equal) never lowers the final level."""
    higher = list(pcts)
    higher[index] = min(100, higher[index] + bump)
    low = rate(MEMBER, "dv", member_entries(pcts), f)
    high = rate(MEMBER, "dv", member_entries(higher), f)
    assert high.total >= low.total
    assert high.level >= low.level


@given(shares, facts)
@settings(max_examples=50)
def test_rating_does_not_depend_on_entry_order(pcts, f):
    """Entries may come in any order."""
    entries = member_entries(pcts)
    shuffled = list(entries)
    random.Random(len(pcts)).shuffle(shuffled)
    a, b = rate(MEMBER, "dv", entries, f), rate(MEMBER, "dv", shuffled, f)
    assert (a.total, a.level, a.reasons) == (b.total, b.level, b.reasons)
