"""Verification by Ban Xây dựng Đảng: adjusting a score with a reason, verifying, returning [002 §5; III.3.2]."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal import authority
from appraisal.models import (
    CriterionScore,
    Rating,
    RatingStatus,
)
from appraisal.rules import (
    score_qualitative,
    score_quantitative,
)
from appraisal.scoring.dependents import refresh_with_dependents
from appraisal.scoring.loader import frameworks
from appraisal.scoring.quota import refresh_groups_of
from appraisal.scoring.services import bump_version, bump_versions
from appraisal.scoring.values import ValueError_, parse_value, stored_value
from appraisal.selectors import rating_name
from core.audit import audit_entry, record_change, record_changes, ref
from core.bulk import update_rows
from core.scope import scope_for
from core.vntext import nfc

# ------------------------------------------------------------------------------ verification


@transaction.atomic
def score_adjust(*, actor, rating: Rating, expected_version: int, code: str, value: str, reason: str) -> Rating:
    """Ban Xây dựng Đảng changes one criterion's points in verification, with a written reason."""
    scope = scope_for(actor)
    if not authority.may_verify(scope, rating):
        own = authority.own_work(scope, rating, authority.VERIFY)
        if own and rating.status == RatingStatus.PROPOSED:
            raise PermissionDenied(own)
        if rating.status != RatingStatus.PROPOSED:
            raise ValidationError("Chỉ điều chỉnh điểm khi đề xuất đang chờ thẩm định.")
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng được điều chỉnh điểm khi thẩm định.")
    reason = nfc(reason)
    if not reason:
        raise ValidationError("Điều chỉnh điểm phải ghi rõ lý do.")
    data = frameworks([rating.framework_id])[rating.framework_id]
    criterion = next((c for c in data.leaves if c.code == code), None)
    if criterion is None:
        raise ValidationError(f"Tiêu chí «{code}» không có trong khung tiêu chí.")
    try:
        new = parse_value(value, criterion)
    except ValueError_ as exc:
        raise ValidationError(str(exc)) from exc
    if new.empty:
        raise ValidationError(f"Tiêu chí {code}: chưa nhập điểm mới.")
    criterion_id = next(pk for pk, c in data.codes.items() if c == code)
    score = CriterionScore.objects.filter(rating=rating, criterion_id=criterion_id).first()
    if score is None:
        raise ValidationError(f"Tiêu chí {code}: chưa có điểm để điều chỉnh.")
    old = stored_value(score.points, score.quality, score.achieved, score.plan)
    if old == new:
        raise ValidationError(f"Tiêu chí {code}: điểm mới giống điểm cũ.")
    bump_version(rating, expected_version)
    if score.adjusted_from is None:  # the first change keeps the points the proposer gave
        score.adjusted_from = _points_of(old, criterion)
    score.points = new.points
    score.quality = int(new.level) if new.level is not None else None
    score.achieved = score.plan = None
    score.adjustment_reason = reason
    score.save()
    record_change(actor=actor, action="rating.adjust", obj=rating, changes={
        f"Tiêu chí {code}": (old.text(), new.text()), "Lý do": reason,
    })
    refresh_with_dependents([rating])
    return rating


def _points_of(value, criterion) -> Decimal:
    """The points a stored value gives (the engine scores a level or achieved/plan)."""
    if value.points is not None:
        return value.points
    if value.level is not None:
        return score_qualitative(value.level, criterion.max_points)
    return score_quantitative(value.achieved, value.plan, criterion.max_points)


@transaction.atomic
def rating_verify(*, actor, rating: Rating, expected_version: int, note: str = "") -> Rating:
    """Ban Xây dựng Đảng has verified the proposal: conditions, scores, quota checked [002 §5; III.3.2]."""
    return ratings_verify(actor=actor, ratings=[(rating, expected_version)], note=note)[0]


