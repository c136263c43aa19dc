"""Every transition × every role, pinned by hand (never read from the code) [000 §3.4; 002 §5;
003 C.II.3]: for a member of a chi bộ trực thuộc Đảng ủy xã, of a chi bộ cơ sở, of a chi bộ
trực thuộc a đảng ủy cơ sở, and for a leader of a unit, which accounts may score, hand in,
propose, verify, return, decide, announce, re-rate and complain. Each role's attempt runs in a
savepoint that is rolled back, so every role meets the rating in the same state."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from appraisal.models import Rating, RatingStatus, SubjectType
from appraisal.process.complaints import services as complaint_services
from appraisal.process.decisions import services as decision_services
from appraisal.process.meetings import services as meeting_services
from appraisal.process.ratings import services as rating_services
from appraisal.process.rerating import services as rerating_services
from appraisal.process.verification import services as verification_services
from appraisal.scoring import services as scoring
from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    rating_of,
)

ROLES = ("secretary", "cell_secretary", "base_secretary", "sub_secretary", "unit_leadership", "staff",
         "standing", "viewer", "member", "leader", "norole")
DAY = dt.date(2025, 12, 20)


def _values(rating):
    from appraisal.scoring.loader import frameworks

    return {c.code: str(c.max_points) for c in frameworks([rating.framework_id])[rating.framework_id].leaves}


def _attempt(action, user, rating) -> bool:
    """Whether `user` may do `action` to the rating now (tried, then rolled back)."""
    rating = Rating.objects.get(pk=rating.pk)
    try:
        with transaction.atomic():
            action(user, rating)
            transaction.set_rollback(True)
    except PermissionDenied:
        return False
    return True


ACTIONS = {
    "score": lambda u, r: scoring.scores_save(actor=u, items=[scoring.ScoreInput(r, r.version, {}, {"tasks_done": "3"})]),
    "submit": lambda u, r: rating_services.rating_submit(actor=u, rating=r, expected_version=r.version),
    "propose": lambda u, r: meeting_services.rating_propose(actor=u, rating=r, expected_version=r.version, level=r.condition_level or "HTTNV", note="Biểu quyết"),
    "verify": lambda u, r: verification_services.rating_verify(actor=u, rating=r, expected_version=r.version),
    "return": lambda u, r: verification_services.rating_return(actor=u, rating=r, expected_version=r.version, reason="Bổ sung"),
    "decide": lambda u, r: decision_services.ratings_decide(actor=u, period=r.period, levels={r.pk: r.proposed_level},
                                                  versions={r.pk: r.version}, number="9-QĐ", decided_on=DAY),
    "announce": lambda u, r: decision_services.ratings_announce(actor=u, ratings=[r]),
    "rerate": lambda u, r: rerating_services.rating_rerate(actor=u, rating=r, reason="Kỷ luật sau"),
    "complain": lambda u, r: complaint_services.complaint_file(actor=u, rating=r, complainant="X", received_on=DAY, content="Y"),
}


def _allowed(commune, action, rating) -> set[str]:
    refused_for_state = []
    allowed = set()
    for role in ROLES:
        try:
            if _attempt(ACTIONS[action], commune.users[role], rating):
                allowed.add(role)
        except ValidationError as exc:  # let in, but the state refuses: a wrong fixture, not a role
            refused_for_state.append((role, exc.messages))
    assert not refused_for_state, refused_for_state
    return allowed


def _walk(commune, rating, actors: dict[str, str]) -> dict[str, set[str]]:
    """Check each transition at the state it applies to, then move on as the given actor."""
    seen = {}
    rating = Rating.objects.get(pk=rating.pk)
    scoring.scores_save(actor=commune.users["staff"], items=[scoring.ScoreInput(
        rating, rating.version, _values(rating), EXCELLENT_TASKS, {"outstanding": True})])
    for action in ("score", "submit", "propose", "verify", "return", "decide", "announce", "rerate", "complain"):
        rating = Rating.objects.get(pk=rating.pk)
        if action == "verify" and rating.status == RatingStatus.PROPOSED and "verify" not in actors:
            continue
        seen[action] = _allowed(commune, action, rating)
        if action in actors:
            ACTIONS[action](commune.users[actors[action]], Rating.objects.get(pk=rating.pk))
    return seen



def test_a_member_of_a_chi_bo_truc_thuoc_dang_uy_xa(commune):
    """The cell's secretary scores and proposes; Ban Xây dựng Đảng verifies; the Ban Thường vụ decides."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    seen = _walk(commune, rating, {"submit": "secretary", "propose": "secretary", "verify": "staff", "decide": "standing"})
    assert seen == {
        "score": {"secretary", "staff", "member"},
        "submit": {"secretary", "staff", "member"},
        "propose": {"secretary", "staff"},
        "verify": {"staff"},
        "return": {"staff"},
        "decide": {"standing"},
        "announce": {"staff", "standing"},
        "rerate": {"staff"},
        "complain": {"secretary", "staff", "member"},
    }


