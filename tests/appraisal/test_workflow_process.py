"""From the meeting to the decision: ballots, verification, quota, the competent authority,
locked decisions, re-rating and dependency order [DOMAIN §6–9; 003 C.II.3, C.IV.9–11]."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal import authority, selectors
from appraisal.models import Decision, DecisionKind, Rating, RatingStatus, SubjectType
from appraisal.process.decisions import services as decision_services
from appraisal.process.meetings import services as meeting_services
from appraisal.process.ratings.services import rating_submit
from appraisal.process.rerating import services as rerating_services
from appraisal.process.verification import services as verification_services
from appraisal.scoring.services import ScoreInput, scores_save
from appraisal.scoring.values import CriterionInfo
from core.audit import object_history
from core.scope import scope_for
from members.models import Discipline, DisciplineForm
from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    full_marks,
    rating_of,
    scaled,
    score,
)

VILLAGE = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")
DAY = dt.date(2025, 12, 20)



def _ready(commune, names, values=None, actor="secretary", **kw):
    """Score and hand in the members; return their ratings."""
    ratings = []
    for name in names:
        rating = rating_of(commune.period, commune.members[name])
        rating = score(commune.users[actor], rating, values or full_marks(), tasks=EXCELLENT_TASKS,
                       facts={"outstanding": True}, **kw)
        rating_submit(actor=commune.users[actor], rating=rating, expected_version=rating.version)
        rating.refresh_from_db()
        ratings.append(rating)
    return ratings


def _meeting(commune, ratings, votes, actor="secretary", org=None, valid=10):
    lines = [meeting_services.VoteLine(r, *v) for r, v in zip(ratings, votes, strict=True)]
    return meeting_services.meeting_record(
        actor=commune.users[actor], period=commune.period, organization=org or commune.village,
        held_on=DAY, chair="Đồng chí Bí thư", attendance_expected=valid + 1, attendance_present=valid,
        ballots_issued=valid, ballots_collected=valid, ballots_valid=valid, ballots_invalid=0, lines=lines,
    )


def _reload(ratings):
    return [Rating.objects.get(pk=r.pk) for r in ratings]


def _verify(commune, ratings):
    for r in _reload(ratings):
        verification_services.rating_verify(actor=commune.users["staff"], rating=r, expected_version=r.version)
    return _reload(ratings)


def _decide(commune, ratings, levels, actor="standing", number="25-QĐ/ĐU"):
    ratings = _reload(ratings)
    return decision_services.ratings_decide(
        actor=commune.users[actor], period=commune.period, levels={r.pk: lv for r, lv in zip(ratings, levels, strict=True)},
        versions={r.pk: r.version for r in ratings}, number=number, decided_on=DAY,
    )


@pytest.mark.parametrize(("votes", "level"), [
    ((6, 2, 2, 0), "HTXSNV"),  # 6/10 > 50 %
    ((5, 1, 4, 0), "HTTNV"),  # 5/10 is not more than half: the votes cascade, 6/10 for HTTNV or above
    ((0, 5, 5, 0), "HTNV"),  # exactly 50 % at HTTNV is not reached; 10/10 for HTNV or above
    ((1, 1, 2, 6), "KHTNV"),
])
def test_the_proposed_level_follows_the_ballot_rule(commune, votes, level):
    """More than half of the valid ballots for a level or higher; higher votes cascade [003 C.IV.11]."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [votes])
    rating.refresh_from_db()
    assert (rating.status, rating.proposed_level) == (RatingStatus.PROPOSED, level)
    line = rating.ballot_lines.get()
    assert line.reached_level == level and "[003 C.IV.11]" in line.steps[-1]
    assert "phiếu hợp lệ" in line.steps[0]


def test_the_meeting_keeps_htxsnv_for_the_most_votes_within_the_quota(commune):
    """Two reach HTXSNV by votes, the group of four allows one: the one with more votes keeps it."""
    a, b = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    _meeting(commune, [a, b], [(8, 2, 0, 0), (6, 4, 0, 0)])
    a, b = _reload([a, b])
    assert (a.proposed_level, b.proposed_level) == ("HTXSNV", "HTTNV")
    assert "ngoài tỷ lệ" in b.proposal_note


