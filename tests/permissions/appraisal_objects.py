"""The rating-process objects the URL × role walk fills appraisal URLs with, built once per test.

In the scenario of tests/orgs/scenario.py: a yearly period opened by Ban Xây dựng Đảng (ratings
for every member, post, organisation and unit), a meeting of cell A, of unit U and of cell B, a
decision with a decided rating in cell A, unit U and cell B, and a complaint. Each role gets the
objects of its own part of the tree; "outside" are cell B's.
"""
import datetime as dt
from io import StringIO

from django.core.management import call_command

from appraisal.models import (
    Complaint,
    Decision,
    DecisionKind,
    Meeting,
    PeriodKind,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.process.periods.services import period_create, period_open
from tests.factories import MemberFactory

APPRAISAL_KINDS = ("period", "rating", "leader_rating", "decided_rating", "meeting", "decision", "complaint")
# Deployment-wide objects: the same whatever the role, so no "outside its part" for them.
WIDE_KINDS = frozenset({"period", "decision", "complaint"})


def _rating(period, **subject) -> Rating:
    return Rating.objects.get(period=period, is_live=True, **subject)


def _decide(period, decision, rating) -> Rating:
    Rating.objects.filter(pk=rating.pk).update(
        status=RatingStatus.DECIDED, proposed_level="HTTNV", approved_level="HTTNV", decision=decision,
        decision_number=decision.number, decision_date=decision.decided_on,
    )
    rating.refresh_from_db()
    return rating


def _meeting(period, **place) -> Meeting:
    return Meeting.objects.create(
        period=period, held_on=dt.date(2025, 12, 10), chair="Đồng chí Bí thư", attendance_expected=5,
        attendance_present=5, ballots_issued=5, ballots_collected=5, ballots_valid=5, ballots_invalid=0, **place,
    )


def build(scenario) -> dict:
    """Open a period in the scenario and return the objects, inside and outside, by role."""
    cached = getattr(scenario, "_appraisal", None)
    if cached is not None:
        return cached
    call_command("load_frameworks", stdout=StringIO())
    tree = scenario.tree
    a2 = MemberFactory(full_name="Nguyễn Thị Ánh Hai", card_number="A0000002", cell=tree["cell_a"])
    b2 = MemberFactory(full_name="Trần Văn Bình Hai", card_number="B0000002", cell=tree["cell_b"])
    staff = scenario.users["staff"]
    period = period_create(actor=staff, kind=PeriodKind.YEAR, year=2025, evaluation_date=dt.date(2025, 12, 15))
    period_open(actor=staff, period=period)
    decision = Decision.objects.create(
        period=period, kind=DecisionKind.RATING, number="25-QĐ/ĐU", decided_on=dt.date(2025, 12, 20),
        authority="Ban Thường vụ Đảng ủy",
    )
    decided_a = _decide(period, decision, _rating(period, member=a2))
    decided_u = _decide(period, decision, _rating(period, unit=scenario.unit_u, subject_type=SubjectType.COLLECTIVE_YEARLY))
    decided_b = _decide(period, decision, _rating(period, member=b2))
    # Member A's own decided rating, of the year before (what a member may complain about).
    earlier = period_create(actor=staff, kind=PeriodKind.YEAR, year=2024, evaluation_date=dt.date(2024, 12, 15))
    own_decided = Rating.objects.create(
        period=earlier, subject_type=SubjectType.MEMBER_YEARLY, member=scenario.member_a,
        framework=decided_a.framework, scope_org=tree["cell_a"], status=RatingStatus.DECIDED,
        proposed_level="HTTNV", approved_level="HTTNV", decision_number="30-QĐ/ĐU", decision_date=dt.date(2024, 12, 25),
    )
    complaint = Complaint.objects.create(rating=decided_a, complainant="Nguyễn Thị Ánh Hai",
                                         received_on=dt.date(2025, 12, 22), content="Đề nghị xem xét lại.")

    def leader(position):
        return _rating(period, leader_position=position, subject_type=SubjectType.LEADER_YEARLY)

    inside_a = {
        "rating": _rating(period, member=scenario.member_a), "leader_rating": leader(scenario.position_a),
        "decided_rating": decided_a, "meeting": _meeting(period, organization=tree["cell_a"]),
    }
    objects = {
        "wide": {"period": period, "decision": decision, "complaint": complaint},
        "cell_a": inside_a,
        "member": {**inside_a, "decided_rating": own_decided},
        "unit_u": {
            "rating": leader(scenario.position_u), "leader_rating": leader(scenario.position_u),
            "decided_rating": decided_u, "meeting": _meeting(period, unit=scenario.unit_u),
        },
        "outside": {
            "rating": _rating(period, member=scenario.member_b), "leader_rating": leader(scenario.position_b),
            "decided_rating": decided_b, "meeting": _meeting(period, organization=tree["cell_b"]),
        },
    }
    scenario._appraisal = objects
    return objects


def objects_for(scenario, role: str, inside: bool) -> dict:
    """The appraisal objects a role's URLs point to."""
    built = build(scenario)
    if not inside:
        part = built["outside"]
    elif role == "unit_leadership":
        part = built["unit_u"]
    elif role == "member":
        part = built["member"]
    else:
        part = built["cell_a"]
    return {**built["wide"], **part}
