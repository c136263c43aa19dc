"""The engine's decisions that issue 8 corrected, holds, workings and the rating order. No database.

Each correction is a case the engine got wrong before (e3ef3d2): a level decided on a rounded
total, points with three decimals accepted, a quantitative result below plan rounded up to the
maximum, HTXSNV without a task record, two KHTNV quarters across a year not flagged, and a
committee or head passed while the level it depends on was unknown.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from appraisal.rules import (
    BallotTally,
    BaseOrgKind,
    CriterionEntry,
    CriterionLevel,
    CriterionSpec,
    Eligibility,
    Facts,
    FrameworkError,
    GroupSpec,
    Level,
    QuotaCandidate,
    RatingInputError,
    ScoringKind,
    SubjectType,
    SubjectVotes,
    apply_quota,
    ballot_level,
    bottom_up,
    collective_eligibility,
    committee_eligibility,
    compile_framework,
    count_ballots,
    default_quota,
    default_thresholds,
    framework_spec,
    leader_year_eligibility,
    level_from_score,
    quota_arithmetic,
    rate,
    rate_many,
    rating_stages,
    score_quantitative,
    subject_eligibility,
    summarise_quarters,
)
from tests.appraisal.test_rules import BASE_ORG, COMMITTEE, LEADER_Q, LEADER_Y, MEMBER, entries_at

MEMBER_FACTS = Facts(tasks_assigned=4, tasks_done=4, tasks_exceeded=2, outstanding=True)


def full_marks(cf, **points):
    """Every criterion at its maximum, except the codes given as {code: points}."""
    entries = []
    for c in cf.criteria:
        if c.code.replace(".", "_") in points:
            entries.append(CriterionEntry(c.code, points=D(points[c.code.replace(".", "_")])))
        elif c.kind is ScoringKind.QUANTITATIVE:
            entries.append(CriterionEntry(c.code, achieved=D(1), plan=D(1)))
        else:
            entries.append(CriterionEntry(c.code, points=c.max_points))
    return entries


# ---------------------------------------------------------------- a level on the exact total


@pytest.mark.parametrize(
    ("total", "subject_type", "expected", "quote"),
    [
        ("89.999", SubjectType.MEMBER_YEARLY, Level.GOOD, "từ 90 điểm trở lên [002 §4]: 89,999 is below 90"),
        ("89.99", SubjectType.MEMBER_YEARLY, Level.GOOD, "89,99 is below 90"),
        ("90", SubjectType.MEMBER_YEARLY, Level.EXCELLENT, "từ 90 điểm"),
        ("84.995", SubjectType.BASE_ORG_YEARLY, Level.GOOD, "TCCSĐ từ 85 [003 C.I.2]: 84,995 is below 85"),
        ("85", SubjectType.BASE_ORG_YEARLY, Level.EXCELLENT, "từ 85"),
        ("49.999", SubjectType.BASE_ORG_YEARLY, Level.FAIL, "dưới 50"),
    ],
)
def test_a_level_is_decided_on_the_exact_total(total, subject_type, expected, quote):
    """No rounding across an edge: the total is compared as it is [002 §4; 003 C.I.2]."""
    assert level_from_score(D(total), default_thresholds(subject_type)) is expected


def test_points_with_three_decimals_are_refused_naming_the_criterion():
    """9,999 on a 10-point criterion (which would make 89,999 look like 90) is refused, never rounded."""
    cf = compile_framework(framework_spec("x", "x", SubjectType.MEMBER_YEARLY, (
        GroupSpec("1", "A", D(30), (CriterionSpec("1.1", "a", D(10)), CriterionSpec("1.2", "b", D(20)))),
        GroupSpec("2", "B", D(70), (CriterionSpec("2.1", "c", D(70), key=True),)),
    )))
    entries = [
        CriterionEntry("1.1", points=D("9.999")),
        CriterionEntry("1.2", points=D(10)),
        CriterionEntry("2.1", points=D(70)),
    ]
    with pytest.raises(RatingInputError) as refused:
        rate(cf, "dv", entries, MEMBER_FACTS)
    assert refused.value.messages == [
        "Tiêu chí «1.1»: điểm 9,999 có quá hai chữ số thập phân; chỉ nhập tối đa hai chữ số sau dấu phẩy."
    ]


def test_a_total_just_below_the_edge_stays_below_it():
    """89,99 points in all is HTTNV, and the total shown is 89,99, not 90 [002 §4]."""
    result = rate(MEMBER, "dv", full_marks(MEMBER, **{"1_1": "5.99", "3_1": "0", "3_2": "0"}), MEMBER_FACTS)
    assert result.total == D("89.99") and result.score_level is Level.GOOD
    assert "tổng điểm 89,99 (từ 70 đến dưới 90 điểm)" in result.reasons[0].text


@pytest.mark.parametrize(
    ("achieved", "plan", "max_points", "points"),
    [
        (3999, 4000, 20, "19.99"),  # 19,995 would round half up to 20,00: the maximum below plan
        (1, 3, 10, "3.33"),
        (2, 3, 10, "6.66"),  # 6,666…: down, not 6,67
        (7, 8, 20, "17.50"),
        (8, 8, 20, "20.00"),
        (9, 8, 20, "20.00"),
    ],
)
def test_quantitative_points_below_plan_never_reach_the_maximum(achieved, plan, max_points, points):
    """achieved ÷ plan × max is rounded down to the hundredth; only at or over plan is it the maximum [003 C.I.1.4]."""
    assert score_quantitative(D(achieved), D(plan), D(max_points)) == D(points)


def test_a_base_organisation_just_below_85_by_a_quantitative_criterion_is_httnv():
    """84,995 before: a 20-point task at 99,975 % of plan gave 20,00 and the organisation 85 ⇒ HTXSNV.
    Now 19,99 and 84,99 ⇒ HTTNV [003 C.I.1.4, C.I.2]."""
    entries = []
    for c in BASE_ORG.criteria:
        if c.code == "2.1":
            entries.append(CriterionEntry(c.code, achieved=D("99.975"), plan=D(100)))
        elif c.code in ("3.1", "3.2"):
            entries.append(CriterionEntry(c.code, points=D(0)))
        elif c.code == "1.1":
            entries.append(CriterionEntry(c.code, points=D(3)))
        elif c.kind is ScoringKind.QUANTITATIVE:
            entries.append(CriterionEntry(c.code, achieved=D(1), plan=D(1)))
        else:
            entries.append(CriterionEntry(c.code, points=c.max_points))
    result = rate(BASE_ORG, "tc", entries, Facts(outstanding=True))
    assert result.criteria[5].points == D("19.99")
    assert result.total == D("84.99") and result.score_level is Level.GOOD


# ---------------------------------------------------------------- no task record, no HTXSNV


def test_a_member_with_no_task_record_is_not_excellent_and_the_reason_says_why():
    """The exceeded-share condition needs evidence: no record is "not shown" [003 C.II.2.1]."""
    result = rate(MEMBER, "dv", full_marks(MEMBER), Facts(outstanding=True))
    assert result.score_level is Level.EXCELLENT and result.level is Level.GOOD
    reason = next(r for r in result.reasons if r.code == "exceeded_below_share")
    assert reason.text.startswith("chưa có hồ sơ chỉ tiêu, nhiệm vụ được giao")
    assert reason.source == "[003 C.II.2.1]"


def test_a_member_who_exceeded_half_the_tasks_can_be_excellent():
    assert rate(MEMBER, "dv", full_marks(MEMBER), MEMBER_FACTS).level is Level.EXCELLENT


# ---------------------------------------------------------------- consecutive KHTNV quarters across a year


def test_q4_then_q1_failed_is_flagged_for_the_year():
    """Last year's Q4 KHTNV and this year's Q1 KHTNV are two consecutive quarters [002 §8.2]."""
    facts = Facts(
        tasks_assigned=4, tasks_done=4, quarter_levels=(Level.FAIL, Level.GOOD, Level.GOOD),
        previous_quarter_level=Level.FAIL,
    )
    result = rate(LEADER_Y, "cb", entries_at(LEADER_Y, D("0.8")), facts)
    assert [f.code for f in result.flags] == ["consecutive_failed_quarters"]
    assert "Có 2 quý liên tiếp" in result.flags[0].text
    assert summarise_quarters((Level.FAIL, Level.GOOD), previous=Level.FAIL).failed == 1


def test_a_failed_quarter_after_a_failed_one_is_flagged_when_the_quarter_is_rated():
    """Rating Q1 as KHTNV after last year's Q4 KHTNV raises the flag at once [002 §8.2]."""
    facts = Facts(tasks_assigned=4, tasks_done=3, previous_quarter_level=Level.FAIL)
    result = rate(LEADER_Q, "cb", entries_at(LEADER_Q, D(1)), facts)
    assert result.level is Level.FAIL
    assert [f.code for f in result.flags] == ["consecutive_failed_quarters"]
    passed = rate(LEADER_Q, "cb", entries_at(LEADER_Q, D(1)), Facts(tasks_assigned=4, tasks_done=4, previous_quarter_level=Level.FAIL))
    assert passed.flags == ()


