"""Rating rules, table-driven from the seeds' own cases. No database."""

from decimal import Decimal as D

import pytest

from appraisal.rules import (
    BallotTally,
    ConditionCap,
    CriterionEntry,
    CriterionLevel,
    CriterionSpec,
    Discipline,
    Facts,
    GroupSpec,
    Level,
    QuotaCandidate,
    RatingInputError,
    SubjectType,
    SubjectVotes,
    apply_quota,
    ballot_level,
    compile_framework,
    count_ballots,
    criterion_level,
    excellent_quota,
    framework_spec,
    level_from_score,
    rate,
    sample_framework,
    score_qualitative,
    score_quantitative,
    summarise_quarters,
    validate_ballots,
    validate_framework,
)


def compiled(subject_type):
    """The sample framework of a subject type, compiled for rating."""
    return compile_framework(sample_framework(subject_type))


LEADER_Q = compiled(SubjectType.LEADER_QUARTERLY)
LEADER_Y = compiled(SubjectType.LEADER_YEARLY)
MEMBER = compiled(SubjectType.MEMBER_YEARLY)
BASE_ORG = compiled(SubjectType.BASE_ORG_YEARLY)
COMMITTEE = compiled(SubjectType.COMMITTEE_YEARLY)


def entries_at(cf, share, *, completed=True):
    """Give every criterion `share` of its max points (quantitative via achieved/plan)."""
    out = []
    for c in cf.criteria:
        if c.kind.value == "quantitative":
            out.append(CriterionEntry(c.code, achieved=share * 100, plan=D(100), completed=completed))
        else:
            out.append(CriterionEntry(c.code, points=(c.max_points * share).quantize(D("0.01"))))
    return out


GOOD_LEADER = Facts(tasks_assigned=60, tasks_done=60, outstanding=True)


# --- levels and scoring -------------------------------------------------------------------


def test_level_labels_codes_and_order():
    """Levels carry their code and Vietnamese label and order FAIL < … < EXCELLENT."""
    assert Level.EXCELLENT.code == "HTXSNV"
    assert Level.GOOD.label == "Hoàn thành tốt nhiệm vụ"
    assert Level.PASS.label == "Hoàn thành nhiệm vụ"
    assert Level.FAIL.label == "Không hoàn thành nhiệm vụ"
    assert Level.from_code("htxsnv") is Level.EXCELLENT
    assert Level.FAIL < Level.PASS < Level.GOOD < Level.EXCELLENT
    assert CriterionLevel.EXCELLENT.label == "Xuất sắc"


@pytest.mark.parametrize(
    ("achieved", "plan", "max_points", "expected"),
    [
        (D(8), D(10), D(20), D("16.00")),
        (D(12), D(10), D(20), D(20)),  # over plan ⇒ capped at max [003 C.I.1.4]
        (D(1), D(3), D(10), D("3.33")),
        (D(0), D(5), D(10), D("0.00")),
    ],
)
def test_score_quantitative(achieved, plan, max_points, expected):
    """Points are achieved ÷ plan × max, capped at max."""
    assert score_quantitative(achieved, plan, max_points) == expected


def test_score_quantitative_rejects_zero_plan():
    """A plan of zero is an input error, in Vietnamese."""
    with pytest.raises(RatingInputError, match="Kế hoạch"):
        score_quantitative(D(1), D(0), D(10))


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (D("8.5"), CriterionLevel.EXCELLENT),
        (D("10"), CriterionLevel.EXCELLENT),
        (D("8.49"), CriterionLevel.GOOD),
        (D("7"), CriterionLevel.GOOD),
        (D("6.99"), CriterionLevel.AVERAGE),
        (D("5"), CriterionLevel.AVERAGE),
        (D("4.99"), CriterionLevel.POOR),
    ],
)
def test_criterion_level_bands(points, expected):
    """Xuất sắc 85–100 %, Tốt 70–<85, Trung bình 50–<70, Kém < 50 [003 C.I.1.4]."""
    assert criterion_level(points, D(10)) is expected


