"""Invariants of the rating engine, checked with hypothesis. No database."""

import random
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from appraisal.rules import (
    BaseOrgKind,
    CriterionEntry,
    CriterionLevel,
    Discipline,
    Facts,
    Level,
    QuotaCandidate,
    QuotaSettings,
    SubjectType,
    SubjectVotes,
    apply_quota,
    ballot_level,
    compile_framework,
    condition_codes,
    criterion_level,
    excellent_quota,
    level_from_score,
    quota_arithmetic,
    rate,
    rate_many,
    sample_framework,
    score_qualitative,
    score_quantitative,
)
from appraisal.rules.conditions import READS_LOWEST_LEVELS, consecutive_failed_flag
from appraisal.rules.rater import align, holds
from appraisal.rules.rating import RatingResult
from appraisal.rules.scoring import BAND_PERCENT, band_floor, from_hundredths, level_of_points
from tests.appraisal.test_rules import BASE_ORG, COMMITTEE, LEADER_Q, LEADER_Y, MEMBER

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


# ---------------------------------------------------------------- exact points and band edges

maxima = st.integers(25, 10_000)  # hundredths: 0,25 (the editor's step) to 100 points
levels_of_criteria = st.sampled_from(list(CriterionLevel))


@given(maxima, levels_of_criteria)
def test_a_band_floor_is_in_its_band_and_a_hundredth_below_it_is_not(top, level):
    """Band edges are exact: the floor of Tốt is Tốt, one hundredth less is below it [003 C.I.1.4]."""
    floor = band_floor(level, top)
    assert level_of_points(floor, top) is level
    if floor > 0:
        assert level_of_points(floor - 1, top) < level
    assert floor * 100 >= top * BAND_PERCENT[level] > (floor - 1) * 100


@given(st.integers(0, 10**6), st.integers(1, 10**6), maxima)
def test_quantitative_points_round_down_and_reach_the_maximum_only_at_plan(achieved, plan, top):
    """⌊achieved ÷ plan × max⌋ to the hundredth: never above the exact value, the maximum only at or over plan."""
    points = score_quantitative(D(achieved), D(plan), D(top) / 100)
    hundredths = int(points * 100)
    if achieved >= plan:
        assert hundredths == top
    else:
        assert hundredths < top
        assert hundredths * plan <= achieved * top < (hundredths + 1) * plan


@given(shares, facts)
def test_the_total_is_the_exact_sum_and_decides_the_level_by_score(pcts, f):
    """The total is the sum of the criteria's points, unrounded; the level by score compares it as it is."""
    result = rate(MEMBER, "dv", member_entries(pcts), f)
    assert result.total == sum(c.points for c in result.criteria)
    assert result.score_level is level_from_score(result.total, MEMBER.thresholds)


@given(st.lists(st.integers(0, 100), min_size=10, max_size=10), st.booleans(), st.none() | st.sampled_from(list(Level)))
def test_a_committee_is_held_exactly_while_its_organisation_could_still_lower_it(pcts, outstanding, organisation):
    """Organisation unknown: held unless the committee is already KHTNV; known: never above it [003 C.III.3.1]."""
    entries = [CriterionEntry(c.code, points=(c.max_points * pct / 100).quantize(D("0.01")))
               for c, pct in zip(COMMITTEE.criteria, pcts, strict=False)]
    result = rate(COMMITTEE, "cu", entries, Facts(outstanding=outstanding, organisation_level=organisation))
    if organisation is None:
        assert (result.level is None) == (result.ceiling > Level.FAIL)
    else:
        assert result.level is not None and result.level <= organisation


# ---------------------------------------------------------------- quota and ballots


