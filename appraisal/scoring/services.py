"""Saving what is typed for a rating: scores, tasks and facts, all or nothing, stale saves refused."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal import authority
from appraisal.models import (
    CriterionKind,
    CriterionScore,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.rules import fact_problems
from appraisal.scoring import outcome as outcomes
from appraisal.scoring.dependents import refresh_with_dependents
from appraisal.scoring.loader import FrameworkData, fact_fields_of, frameworks, load
from appraisal.scoring.values import (
    EMPTY,
    CriterionInfo,
    Value,
    ValueError_,
    parse_count,
    parse_value,
    stored_value,
)
from appraisal.selectors import rating_name
from core.audit import audit_entry, record_changes
from core.bulk import update_rows
from core.scope import Scope, scope_for
from core.services import claim_versions

TASK_FIELDS = {
    "tasks_assigned": "Số nhiệm vụ được giao",
    "tasks_done": "Số nhiệm vụ hoàn thành",
    "tasks_on_time": "Số nhiệm vụ đúng tiến độ, bảo đảm chất lượng",
    "tasks_exceeded": "Số nhiệm vụ vượt mức",
}
STALE = (
    "{name}: vừa được người khác lưu sau khi đồng chí mở trang. Chưa lưu gì; những gì đồng chí "
    "đã nhập vẫn còn trên trang — hãy tải lại để xem bản mới rồi nhập lại phần cần sửa."
)


class ScoreErrors(ValidationError):
    """Values that cannot be saved, each keyed by (rating id, field): a criterion code, a task
    field or "" for the rating as a whole. Nothing was saved."""

    def __init__(self, errors: dict[tuple[int, str], str]):
        self.by_field = errors
        super().__init__(list(errors.values()))


@dataclass
class ScoreInput:
    """What one form (a row of the grid, a self-assessment) sends for one rating."""

    rating: Rating
    expected_version: int
    values: dict[str, str] = field(default_factory=dict)  # criterion code → what was typed
    tasks: dict[str, str] | None = None  # TASK_FIELDS → what was typed
    facts: dict[str, object] | None = None  # FACT_FIELDS of the subject type → value


def bump_version(rating: Rating, expected_version: int, name: str = "") -> None:
    """Claim the rating's next version, or refuse (ValidationError) if someone saved since."""
    bump_versions([(rating, expected_version)], {rating.pk: name} if name else None)


def bump_versions(claims: list[tuple[Rating, int]], names: dict[int, str] | None = None) -> None:
    """Claim the next version of many ratings in one statement; refuse if anyone saved one since."""
    stale = claim_versions(Rating, claims, updated_at=timezone.now())
    if stale:
        raise ValidationError(STALE.format(name=(names or {}).get(stale[0].pk) or f"Phiếu #{stale[0].pk}"))


def check_may_score(scope: Scope, rating: Rating) -> bool:
    """Whether the account may change the rating's scores; True when it writes as the subject."""
    if authority.may_score(scope, rating):
        return False
    if authority.may_self_assess(scope, rating):
        return True
    if rating.status not in (RatingStatus.DRAFT, RatingStatus.SUBMITTED):
        raise ValidationError(
            f"{rating_name(rating)}: phiếu đang ở trạng thái «{rating.get_status_display()}», đã khóa: không sửa điểm được nữa."
            + (" Kết quả đã quyết định chỉ thay đổi bằng xếp loại lại (Ban Xây dựng Đảng mở từ trang kết quả)."
               if rating.is_decided else " Muốn sửa, Ban Xây dựng Đảng trả lại đề xuất cho nơi đề xuất.")
        )
    raise PermissionDenied("Đồng chí không có quyền chấm điểm phiếu này.")


def _parse_facts(rating: Rating, facts: dict) -> dict:
    """Keep the facts the subject type has, as stored values (True, or a percentage text).

    An unticked box or an empty percentage is left out, as it was before anything was typed,
    so saving a grid nobody touched changes nothing."""
    stored = dict(rating.facts or {})
    for fact in fact_fields_of(rating):
        if fact.name not in facts:
            continue
        raw = facts[fact.name]
        if fact.kind == "percent":
            value = parse_value(raw, _PERCENT) if raw not in (None, "") else EMPTY
            text = str(value.points) if value.points is not None else ""
        else:
            text = True if raw else ""
        if text:
            stored[fact.name] = text
        else:
            stored.pop(fact.name, None)
    return stored


_PERCENT = CriterionInfo(code="(tỷ lệ %)", max_points=Decimal(100), kind=CriterionKind.QUANTITATIVE)