def test_score_qualitative_inside_and_outside_band():
    """Qualitative points must lie in the level's band; no points ⇒ the band floor."""
    assert score_qualitative(CriterionLevel.GOOD, D(10), D("8")) == D("8")
    assert score_qualitative(CriterionLevel.GOOD, D(10)) == D("7.00")
    with pytest.raises(RatingInputError, match="nằm ngoài khung mức Tốt"):
        score_qualitative(CriterionLevel.GOOD, D(10), D("9"))


@pytest.mark.parametrize(
    ("total", "individual", "base_org"),
    [
        (D(90), Level.EXCELLENT, Level.EXCELLENT),
        (D(89), Level.GOOD, Level.EXCELLENT),
        (D(85), Level.GOOD, Level.EXCELLENT),
        (D("84.99"), Level.GOOD, Level.GOOD),
        (D(70), Level.GOOD, Level.GOOD),
        (D("69.99"), Level.PASS, Level.PASS),
        (D(50), Level.PASS, Level.PASS),
        (D("49.99"), Level.FAIL, Level.FAIL),
    ],
)
def test_thresholds_individual_90_and_base_org_85(total, individual, base_org):
    """Individuals 90/70/50 [002 §4]; base organisations 85/70/50 [003 C.I.2]."""
    assert level_from_score(total, LEADER_Q.thresholds) is individual
    assert level_from_score(total, BASE_ORG.thresholds) is base_org


def test_missing_and_unknown_criteria_are_reported_in_vietnamese():
    """Every problem in the entries is listed, naming the criterion code."""
    entries = entries_at(MEMBER, D(1))[1:] + [CriterionEntry("9.9", points=D(1))]
    with pytest.raises(RatingInputError) as info:
        rate(MEMBER, "dv1", entries)
    assert "Tiêu chí «1.1»: chưa chấm điểm." in info.value.messages
    assert "Tiêu chí «9.9» không có trong khung tiêu chí." in info.value.messages


# --- framework validation ----------------------------------------------------------------


def test_validate_framework_reports_total_and_group_differences():
    """Totals must be exactly the framework's total and children must sum to their group's max."""
    spec = framework_spec(
        "x", "x", SubjectType.MEMBER_YEARLY,
        (
            GroupSpec("1", "A", D(30), (CriterionSpec("1.1", "a", D(20)), CriterionSpec("1.2", "b", D(5)))),
            GroupSpec("2", "B", D(65), (CriterionSpec("2.1", "c", D(65), key=True),)),
        ),
    )
    errors = validate_framework(spec)
    assert "Tổng điểm tối đa là 95, thiếu 5 điểm so với 100." in errors
    assert "Nhóm «1»: tổng điểm các tiêu chí con là 25, thiếu 5 điểm so với 30 điểm của nhóm." in errors


def test_validate_framework_duplicate_codes_and_unknown_cap():
    """Duplicate codes and caps that do not apply to the subject type are reported."""
    spec = framework_spec(
        "x", "x", SubjectType.MEMBER_YEARLY,
        (GroupSpec("1", "A", D(100), (CriterionSpec("1.1", "a", D(50)), CriterionSpec("1.1", "b", D(50)))),),
        caps=(ConditionCap("above_organisation", None, "x", "[003]"),),
    )
    errors = validate_framework(spec)
    assert "Mã «1.1» bị trùng trong khung tiêu chí." in errors
    assert "Điều kiện «Cấp ủy không cao hơn tổ chức đảng» không áp dụng cho Đảng viên (hằng năm)." in errors


def test_sample_frameworks_are_valid():
    """The shipped examples pass validation."""
    for subject_type in SubjectType:
        assert validate_framework(sample_framework(subject_type)) == []


# --- leader, quarterly [002 §4] ------------------------------------------------------------