@given(st.integers(0, 300), st.integers(0, 30), st.booleans())
def test_the_quota_arithmetic_never_allows_more_than_the_base(base, extra, requires_all):
    """Rounded share, at most the base; the small-group seat only for a small group [002 §4.1; 003 C.IV.10]."""
    settings = QuotaSettings(small_group_requires_all=requires_all)
    a = quota_arithmetic(base, base + extra, settings)
    assert 0 <= a.allowed <= base
    assert a.allowed == a.rounded or (a.small_group_seat and a.allowed == 1)
    assert a.small_group_seat <= a.small_group
    assert a.text.endswith(f"được tối đa {a.allowed}")


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_ballot_steps_add_up_to_the_level_reached(excellent, good, passing, fail):
    """Each step carries the votes above it; the level reached is the first step over half [003 C.IV.11]."""
    votes = SubjectVotes("x", excellent, good, passing, fail)
    counted = ballot_level(votes, votes.total)
    for step in counted.steps:
        assert step.cumulative == step.own + step.carried
        assert step.reached == (step.cumulative * 2 > votes.total)
    if counted.level is Level.FAIL:
        assert not any(s.reached for s in counted.steps) and len(counted.steps) == 3
    else:
        assert counted.steps[-1].reached and counted.steps[-1].level is counted.level


@given(st.integers(0, 10**5), st.integers(1, 10**5), st.booleans())
def test_rating_scores_a_quantitative_criterion_as_score_quantitative_does(achieved, plan, as_decimal):
    """The rating loop and `score_quantitative` give the same points for the same achieved and plan."""
    scale = D("0.01") if as_decimal else D(1)
    entries = [CriterionEntry(c.code, points=c.max_points) for c in MEMBER.criteria]
    entries[5] = CriterionEntry("2.1", achieved=D(achieved) * scale, plan=D(plan) * scale)
    rated = rate(MEMBER, "dv", entries, Facts()).criteria[5].points
    assert rated == score_quantitative(D(achieved) * scale, D(plan) * scale, MEMBER.criteria[5].max_points)


# shares of the maximum at and around the band edges (50, 70, 85 %) as often as anywhere else
edge_shares = st.lists(
    st.sampled_from((0, 49, 50, 51, 69, 70, 71, 84, 85, 86, 100)) | st.integers(0, 100), min_size=10, max_size=10
)


@given(edge_shares, facts)
@example([100] * 5 + [70, 100, 100] + [100] * 2, Facts(outstanding=True))  # a key criterion exactly at Tốt
@example([100] * 5 + [69, 100, 100] + [100] * 2, Facts(outstanding=True))
@example([50] + [100] * 9, Facts(outstanding=True))  # exactly at Trung bình
@example([49] + [100] * 9, Facts(outstanding=True))
@example([100] * 5 + [85, 100, 100] + [100] * 2, Facts(outstanding=True))  # exactly at Xuất sắc
@example([100] * 5 + [84, 100, 100] + [100] * 2, Facts(outstanding=True))
def test_the_criterion_level_caps_apply_exactly_when_a_criterion_is_below_their_level(pcts, f):
    """A member's caps on criterion levels apply exactly when some (key) criterion's own level is below theirs and the cap could lower the level."""
    result = rate(MEMBER, "dv", member_entries(pcts), f)
    own = [level_of_points(p, m) for p, m in zip(result.points, MEMBER.max_points, strict=True)]
    key = [level for level, c in zip(own, MEMBER.criteria, strict=True) if c.key]
    below = {
        "criteria_below_good": min(own) < CriterionLevel.GOOD,
        "criteria_poor": min(own) is CriterionLevel.POOR,
        "key_below_excellent": min(key) < CriterionLevel.EXCELLENT,
        "key_below_good": min(key) < CriterionLevel.GOOD,
    }
    applied = {reason.code for reason in result.reasons[1:]}
    for code, is_below in below.items():
        can_lower = MEMBER.caps[code].level < result.score_level
        assert (code in applied) == (is_below and can_lower), code


@given(st.integers(0, 10), st.sampled_from((D("0.2"), D("0.25"), D("0.3"), D("0.15"))))
def test_short_over_share_applies_exactly_when_more_than_the_share_of_criteria_are_short(short, share):
    """A member with more than the framework's share of criteria short on quality or timing is capped; at the share exactly, not."""
    cf = compile_framework(replace(sample_framework(SubjectType.MEMBER_YEARLY), short_share_max=share))
    entries = [
        CriterionEntry(c.code, points=c.max_points, short=index < short) if c.kind.value == "qualitative"
        else CriterionEntry(c.code, achieved=D(1), plan=D(1), short=index < short)
        for index, c in enumerate(cf.criteria)
    ]
    result = rate(cf, "dv", entries, Facts(outstanding=True))
    over = short > share * len(cf.criteria)
    assert ("short_over_share" in {reason.code for reason in result.reasons[1:]}) == over


