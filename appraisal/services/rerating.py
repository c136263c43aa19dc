"""Re-rating and complaints [003 C.IV.9; 002 III.5.2].

A decided rating is never edited in place. When discipline is decided later for a violation
in an earlier period, Ban Xây dựng Đảng opens a re-rating: a new rating of the same subject and
period, prepared from the old one's scores, that counts for nothing until the competent
authority decides it (a QĐ 01 re-rating decision, `services.process.ratings_decide`); then
the old rating stops counting and both stay in the history.
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import record_change
from core.scope import scope_for
from core.vntext import nfc

from .. import authority
from ..models import Complaint, ComplaintStatus, CriterionScore, Rating, RatingStatus
from . import outcome as outcomes

COPIED = (
    "period_id", "subject_type", "member_id", "organization_id", "unit_id", "leader_position_id",
    "framework_id", "framework_version", "scope_org_id", "scope_unit_id", "peer_group", "peer_group_label",
    "facts", "tasks_assigned", "tasks_done", "tasks_on_time", "tasks_exceeded", "review_strengths",
    "review_weaknesses", "review_causes", "review_remedies", "self_level",
)


@transaction.atomic
def rating_rerate(*, actor, rating: Rating, reason: str) -> Rating:
    """Open a re-rating of a decided rating: a new rating, not counting yet, ready to propose."""
    scope = scope_for(actor)
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    reason = nfc(reason)
    if not reason:
        raise ValidationError("Xếp loại lại phải ghi rõ căn cứ (quyết định kỷ luật, thời điểm vi phạm).")
    if not authority.may_rerate(scope, rating):
        if rating.status != RatingStatus.DECIDED or not rating.is_live:
            raise ValidationError("Chỉ xếp loại lại kết quả đã có quyết định và đang có hiệu lực.")
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng mở việc xếp loại lại.")
    if Rating.objects.filter(supersedes=rating).exists():
        raise ValidationError("Kết quả này đang được xếp loại lại.")
    new = Rating(
        **{name: getattr(rating, name) for name in COPIED},
        is_live=False, supersedes=rating, status=RatingStatus.SUBMITTED, submitted_at=timezone.now(),
        rerating_reason=reason, created_by=actor if actor.is_authenticated else None,
    )
    new.save()
    CriterionScore.objects.bulk_create([
        CriterionScore(rating=new, criterion_id=s.criterion_id, points=s.points, quality=s.quality,
                       achieved=s.achieved, plan=s.plan, note=s.note)
        for s in rating.scores.all()
    ])
    record_change(actor=actor, action="rating.rerate", obj=new, changes={
        "supersedes": rating.pk, "Căn cứ": reason, "approved_level": rating.approved_level,
    })
    outcomes.refresh([new.pk])
    return new


@transaction.atomic
def complaint_file(*, actor, rating: Rating, complainant: str, received_on: date, content: str) -> Complaint:
    """Record a complaint about a decided rating."""
    scope = scope_for(actor)
    if not authority.may_complain(scope, rating):
        if rating.status != RatingStatus.DECIDED:
            raise ValidationError("Chỉ ghi khiếu nại về kết quả đã có quyết định.")
        raise PermissionDenied("Đồng chí không có quyền ghi khiếu nại cho kết quả này.")
    errors = []
    if not nfc(complainant):
        errors.append("Chưa nhập người khiếu nại.")
    if not nfc(content):
        errors.append("Chưa nhập nội dung khiếu nại.")
    if received_on is None or received_on > timezone.localdate():
        errors.append("Ngày nhận khiếu nại không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        rating=rating, complainant=nfc(complainant), received_on=received_on, content=nfc(content),
        recorded_by=actor if actor.is_authenticated else None,
    )
    record_change(actor=actor, action="complaint.file", obj=complaint, changes={"rating": rating.pk})
    record_change(actor=actor, action="complaint.file", obj=rating, changes={"Khiếu nại": nfc(content)[:200]})
    return complaint


@transaction.atomic
def complaint_resolve(*, actor, complaint: Complaint, status: str, resolution: str, resolved_on: date) -> Complaint:
    """Resolve a complaint: upheld (then re-rate) or rejected, with the result in writing."""
    scope = scope_for(actor)
    if not authority.may_resolve_complaint(scope):
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng ghi kết quả giải quyết khiếu nại.")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != ComplaintStatus.OPEN:
        raise ValidationError("Khiếu nại này đã được giải quyết.")
    errors = []
    if status not in (ComplaintStatus.UPHELD, ComplaintStatus.REJECTED):
        errors.append("Chọn kết quả giải quyết.")
    if not nfc(resolution):
        errors.append("Chưa nhập kết quả giải quyết.")
    if resolved_on is None or resolved_on < complaint.received_on or resolved_on > timezone.localdate():
        errors.append("Ngày giải quyết không hợp lệ (không trước ngày nhận, không sau hôm nay).")
    if errors:
        raise ValidationError(errors)
    complaint.status, complaint.resolution, complaint.resolved_on = status, nfc(resolution), resolved_on
    complaint.resolved_by = actor if actor.is_authenticated else None
    complaint.save()
    record_change(actor=actor, action="complaint.resolve", obj=complaint, changes={
        "status": ("open", status), "Kết quả": nfc(resolution),
    })
    return complaint
