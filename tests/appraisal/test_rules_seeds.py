"""The engine audited against the seeds, case by case, each quoting its source. No database.

Each table row carries the seed's words; a row that failed before the audit names the fix in
its comment. Figures of seed 000 §4.3 (the 2025 report of Đảng ủy xã Bình Lư) are checked
against `excellent_quota`: the ones above the computed quota are kept as such, on purpose.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from appraisal.rules import (
    Discipline,
    Eligibility,
    Facts,
    Level,
    QuotaCandidate,
    SubjectType,
    SubjectVotes,
    apply_quota,
    ballot_level,
    count_ballots,
    default_caps,
    default_quota,
    discipline_counts_for,
    excellent_quota,
    full_meeting_votes,
    leader_quarter_eligibility,
    member_eligibility,
    organisation_eligibility,
    rate,
    sample_framework,
)
from tests.appraisal.test_rules import BASE_ORG, LEADER_Q, entries_at, full_count
from vnformat import fmt_ratio

_entries = entries_at


# --- seed 000 §4.3: every HTXSNV figure against the computed quota --------------------------

# (what, rated HTTNV or above, group size, the quota worked out by hand — 20 % of the first, 0,5
# rounded up, 01 for a group under 05 all HTTNV or above — HTXSNV in the report, quote)
SEED_000_WITHIN = [
    ("tổ chức cơ sở đảng", 10, 10, 2, 2, "10/10 đơn vị hoàn thành tốt nhiệm vụ ... 02 đơn vị hoàn thành xuất sắc"),
    ("chi bộ thuộc Đảng ủy xã", 44, 44, 9, 9, "44/44 chi bộ ... 09 chi bộ hoàn thành xuất sắc nhiệm vụ, chiếm 20,4%"),
    ("chi bộ thuộc Đảng ủy cơ sở", 18, 18, 4, 4, "18/18 chi bộ ... 04 chi bộ hoàn thành xuất sắc nhiệm vụ, chiếm 22,2%"),
    ("tập thể lãnh đạo và cấp ủy", 57, 57, 11, 7, "24/24 cơ quan, đơn vị và 33/33 tập thể cấp ủy ... 07 tập thể"),
    ("khối tham mưu", 3, 3, 1, 1, "03 tập thể (có 01 đơn vị xuất sắc, chiếm 33,3%)"),
    ("khối MTTQ", 5, 5, 1, 1, "05 tập thể (có 01 đơn vị xuất sắc, chiếm 20%)"),
    ("khối HĐND, UBND", 6, 6, 1, 1, "06 tập thể (có 01 đơn vị xuất sắc, chiếm 16,6%)"),
    ("khối sự nghiệp xã", 2, 2, 1, 0, "02 tập thể (đều hoàn thành tốt nhiệm vụ, không có đơn vị xuất sắc)"),
    ("khối giáo dục", 8, 8, 2, 2, "08 tập thể (có 02 đơn vị xuất sắc, chiếm 25%)"),
    ("đảng ủy, chi ủy cơ sở", 9, 9, 2, 2, "09/09 tập thể ... (có 02 tập thể xuất sắc, chiếm 22,2%)"),
    ("chi ủy trực thuộc", 24, 24, 5, 5, "24/24 tập thể ... (có 05 tập thể xuất sắc, chiếm 20,8%)"),
    ("cán bộ diện BTV Đảng ủy (năm)", 57, 58, 11, 10, "hoàn thành tốt nhiệm vụ trở lên 57 người ... 10 người ... chiếm 17,5%"),
    ("Ủy viên BTV", 8, 8, 2, 2, "08/08 đồng chí ... 02 đồng chí hoàn thành xuất sắc nhiệm vụ, chiếm 25%"),
    ("trưởng phòng, ban", 11, 11, 2, 2, "11/11 đồng chí ... 02 đồng chí ... chiếm 18,1%"),
    ("phó phòng, ban", 14, 15, 3, 3, "Tổng số 15 ... Hoàn thành tốt nhiệm vụ: 14 ... 03 đồng chí hoàn thành xuất sắc"),
    ("hiệu trưởng", 8, 8, 2, 2, "08/08 đồng chí ... 02 đồng chí ... chiếm 25%"),
    ("phó hiệu trưởng", 16, 16, 3, 2, "16/16 đồng chí ... 02 đồng chí ... chiếm 12,5%"),
    ("đảng viên", 803, 808, 161, 139, "Hoàn thành tốt nhiệm vụ 803/808 ... 139 hoàn thành xuất sắc nhiệm vụ, chiếm 17,3%"),
    ("quý I: diện BTV Đảng ủy", 59, 59, 12, 10, "59/59 ... gồm 10 người hoàn thành xuất sắc nhiệm vụ, chiếm 16,9%"),
    ("quý I: Ủy viên BTV", 8, 8, 2, 2, "Ủy viên Ban Thường vụ Đảng ủy xã 08 đồng chí ... xuất sắc 02"),
    ("quý I: trưởng, phó", 51, 51, 10, 8, "Trưởng, phó các cơ quan ... 51 đồng chí ... xuất sắc 08"),
    ("quý II: diện BTV Đảng ủy", 61, 61, 12, 12, "61/61 ... gồm 12 người hoàn thành xuất sắc nhiệm vụ, chiếm 19,6%"),
    ("quý II: Ủy viên BTV, phó chủ tịch", 9, 9, 2, 2, "09 đồng chí, trong đó: Hoàn thành xuất sắc nhiệm vụ 02"),
    ("quý II: trưởng, phó", 52, 52, 10, 10, "52 đồng chí, trong đó: Hoàn thành xuất sắc nhiệm vụ 10"),
]


@pytest.mark.parametrize(("what", "base", "size", "allowed", "reported", "quote"), SEED_000_WITHIN,
                         ids=[r[0] for r in SEED_000_WITHIN])
def test_seed_000_figures_fit_the_quota_counted_on_httnv_or_above(what, base, size, allowed, reported, quote):
    """The engine's quota of each group of seed 000 §4.3 is 20 % of those HTTNV or above, 0,5 rounded
    up [002 §4.1], and the HTXSNV count the report prints is within it."""
    assert excellent_quota(base, size) == allowed
    assert reported <= allowed


def test_seed_000_base_is_httnv_or_above_not_httnv_alone():
    """The quarterly footnotes count HTTNV apart from HTXSNV ("xuất sắc 10, tốt 42"): 20 % of 42 alone
    would allow 8, yet 10 were approved within 52 — the base is "HTTNV trở lên" [000 §4.3 fn 6]."""
    assert excellent_quota(42) == 8  # fewer than the 10 approved
    assert excellent_quota(52) == 10
    # 139/803 = 17,3 % as the report prints it; 139/808 would be 17,2 %.
    assert fmt_ratio(139, 803) == "17,3%" and fmt_ratio(139, 808) == "17,2%"


def test_seed_000_provincial_cadres_exceed_a_commune_quota():
    """"Cán bộ diện BTV Tỉnh ủy quản lý có 3/3 ... (trong đó 02 đồng chí hoàn thành xuất sắc nhiệm vụ)"
    in Q1 and Q2 is above the 1 seat a group of 3 gets: their peer group is the province's, not the
    commune's, so the commune must not apply its quota to them [000 §6; 003 C.IV.10]."""
    assert excellent_quota(3, 3) == 1  # the seed approved 02 of them