def test_a_bad_tally_is_refused_and_changes_nothing(commune):
    """Votes beyond the valid ballots are refused with the member's name; nothing is proposed."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    with pytest.raises(ValidationError, match="Lê Văn Cường.*vượt số phiếu hợp lệ"):
        _meeting(commune, [rating], [(6, 6, 0, 0)])
    rating.refresh_from_db()
    assert rating.status == RatingStatus.SUBMITTED
    assert not rating.ballot_lines.exists()


def test_the_standing_committee_decides_village_members_after_verification(commune):
    """A chi bộ trực thuộc only proposes; the decision is the Ban Thường vụ's, after Ban Xây dựng
    Đảng's verification — not the secretary's, nor Ban Xây dựng Đảng's [000 §3.4; 003 C.II.3]."""
    ratings = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    _meeting(commune, ratings, [(8, 2, 0, 0), (2, 8, 0, 0)])
    with pytest.raises(ValidationError, match="chưa đủ bước"):
        _decide(commune, ratings, ["HTXSNV", "HTTNV"])
    ratings = _verify(commune, ratings)
    for role in ("secretary", "staff"):
        with pytest.raises(PermissionDenied, match="Ban Thường vụ"):
            _decide(commune, ratings, ["HTXSNV", "HTTNV"], actor=role)
    decision = _decide(commune, ratings, ["HTXSNV", "HTTNV"])
    assert decision.kind == DecisionKind.RATING and decision.authority == "Ban Thường vụ Đảng ủy"
    a, b = _reload(ratings)
    assert (a.status, a.approved_level, a.proposed_level, a.decision_number) == (
        RatingStatus.DECIDED, "HTXSNV", "HTXSNV", "25-QĐ/ĐU")
    assert b.approved_level == "HTTNV" and b.decision_date == DAY


@pytest.mark.parametrize(("role", "typed", "printed"), [
    ("deputy", "", "PHÓ BÍ THƯ"),          # the title the signer holds on the deciding committee
    ("secretary", "", "BÍ THƯ"),
    (None, "", ""),                        # not on the committee: no title is made up for them
    ("deputy", "Q. BÍ THƯ", "Q. BÍ THƯ"),  # a title typed on the form is kept as typed
])
def test_a_decision_keeps_the_title_its_signer_holds(commune, role, typed, printed):
    """The signer of a decision prints with the title they hold, not "BÍ THƯ" over whoever is typed (issue 14)."""
    from orgs.models import CommitteeMembership, CommitteeRole

    signer = commune.members["Nguyễn Văn An"]
    if role:
        CommitteeMembership.objects.create(organization=commune.root, member=signer, start_on=dt.date(2025, 7, 1),
                                           role=CommitteeRole.DEPUTY if role == "deputy" else CommitteeRole.SECRETARY)
    ratings = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, ratings, [(2, 8, 0, 0)])
    (rating,) = _verify(commune, ratings)
    decision = decision_services.ratings_decide(
        actor=commune.users["standing"], period=commune.period, levels={rating.pk: "HTTNV"},
        versions={rating.pk: rating.version}, number="25-QĐ/ĐU", decided_on=DAY,
        signer=signer.full_name, signer_title=typed,
    )
    assert (decision.signer, decision.signer_title) == (signer.full_name, printed)


def test_a_chi_bo_co_so_decides_its_own_members_without_verification(commune):
    """The vote of a chi bộ cơ sở is final: its committee decides, no verification needed."""
    ratings = _ready(commune, ["Sùng A Lâm"], actor="cell_secretary")
    _meeting(commune, ratings, [(2, 8, 0, 0)], actor="cell_secretary", org=commune.base_cell)
    rating = _reload(ratings)[0]
    assert authority.decider(rating).org == commune.base_cell
    with pytest.raises(PermissionDenied):
        _decide(commune, ratings, ["HTTNV"], actor="standing")
    decision = _decide(commune, ratings, ["HTTNV"], actor="cell_secretary", number="02-QĐ/CB")
    assert decision.authority == "Chi ủy Chi bộ Quân sự"


def test_a_dang_bo_co_so_decides_for_the_members_of_its_cells(commune):
    """Members of a chi bộ trực thuộc đảng ủy cơ sở: the cell proposes, the đảng ủy decides."""
    ratings = _ready(commune, ["Đỗ Văn Giang"], actor="sub_secretary")
    _meeting(commune, ratings, [(2, 8, 0, 0)], actor="sub_secretary", org=commune.sub_cell)
    with pytest.raises(PermissionDenied, match="Đảng ủy Đảng bộ Trường THCS"):
        _decide(commune, ratings, ["HTTNV"], actor="sub_secretary")
    _decide(commune, ratings, ["HTTNV"], actor="base_secretary", number="05-QĐ/ĐU")