@dataclass
class Checked:
    """One rating's input read and checked: what a save would store, or why it cannot."""

    values: dict[str, Value]  # criterion code → value, for the criteria sent
    fields: dict[str, object]  # rating fields sent: task counts, and `facts` merged with the stored ones
    errors: dict[str, str]  # field (criterion code, task field, "facts") → Vietnamese message


def check_input(item: ScoreInput, data: FrameworkData) -> Checked:
    """Read and check what one form sends for one rating — the one parse every path shares.

    Values are read by `scoring.values` (one criterion at a time); the task counts by the
    engine's `fact_problems`, on the counts as they would be stored (those sent over those
    stored, so a count the screen does not show still takes part); facts are merged with the
    stored ones. Nothing is written.
    """
    rating = item.rating
    known = {c.code: c for c in data.leaves}
    errors: dict[str, str] = {}
    values: dict[str, Value] = {}
    for code, raw in item.values.items():
        criterion = known.get(code)
        if criterion is None:
            errors[code] = f"Tiêu chí «{code}» không có trong khung tiêu chí."
            continue
        try:
            values[code] = parse_value(raw, criterion)
        except ValueError_ as exc:
            errors[code] = str(exc)
    fields: dict[str, object] = {}
    for name, raw in (item.tasks or {}).items():
        try:
            fields[name] = parse_count(raw, TASK_FIELDS[name])
        except ValueError_ as exc:
            errors[name] = str(exc)
    counts = {name: fields.get(name, getattr(rating, name)) for name in TASK_FIELDS}
    for name, message in fact_problems(counts):
        errors.setdefault(name, message)
    if item.facts is not None:
        try:
            fields["facts"] = _parse_facts(rating, item.facts)
        except ValueError_ as exc:
            errors["facts"] = str(exc)
    return Checked(values, fields, errors)


@dataclass(frozen=True)
class Preview:
    """What saving the input would store (`outcome`), or why it cannot be saved (`errors`)."""

    outcome: outcomes.Outcome | None
    errors: dict[str, str]


def scores_preview(*, actor, item: ScoreInput) -> Preview:
    """The outcome that saving `item` would store, computed by the same code as the save.

    The same check (`check_input`), the stored scores with the sent ones over them, the rating's
    stored fields with the sent ones over them, the same loader and the same engine call; only
    the write is left out. A screen shows this while the user types; it never computes by itself.
    """
    if not authority.can_view(scope_for(actor), item.rating):
        raise PermissionDenied("Đồng chí không xem được phiếu này.")
    data = frameworks([item.rating.framework_id])[item.rating.framework_id]
    checked = check_input(item, data)
    if checked.errors:
        return Preview(None, checked.errors)
    pk = item.rating.pk
    _planned, stored = _plan([item], {pk: checked}, {item.rating.framework_id: data})
    scores = stored.get(pk, {})
    scores.update(checked.values)
    loaded = load([pk], scores={pk: scores}, overrides={pk: checked.fields})
    if pk not in loaded.inputs:
        return Preview(None, {})
    return Preview(outcomes.decide(loaded.inputs[pk], outcomes.compiled_for(loaded, loaded.inputs[pk])), {})


@transaction.atomic
def scores_save(*, actor, items: list[ScoreInput], names: dict[int, str] | None = None) -> dict[int, outcomes.Outcome]:
    """Save the scores (and tasks, facts) of one or many ratings, all or nothing [issue 8].

    Every value is checked first (`check_input`); any error refuses the whole save with each
    message keyed by rating and field. Then the version of each rating that changes is claimed
    (a stale one refuses the save), the scores written, one audit entry per rating lists every
    score that changed (before → after), and the engine's outcome is stored.
    """
    scope = scope_for(actor)
    names = names or {}
    fws = frameworks({item.rating.framework_id for item in items})
    errors: dict[tuple[int, str], str] = {}
    parsed: dict[int, Checked] = {}
    for item in items:
        check_may_score(scope, item.rating)
        checked = parsed[item.rating.pk] = check_input(item, fws[item.rating.framework_id])
        errors.update({(item.rating.pk, name): message for name, message in checked.errors.items()})
    if errors:
        raise ScoreErrors(errors)
    planned, stored = _plan(items, parsed, fws)
    changed = [item for item in items if planned[item.rating.pk].changes]
    # Only the ratings this save changes are claimed: two secretaries may save different
    # members of one cell; the second to change the same member is refused.
    bump_versions([(item.rating, item.expected_version) for item in changed], names)
    audit = _apply(actor, [planned[item.rating.pk] for item in changed])
    # The scores now stored: those read before, with what was sent over them (not read again).
    now = {}
    for item in changed:
        values = stored.get(item.rating.pk, {})
        values.update(parsed[item.rating.pk].values)
        now[item.rating.pk] = values
    stored_now = outcomes.refresh([item.rating.pk for item in changed], scores=now)
    # What others read of these (a collective's targets, an organisation's facts, a head's figures
    # for the collective) reaches them now; a member's scores are read by nobody else.
    read_by_others = [item.rating for item in changed if item.rating.subject_type != SubjectType.MEMBER_YEARLY]
    if read_by_others:
        refresh_with_dependents(read_by_others, include_own=False)
    # Last: appending to the audit chain locks its head until the transaction ends (core.audit_chain),
    # so concurrent saves wait for each other only over this tail, not over the engine's work.
    record_changes(audit)
    return stored_now