@pytest.mark.parametrize(
    ("groups", "allowed", "headline", "base", "size", "quote"),
    [
        # Footnote 4: Ủy viên BTV 8, trưởng phòng 11, phó phòng 14 of 15, hiệu trưởng 8, phó 16.
        ([(8, 8, 2), (11, 11, 2), (14, 15, 3), (8, 8, 2), (16, 16, 2)], [2, 2, 3, 2, 3], 10, 57, 58,
         "hoàn thành tốt nhiệm vụ trở lên 57 người ... 10 người ... chiếm 17,5%"),
    ],
)
def test_seed_000_leaders_fit_the_quota_by_group_and_as_a_whole(groups, allowed, headline, base, size, quote):
    """Each position group of footnote 4 is within its own quota, and the headline count within the
    quota of all leaders together: the engine's quota, computed per peer group [002 §4.1; 003 C.IV.10]."""
    settings = default_quota(SubjectType.LEADER_YEARLY)
    assert [excellent_quota(b, s, settings) for b, s, _ in groups] == allowed
    assert all(reported <= quota for (_, _, reported), quota in zip(groups, allowed, strict=True))
    assert excellent_quota(base, size, settings) == 11
    assert headline <= 11


def test_percentages_round_half_up_like_the_documents():
    """"0,5 trở lên làm tròn lên" [002 §4.1]: 1/16 = 6,25 % prints 6,3 %, not the banker's 6,2 %;
    0,495 % (4/808) prints 0,5 % as seed 000 does ("hoàn thành nhiệm vụ 04/808, chiếm 0,5%")."""
    assert fmt_ratio(1, 16) == "6,3%"
    assert fmt_ratio(4, 808) == "0,5%"
    assert fmt_ratio(57, 58) == "98,3%"