def test_a_quarter_not_rated_breaks_the_run():
    assert summarise_quarters((Level.FAIL, None, Level.FAIL)).longest_failed_run == 1


# ---------------------------------------------------------------- held, never passed


def test_a_committee_whose_organisation_is_not_rated_is_held():
    """Before, organisation_level=None let a committee reach HTXSNV: now it waits [003 C.III.3.1]."""
    result = rate(COMMITTEE, "cu", full_marks(COMMITTEE), Facts(outstanding=True))
    assert result.level is None and result.is_held
    assert result.ceiling is Level.EXCELLENT and result.score_level is Level.EXCELLENT
    assert [(h.code, h.source) for h in result.held] == [("organisation", "[003 C.III.3.1]")]
    assert result.held[0].text.startswith("chờ xếp loại tổ chức đảng")
    rated = rate(COMMITTEE, "cu", full_marks(COMMITTEE), Facts(outstanding=True, organisation_level=Level.PASS))
    assert rated.level is Level.PASS and not rated.is_held


def test_a_head_whose_collective_is_not_rated_is_held_for_the_year():
    """Before, collective_level=None let a head reach HTXSNV: now the yearly rating waits [003 C.III.5]."""
    facts = Facts(tasks_assigned=3, tasks_done=3, outstanding=True, is_head=True)
    result = rate(LEADER_Y, "cb", entries_at(LEADER_Y, D(1)), facts)
    assert result.level is None and result.held[0].code == "collective"
    assert result.held[0].text.startswith("chờ xếp loại tập thể lãnh đạo, quản lý")
    deputy = rate(LEADER_Y, "cb", entries_at(LEADER_Y, D(1)), Facts(tasks_assigned=3, tasks_done=3, outstanding=True))
    assert deputy.level is Level.EXCELLENT


