"""The only writers of ratings (to be replaced by the rating workflow's actions)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import record_change

from ..models import SUBJECT_FIELD, Framework, LevelCode, Rating, RatingStatus, SubjectType
from .frameworks import _require_staff


def _ensure_rating_editable(rating: Rating) -> None:
    if rating.status == RatingStatus.DECIDED:
        raise ValidationError(
            "Kết quả xếp loại đã có quyết định nên không được sửa; nếu cần, hãy xếp loại lại."
        )


def _bump_rating(rating: Rating, expected_version: int) -> None:
    updated = Rating.objects.filter(pk=rating.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(
            "Kết quả xếp loại đã được người khác sửa trong lúc đồng chí đang sửa; hãy tải lại trang."
        )
    rating.version = expected_version + 1


@transaction.atomic
def rating_create(*, actor, period, framework: Framework, subject, subject_type: str) -> Rating:
    """Open a draft rating of one subject in a period with a framework of the same subject type."""
    _require_staff(actor)
    if framework.subject_type != subject_type:
        raise ValidationError(
            f"Khung tiêu chí «{framework.name}» dành cho {framework.get_subject_type_display()}, "
            f"không dùng được cho {SubjectType(subject_type).label}."
        )
    rating = Rating(period=period, framework=framework, subject_type=subject_type, created_by=actor)
    setattr(rating, SUBJECT_FIELD[SubjectType(subject_type)], subject)
    rating.save()
    record_change(actor=actor, action="rating.create", obj=rating, changes={"framework": framework.code})
    return rating


@transaction.atomic
def rating_set_levels(
    *, actor, rating: Rating, expected_version: int, self_level: str = "", proposed_level: str = "",
    total_score: Decimal | None = None,
) -> Rating:
    """Record self-proposed and proposed levels (never on a decided rating)."""
    _require_staff(actor)
    _ensure_rating_editable(rating)
    _bump_rating(rating, expected_version)
    changes = {
        "self_level": (rating.self_level, self_level),
        "proposed_level": (rating.proposed_level, proposed_level),
        "total_score": (rating.total_score, total_score),
    }
    rating.self_level, rating.proposed_level, rating.total_score = self_level, proposed_level, total_score
    rating.save(update_fields=["self_level", "proposed_level", "total_score"])
    record_change(actor=actor, action="rating.set_levels", obj=rating, changes=changes)
    return rating


@transaction.atomic
def rating_decide(
    *, actor, rating: Rating, expected_version: int, approved_level: str, decision_number: str,
    decision_date,
) -> Rating:
    """Record the competent authority's decision; from then on the rating and its framework are frozen."""
    _require_staff(actor)
    _ensure_rating_editable(rating)
    if approved_level not in LevelCode.values:
        raise ValidationError(f"Mức xếp loại «{approved_level}» không hợp lệ.")
    if decision_date is None:
        raise ValidationError("Chưa nhập ngày quyết định.")
    _bump_rating(rating, expected_version)
    rating.approved_level = approved_level
    rating.decision_number = decision_number
    rating.decision_date = decision_date
    rating.status = RatingStatus.DECIDED
    rating.save(update_fields=["approved_level", "decision_number", "decision_date", "status"])
    record_change(
        actor=actor, action="rating.decide", obj=rating,
        changes={"approved_level": approved_level, "decision_number": decision_number},
    )
    return rating


@transaction.atomic
def rating_rerate(*, actor, rating: Rating, framework: Framework | None = None) -> Rating:
    """Start a re-rating (xếp loại lại) [003 C.IV.9]: a new draft superseding a decided rating."""
    _require_staff(actor)
    if rating.status != RatingStatus.DECIDED:
        raise ValidationError("Chỉ xếp loại lại kết quả đã có quyết định.")
    if Rating.objects.filter(supersedes=rating).exists():
        raise ValidationError("Kết quả xếp loại này đã được xếp loại lại.")
    new = Rating(
        period=rating.period,
        subject_type=rating.subject_type,
        member=rating.member,
        organization=rating.organization,
        unit=rating.unit,
        leader_position=rating.leader_position,
        framework=framework or rating.framework,
        supersedes=rating,
        created_by=actor,
    )
    new.save()
    record_change(actor=actor, action="rating.rerate", obj=new, changes={"supersedes": rating.pk})
    return new