def test_a_decision_above_the_conditions_is_refused_with_the_reasons(commune):
    """A member with no task exceeded cannot be decided HTXSNV; the message cites the condition."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    r = Rating.objects.get(pk=rating.pk)
    assert r.condition_level == "HTXSNV"
    scores_save(actor=commune.users["secretary"], items=[
        ScoreInput(r, r.version, {}, {"tasks_assigned": "4", "tasks_done": "4", "tasks_exceeded": "0"}),
    ])
    _meeting(commune, _reload([rating]), [(9, 1, 0, 0)])
    (rating,) = _verify(commune, [rating])
    assert rating.proposed_level == "HTXSNV" and rating.condition_level == "HTTNV"
    with pytest.raises(ValidationError, match="cao hơn mức tối đa.*vượt mức"):
        _decide(commune, [rating], ["HTXSNV"])
    _decide(commune, [rating], ["HTTNV"])  # proposed and approved stay side by side
    rating.refresh_from_db()
    assert (rating.proposed_level, rating.approved_level) == ("HTXSNV", "HTTNV")


def test_a_decision_over_the_quota_is_refused_with_the_figures(commune):
    """Four members at HTTNV or above allow one HTXSNV; deciding two is refused, saying so."""
    ratings = _ready(commune, VILLAGE)
    _meeting(commune, ratings, [(9, 1, 0, 0), (2, 8, 0, 0), (2, 8, 0, 0), (2, 8, 0, 0)])
    ratings = _verify(commune, ratings)
    with pytest.raises(ValidationError) as exc:
        _decide(commune, ratings, ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV"])
    text = " ".join(exc.value.messages)
    assert "Vượt tỷ lệ" in text and "4/4" in text and "tối đa 1" in text and "sẽ có 2" in text
    assert not Decision.objects.exists()
    assert all(r.status == RatingStatus.VERIFIED for r in _reload(ratings))
    _decide(commune, ratings, ["HTXSNV", "HTTNV", "HTTNV", "HTTNV"])


def test_a_decided_level_is_locked_on_every_service(commune):
    """After the decision no score, proposal, verification or second decision changes it."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(2, 8, 0, 0)])
    _verify(commune, [rating])
    _decide(commune, [rating], ["HTTNV"])
    rating = Rating.objects.get(pk=rating.pk)
    staff = commune.users["staff"]
    with pytest.raises(ValidationError, match="chỉ thay đổi bằng xếp loại lại"):
        scores_save(actor=staff, items=[ScoreInput(rating, rating.version, {"1.1": "1"})])
    with pytest.raises(ValidationError):
        meeting_services.rating_propose(actor=staff, rating=rating, expected_version=rating.version, level="HTNV", note="x")
    with pytest.raises(ValidationError):
        verification_services.rating_verify(actor=staff, rating=rating, expected_version=rating.version)
    with pytest.raises(ValidationError, match="đã có quyết định"):
        _decide(commune, [rating], ["HTNV"], number="26-QĐ/ĐU")
    with pytest.raises(ValidationError):
        verification_services.score_adjust(actor=staff, rating=rating, expected_version=rating.version, code="1.1", value="1",
                             reason="x")
    rating.refresh_from_db()
    assert (rating.approved_level, rating.status) == ("HTTNV", RatingStatus.DECIDED)


def test_verification_changes_points_only_with_a_written_reason(commune):
    """Ban Xây dựng Đảng may change a criterion's points while verifying, only with a reason; the
    points before stay beside the new ones, the outcome is recomputed and the change audited."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(2, 8, 0, 0)])
    rating = Rating.objects.get(pk=rating.pk)
    staff = commune.users["staff"]
    with pytest.raises(ValidationError, match="lý do"):
        verification_services.score_adjust(actor=staff, rating=rating, expected_version=rating.version, code="2.1", value="22", reason=" ")
    with pytest.raises(PermissionDenied):
        verification_services.score_adjust(actor=commune.users["secretary"], rating=rating, expected_version=rating.version,
                             code="2.1", value="22", reason="Thiếu minh chứng")
    verification_services.score_adjust(actor=staff, rating=rating, expected_version=rating.version, code="2.1", value="22",
                         reason="Thiếu minh chứng sản phẩm")
    rating.refresh_from_db()
    adjusted = rating.scores.get(criterion__code="2.1")
    assert (str(adjusted.adjusted_from), str(adjusted.points)) == ("30.00", "22.00")
    assert rating.total_score == 92 and rating.condition_level == "HTTNV"  # 2.1 below Xuất sắc
    entry = object_history(rating).filter(action="rating.adjust").get()
    assert entry.changes == {"Tiêu chí 2.1": ["30", "22"], "Lý do": "Thiếu minh chứng sản phẩm"}


def test_a_committee_waits_for_its_organisation(commune):
    """The chi ủy is held while its chi bộ has no level; once the chi bộ is proposed HTTNV the chi ủy
    is capped there [003 C.III.3.1; DOMAIN §6 Order]."""
    secretary = commune.users["cell_secretary"]
    committee = rating_of(commune.period, commune.base_cell, SubjectType.COMMITTEE_YEARLY)
    values = {c.code: str(c.max_points) for c in _leaves(committee)}
    committee = score(secretary, committee, values, facts={"outstanding": True})
    assert committee.held and committee.condition_level == "" and committee.score_level == "HTXSNV"
    assert any(r["code"] == "held" and "chờ xếp loại tổ chức đảng" in r["text"] for r in committee.reasons)
    org = rating_of(commune.period, commune.base_cell, SubjectType.BASE_ORG_YEARLY)
    org = score(secretary, org, {c.code: str(c.max_points) for c in _leaves(org)})
    rating_submit(actor=secretary, rating=org, expected_version=org.version)
    org.refresh_from_db()
    meeting_services.rating_propose(actor=secretary, rating=org, expected_version=org.version, level="HTTNV",
                           note="Chi bộ biểu quyết 10/10 phiếu")
    committee.refresh_from_db()
    assert not committee.held and committee.condition_level == "HTTNV"
    assert any("không được xếp loại cao hơn tổ chức đảng" in r["text"] for r in committee.reasons)


def test_a_base_organisation_waits_for_its_members(commune):
    """The chi bộ's level waits until each of its rated members has a proposed level."""
    secretary = commune.users["cell_secretary"]
    org = rating_of(commune.period, commune.base_cell, SubjectType.BASE_ORG_YEARLY)
    org = score(secretary, org, {c.code: str(c.max_points) for c in _leaves(org)})
    assert org.held and any("chờ xếp loại 3 đảng viên" in r["text"] for r in org.reasons)
    ratings = _ready(commune, ["Lò Văn Khải", "Sùng A Lâm", "Giàng Thị Mai"], actor="cell_secretary")
    _meeting(commune, ratings, [(0, 10, 0, 0)] * 3, actor="cell_secretary", org=commune.base_cell)
    org.refresh_from_db()
    assert not org.held and org.condition_level