# --- the small-group rule: 002 (quarterly leaders) and 003 (yearly) differ -------------------


@pytest.mark.parametrize(
    ("subject_type", "base", "size", "allowed", "quote"),
    [
        # 002 §4.1: "Những nơi có dưới 05 cán bộ lãnh đạo, quản lý và có 100% xếp loại HTTNV thì được chọn 01"
        (SubjectType.LEADER_QUARTERLY, 3, 3, 1, "dưới 05 ... và có 100% xếp loại HTTNV"),
        (SubjectType.LEADER_QUARTERLY, 2, 4, 0, "not 100 % HTTNV: no seat"),
        # 003 C.IV.10: "Những nơi có dưới 05 tổ chức đảng; 05 tập thể ...; 05 đảng viên; 05 cán bộ ...
        # xếp loại HTTNV thì chọn 01": fewer than 5 rated HTTNV, nothing about 100 %.
        # Failed before the audit: every subject type used the 002 rule.
        (SubjectType.MEMBER_YEARLY, 2, 10, 1, "dưới 05 ... đảng viên ... xếp loại HTTNV thì chọn 01 đảng viên"),
        (SubjectType.BASE_ORG_YEARLY, 1, 6, 1, "dưới 05 tổ chức đảng ... thì chọn 01 tổ chức đảng"),
        (SubjectType.COMMITTEE_YEARLY, 2, 7, 1, "dưới 05 tập thể ... thì chọn 01 tập thể"),
        (SubjectType.LEADER_YEARLY, 2, 9, 1, "dưới 05 cán bộ lãnh đạo, quản lý ... thì chọn 01"),
        (SubjectType.MEMBER_YEARLY, 0, 4, 0, "nobody at HTTNV: nobody to choose"),
        (SubjectType.MEMBER_YEARLY, 7, 7, 1, "7 ⇒ 1,4 ⇒ 1"),
    ],
)
def test_small_group_rule_by_subject_type(subject_type, base, size, allowed, quote):
    """Yearly peer groups follow 003 C.IV.10, quarterly leaders 002 §4.1, by default."""
    settings = default_quota(subject_type)
    assert excellent_quota(base, size, settings) == allowed
    spec = sample_framework(subject_type)
    assert spec.quota == settings


def test_a_framework_without_quota_settings_gets_its_subject_types_default():
    """`FrameworkSpec.quota` left out ⇒ the subject type's default, with its source [003 C.IV.10]."""
    assert default_quota(SubjectType.MEMBER_YEARLY).small_group_requires_all is False
    assert default_quota(SubjectType.MEMBER_YEARLY).source == "[003 C.II.2.1, C.IV.10]"
    assert default_quota(SubjectType.LEADER_QUARTERLY).small_group_requires_all is True
    assert default_quota(SubjectType.LEADER_QUARTERLY).source.startswith("[002 §4.1")


def test_quota_in_a_small_cell_keeps_the_best_member():
    """A cell of 10 with 2 HTTNV or above: 003 C.IV.10 gives 1 HTXSNV "nếu đủ điều kiện"."""
    cands = [
        QuotaCandidate("a", Level.EXCELLENT, D(95)),
        QuotaCandidate("b", Level.EXCELLENT, D(92)),
        *[QuotaCandidate(f"p{i}", Level.PASS, D(60)) for i in range(8)],
    ]
    outcome = apply_quota(cands, default_quota(SubjectType.MEMBER_YEARLY))
    assert outcome.allowed == 1 and outcome.small_group
    assert outcome.inside == ("a",) and [p.subject_id for p in outcome.pushed_down] == ["b"]


