"""Re-rating a decided result: a new rating that replaces the old one by a new decision [003 C.IV.9]."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal import authority
from appraisal.models import CriterionScore, Rating, RatingStatus
from appraisal.scoring import outcome as outcomes
from core.audit import record_change
from core.scope import scope_for
from core.vntext import nfc

COPIED = (
    "period_id", "subject_type", "member_id", "organization_id", "unit_id", "leader_position_id",
    "framework_id", "framework_version", "scope_org_id", "scope_unit_id", "peer_group", "peer_group_label",
    "facts", "axis_roles", "tasks_assigned", "tasks_done", "tasks_on_time", "tasks_exceeded", "review_strengths",
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
