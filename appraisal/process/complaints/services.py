"""Complaints about a rating, recorded and resolved [002 III.5.2]."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal import authority
from appraisal.models import Complaint, ComplaintStatus, Rating, RatingStatus
from core.audit import record_change
from core.scope import scope_for
from core.vntext import nfc


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