# --- TCCSĐ [003 C.I.2] ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "facts", "expected", "quote"),
    [
        (D(1), Facts(outstanding=True, committee_member_discipline=Discipline.REPRIMAND), Level.PASS,
         "2.2 HTTNV: Không có cấp ủy viên cơ sở bị kỷ luật (trừ trường hợp tự phát hiện và khắc phục xong hậu quả)"),
        (D("0.75"), Facts(committee_member_discipline=Discipline.REPRIMAND), Level.PASS, "same, at 75 points"),
        # Failed before the audit (stayed HTNV): 2.3 "TCCSĐ có tổng điểm đánh giá từ 50 đến dưới 70 điểm.
        # Không có tổ chức đảng trực thuộc hoặc cấp ủy viên cơ sở bị kỷ luật (trừ trường hợp tự phát
        # hiện và khắc phục xong hậu quả)" — HTNV is not reached, so KHTNV.
        (D("0.6"), Facts(committee_member_discipline=Discipline.REPRIMAND), Level.FAIL,
         "2.3: từ 50 đến dưới 70 điểm. Không có ... cấp ủy viên cơ sở bị kỷ luật"),
        (D("0.6"), Facts(committee_member_discipline=Discipline.REPRIMAND, committee_member_discipline_remedied=True),
         Level.PASS, "(trừ trường hợp tự phát hiện và khắc phục xong hậu quả)"),
        (D(1), Facts(outstanding=True, committee_member_discipline=Discipline.REPRIMAND, committee_member_discipline_remedied=True),
         Level.GOOD, "2.1 HTXSNV: Không có cấp ủy viên cơ sở bị kỷ luật (no exception)"),
        (D("0.6"), Facts(sub_unit_violation=True), Level.FAIL,
         "2.3 HTNV: Không có tổ chức đảng trực thuộc ... bị kỷ luật; 2.4: từ 50 điểm trở lên nhưng có đơn vị trực thuộc ... bị xử lý kỷ luật"),
        (D("0.75"), Facts(sub_unit_violation=True), Level.PASS, "2.3: từ 70 điểm trở lên nhưng ... có đơn vị trực thuộc xảy ra ... vi phạm"),
        (D("0.75"), Facts(sub_unit_violation=True, sub_unit_violation_remedied=True), Level.GOOD, "(trừ trường hợp tự phát hiện và khắc phục xong hậu quả)"),
        (D(1), Facts(outstanding=True, committee_disciplined=True), Level.FAIL,
         "2.4: TCCSĐ hoặc cấp ủy cơ sở bị xử lý kỷ luật"),
    ],
)
def test_base_org_discipline_cases(share, facts, expected, quote):
    """Discipline in a TCCSĐ: committee members, sub-units, the organisation itself [003 C.I.2.1–2.4]."""
    assert rate(BASE_ORG, "tc", _entries(BASE_ORG, share), facts).level is expected


def test_chi_bo_httnv_needs_half_of_members_httnv_but_not_all_htnv():
    """2.2 "Đối với chi bộ cơ sở phải có 50% đảng viên được xếp loại HTTNV trở lên": 100 % ≥ HTNV is an
    HTXSNV condition for a chi bộ (2.1), an HTTNV one only for an đảng bộ cơ sở [003 C.I.2.1–2.2]."""
    from appraisal.rules import BaseOrgKind

    cell = Facts(sub_total=10, sub_pass_or_above=9, sub_good_or_above=5)
    committee = Facts(org_kind=BaseOrgKind.PARTY_COMMITTEE, sub_total=10, sub_pass_or_above=9, sub_good_or_above=5)
    assert rate(BASE_ORG, "cb", _entries(BASE_ORG, D("0.8")), cell).level is Level.GOOD
    assert rate(BASE_ORG, "db", _entries(BASE_ORG, D("0.8")), committee).level is Level.PASS


# --- wording and citations --------------------------------------------------------------------


@pytest.mark.parametrize("subject_type", [SubjectType.MEMBER_YEARLY, SubjectType.BASE_ORG_YEARLY])
def test_not_outstanding_wording_negates_both_clauses(subject_type):
    """"Có nhiều thành tích nổi bật; là điển hình ... học tập, noi theo" [003 C.I.2.1, C.II.2.1]: the reason
    must deny both halves ("chưa ..., chưa là điển hình"), not assert the second."""
    cap = next(c for c in default_caps(subject_type) if c.code == "not_outstanding")
    assert "chưa là điển hình" in cap.reason and cap.reason.endswith("học tập, noi theo")