def test_59_of_60_tasks_is_fail():
    """59 of 60 tasks done ⇒ KHTNV whatever the score [002 §4.4a; fn 2]."""
    facts = Facts(tasks_assigned=60, tasks_done=59, outstanding=True)
    result = rate(LEADER_Q, "cb1", entries_at(LEADER_Q, D(1)), facts)
    assert result.score_level is Level.EXCELLENT
    assert result.level is Level.FAIL
    assert str(result.reasons[1]) == (
        "Không hoàn thành nhiệm vụ: hoàn thành 59/60 nhiệm vụ được giao, cần 100% [002 §4.4a; fn 2]"
    )


def test_force_majeure_task_is_excused():
    """A task not done for confirmed force majeure does not count [002 §4.4a]."""
    facts = Facts(tasks_assigned=60, tasks_done=59, tasks_force_majeure=1, outstanding=True)
    assert rate(LEADER_Q, "cb1", entries_at(LEADER_Q, D(1)), facts).level is Level.EXCELLENT


@pytest.mark.parametrize(
    ("facts", "expected", "code"),
    [
        (Facts(tasks_assigned=5, tasks_done=5), Level.GOOD, "not_outstanding"),
        (Facts(tasks_assigned=5, tasks_done=5, outstanding=True, discipline=Discipline.REPRIMAND), Level.FAIL, "disciplined"),
        (Facts(tasks_assigned=5, tasks_done=5, outstanding=True, degradation=True), Level.FAIL, "degradation"),
        (Facts(tasks_assigned=5, tasks_done=5, outstanding=True, managed_corruption=True), Level.FAIL, "managed_corruption"),
        (Facts(tasks_assigned=5, tasks_done=5, outstanding=True, managed_corruption=True, managed_corruption_excused=True), Level.EXCELLENT, None),
    ],
)
def test_leader_quarterly_conditions(facts, expected, code):
    """HTXSNV needs outstanding results; discipline, degradation, corruption ⇒ KHTNV [002 §4]."""
    result = rate(LEADER_Q, "cb", entries_at(LEADER_Q, D(1)), facts)
    assert result.level is expected
    assert [r.code for r in result.reasons[1:]] == ([code] if code else [])


def test_head_above_collective_is_lowered():
    """The head's level is never above the collective they head [003 C.III.5]."""
    facts = Facts(tasks_assigned=3, tasks_done=3, outstanding=True, is_head=True, collective_level=Level.GOOD)
    result = rate(LEADER_Q, "head", entries_at(LEADER_Q, D(1)), facts)
    assert result.level is Level.GOOD
    assert "tập thể: Hoàn thành tốt nhiệm vụ" in result.reasons[-1].text


def test_collective_at_65_percent_makes_head_fail_and_bars_members_from_excellent():
    """A collective completing < 70 % of targets ⇒ head KHTNV, no deputy HTXSNV [002 §7.3]."""
    head = Facts(tasks_assigned=3, tasks_done=3, outstanding=True, is_head=True, collective_targets_pct=D(65))
    deputy = Facts(tasks_assigned=3, tasks_done=3, outstanding=True, in_collective=True, collective_targets_pct=D(65))
    assert rate(LEADER_Q, "h", entries_at(LEADER_Q, D(1)), head).level is Level.FAIL
    result = rate(LEADER_Q, "d", entries_at(LEADER_Q, D(1)), deputy)
    assert result.level is Level.GOOD
    assert "65%" in result.reasons[-1].text


# --- quarter → year [002 §8.2] ----------------------------------------------------------


def test_one_fail_quarter_bars_excellent_year():
    """One KHTNV quarter ⇒ no HTXSNV for the year [002 §8.2]."""
    facts = Facts(tasks_assigned=4, tasks_done=4, outstanding=True, quarter_levels=(Level.EXCELLENT, Level.FAIL, Level.GOOD, Level.GOOD))
    result = rate(LEADER_Y, "cb", entries_at(LEADER_Y, D(1)), facts)
    assert result.level is Level.GOOD
    assert result.reasons[-1].source == "[002 §8.2]"
    assert result.flags == ()