def test_a_base_organisation_with_members_not_rated_is_held():
    """A chi bộ is rated after its members [003 C.I.3]; the counts so far are not used."""
    facts = Facts(outstanding=True, sub_total=10, sub_pass_or_above=7, sub_good_or_above=7, sub_unrated=3)
    result = rate(BASE_ORG, "cb", entries_at(BASE_ORG, D(1)), facts)
    assert result.level is None and [h.code for h in result.held] == ["subordinates"]
    assert result.held[0].text == "chờ xếp loại 3 đảng viên còn chưa được xếp loại"
    assert result.applied == ()  # no reason drawn from the incomplete counts
    party = Facts(org_kind=BaseOrgKind.PARTY_COMMITTEE, outstanding=True, leadership_unrated=1)
    held = rate(BASE_ORG, "db", entries_at(BASE_ORG, D(1)), party)
    assert [h.code for h in held.held] == ["leadership"]


def test_a_subject_nothing_can_lower_is_not_held():
    """A committee failing by its score stays KHTNV whatever its organisation's level: nothing to wait for."""
    result = rate(COMMITTEE, "cu", entries_at(COMMITTEE, D("0.3")), Facts())
    assert result.level is Level.FAIL and not result.is_held


def test_a_held_subject_is_distinguishable_in_a_batch():
    """rate_many returns held and rated subjects side by side; callers tell them apart by `level is None`."""
    results = rate_many(COMMITTEE, [
        ("a", full_marks(COMMITTEE), Facts(outstanding=True)),
        ("b", full_marks(COMMITTEE), Facts(outstanding=True, organisation_level=Level.GOOD)),
    ])
    assert [(r.subject_id, r.level) for r in results] == [("a", None), ("b", Level.GOOD)]