def test_citations_use_one_numbering_per_seed():
    """`§n` is part II of seed 002 (NỘI DUNG): "II.1.3" in the same citation as "§4.1" mixed two styles."""
    for subject_type in SubjectType:
        for cap in default_caps(subject_type):
            if cap.source.startswith("[002"):
                assert " II." not in cap.source and ";II." not in cap.source, cap.source
    cap = next(c for c in default_caps(SubjectType.LEADER_QUARTERLY) if c.code == "not_outstanding")
    assert cap.source == "[002 §1.3, §4.1]"


# --- ballots [003 C.IV.11; 002 §5.3] -----------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "valid", "expected", "quote"),
    [
        (SubjectVotes("x", excellent=6, good=4), 10, Level.EXCELLENT, "trên 50% tổng số phiếu ... cho mức xếp loại đó"),
        (SubjectVotes("x", excellent=5, good=5), 10, Level.GOOD, "exactly 50 % is not 'trên 50%': cascades"),
        (SubjectVotes("x", excellent=3, good=3, passing=4), 10, Level.GOOD, "3 + 3 = 6 > 5: HTTNV trở lên"),
        (SubjectVotes("x", excellent=2, good=2, passing=2, fail=4), 10, Level.PASS, "2 + 2 + 2 = 6 > 5"),
        (SubjectVotes("x", excellent=1, good=2, passing=2, fail=5), 10, Level.FAIL, "5 of 10 is not more than half"),
        (SubjectVotes("x", excellent=4, good=0, passing=2), 10, Level.PASS, "unmarked ballots count in the total"),
    ],
)
def test_ballot_more_than_half_for_the_level_or_above(votes, valid, expected, quote):
    """"nếu tổng số phiếu xếp loại ở mức trên chưa đạt 50% thì được tính vào số phiếu của mức dưới liền kề"."""
    assert ballot_level(votes, valid).level is expected


def test_ballot_excellent_chosen_from_most_votes_down_to_the_quota():
    """"riêng mức HTXSNV được lựa chọn từ cao xuống thấp đến hết tỷ lệ theo quy định" [003 C.IV.11]."""
    tally, votes = full_count(20, {"a": 18, "b": 15, "c": 12})
    outcome = count_ballots(tally, votes)
    assert outcome.quota.base == 10 and outcome.quota.allowed == 2
    assert [outcome.final_level(s) for s in ("a", "b", "c")] == [Level.EXCELLENT, Level.EXCELLENT, Level.GOOD]


@pytest.mark.parametrize(("leaders", "full"), [(1, True), (3, True), (4, False)])
def test_units_with_three_leaders_or_fewer_vote_in_a_full_staff_meeting(leaders, full):
    """"đối với đơn vị có từ 03 lãnh đạo quản lý trở xuống họp toàn thể cơ quan để bỏ phiếu" [002 §5.3]."""
    assert full_meeting_votes(leaders) is full


# --- eligibility: not rated, pending, deferred [003 B.I.2, C.IV; 002 §2.1, §8.1] -------------

EVAL = date(2025, 12, 15)


@pytest.mark.parametrize(
    ("kwargs", "status", "code", "quote"),
    [
        ({}, Eligibility.RATED, None, "every member"),
        ({"exempt": True}, Eligibility.NOT_RATED, "exempt", "trừ đảng viên đã được miễn công tác và sinh hoạt đảng"),
        ({"suspended": True}, Eligibility.NOT_RATED, "suspended", "đảng viên bị đình chỉ sinh hoạt đảng"),
        ({"admitted_on": date(2025, 6, 16)}, Eligibility.NOT_RATED, "admitted_recently", "mới kết nạp chưa đủ 6 tháng"),
        ({"admitted_on": date(2025, 6, 15)}, Eligibility.RATED, None, "exactly 6 months: đủ 6 tháng"),
        ({"reviewed": False}, Eligibility.PENDING, "not_reviewed",
         "C.IV.2 Đảng viên phải hoàn thành việc kiểm điểm mới được đánh giá, xếp loại"),
    ],
)
def test_member_eligibility(kwargs, status, code, quote):
    """Who is counted but not rated, and who must still be reviewed [003 B.I.2, C.IV.2; 004 II.2]."""
    outcome = member_eligibility(evaluated_on=EVAL, **kwargs)
    assert outcome.status is status
    assert [r.code for r in outcome.reasons] == ([code] if code else [])