def test_two_consecutive_fail_quarters_raise_a_flag():
    """Two consecutive KHTNV quarters flag the leader for review [002 §8.2]."""
    facts = Facts(tasks_assigned=4, tasks_done=4, quarter_levels=(Level.GOOD, Level.FAIL, Level.FAIL))
    result = rate(LEADER_Y, "cb", entries_at(LEADER_Y, D("0.8")), facts)
    assert [f.code for f in result.flags] == ["consecutive_failed_quarters"]
    assert summarise_quarters((Level.EXCELLENT, Level.FAIL, Level.EXCELLENT)).excellent == 2


# --- party member, yearly [003 C.II.2] -------------------------------------------------


def _member(share=D(1), **kw):
    base = {"tasks_assigned": 4, "tasks_done": 4, "tasks_exceeded": 2, "outstanding": True}
    base.update(kw)
    return Facts(**base)


@pytest.mark.parametrize(
    ("facts", "expected", "code"),
    [
        (_member(), Level.EXCELLENT, None),
        (_member(tasks_exceeded=1), Level.GOOD, "exceeded_below_share"),
        (_member(tasks_on_time=3), Level.PASS, "tasks_not_on_time"),
        (_member(tasks_done=3), Level.FAIL, "tasks_incomplete"),
        (_member(low_confidence_votes=6, confidence_votes_cast=10), Level.FAIL, "low_confidence_over_half"),
        (_member(discipline=Discipline.REPRIMAND), Level.FAIL, "disciplined_in_year"),
        (_member(discipline=Discipline.REPRIMAND, discipline_self_remedied=True), Level.EXCELLENT, None),
    ],
)
def test_member_task_and_conduct_conditions(facts, expected, code):
    """Member conditions on tasks, votes and discipline [003 C.II.2]."""
    result = rate(MEMBER, "dv", entries_at(MEMBER, D(1)), facts)
    assert result.level is expected
    codes = [r.code for r in result.reasons[1:]]
    assert (code in codes) if code else codes == []


def test_member_criteria_levels_cap():
    """A key criterion at Tốt bars HTXSNV; a criterion at Kém ⇒ KHTNV [003 C.II.2]."""
    entries = entries_at(MEMBER, D(1))
    entries[5] = CriterionEntry("2.1", achieved=D(80), plan=D(100))  # 16/20 = Tốt
    result = rate(MEMBER, "dv", entries, _member())
    assert result.total == D(96)
    assert result.level is Level.GOOD
    assert "«2.1»" in result.reasons[-1].text
    entries[0] = CriterionEntry("1.1", level=CriterionLevel.POOR, points=D(2))
    assert rate(MEMBER, "dv", entries, _member()).level is Level.FAIL


def test_member_more_than_half_key_criteria_not_completed_fails():
    """> 50 % of task-result criteria not completed ⇒ KHTNV [003 C.II.2.4]."""
    entries = entries_at(MEMBER, D("0.9"))
    for i in (5, 6):
        entries[i] = CriterionEntry(entries[i].code, achieved=D(90), plan=D(100), completed=False)
    result = rate(MEMBER, "dv", entries, _member())
    assert result.level is Level.FAIL
    assert "2/3 tiêu chí" in result.reasons[-1].text


# --- base organisation [003 C.I.2] ------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "share", "expected"),
    [
        (Facts(outstanding=True, sub_total=10, sub_pass_or_above=10, sub_good_or_above=8), D(1), Level.EXCELLENT),
        (Facts(outstanding=True, sub_total=10, sub_pass_or_above=10, sub_good_or_above=7), D(1), Level.GOOD),
        (Facts(outstanding=True, sub_total=10, sub_pass_or_above=10, sub_good_or_above=4), D(1), Level.PASS),
        (Facts(outstanding=True, sub_total=10, sub_pass_or_above=9, sub_good_or_above=9), D(1), Level.GOOD),
        (Facts(outstanding=True, leadership_level=Level.PASS), D(1), Level.GOOD),
        (Facts(outstanding=True, org_disciplined=True), D(1), Level.FAIL),
        (Facts(outstanding=True, sub_unit_violation=True), D(1), Level.PASS),
        (Facts(outstanding=True, sub_unit_violation=True), D("0.6"), Level.FAIL),
        (Facts(outstanding=True, targets_pct=D(40)), D(1), Level.PASS),
        (Facts(outstanding=True, sub_total=10, sub_pass_or_above=10, sub_good_or_above=10, sub_disciplined=3), D("0.6"), Level.FAIL),
    ],
)
def test_base_org_conditions(facts, share, expected):
    """Distribution, leadership, discipline and target conditions [003 C.I.2]."""
    assert rate(BASE_ORG, "tc", entries_at(BASE_ORG, share), facts).level is expected


