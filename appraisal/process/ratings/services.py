"""One rating's own steps: the self-assessment, the product list, handing in and reopening."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal import authority
from appraisal.models import (
    LevelCode,
    Rating,
    RatingStatus,
    SubjectType,
    WorkProduct,
)
from appraisal.rules import axis_role_problems
from appraisal.scoring import outcome as outcomes
from appraisal.scoring.loader import frameworks
from appraisal.scoring.services import bump_version, bump_versions, check_may_score
from core.audit import audit_entry, record_change, record_changes
from core.bulk import update_rows
from core.scope import scope_for
from core.vntext import nfc


@transaction.atomic
def self_review_save(
    *, actor, rating: Rating, expected_version: int, strengths: str = "", weaknesses: str = "",
    causes: str = "", remedies: str = "", self_level: str = "",
) -> Rating:
    """Save the bản tự kiểm điểm and the self-proposed level [003 C.II.3.1; 002 §5.2]."""
    scope = scope_for(actor)
    check_may_score(scope, rating)
    if self_level and self_level not in LevelCode.values:
        raise ValidationError("Mức tự xếp loại không hợp lệ.")
    bump_version(rating, expected_version)
    new = {
        "review_strengths": nfc(strengths), "review_weaknesses": nfc(weaknesses),
        "review_causes": nfc(causes), "review_remedies": nfc(remedies), "self_level": self_level,
    }
    changes = {k: (getattr(rating, k), v) for k, v in new.items() if getattr(rating, k) != v}
    for k, v in new.items():
        setattr(rating, k, v)
    rating.save(update_fields=list(new))
    if changes:
        record_change(actor=actor, action="rating.self_review", obj=rating, changes=changes)
    return rating


def _incomplete_reason(reasons: list[dict]) -> str:
    """Why a stored outcome has no level by score: the criteria not scored, or the values refused."""
    for reason in reasons or ():
        if reason.get("code") in ("incomplete", "invalid"):
            return reason["text"]
    return "chưa chấm điểm"


@transaction.atomic
def rating_submit(*, actor, rating: Rating, expected_version: int) -> Rating:
    """Hand in the self-assessment and scores: complete scores are required [002 §5.2]."""
    return ratings_submit(actor=actor, ratings=[(rating, expected_version)])[0]


@transaction.atomic
def ratings_submit(*, actor, ratings: list[tuple[Rating, int]]) -> list[Rating]:
    """Hand in ratings (one, or a cell's from the grid), all or nothing; each needs complete scores."""
    scope = scope_for(actor)
    for rating, _ in ratings:
        if not authority.may_submit(scope, rating):
            if rating.status != RatingStatus.DRAFT:
                raise ValidationError(f"Phiếu đang ở trạng thái «{rating.get_status_display()}», không gửi lại được.")
            raise PermissionDenied("Đồng chí không có quyền gửi phiếu này.")
    # The stored outcome is current (every change that feeds it stores it again): read, not recomputed.
    stored = Rating.objects.filter(pk__in=[r.pk for r, _ in ratings]).values_list("pk", "score_level", "reasons")
    problems = [_incomplete_reason(reasons) for _pk, score_level, reasons in stored if not score_level]
    if problems:
        raise ValidationError([f"Chưa gửi được: {text}." for text in problems])
    now = timezone.now()
    bump_versions(ratings)
    for rating, _ in ratings:
        rating.status, rating.submitted_at = RatingStatus.SUBMITTED, now
    update_rows(Rating, [r for r, _ in ratings], ("status", "submitted_at"))
    record_changes([
        audit_entry(actor=actor, action="rating.submit", obj=r, changes={"status": ("draft", "submitted")})
        for r, _ in ratings
    ])
    return [r for r, _ in ratings]


@transaction.atomic
def rating_reopen(*, actor, rating: Rating, expected_version: int) -> Rating:
    """Take a submitted self-assessment back to draft for corrections (the proposer or staff)."""
    scope = scope_for(actor)
    if not authority.may_reopen(scope, rating):
        if rating.status != RatingStatus.SUBMITTED:
            raise ValidationError("Chỉ mở lại được phiếu đã gửi, chưa đề xuất.")
        raise PermissionDenied("Đồng chí không có quyền mở lại phiếu này.")
    bump_version(rating, expected_version)
    rating.status = RatingStatus.DRAFT
    rating.save(update_fields=["status"])
    record_change(actor=actor, action="rating.reopen", obj=rating, changes={"status": ("submitted", "draft")})
    return rating


# ------------------------------------------------------------------------------ work products


@dataclass
class ProductRow:
    """One line of a leader's product list as a form sends it (pk None for a new line)."""

    pk: int | None
    title: str
    product: str = ""
    due_on: date | None = None
    axis: int | None = None
    completed: bool | None = None
    on_time: bool | None = None
    exceeded: bool = False
    quality: int | None = None
    force_majeure: bool = False
    force_majeure_confirmed_by: str = ""
    note: str = ""
    delete: bool = False


PRODUCT_FIELDS = ("title", "product", "due_on", "axis", "completed", "on_time", "exceeded", "quality",
                  "force_majeure", "force_majeure_confirmed_by", "note")


@transaction.atomic
def products_save(*, actor, rating: Rating, expected_version: int, rows: list[ProductRow]) -> list[WorkProduct]:
    """Save a leader's product list and its results [002 §5.1, §5.3; DOMAIN §5].

    The leader (or the unit) lists the quarter's tasks; once the unit has approved the list its
    lines are fixed and only their results change. At the end each task is completed or not
    (force majeure counts only when someone competent confirmed it), possibly exceeded, with
    output quality 1–3. The results feed the task facts of the engine.
    """
    scope = scope_for(actor)
    check_may_score(scope, rating)
    errors = []
    existing = {p.pk: p for p in rating.products.all()}
    for number, row in enumerate(rows, start=1):
        where = f"Dòng {number}"
        if row.pk is not None and row.pk not in existing:
            errors.append(f"{where}: không có trong danh mục.")
            continue
        old = existing.get(row.pk)
        if old is not None and old.approved_at and (row.delete or nfc(row.title) != old.title):
            errors.append(f"{where}: danh mục đã được phê duyệt, không xóa hoặc đổi tên nhiệm vụ được.")
        if not row.delete and not nfc(row.title):
            errors.append(f"{where}: chưa nhập nhiệm vụ, công việc.")
        if row.completed is False and row.force_majeure and not nfc(row.force_majeure_confirmed_by):
            errors.append(f"{where}: bất khả kháng phải ghi rõ cấp có thẩm quyền xác nhận.")
        if row.completed is not True and row.exceeded:
            errors.append(f"{where}: chỉ nhiệm vụ đã hoàn thành mới được ghi vượt mức.")
    if errors:
        raise ValidationError(errors)
    bump_version(rating, expected_version)
    changes = {}
    for number, row in enumerate(rows, start=1):
        old = existing.get(row.pk)
        if row.delete:
            if old is not None:
                old.delete()
                changes[f"Xóa nhiệm vụ {number}"] = old.title
            continue
        product = old or WorkProduct(rating=rating)
        before = {f: getattr(product, f) for f in PRODUCT_FIELDS} if old else {}
        for f in PRODUCT_FIELDS:
            value = getattr(row, f)
            setattr(product, f, nfc(value) if isinstance(value, str) else value)
        product.order = number
        product.save()
        after = {f: getattr(product, f) for f in PRODUCT_FIELDS}
        if old is None and any(p.approved_at for p in existing.values()):  # added to an approved list
            changes[f"Thêm nhiệm vụ {number} (chưa phê duyệt)"] = product.title
        elif before != after:
            changes[f"Nhiệm vụ {number}"] = product.title
    if changes:
        record_change(actor=actor, action="rating.products", obj=rating, changes=changes)
    outcomes.refresh([rating.pk])
    return list(rating.products.all())


@transaction.atomic
def products_approve(*, actor, rating: Rating, expected_version: int) -> int:
    """The unit leadership approves the leader's product list [002 §5.1]."""
    scope = scope_for(actor)
    if not authority.may_approve_products(scope, rating):
        own = authority.own_work(scope, rating, authority.APPROVE_PRODUCTS)
        if own:
            raise PermissionDenied(own)
        raise PermissionDenied("Chỉ tập thể lãnh đạo cơ quan, đơn vị (hoặc Ban Xây dựng Đảng) phê duyệt danh mục.")
    if rating.status not in (RatingStatus.DRAFT, RatingStatus.SUBMITTED):
        raise ValidationError("Phiếu không còn ở giai đoạn tự đánh giá.")
    pending = rating.products.filter(approved_at__isnull=True)
    if not pending.exists():
        raise ValidationError("Danh mục không có nhiệm vụ nào chờ phê duyệt.")
    bump_version(rating, expected_version)
    count = pending.update(approved_at=timezone.now(), approved_by=actor)
    record_change(actor=actor, action="rating.products_approve", obj=rating, changes={"approved": count})
    return count


@transaction.atomic
def axis_roles_save(*, actor, rating: Rating, expected_version: int, roles: dict[int, str]) -> Rating:
    """A leader marks which result axes are primary and which secondary for them; their task
    points are then weighed by it (`rules.with_axis_roles`) [002 II.1.5]."""
    check_may_score(scope_for(actor), rating)
    if rating.subject_type not in (SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY):
        raise ValidationError("Chỉ cán bộ lãnh đạo, quản lý xác định trục kết quả chính, phụ.")
    spec = frameworks([rating.framework_id])[rating.framework_id].spec
    defaults = {c.axis.value: c.axis_role.value for c in spec.criteria() if c.axis is not None and c.axis_role}
    problems = axis_role_problems(spec, roles)
    if problems:
        raise ValidationError(problems)
    stored = {axis: role for axis, role in roles.items() if defaults.get(axis) != role}
    marked = {str(axis): role for axis, role in sorted(stored.items())}
    if marked == (rating.axis_roles or {}):
        return rating
    bump_version(rating, expected_version)
    before = rating.axis_roles or {}
    rating.axis_roles = marked
    rating.save(update_fields=["axis_roles"])
    record_change(actor=actor, action="rating.axes", obj=rating, changes={"axis_roles": (before, marked)})
    outcomes.refresh([rating.pk])
    return rating