def test_the_rating_order_puts_each_subject_type_after_those_it_reads():
    """Members, quarterly leaders, collectives first; base organisations after members and collectives;
    committees after organisations; yearly leaders after collectives [003 C.I.3, C.III.3.1, C.III.5]."""
    stages = rating_stages()
    position = {t: i for i, stage in enumerate(stages) for t in stage}
    assert position[SubjectType.BASE_ORG_YEARLY] > position[SubjectType.MEMBER_YEARLY]
    assert position[SubjectType.BASE_ORG_YEARLY] > position[SubjectType.COLLECTIVE_YEARLY]
    assert position[SubjectType.COMMITTEE_YEARLY] > position[SubjectType.BASE_ORG_YEARLY]
    assert position[SubjectType.LEADER_YEARLY] > position[SubjectType.COLLECTIVE_YEARLY]
    assert sorted(t.value for stage in stages for t in stage) == sorted(t.value for t in SubjectType)


def test_organisations_are_rated_bottom_up():
    parent_of = {"xa": None, "db1": "xa", "cb1": "db1", "cb2": "db1", "to": "cb2", "cb3": "xa"}
    order = bottom_up(parent_of)
    for child, parent in parent_of.items():
        if parent is not None:
            assert order.index(child) < order.index(parent)


# ---------------------------------------------------------------- workings


def test_workings_say_how_each_criterion_was_scored():
    """Points per criterion and how: achieved ÷ plan × max (rounded down), over plan, entered, a level's floor."""
    entries = entries_at(MEMBER, D(1))
    entries[5] = CriterionEntry("2.1", achieved=D(2), plan=D(3))
    entries[0] = CriterionEntry("1.1", level=CriterionLevel.GOOD)
    working = rate(MEMBER, "dv", entries, MEMBER_FACTS).workings()
    by_code = {c.code: c for c in working.criteria}
    assert by_code["2.1"].points == D("13.33")
    assert by_code["2.1"].how == "đạt 2/3 kế hoạch × 20 = 13,33, làm tròn xuống đến 0,01: mức Trung bình"
    assert by_code["2.2"].how == "đạt 100/100 kế hoạch (từ 100% trở lên): tính bằng điểm tối đa 20"
    assert by_code["1.1"].how == "mức Tốt, không nhập điểm: lấy điểm thấp nhất của mức, 4,2/6"
    assert by_code["1.2"].how == "điểm nhập 6/6: mức Xuất sắc"


def test_workings_give_the_level_by_score_with_the_band_and_each_cap_with_its_name():
    facts = Facts(tasks_assigned=60, tasks_done=59, outstanding=True)
    working = rate(LEADER_Q, "cb", entries_at(LEADER_Q, D(1)), facts).workings()
    assert (working.total_text, working.score_level, working.score_band) == ("100", Level.EXCELLENT, "từ 90 điểm trở lên")
    assert working.thresholds_text.startswith("HTXSNV từ 90 điểm; HTTNV từ 70 điểm; HTNV từ 50 điểm")
    [cap] = working.caps
    assert cap.name == "Chưa hoàn thành hết nhiệm vụ được giao"
    assert (cap.reason.cap, cap.reason.source) == (Level.FAIL, "[002 §4.4a; fn 2]")
    assert working.level is Level.FAIL and working.held == ()


def test_a_criteria_reason_names_the_criteria_below_the_floor():
    entries = entries_at(MEMBER, D(1))
    entries[6] = CriterionEntry("2.2", achieved=D(60), plan=D(100))
    result = rate(MEMBER, "dv", entries, MEMBER_FACTS)
    texts = {r.code: r.text for r in result.reasons}
    assert texts["key_below_good"] == "tiêu chí về kết quả thực hiện nhiệm vụ «2.2» chưa đạt mức Tốt"