def test_committee_never_above_its_organisation():
    """A committee is never rated above its party organisation [003 C.III.3.1]."""
    facts = Facts(outstanding=True, organisation_level=Level.PASS)
    assert rate(COMMITTEE, "cu", entries_at(COMMITTEE, D(1)), facts).level is Level.PASS
    facts = Facts(outstanding=True, committee_member_discipline=Discipline.WARNING)
    assert rate(COMMITTEE, "cu", entries_at(COMMITTEE, D(1)), facts).level is Level.FAIL


def test_caps_are_data_staff_can_change():
    """A cap edited by staff changes the outcome without code changes."""
    caps = tuple(
        ConditionCap(c.code, Level.PASS, c.reason, c.source) if c.code == "tasks_incomplete" else c
        for c in LEADER_Q.spec.caps
    )
    cf = compile_framework(framework_spec("x", "x", SubjectType.LEADER_QUARTERLY, LEADER_Q.spec.groups, caps=caps))
    facts = Facts(tasks_assigned=60, tasks_done=59, outstanding=True)
    assert rate(cf, "cb", entries_at(cf, D(1)), facts).level is Level.PASS


# --- quota [002 §4.1; 003 C.IV.10] -------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "allowed"),
    [(44, 9), (18, 4), (11, 2), (14, 3), (8, 2), (57, 11), (803, 161), (10, 2), (16, 3), (5, 1), (6, 1)],
)
def test_quota_from_seed_000(base, allowed):
    """20 % of those rated HTTNV or above, 0,5 rounds up (seed 000 figures)."""
    assert excellent_quota(base) == allowed


def test_small_group_rule():
    """Fewer than 5, all HTTNV or above ⇒ 1; a group of 2 with one HTNV ⇒ 0 [002 §4.1]."""
    assert excellent_quota(3, 3) == 1
    assert excellent_quota(2, 2) == 1
    assert excellent_quota(1, 2) == 0


def _cands(*specs):
    return [QuotaCandidate(i, lv, D(score), votes) for i, (lv, score, votes) in specs]


def test_quota_pushes_the_lowest_down_with_a_reason():
    """Beyond the quota, the lowest-ranked candidates become HTTNV, with a reason."""
    cands = _cands(*[(f"s{i}", (Level.EXCELLENT, 99 - i, 0)) for i in range(3)], *[(f"g{i}", (Level.GOOD, 80, 0)) for i in range(7)])
    outcome = apply_quota(cands)
    assert outcome.allowed == 2 and outcome.inside == ("s0", "s1")
    assert [p.subject_id for p in outcome.pushed_down] == ["s2"]
    assert outcome.pushed_down[0].reason.cap is Level.GOOD
    assert outcome.level_of("s2", Level.EXCELLENT) is Level.GOOD


def test_tie_at_cut_off_is_reported_not_decided():
    """Candidates tied across the boundary go to the committee with the seats left."""
    cands = _cands(("a", (Level.EXCELLENT, 98, 5)), ("b", (Level.EXCELLENT, 95, 5)), ("c", (Level.EXCELLENT, 95, 5)), ("d", (Level.EXCELLENT, 91, 5)), *[(f"g{i}", (Level.GOOD, 80, 0)) for i in range(6)])
    outcome = apply_quota(cands)
    assert outcome.allowed == 2
    assert outcome.inside == ("a",)
    assert outcome.tie.subject_ids == ("b", "c") and outcome.tie.seats == 1
    assert [p.subject_id for p in outcome.pushed_down] == ["d"]
    assert outcome.level_of("b", Level.EXCELLENT) is None