# Each cap on criterion levels, with the level a (key) criterion must fall below for it to apply.
CRITERION_LEVEL_CAPS = {
    "criteria_below_good": (False, CriterionLevel.GOOD),
    "criteria_poor": (False, CriterionLevel.AVERAGE),
    "criteria_below_average": (False, CriterionLevel.AVERAGE),
    "key_below_good": (True, CriterionLevel.GOOD),
    "key_below_excellent": (True, CriterionLevel.EXCELLENT),
}


@pytest.mark.parametrize("subject_type", [t for t in SubjectType if CRITERION_LEVEL_CAPS.keys() & condition_codes(t)])
@pytest.mark.parametrize("share", [0, 49, 60, 80])
def test_a_criterion_level_cap_applies_when_it_is_the_frameworks_only_cap(subject_type, share):
    """With only one cap on criterion levels in the framework, it still applies when a (key) criterion is below its level."""
    sample = sample_framework(subject_type)
    for code in CRITERION_LEVEL_CAPS.keys() & condition_codes(subject_type):
        key_only, below = CRITERION_LEVEL_CAPS[code]
        cf = compile_framework(replace(sample, caps=tuple(cap for cap in sample.caps if cap.code == code)))
        low = next(c for c in cf.criteria if c.key or not key_only)
        entries = [
            CriterionEntry(c.code, points=(c.max_points * (share if c is low else 100) / 100).quantize(D("0.01")))
            for c in cf.criteria
        ]
        result = rate(cf, "x", entries, Facts(outstanding=True))
        own = criterion_level(result.criteria[cf.codes.index(low.code)].points, low.max_points)
        expected = own < below and cf.caps[code].level < result.score_level
        assert (code in {reason.code for reason in result.reasons[1:]}) == expected, (code, share)


def _drawn_entry(data, c):
    """One entry of any valid shape for criterion `c`, drawn by hypothesis, and the points the criterion rules give it."""
    short, completed = data.draw(st.booleans()), data.draw(st.booleans())
    if c.kind.value == "quantitative":
        achieved, plan = D(data.draw(st.integers(0, 300))), D(data.draw(st.integers(1, 200)))
        entry = CriterionEntry(c.code, achieved=achieved, plan=plan, short=short, completed=completed)
        return entry, score_quantitative(achieved, plan, c.max_points)
    level = data.draw(st.sampled_from(list(CriterionLevel)))
    if data.draw(st.booleans()):
        return CriterionEntry(c.code, level=level, short=short, completed=completed), score_qualitative(level, c.max_points)
    points = (c.max_points * data.draw(st.integers(0, 100)) / 100).quantize(D("0.01"))
    given_level = criterion_level(points, c.max_points) if data.draw(st.booleans()) else None
    return CriterionEntry(c.code, points=points, level=given_level, short=short, completed=completed), points


@given(st.sampled_from([MEMBER, LEADER_Q, COMMITTEE]), st.data())
def test_the_written_out_scorer_scores_each_criterion_as_the_criterion_rules_do(cf, data):
    """The framework's scorer gives each criterion the points of score_quantitative / score_qualitative, their exact
    sum, the lowest level below Tốt over all and over key criteria (when a cap reads them), and the entries' marks."""
    drawn = [_drawn_entry(data, c) for c in cf.criteria]
    entries = tuple(entry for entry, _ in drawn)
    problems = []
    points, total, lowest, lowest_key, marks = cf.score(entries, problems)
    assert problems == []
    assert [from_hundredths(p) for p in points] == [expected for _, expected in drawn]
    assert total == sum(points)
    levels = [criterion_level(from_hundredths(p), c.max_points) for p, c in zip(points, cf.criteria, strict=True)]
    if not READS_LOWEST_LEVELS & cf.caps.keys():
        levels = [CriterionLevel.GOOD] * len(levels)
    assert lowest == min([CriterionLevel.GOOD, *levels])
    assert lowest_key == min([CriterionLevel.GOOD, *(lv for lv, c in zip(levels, cf.criteria, strict=True) if c.key)])
    short = sum(e.short for e in entries)
    not_done = sum(not e.completed and c.key for e, c in zip(entries, cf.criteria, strict=True))
    assert tuple(marks) == (short, not_done)