@transaction.atomic
def ratings_verify(*, actor, ratings: list[tuple[Rating, int]], note: str = "") -> list[Rating]:
    """Verify proposals (one, or a queue's), all or nothing."""
    scope = scope_for(actor)
    for rating, _ in ratings:
        if not authority.may_verify(scope, rating):
            own = authority.own_work(scope, rating, authority.VERIFY)
            if own and rating.status == RatingStatus.PROPOSED:
                raise PermissionDenied(f"{rating_name(rating)}: {own}")
            if rating.status != RatingStatus.PROPOSED:
                raise ValidationError(f"Phiếu đang ở trạng thái «{rating.get_status_display()}», không thẩm định được.")
            raise PermissionDenied("Chỉ Ban Xây dựng Đảng được thẩm định.")
    now, note = timezone.now(), nfc(note)
    user = actor if actor.is_authenticated else None
    bump_versions(ratings, {r.pk: rating_name(r) for r, _ in ratings})  # subjects loaded with the ratings
    for rating, _ in ratings:
        rating.status, rating.verified_at, rating.verified_by, rating.verification_note = (
            RatingStatus.VERIFIED, now, user, note)
    update_rows(Rating, [r for r, _ in ratings], ("status", "verified_at", "verified_by", "verification_note"))
    refresh_groups_of([r for r, _ in ratings])
    record_changes([
        audit_entry(actor=actor, action="rating.verify", obj=r, changes={
            "status": ("proposed", "verified"), **({"Ý kiến thẩm định": note} if note else {}),
        })
        for r, _ in ratings
    ])
    return [r for r, _ in ratings]


@transaction.atomic
def rating_unverify(*, actor, rating: Rating, expected_version: int, reason: str = "") -> Rating:
    """Undo a verification until the decision: the proposal is back to "proposed", to verify again."""
    scope = scope_for(actor)
    if not authority.may_unverify(scope, rating):
        if rating.status == RatingStatus.DECIDED:
            raise ValidationError(
                f"{rating_name(rating)}: đã có quyết định, không bỏ thẩm định được nữa (chỉ xếp loại lại)."
            )
        if rating.status != RatingStatus.VERIFIED:
            raise ValidationError(
                f"{rating_name(rating)}: đang ở trạng thái «{rating.get_status_display()}», chưa được thẩm định."
            )
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng bỏ thẩm định.")
    bump_version(rating, expected_version, rating_name(rating))
    before = (rating.verified_at, rating.verified_by_id, rating.verification_note)
    rating.status, rating.verified_at, rating.verified_by, rating.verification_note = RatingStatus.PROPOSED, None, None, ""
    rating.save(update_fields=["status", "verified_at", "verified_by", "verification_note"])
    changes = {"status": (RatingStatus.VERIFIED.value, RatingStatus.PROPOSED.value), "verified_at": (before[0], None)}
    if before[1] is not None:
        changes["verified_by"] = (ref(settings.AUTH_USER_MODEL, before[1]), None)
    if before[2]:
        changes["verification_note"] = (before[2], "")
    if nfc(reason):
        changes["Lý do"] = nfc(reason)
    record_change(actor=actor, action="rating.unverify", obj=rating, changes=changes)
    return rating


@transaction.atomic
def rating_return(*, actor, rating: Rating, expected_version: int, reason: str) -> Rating:
    """Send a proposal back to the proposer with the reason (it returns to "submitted")."""
    scope = scope_for(actor)
    if not authority.may_return(scope, rating):
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng trả lại đề xuất đang chờ thẩm định hoặc quyết định.")
    if not nfc(reason):
        raise ValidationError("Trả lại đề xuất phải ghi rõ lý do.")
    bump_version(rating, expected_version)
    old = rating.status
    rating.status = RatingStatus.SUBMITTED
    rating.verification_note = nfc(reason)
    rating.save(update_fields=["status", "verification_note"])
    record_change(actor=actor, action="rating.return", obj=rating, changes={"status": (old, rating.status), "Lý do": nfc(reason)})
    refresh_with_dependents([rating])
    return rating