def test_yearly_leaders_rank_by_excellent_quarters_first():
    """More HTXSNV quarters rank first for the year [002 §8.2]."""
    cands = [
        QuotaCandidate("few", Level.EXCELLENT, D(99), 9, excellent_quarters=1),
        QuotaCandidate("many", Level.EXCELLENT, D(91), 1, excellent_quarters=3),
        *[QuotaCandidate(f"g{i}", Level.GOOD, D(80)) for i in range(3)],
    ]
    assert apply_quota(cands, by_quarters=True).inside == ("many",)


# --- ballots [003 C.IV.11] ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        (SubjectVotes("x", excellent=11, good=9), Level.EXCELLENT),
        (SubjectVotes("x", excellent=10, good=1, passing=9), Level.GOOD),  # 10 fails, cascades
        (SubjectVotes("x", excellent=4, good=4, passing=3, fail=9), Level.PASS),
        (SubjectVotes("x", excellent=2, good=3, passing=5, fail=10), Level.FAIL),
    ],
)
def test_ballot_cascade(votes, expected):
    """> 50 % of valid ballots for a level or above; failed higher votes count lower down."""
    assert ballot_level(votes, 20).level is expected


def test_ballot_validation_messages():
    """valid + invalid = collected ≤ issued; no subject above the valid ballots."""
    errors = validate_ballots(BallotTally(issued=20, collected=21, valid=19, invalid=1), [SubjectVotes("a", good=20)])
    assert "Số phiếu hợp lệ (19) cộng phiếu không hợp lệ (1) phải bằng số phiếu thu về (21)." in errors
    assert "Số phiếu thu về (21) vượt số phiếu phát ra (20)." in errors
    assert "Đối tượng «a»: tổng số phiếu (20) vượt số phiếu hợp lệ (19)." in errors


def full_count(valid: int, excellent: dict[str, int], others: int = 7) -> tuple[BallotTally, list[SubjectVotes]]:
    """Every ballot issued came back valid: the subjects named get their HTXSNV votes (HTTNV for the
    rest of the ballots), `others` more subjects get HTTNV on every ballot."""
    tally = BallotTally(issued=valid, collected=valid, valid=valid, invalid=0)
    votes = [SubjectVotes(subject, excellent=n, good=valid - n) for subject, n in excellent.items()]
    return tally, votes + [SubjectVotes(f"g{i}", good=valid) for i in range(others)]


def test_count_ballots_chooses_excellent_by_votes_within_quota():
    """HTXSNV from most votes down to the quota; ties at the cut-off are reported."""
    tally, votes = full_count(10, {"a": 9, "b": 7, "c": 7})
    outcome = count_ballots(tally, votes)
    assert outcome.quota.allowed == 2
    assert outcome.final_level("a") is Level.EXCELLENT
    assert outcome.quota.tie.subject_ids == ("b", "c")
    assert outcome.final_level("b") is None
    with pytest.raises(RatingInputError):
        count_ballots(BallotTally(issued=5, collected=10, valid=10, invalid=0), votes)


def test_committee_whose_main_targets_fall_short_is_not_completed():
    """A committee whose organisation misses a main target (not force majeure) is KHTNV [003 C.III.3.4]."""
    spec = COMMITTEE
    entries = [CriterionEntry(c.code, points=c.max_points) for g in spec.spec.groups for c in _leaves(g)]
    full = rate(spec, "cu", entries, Facts(outstanding=True, organisation_level=Level.EXCELLENT))
    missed = rate(spec, "cu", entries, Facts(outstanding=True, organisation_level=Level.EXCELLENT, main_targets_missed=True))
    assert full.level == Level.EXCELLENT
    assert missed.level == Level.FAIL
    assert any("chỉ tiêu chủ yếu không đạt 100%" in str(r) and "[003 C.III.3.4]" in str(r) for r in missed.reasons)


def _leaves(node):
    children = getattr(node, "children", None)
    if not children:
        return [node]
    return [leaf for child in children for leaf in _leaves(child)]