# The member facts above, with a leader's and a committee's besides.
_batch_facts = st.builds(
    replace, facts,
    discipline_self_remedied=st.booleans(),
    managed_corruption=st.booleans(),
    managed_corruption_remedied=st.booleans(),
    is_head=st.booleans(),
    collective_level=st.none() | levels,
    organisation_level=st.none() | levels,
    quarter_levels=st.lists(levels, max_size=3).map(tuple),
    previous_quarter_level=st.none() | levels,
)


def _worded(result):
    return (result.subject_id, result.points, result.total_hundredths, result.score_level, result.level,
            result.ceiling, result.reasons, result.flags, result.held)


@settings(max_examples=60)
@given(st.sampled_from([MEMBER, LEADER_Q, LEADER_Y, COMMITTEE]), st.data())
def test_a_batch_rates_each_subject_as_it_is_rated_alone(cf, data):
    """rate_many keeps one list of hits and flags for all its subjects: none of one subject's caps, reasons or flags
    reaches the next, so a batch gives what rating each subject alone gives."""
    subjects = [
        (i, tuple(entry for entry, _ in (_drawn_entry(data, c) for c in cf.criteria)), data.draw(_batch_facts))
        for i in range(data.draw(st.integers(2, 6)))
    ]
    assert [_worded(r) for r in rate_many(cf, subjects)] == [_worded(rate(cf, *s)) for s in subjects]


def test_the_scorer_declines_entries_out_of_framework_order():
    """Entries whose codes are not the criteria's, in order, are not scored: the engine aligns them first."""
    entries = tuple(reversed(member_entries([80] * 10)))
    assert MEMBER.score(entries, []) is None
    assert rate(MEMBER, 1, entries).total == rate(MEMBER, 1, tuple(reversed(entries))).total


@pytest.mark.parametrize("organisation", list(Level))
def test_a_relative_cap_gives_a_reason_exactly_when_it_lowers_the_level(organisation):
    """A committee's cap at its organisation's level [003 C.III.3.1] is a reason, with that level, only below the score's."""
    entries = [CriterionEntry(c.code, points=c.max_points) for c in COMMITTEE.criteria]
    result = rate(COMMITTEE, "cu", entries, Facts(outstanding=True, organisation_level=organisation))
    assert result.score_level == Level.EXCELLENT
    caps = [(r.code, r.cap) for r in result.reasons[1:]]
    assert caps == ([("above_organisation", organisation)] if organisation < Level.EXCELLENT else [])
    assert result.level == organisation


# ---------------------------------------------------------------- the written-out rating loop against the plain rules