def test_member_not_rated_reason_names_the_dates():
    """The reason says when the member was admitted and by which date 6 months fall short."""
    outcome = member_eligibility(evaluated_on=EVAL, admitted_on=date(2025, 9, 1))
    assert str(outcome.reasons[0]) == (
        "Đảng viên mới kết nạp ngày 01/9/2025, đến ngày 15/12/2025 chưa đủ 6 tháng: "
        "không đánh giá, xếp loại [003 B.I.2]"
    )


@pytest.mark.parametrize(
    ("kwargs", "notes", "quote"),
    [
        ({"temporary_activity": True}, ["temporary_activity"],
         "C.IV.4 lấy ý kiến nhận xét của chi bộ nơi sinh hoạt tạm thời"),
        ({"previous_org_period": (date(2025, 1, 1), date(2025, 6, 30))}, ["previous_org_opinion"],
         "C.IV.5 thời gian sinh hoạt đảng ở tổ chức đảng trước đây từ 6 tháng trở lên"),
        ({"previous_org_period": (date(2025, 1, 1), date(2025, 5, 31))}, [], "five months: no opinion needed"),
        ({"previous_org_period": (date(2023, 6, 1), date(2025, 3, 1))}, [], "mostly before the year rated"),
        ({"sick_leave_periods": ((date(2025, 2, 1), date(2025, 3, 31)), (date(2025, 9, 1), date(2025, 9, 30)))},
         ["long_leave"], "C.IV.3 nghỉ ốm với tổng thời gian trong năm từ 03 tháng trở lên"),
        ({"sick_leave_periods": ((date(2025, 2, 1), date(2025, 3, 31)),)}, [], "two months of sick leave"),
        ({"maternity_leave": True}, ["long_leave"], "C.IV.3 hoặc đảng viên nghỉ thai sản"),
        ({"committee_suspended": True}, ["committee_suspended"],
         "C.IV.6 Cấp ủy viên bị đình chỉ sinh hoạt cấp ủy thì phải kiểm điểm trách nhiệm"),
    ],
)
def test_member_special_cases_are_rated_with_notes(kwargs, notes, quote):
    """Special cases of 003 C.IV.3–6 are rated, with what the cell must gather or weigh."""
    outcome = member_eligibility(evaluated_on=EVAL, **kwargs)
    assert outcome.status is Eligibility.RATED
    assert [n.code for n in outcome.notes] == notes
    assert all(n.source.startswith("[003 C.IV.") for n in outcome.notes)


@pytest.mark.parametrize(
    ("kwargs", "status", "codes", "quote"),
    [
        ({"formed_on": date(2025, 7, 1)}, Eligibility.NOT_RATED, ["recently_formed"],
         "C.IV.1 Tổ chức đảng mới được thành lập, chia tách, sáp nhập chưa đủ 6 tháng thì không đánh giá"),
        ({"formed_on": date(2025, 6, 15)}, Eligibility.RATED, [], "exactly 6 months"),
        ({"transferred_in_year": True}, Eligibility.RATED, ["transferred_org_opinion"],
         "C.IV.1 lấy ý kiến đánh giá, nhận xét của cấp ủy cấp trên trực tiếp (nơi chuyển giao)"),
    ],
)
def test_organisation_eligibility(kwargs, status, codes, quote):
    """Organisations formed, split or merged < 6 months ago are not rated; transferred ones need an opinion."""
    outcome = organisation_eligibility(evaluated_on=EVAL, **kwargs)
    assert outcome.status is status
    assert [r.code for r in (*outcome.reasons, *outcome.notes)] == codes


Q2 = {"year": 2026, "quarter": 2, "as_of": date(2026, 6, 20)}