class _Score:
    """A stored score as the save compares and rewrites it (no model instance: a grid has 1,200)."""

    __slots__ = ("pk", "points", "quality", "achieved", "plan")

    def __init__(self, pk, points, quality, achieved, plan):
        self.pk, self.points, self.quality, self.achieved, self.plan = pk, points, quality, achieved, plan


@dataclass
class _Planned:
    """What one rating's save changes: scores to create, update or delete, rating fields, audit."""

    rating: Rating
    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    delete: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)


def _plan(items: list[ScoreInput], parsed: dict[int, Checked], fws) -> tuple[dict[int, _Planned], dict[int, dict]]:
    """Compare what was sent with what is stored (one query) and plan the writes; also return
    the stored values (rating id → {code: Value})."""
    ids = [item.rating.pk for item in items]
    framework_of = {item.rating.pk: item.rating.framework_id for item in items}
    existing: dict[tuple[int, str], _Score] = {}
    rows = CriterionScore.objects.filter(rating_id__in=ids).values_list(
        "pk", "rating_id", "criterion_id", "points", "quality", "achieved", "plan"
    )
    stored: dict[int, dict] = {}
    for pk, rating_id, criterion_id, points, quality, achieved, plan in rows:
        code = fws[framework_of[rating_id]].codes.get(criterion_id)
        existing[(rating_id, code)] = _Score(pk, points, quality, achieved, plan)
        stored.setdefault(rating_id, {})[code] = stored_value(points, quality, achieved, plan)
    planned = {}
    for item in items:
        rating = item.rating
        checked = parsed[rating.pk]
        plan = planned[rating.pk] = _Planned(rating)
        ids_by_code = {code: pk for pk, code in fws[rating.framework_id].codes.items()}
        for code, value in checked.values.items():
            score = existing.get((rating.pk, code))
            old = stored_value(score.points, score.quality, score.achieved, score.plan) if score else EMPTY
            if old == value:
                continue
            plan.changes[f"Tiêu chí {code}"] = (old.text() or "—", value.text() or "—")
            columns = {
                "points": value.points, "quality": int(value.level) if value.level is not None else None,
                "achieved": value.achieved, "plan": value.plan,
            }
            if score is None:
                plan.create.append(CriterionScore(rating_id=rating.pk, criterion_id=ids_by_code[code], **columns))
            elif value.empty:
                plan.delete.append(score.pk)
            else:
                for name, new in columns.items():
                    setattr(score, name, new)
                plan.update.append(score)
        for name, value in checked.fields.items():
            if name == "facts":
                continue
            if getattr(rating, name) != value:
                plan.changes[TASK_FIELDS[name]] = (getattr(rating, name), value)
                plan.fields[name] = value
        facts = checked.fields.get("facts")
        if facts is not None and facts != (rating.facts or {}):
            labels = {f.name: f.label for f in fact_fields_of(rating)}
            before = rating.facts or {}
            for key in labels:
                if before.get(key) != facts.get(key):
                    plan.changes[labels[key]] = (before.get(key), facts.get(key))
            plan.fields["facts"] = facts
    return planned, stored


def _apply(actor, plans: list[_Planned]) -> list:
    """Write planned changes: a few bulk statements whatever the number of ratings; return their
    audit entries (recorded by the caller, last)."""
    create = [s for p in plans for s in p.create]
    update = [s for p in plans for s in p.update]
    delete = [pk for p in plans for pk in p.delete]
    CriterionScore.objects.bulk_create(create)
    update_rows(CriterionScore, update, ("points", "quality", "achieved", "plan"))
    if delete:
        CriterionScore.objects.filter(pk__in=delete).delete()
    by_fields: dict[tuple, list[Rating]] = {}
    for plan in plans:
        for name, value in plan.fields.items():
            setattr(plan.rating, name, value)
        if plan.fields:
            by_fields.setdefault(tuple(sorted(plan.fields)), []).append(plan.rating)
    for fields, ratings in by_fields.items():
        update_rows(Rating, ratings, fields)
    return [audit_entry(actor=actor, action="rating.scores", obj=p.rating, changes=p.changes) for p in plans]