def test_rerating_cancels_the_old_level_and_keeps_both_in_the_history(commune):
    """A discipline decided later for a violation in the year opens a re-rating; its QĐ 01
    decision replaces the old level, which no longer counts but stays in the history [003 C.IV.9]."""
    member = commune.members["Lê Văn Cường"]
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(2, 8, 0, 0)])
    _verify(commune, [rating])
    _decide(commune, [rating], ["HTTNV"])
    Discipline.objects.create(member=member, form=DisciplineForm.WARNING, decided_on=dt.date(2026, 3, 1),
                              violation_on=dt.date(2025, 10, 1), decision_number="03-QĐ/UBKT")
    old = Rating.objects.get(pk=rating.pk)
    with pytest.raises(PermissionDenied):
        rerating_services.rating_rerate(actor=commune.users["secretary"], rating=old, reason="Kỷ luật")
    new = rerating_services.rating_rerate(actor=commune.users["staff"], rating=old, reason="QĐ kỷ luật số 03-QĐ/UBKT")
    new.refresh_from_db()
    assert not new.is_live and new.supersedes == old and new.condition_level == "KHTNV"
    assert selectors.live_ratings().get(member=member, period=commune.period).pk == old.pk
    meeting_services.rating_propose(actor=commune.users["staff"], rating=new, expected_version=new.version, level="KHTNV",
                           note="Xếp loại lại theo 003 C.IV.9")
    decision = _decide(commune, [new], ["KHTNV"], number="30-QĐ/ĐU")
    assert decision.kind == DecisionKind.RERATING
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_live, new.is_live) == (False, True)
    assert selectors.live_ratings().get(member=member, period=commune.period).approved_level == "KHTNV"
    history = selectors.member_history(member)
    assert [(r.approved_level, r.is_live) for r in history if r.subject_type == SubjectType.MEMBER_YEARLY] == [
        ("HTTNV", False), ("KHTNV", True)]


def test_announcing_marks_decided_results(commune):
    """Decided results are announced once; undecided ones cannot be."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    with pytest.raises(ValidationError):
        decision_services.ratings_announce(actor=commune.users["staff"], ratings=_reload([rating]))
    _meeting(commune, [rating], [(2, 8, 0, 0)])
    _verify(commune, [rating])
    _decide(commune, [rating], ["HTTNV"])
    assert decision_services.ratings_announce(actor=commune.users["standing"], ratings=_reload([rating])) == 1
    assert _reload([rating])[0].announced_at is not None


def test_the_member_sees_only_their_own_rating(commune):
    """A member account sees its own rating and nobody else's."""
    scope = scope_for(commune.users["member"])
    own = rating_of(commune.period, commune.members["Lê Văn Cường"])
    other = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    visible = set(selectors.visible_ratings(scope).values_list("pk", flat=True))
    assert own.pk in visible and other.pk not in visible


def _leaves(rating) -> tuple[CriterionInfo, ...]:
    from appraisal.scoring.loader import frameworks

    return frameworks([rating.framework_id])[rating.framework_id].leaves


def test_scaled_helper_adds_up():
    """The test helper's scores add up to the total asked (so edge tests test the engine)."""
    from decimal import Decimal

    assert sum(Decimal(v.replace(",", ".")) for v in scaled("89,99").values()) == Decimal("89.99")