@pytest.mark.parametrize(
    ("kwargs", "status", "codes", "quote"),
    [
        ({}, Eligibility.RATED, [], "an ordinary quarter"),
        ({"training_periods": ((date(2026, 4, 1), date(2026, 5, 31)),)}, Eligibility.DEFERRED, ["training"],
         "tham gia đào tạo, bồi dưỡng theo hình thức tập trung từ 02 tháng trở lên trong quý"),
        ({"training_periods": ((date(2026, 3, 1), date(2026, 4, 30)),)}, Eligibility.RATED, [],
         "training mostly in Q1: one month in Q2"),
        ({"leave_periods": ((date(2026, 4, 10), date(2026, 5, 5)), (date(2026, 5, 20), date(2026, 6, 25)))},
         Eligibility.DEFERRED, ["leave"], "nghỉ ốm hoặc nghỉ thai sản thời gian từ 02 tháng trở lên trong quý (two spells)"),
        ({"first_appointed_on": date(2026, 6, 1)}, Eligibility.DEFERRED, ["first_appointed"],
         "lần đầu được bổ nhiệm ... có thời gian dưới 01 tháng trong quý đánh giá"),
        ({"first_appointed_on": date(2026, 5, 20)}, Eligibility.RATED, [], "a full month by 20/6"),
        ({"under_investigation": True}, Eligibility.DEFERRED, ["under_investigation"],
         "Cá nhân đang trong thời gian kiểm tra dấu hiệu vi phạm"),
        ({"yearly_only": True}, Eligibility.NOT_RATED, ["yearly_only"],
         "§2.1 Bí thư chi bộ thôn ... không bắt buộc thực hiện đánh giá, xếp loại hàng quý"),
    ],
)
def test_leader_quarter_deferral(kwargs, status, codes, quote):
    """Who is deferred to the next quarter [002 §8.1d], or rated yearly only [002 §2.1]."""
    outcome = leader_quarter_eligibility(**Q2, **kwargs)
    assert outcome.status is status
    assert [r.code for r in outcome.reasons] == codes


@pytest.mark.parametrize(
    ("kwargs", "code", "quote"),
    [
        ({"promoted_on": date(2026, 5, 1)}, "promoted_in_unit",
         "§8.1a bổ nhiệm chức vụ mới cao hơn trong cùng một cơ quan ... chưa đủ 02 tháng"),
        ({"moved_unit_on": date(2026, 5, 1)}, "moved_unit",
         "§8.1b điều động hoặc bổ nhiệm sang cơ quan, đơn vị mới nhưng chưa đủ 02 tháng"),
        ({"restructured_on": date(2026, 4, 15)}, "restructured",
         "§8.1c thay đổi vị trí công tác theo yêu cầu sắp xếp tinh gọn tổ chức bộ máy"),
    ],
)
def test_leader_position_changes_are_rated_with_notes(kwargs, code, quote):
    """A position change in the quarter is rated, with what the authority must take into account [002 §8.1a–c]."""
    outcome = leader_quarter_eligibility(**Q2, **kwargs)
    assert outcome.status is Eligibility.RATED
    assert [n.code for n in outcome.notes] == [code]


def test_leader_promoted_two_months_ago_needs_no_note():
    """"chưa đủ 02 tháng": two full months in the new position is an ordinary rating [002 §8.1a]."""
    assert leader_quarter_eligibility(**Q2, promoted_on=date(2026, 4, 20)).notes == ()


# --- discipline of a member who moved [003 C.IV.7–8] ------------------------------------------

HISTORY = (("cu", date(2024, 1, 1), date(2025, 5, 31)), ("moi", date(2025, 6, 1), None))


@pytest.mark.parametrize(
    ("violation_on", "org", "quote"),
    [
        (date(2025, 3, 10), "cu", "C.IV.7 vi phạm xảy ra ở cơ quan, đơn vị cũ ... tính vào kết quả ... của cơ quan đơn vị cũ"),
        (date(2025, 9, 1), "moi", "C.IV.8 ... theo thời điểm xác định hành vi vi phạm tại mỗi cơ quan, đơn vị"),
        (date(2023, 5, 1), None, "before any membership on record"),
    ],
)
def test_discipline_counts_where_the_violation_happened(violation_on, org, quote):
    """A discipline counts for the organisation where the member was when the violation occurred."""
    assert discipline_counts_for(violation_on, HISTORY) == org


def test_leader_collective_below_70_is_a_leader_rule_only():
    """002 §7.3 names "người đứng đầu" and "cấp phó và thành viên"; the member framework has no such cap."""
    codes = {c.code for c in default_caps(SubjectType.MEMBER_YEARLY)}
    assert "collective_below_70_head" not in codes
    facts = Facts(tasks_assigned=3, tasks_done=3, outstanding=True, is_head=True, collective_targets_pct=D(69))
    assert rate(LEADER_Q, "h", _entries(LEADER_Q, D(1)), facts).level is Level.FAIL