def test_a_member_of_a_chi_bo_co_so(commune):
    """A chi bộ cơ sở decides for its own members: no verification step, its committee decides."""
    rating = rating_of(commune.period, commune.members["Sùng A Lâm"])
    seen = _walk(commune, rating, {"submit": "cell_secretary", "propose": "cell_secretary", "decide": "cell_secretary"})
    assert seen == {
        "score": {"cell_secretary", "staff"},
        "submit": {"cell_secretary", "staff"},
        "propose": {"cell_secretary", "staff"},
        "return": {"staff"},
        "decide": {"cell_secretary"},
        "announce": {"cell_secretary", "staff"},
        "rerate": {"staff"},
        "complain": {"cell_secretary", "staff"},
    }


def test_a_member_of_a_chi_bo_truc_thuoc_dang_uy_co_so(commune):
    """The chi bộ proposes; its đảng ủy cơ sở decides (its secretary also covers the chi bộ)."""
    rating = rating_of(commune.period, commune.members["Bùi Thị Hà"])
    seen = _walk(commune, rating, {"submit": "sub_secretary", "propose": "sub_secretary", "decide": "base_secretary"})
    assert seen == {
        "score": {"sub_secretary", "base_secretary", "staff"},
        "submit": {"sub_secretary", "base_secretary", "staff"},
        "propose": {"sub_secretary", "base_secretary", "staff"},
        "return": {"staff"},
        "decide": {"base_secretary"},
        "announce": {"base_secretary", "staff"},
        "rerate": {"staff"},
        "complain": {"sub_secretary", "base_secretary", "staff"},
    }


def test_a_leader_of_a_unit(commune):
    """The unit leadership proposes for the leaders working in the unit; Ban Xây dựng Đảng verifies;
    the Ban Thường vụ decides; the leader writes their own self-assessment [002 §2.2, §5]."""
    rating = rating_of(commune.period, commune.deputy, SubjectType.LEADER_YEARLY)
    seen = _walk(commune, rating, {"submit": "unit_leadership", "propose": "unit_leadership", "verify": "staff",
                                   "decide": "standing"})
    assert seen == {
        "score": {"unit_leadership", "staff", "leader"},
        "submit": {"unit_leadership", "staff", "leader"},
        "propose": {"unit_leadership", "staff"},
        "verify": {"staff"},
        "return": {"staff"},
        "decide": {"standing"},
        "announce": {"staff", "standing"},
        "rerate": {"staff"},
        "complain": {"unit_leadership", "staff", "leader"},
    }


def test_opening_and_closing_a_period(commune):
    """Only Ban Xây dựng Đảng opens and closes periods."""
    from appraisal.process.periods import services as periods

    allowed = set()
    for role in ROLES:
        period = Rating.objects.first().period
        try:
            with transaction.atomic():
                periods.period_open(actor=commune.users[role], period=period)
                period.refresh_from_db()
                periods.period_close(actor=commune.users[role], period=period, expected_version=period.version)
                transaction.set_rollback(True)
        except PermissionDenied:
            continue
        allowed.add(role)
    assert allowed == {"staff"}