COLLECTIVE = compile_framework(sample_framework(SubjectType.COLLECTIVE_YEARLY))
_levels_or_none = st.none() | levels
_pcts = st.none() | st.integers(0, 100).map(D)
# Facts that every subject type's conditions read, each drawn over its whole range.
_all_facts = st.builds(
    Facts,
    tasks_assigned=st.integers(0, 10),
    tasks_done=st.integers(0, 10),
    tasks_force_majeure=st.integers(0, 2),
    tasks_on_time=st.none() | st.integers(0, 10),
    tasks_exceeded=st.integers(0, 10),
    outstanding=st.booleans(),
    discipline=st.sampled_from(list(Discipline)),
    discipline_self_remedied=st.booleans(),
    degradation=st.booleans(),
    managed_corruption=st.booleans(),
    managed_corruption_excused=st.booleans(),
    managed_corruption_remedied=st.booleans(),
    low_confidence_votes=st.integers(0, 10),
    confidence_votes_cast=st.integers(0, 10),
    is_head=st.booleans(),
    in_collective=st.booleans(),
    collective_level=_levels_or_none,
    collective_targets_pct=_pcts,
    quarter_levels=st.lists(_levels_or_none, max_size=4).map(tuple),
    previous_quarter_level=_levels_or_none,
    org_kind=st.sampled_from(list(BaseOrgKind)),
    sub_total=st.integers(0, 12),
    sub_pass_or_above=st.integers(0, 12),
    sub_good_or_above=st.integers(0, 12),
    sub_disciplined=st.integers(0, 4),
    sub_unrated=st.integers(0, 2),
    leadership_level=_levels_or_none,
    leadership_unrated=st.integers(0, 1),
    committee_member_discipline=st.sampled_from(list(Discipline)),
    committee_member_discipline_remedied=st.booleans(),
    sub_unit_violation=st.booleans(),
    sub_unit_violation_remedied=st.booleans(),
    targets_pct=_pcts,
    main_targets_missed=st.booleans(),
    org_disciplined=st.booleans(),
    committee_disciplined=st.booleans(),
    committee_discipline_remedied=st.booleans(),
    organisation_level=_levels_or_none,
    disunity=st.booleans(),
    degraded_member=st.booleans(),
)
_EVERY_TYPE = [MEMBER, LEADER_Q, LEADER_Y, BASE_ORG, COMMITTEE, COLLECTIVE]


def _plain_rate(cf, subject_id, entries, facts):
    """A subject rated by the plain rules, one step after the other: the scorer, the level the total reaches, the
    subject type's conditions as written (`cf.checks`, every cap of the score's level looked up), the holds."""
    entries = tuple(entries)
    scored = cf.score(entries, []) if len(entries) == len(cf.codes) else None
    if scored is None:
        entries, _ = align(cf, entries)
        scored = cf.score(entries, [])
    points, total, lowest, lowest_key, marks = scored
    score_level = level_from_score(from_hundredths(total), cf.thresholds)
    live, level, applied, flags = cf.live[score_level], score_level, [], []
    if live:
        for hit in cf.checks(cf, points, lowest, lowest_key, marks, facts, flags, live):
            cap, allowed, _ = live[hit[0]]
            allowed = cap.cap_for(score_level, hit[2]) if allowed is None else allowed
            if allowed < score_level:
                applied.append(hit)
                level = min(level, allowed)
    held = holds(cf, level, facts) if cf.dependencies else ()
    if cf.quarterly and level is Level.FAIL and facts.previous_quarter_level is Level.FAIL:
        flags.append(consecutive_failed_flag(2))
    return RatingResult(subject_id, cf, entries, points, total, score_level, None if held else level, level,
                        tuple(applied), tuple(flags), held)


def _high_entry(data, c):
    """An entry near the top of its criterion, so high totals (and the caps of HTXSNV) come often."""
    points = (c.max_points * data.draw(st.integers(80, 100)) / 100).quantize(D("0.01"))
    return CriterionEntry(c.code, points=points, short=data.draw(st.booleans()), completed=data.draw(st.booleans()))


@settings(max_examples=300)
@given(st.sampled_from(_EVERY_TYPE), st.data())
def test_the_written_out_rating_loop_rates_as_the_plain_rules_do(cf, data):
    """The framework's rating loop (`cf.rate`: its conditions written out per score level from `conditions`, the
    caps that cannot lower that level left out) gives every subject, of every subject type, what the plain rules give:
    the same points, levels, applied caps in order, reasons, flags and holds (entries in or out of order)."""
    high = data.draw(st.booleans())
    subjects = []
    for i in range(data.draw(st.integers(1, 4))):
        entries = [(_high_entry(data, c) if high else _drawn_entry(data, c)[0]) for c in cf.criteria]
        if data.draw(st.booleans()):
            entries = data.draw(st.permutations(entries))
        subjects.append((i, entries, data.draw(_all_facts)))
    rated, plain = rate_many(cf, subjects), [_plain_rate(cf, *s) for s in subjects]
    assert rated == plain
    assert [_worded(r) for r in rated] == [_worded(r) for r in plain]