def test_quota_workings_spell_out_the_arithmetic_and_every_place():
    """share × base, the rounding, the small-group seat; each HTXSNV candidate inside, tied or pushed [002 §4.1]."""
    assert quota_arithmetic(44, 44).text == "20% × 44 = 8,8 → 9 (làm tròn 0,5 lên) ⇒ được tối đa 9"
    small = quota_arithmetic(2, 2)
    assert small.small_group_seat and small.allowed == 1
    assert small.text == (
        "20% × 2 = 0,4 → 0 (làm tròn 0,5 lên); nhóm dưới 05 đối tượng, tất cả từ Hoàn thành tốt nhiệm vụ "
        "trở lên: được chọn 01 ⇒ được tối đa 1"
    )
    assert not quota_arithmetic(1, 2).small_group  # 002 §4.1: not all of the group HTTNV or above
    group = [QuotaCandidate(f"s{i}", Level.EXCELLENT, 99 - i) for i in range(3)]
    group += [QuotaCandidate(f"g{i}", Level.GOOD, 80) for i in range(7)]
    outcome = apply_quota(group)
    assert [(p.subject_id, p.rank, p.status, p.level) for p in outcome.places] == [
        ("s0", 1, "inside", Level.EXCELLENT), ("s1", 2, "inside", Level.EXCELLENT), ("s2", 3, "pushed", Level.GOOD),
    ]
    assert outcome.places[2].note.startswith("Hạ xuống Hoàn thành tốt nhiệm vụ: ngoài tỷ lệ")
    assert outcome.arithmetic.base_text == "10/10 đối tượng xếp loại từ Hoàn thành tốt nhiệm vụ trở lên"


def test_ballot_steps_show_the_cumulative_votes_against_the_valid_ballots():
    """Votes for a level or above, carried down while not more than half [003 C.IV.11]."""
    counted = ballot_level(SubjectVotes("x", excellent=5, good=0, passing=1, fail=4), 10)
    assert counted.level is Level.PASS
    assert [(s.level, s.own, s.carried, s.cumulative, s.reached) for s in counted.steps] == [
        (Level.EXCELLENT, 5, 0, 5, False), (Level.GOOD, 0, 5, 5, False), (Level.PASS, 1, 5, 6, True),
    ]
    assert counted.reason.text == "6/10 phiếu hợp lệ (60%) cho mức Hoàn thành nhiệm vụ trở lên: trên 50%"
    outcome = count_ballots(BallotTally(10, 10, 10, 0), [SubjectVotes("a", excellent=9, good=1)])
    assert outcome.quota.ranked_by.startswith("số phiếu Hoàn thành xuất sắc nhiệm vụ")


# ---------------------------------------------------------------- the framework is data, checked once


def test_the_framework_total_is_data():
    """A 10-point framework with thresholds 9/7/5 is valid; its total and thresholds are the framework's."""
    spec = framework_spec(
        "x", "x", SubjectType.MEMBER_YEARLY,
        (GroupSpec("1", "A", D(10), (CriterionSpec("1.1", "a", D(10), key=True),)),),
        total_points=D(10), thresholds=default_thresholds(SubjectType.MEMBER_YEARLY).__class__(D(9), D(7), D(5)),
    )
    cf = compile_framework(spec)
    result = rate(cf, "dv", [CriterionEntry("1.1", points=D("8.99"))], MEMBER_FACTS)
    assert result.score_level is Level.GOOD


def test_an_invalid_framework_does_not_compile():
    spec = framework_spec("x", "x", SubjectType.MEMBER_YEARLY, (GroupSpec("1", "A", D(90), (CriterionSpec("1.1", "a", D(90)),)),))
    with pytest.raises(FrameworkError) as refused:
        compile_framework(spec)
    assert refused.value.messages == ["Tổng điểm tối đa là 90, thiếu 10 điểm so với 100."]


# ---------------------------------------------------------------- eligibility for every subject type

EVAL = date(2025, 12, 15)


