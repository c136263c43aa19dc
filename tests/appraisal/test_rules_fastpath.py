"""The fast paths of the rating engine give exactly what the checked paths give. No database."""

import dataclasses
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.management.commands.bench_engine import (
    _vn,
    generate,
    rate_and_quota,
    run,
    run_parallel,
)
from appraisal.rules import (
    CriterionEntry,
    CriterionLevel,
    Discipline,
    Facts,
    Level,
    QuotaCandidate,
    RatingInputError,
    Reason,
    SubjectType,
    check_conditions,
    rate,
    sample_framework,
    score_subject,
)
from appraisal.rules._text import SafeFormat
from appraisal.rules.conditions import _CHECKS
from appraisal.rules.scoring import _score_checked, _score_in_order

SPECS = [sample_framework(t) for t in SubjectType]
levels = st.sampled_from([None, *CriterionLevel])


@st.composite
def entries_for(draw, spec):
    """Mostly valid entries in framework order; sometimes out of range, shuffled or missing."""
    out = []
    for c in spec.criteria():
        pct = draw(st.integers(-5, 110) if draw(st.integers(0, 20)) == 0 else st.integers(0, 100))
        if c.kind.value == "quantitative" and draw(st.booleans()):
            entry = CriterionEntry(c.code, achieved=D(pct), plan=D(draw(st.integers(0, 100)) or 100))
        elif draw(st.booleans()):
            entry = CriterionEntry(c.code, points=(c.max_points * pct / 100).quantize(D("0.01")), level=draw(levels))
        else:
            entry = CriterionEntry(c.code, level=draw(st.sampled_from(list(CriterionLevel))))
        out.append(dataclasses.replace(entry, completed=draw(st.booleans()), short=draw(st.integers(0, 9)) == 0))
    if draw(st.integers(0, 9)) == 0:
        out = draw(st.permutations(out))
    if out and draw(st.integers(0, 19)) == 0:
        out.pop()
    return out


facts = st.builds(
    Facts,
    tasks_assigned=st.integers(0, 10),
    tasks_done=st.integers(0, 10),
    tasks_exceeded=st.integers(0, 10),
    outstanding=st.booleans(),
    discipline=st.sampled_from(list(Discipline)),
    discipline_self_remedied=st.booleans(),
    degradation=st.booleans(),
    low_confidence_votes=st.integers(0, 10),
    confidence_votes_cast=st.integers(0, 10),
    is_head=st.booleans(),
    collective_level=st.none() | st.sampled_from(list(Level)),
    sub_total=st.integers(0, 10),
    sub_good_or_above=st.integers(0, 10),
    organisation_level=st.none() | st.sampled_from(list(Level)),
    targets_pct=st.none() | st.integers(0, 100).map(D),
)


def checked(spec, entries):
    """Score through the checked path only: the reference for the fast path."""
    try:
        return _score_checked(spec, entries)
    except RatingInputError as error:
        return error.messages


@given(st.data())
@settings(max_examples=300)
def test_fast_scoring_matches_the_checked_path(data):
    """In-order scoring gives the checked path's sheet, or declines and leaves it to that path."""
    spec = data.draw(st.sampled_from(SPECS))
    entries = data.draw(entries_for(spec))
    fast = _score_in_order(spec, entries)
    reference = checked(spec, entries)
    if fast is not None:
        assert fast == reference
    try:
        assert dataclasses.astuple(score_subject(spec, entries)) == reference
    except RatingInputError as error:
        assert error.messages == reference


@given(st.data(), facts)
@settings(max_examples=300)
def test_compiled_caps_match_every_cap_checked_at_every_level(data, f):
    """Checking only the caps that can bind gives the level and reasons of checking them all."""
    spec = data.draw(st.sampled_from(SPECS))
    try:
        sheet = score_subject(spec, data.draw(entries_for(spec)))
    except RatingInputError:
        return
    for score_level in Level:
        outcome = check_conditions(spec, sheet, f, score_level)
        expected = every_cap(spec, sheet, f, score_level)
        assert (outcome.level, outcome.reasons) == expected


def every_cap(spec, sheet, f, score_level):
    """Reference: check every cap of the spec against the hits found with all caps live."""
    everything = {code: (cap, None, None) for code, cap in spec._caps.items()}
    hits = _CHECKS[spec.subject_type](spec, sheet, f, [], everything)
    level, reasons = score_level, []
    for code, params, related in hits:
        cap = spec._caps[code]
        allowed = cap.cap_for(score_level, related)
        if allowed < score_level:
            reasons.append(Reason(code, allowed, cap.reason.format_map(SafeFormat(params)), cap.source))
            level = min(level, allowed)
    return level, tuple(reasons)


def test_fast_init_keeps_frozen_dataclasses_frozen():
    """The faster constructors build the same frozen, comparable objects."""
    reason = Reason("x", Level.GOOD, "chữ", "[nguồn]")
    assert reason == Reason(code="x", cap=Level.GOOD, text="chữ", source="[nguồn]")
    assert QuotaCandidate("a", Level.EXCELLENT).score == D(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        reason.text = "khác"
    with pytest.raises(TypeError):
        Reason("x")


def test_bench_parallel_rates_the_same_subjects_as_one_process():
    """Workers rebuild their groups from the seed and reach the same counts as one process."""
    groups = generate(3_000, 7)
    rated, excellent, ties = rate_and_quota(groups)
    [round_] = run_parallel(3_000, 7, 2)
    assert rated == 3_000
    assert (round_["subjects"], round_["excellent"], round_["ties"]) == (rated, excellent, ties)
    halves = generate(3_000, 7, 0, 10) + generate(3_000, 7, 10)
    assert [m[0] for _, ms in halves for m in ms] == [m[0] for _, ms in groups for m in ms]
    first = groups[0][1][0]
    assert rate(groups[0][0], *first[:3]) == rate(halves[0][0], *halves[0][1][0][:3])


def test_bench_prints_what_it_measured_in_vietnamese():
    """The report names subjects, groups and criteria, and writes numbers the Vietnamese way."""
    lines = []
    figures = run(2_000, 3, workers=2, write=lines.append)
    text = "\n".join(lines)
    assert "2.000 đối tượng" in text and "14 tiêu chí" in text
    assert "Một tiến trình:" in text and "Song song 2 tiến trình:" in text
    assert figures["same_result"] is True
    assert _vn(200_000) == "200.000" and _vn(4.213, 2) == "4,21"