@pytest.mark.parametrize(
    ("subject_type", "facts", "status", "codes"),
    [
        (SubjectType.MEMBER_YEARLY, {"evaluated_on": EVAL, "exempt": True}, Eligibility.NOT_RATED, ["exempt"]),
        (SubjectType.MEMBER_YEARLY, {"evaluated_on": EVAL, "admitted_on": date(2025, 7, 1)}, Eligibility.NOT_RATED, ["admitted_recently"]),
        (SubjectType.BASE_ORG_YEARLY, {"evaluated_on": EVAL, "formed_on": date(2025, 8, 1)}, Eligibility.NOT_RATED, ["recently_formed"]),
        (SubjectType.LEADER_QUARTERLY, {"year": 2026, "quarter": 1, "yearly_only": True}, Eligibility.NOT_RATED, ["yearly_only"]),
        (SubjectType.LEADER_QUARTERLY, {"year": 2026, "quarter": 1, "under_investigation": True}, Eligibility.DEFERRED, ["under_investigation"]),
        (SubjectType.LEADER_YEARLY, {"evaluated_on": EVAL}, Eligibility.RATED, []),
        (SubjectType.LEADER_YEARLY, {"evaluated_on": EVAL, "suspended": True}, Eligibility.NOT_RATED, ["suspended"]),
        (SubjectType.COMMITTEE_YEARLY, {"evaluated_on": EVAL}, Eligibility.RATED, []),
        (SubjectType.COMMITTEE_YEARLY, {"evaluated_on": EVAL, "organisation_formed_on": date(2025, 9, 1)},
         Eligibility.NOT_RATED, ["organisation_recently_formed"]),
        (SubjectType.COMMITTEE_YEARLY, {"evaluated_on": EVAL, "must_review": False}, Eligibility.NOT_RATED, ["not_reviewing"]),
        (SubjectType.COLLECTIVE_YEARLY, {"evaluated_on": EVAL}, Eligibility.RATED, []),
        (SubjectType.COLLECTIVE_YEARLY, {"evaluated_on": EVAL, "must_review": False}, Eligibility.NOT_RATED, ["not_reviewing"]),
    ],
)
def test_eligibility_decides_who_is_rated_for_every_subject_type(subject_type, facts, status, codes):
    """One place says who is rated and why not [003 B.I.2, C.III.1, C.IV.1; 002 §2.1, §8.1d]."""
    outcome = subject_eligibility(subject_type, **facts)
    assert outcome.status is status
    assert [r.code for r in outcome.reasons] == codes
    assert all(r.text and r.source.startswith("[") for r in outcome.reasons)


def test_committee_and_collective_reasons_are_vietnamese_with_dates():
    outcome = committee_eligibility(evaluated_on=EVAL, organisation_formed_on=date(2025, 9, 1))
    assert outcome.reasons[0].text.startswith("Tổ chức đảng mới thành lập, chia tách hoặc sáp nhập ngày 01/9/2025")
    assert collective_eligibility(evaluated_on=EVAL, must_review=False).reasons[0].text.startswith(
        "Tập thể lãnh đạo, quản lý không thuộc diện phải kiểm điểm"
    )
    assert leader_year_eligibility(evaluated_on=EVAL, exempt=True).reasons[0].code == "exempt"


def test_member_quota_small_group_rule_is_the_yearly_one():
    """The drift case of the trial page, in the engine: 2 of 10 at HTTNV or above get 1 seat [003 C.IV.10]."""
    assert quota_arithmetic(2, 10, default_quota(SubjectType.MEMBER_YEARLY)).allowed == 1


def test_a_running_total_scores_the_criteria_given_by_the_same_rules():
    """While a sheet is filled in, the criteria given are scored as always (rounded down, two decimals)."""
    from appraisal.rules import partial_total

    entries = [CriterionEntry("2.1", achieved=D(2), plan=D(3)), CriterionEntry("1.1", points=D("5.5"))]
    assert partial_total(MEMBER, entries) == D("18.83")
    with pytest.raises(RatingInputError):
        partial_total(MEMBER, [CriterionEntry("1.1", points=D("5.555"))])


def test_a_recently_formed_organisation_and_its_committee_say_so_in_one_wording():
    """Both rest on the one 6-month rule [003 C.IV.1]; the committee's sentence says why it follows [003 C.III.3.1]."""
    formed = date(2025, 9, 1)
    org = subject_eligibility(SubjectType.BASE_ORG_YEARLY, evaluated_on=EVAL, formed_on=formed).reasons[0]
    committee = committee_eligibility(evaluated_on=EVAL, organisation_formed_on=formed).reasons[0]
    opening = "Tổ chức đảng mới thành lập, chia tách hoặc sáp nhập ngày 01/9/2025, đến ngày 15/12/2025 chưa đủ 6 tháng"
    assert org.text == opening + ": không đánh giá, xếp loại."
    assert committee.text == opening + " nên không xếp loại: cấp ủy không đánh giá, xếp loại."
    assert (org.source, committee.source) == ("[003 C.IV.1]", "[003 C.IV.1, C.III.3.1]")
    assert subject_eligibility(SubjectType.BASE_ORG_YEARLY, evaluated_on=EVAL, formed_on=date(2025, 6, 15)).rated
