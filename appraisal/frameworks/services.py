"""The only writers of criteria frameworks: settings, criteria, caps, copies and imports.

Every function checks permission, refuses bad input with a Vietnamese message naming what is
wrong and where, writes all-or-nothing, detects concurrent edits (version) and audits the change.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from appraisal.frameworks import selectors as queries
from appraisal.frameworks.defaults import default_cap_rows
from appraisal.models import ConditionCap, Criterion, Framework, FrameworkStatus
from appraisal.rules import (
    CapRow,
    CriterionRow,
    FrameworkSettings,
    cap_row_problems,
    framework_problems,
    settings_problems,
)
from core.audit import record_change
from core.scope import scope_for
from core.services import claim_versions

CONFLICT_MESSAGE = (
    "Khung tiêu chí đã được người khác sửa trong lúc đồng chí đang sửa (phiên bản {expected} → "
    "{actual}). Hãy tải lại trang để xem nội dung mới rồi sửa lại."
)
FROZEN_MESSAGE = (
    "Khung tiêu chí «{name}» đã được dùng cho kết quả xếp loại đã quyết định nên không được sửa. "
    "Hãy bấm «Sao chép để sửa» và sửa trên bản sao."
)


# ---------------------------------------------------------------- permission and guards


def _require_staff(actor) -> None:
    """Only party-building staff (Ban Xây dựng Đảng) or an administrator change frameworks."""
    if actor is None or not scope_for(actor).is_staff_member:
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng được sửa khung tiêu chí.")


def _ensure_not_frozen(framework: Framework) -> None:
    if queries.is_frozen(framework):
        raise ValidationError(FROZEN_MESSAGE.format(name=framework.name))


def _bump_version(framework: Framework, expected_version: int | None) -> None:
    """Claim the next version, or refuse if someone else saved since the form was loaded."""
    expected = framework.version if expected_version is None else expected_version
    if claim_versions(Framework, [(framework, expected)], edited_by_staff=True, updated_at=timezone.now()):
        actual = Framework.objects.filter(pk=framework.pk).values_list("version", flat=True).first()
        raise ValidationError(CONFLICT_MESSAGE.format(expected=expected, actual=actual))


# ---------------------------------------------------------------- validation: the engine's, once


def _refuse(problems: list[str]) -> None:
    """Refuse a change the engine's framework validator found problems with (nothing is written)."""
    if problems:
        raise ValidationError(problems)


def _edit(
    *, actor, framework: Framework, expected_version: int, action: str,
    problems: Callable[[], list[str]], write: Callable[[], dict],
) -> Framework:
    """Refuse a change by a non-staff actor, to a frozen framework, with `problems()`, or on a stale
    version; otherwise run `write()` and audit the changes it returns as `action`."""
    _require_staff(actor)
    _ensure_not_frozen(framework)
    _refuse(problems())
    _bump_version(framework, expected_version)
    record_change(actor=actor, action=action, obj=framework, changes=write())
    return framework


# ---------------------------------------------------------------- writes


def _write_criteria(framework: Framework, rows: list[CriterionRow]) -> dict:
    """Make the framework's criteria equal `rows`, keyed on code; return what changed."""
    existing = {c.code: c for c in framework.criteria.all()}
    code_by_id = {c.pk: c.code for c in existing.values()}
    wanted = {row.code for row in rows}
    removed = [code for code in existing if code not in wanted]
    if removed:
        used = set(
            Criterion.objects.filter(framework=framework, code__in=removed, scores__isnull=False)
            .values_list("code", flat=True)
        )
        if used:
            raise ValidationError(
                f"Không xóa được tiêu chí {', '.join(sorted(used))}: đã có điểm chấm theo tiêu chí này."
            )
        Criterion.objects.filter(framework=framework, code__in=removed).delete()
    saved: dict[str, Criterion] = {}
    added, changed = [], []
    for order, row in enumerate(rows, start=1):
        criterion = existing.get(row.code)
        if criterion is None:
            criterion = Criterion(framework=framework, code=row.code)
            added.append(row.code)
        criterion.order = order
        saved[row.code] = criterion
    for row in rows:
        criterion = saved[row.code]
        values = queries.stored_values(row, queries.CRITERION_FIELDS)
        old_parent = code_by_id.get(criterion.parent_id, "")
        if criterion.pk and (
            old_parent != row.parent_code or any(getattr(criterion, k) != v for k, v in values.items())
        ):
            changed.append(row.code)
        for key, value in values.items():
            setattr(criterion, key, value)
        criterion.parent = saved[row.parent_code] if row.parent_code else None
    for criterion in _parents_first(list(saved.values())):
        criterion.save()
    return {
        key: ", ".join(codes)
        for key, codes in (("added", added), ("changed", changed), ("removed", removed))
        if codes
    }


def _parents_first(criteria: list[Criterion]) -> list[Criterion]:
    placed: set[str] = set()
    ordered: list[Criterion] = []
    pending = list(criteria)
    while pending:
        rest = []
        for c in pending:
            if c.parent is None or c.parent.code in placed:
                ordered.append(c)
                placed.add(c.code)
            else:
                rest.append(c)
        if len(rest) == len(pending):  # cannot happen after framework_problems
            raise ValidationError("Cây tiêu chí có vòng lặp nhóm cha – con.")
        pending = rest
    return ordered


def _write_caps(framework: Framework, caps: list[CapRow]) -> None:
    framework.caps.all().delete()
    ConditionCap.objects.bulk_create(
        ConditionCap(framework=framework, order=order, **queries.stored_values(cap, queries.CAP_FIELDS))
        for order, cap in enumerate(caps, start=1)
    )


def _replace_caps(framework: Framework, caps: list[CapRow]) -> dict:
    """Make the framework's condition caps equal `caps`; return what changed."""
    before = {c.condition: (c.max_level, c.enabled) for c in framework.caps.all()}
    _write_caps(framework, caps)
    after = {c.condition: (c.max_level, c.enabled) for c in caps}
    return {code: (str(before.get(code)), str(value)) for code, value in after.items() if before.get(code) != value}


@transaction.atomic
def framework_create(*, actor, settings: FrameworkSettings) -> Framework:
    """Create an empty draft framework with the subject type's default condition caps."""
    _require_staff(actor)
    _refuse(settings_problems(settings))
    framework = _new_draft(settings)
    _write_caps(framework, default_cap_rows(settings.subject_type))
    record_change(actor=actor, action="framework.create", obj=framework, changes={"code": framework.code})
    return framework


def _new_draft(settings: FrameworkSettings, copied_from: Framework | None = None) -> Framework:
    """Save a new draft framework edited by staff with `settings` (its code must be unused)."""
    framework = Framework(**queries.stored_values(settings, queries.SETTINGS_FIELDS))
    framework.copied_from = copied_from
    framework.status = FrameworkStatus.DRAFT
    framework.edited_by_staff = True
    _save_unique(framework)
    return framework


def _save_unique(framework: Framework) -> None:
    if Framework.objects.filter(code=framework.code).exclude(pk=framework.pk).exists():
        raise ValidationError(f"Mã khung tiêu chí «{framework.code}» đã được dùng.")
    try:
        with transaction.atomic():
            framework.save()
    except IntegrityError as exc:
        raise ValidationError(f"Mã khung tiêu chí «{framework.code}» đã được dùng.") from exc


def _write_settings(framework: Framework, settings: FrameworkSettings) -> dict:
    """Copy `settings` onto the framework and save it; return what changed."""
    changes = {}
    for field in queries.SETTINGS_FIELDS:
        old, new = getattr(framework, field), getattr(settings, field)
        if old != new:
            changes[field] = (old, new)
            setattr(framework, field, new)
    _save_unique(framework)
    return changes


def _settings_change_problems(framework: Framework, settings: FrameworkSettings) -> list[str]:
    errors = settings_problems(settings)
    if not errors and settings.subject_type != framework.subject_type:
        errors.append("Không được đổi đối tượng của khung tiêu chí; hãy tạo khung mới.")
    if not errors and framework.status == FrameworkStatus.ACTIVE:
        errors = framework_problems(settings, queries.criterion_rows(framework), queries.cap_rows(framework))
    return errors


@transaction.atomic
def framework_update_settings(
    *, actor, framework: Framework, expected_version: int, settings: FrameworkSettings
) -> Framework:
    """Change a framework's name, year and rating settings (not allowed once it is frozen)."""
    return _edit(
        actor=actor, framework=framework, expected_version=expected_version, action="framework.update_settings",
        problems=lambda: _settings_change_problems(framework, settings),
        write=lambda: _write_settings(framework, settings),
    )


@transaction.atomic
def framework_save_criteria(
    *, actor, framework: Framework, expected_version: int, rows: list[CriterionRow]
) -> Framework:
    """Replace the criteria tree with `rows` (all-or-nothing); refuse totals other than the framework's total."""
    return _edit(
        actor=actor, framework=framework, expected_version=expected_version, action="framework.save_criteria",
        problems=lambda: framework_problems(queries.settings_of(framework), rows, queries.cap_rows(framework)),
        write=lambda: _write_criteria(framework, rows),
    )


@transaction.atomic
def framework_save_caps(
    *, actor, framework: Framework, expected_version: int, caps: list[CapRow]
) -> Framework:
    """Replace the framework's condition caps (all-or-nothing)."""
    return _edit(
        actor=actor, framework=framework, expected_version=expected_version, action="framework.save_caps",
        problems=lambda: cap_row_problems(framework.subject_type, caps),
        write=lambda: _replace_caps(framework, caps),
    )


@transaction.atomic
def framework_copy(*, actor, framework: Framework, code: str, name: str, year: int) -> Framework:
    """Copy a framework (settings, criteria, caps) into a new editable draft."""
    _require_staff(actor)
    settings = replace(queries.settings_of(framework), code=code.strip(), name=name.strip(), year=year)
    copy = _new_draft(settings, copied_from=framework)
    _write_criteria(copy, queries.criterion_rows(framework))
    _write_caps(copy, queries.cap_rows(framework))
    record_change(actor=actor, action="framework.copy", obj=copy, changes={"copied_from": framework.code})
    return copy


@transaction.atomic
def framework_activate(*, actor, framework: Framework, expected_version: int) -> Framework:
    """Put a valid framework into use; others of the same subject type and year become drafts."""
    _require_staff(actor)
    _refuse(queries.framework_problems_of(framework))
    _bump_version(framework, expected_version)
    others = Framework.objects.filter(
        subject_type=framework.subject_type, year=framework.year, status=FrameworkStatus.ACTIVE
    ).exclude(pk=framework.pk)
    for other in others:
        other.status = FrameworkStatus.DRAFT
        other.save(update_fields=["status"])
        record_change(actor=actor, action="framework.deactivate", obj=other, changes={"replaced_by": framework.code})
    framework.status = FrameworkStatus.ACTIVE
    framework.save(update_fields=["status"])
    record_change(actor=actor, action="framework.activate", obj=framework, changes={"status": "active"})
    return framework


@transaction.atomic
def framework_import(
    *, actor, settings: FrameworkSettings, rows: list[CriterionRow], caps: list[CapRow]
) -> Framework:
    """Create a new draft framework from imported rows; everything is checked first."""
    _require_staff(actor)
    _refuse(framework_problems(settings, rows, caps))
    framework = _new_draft(settings)
    _write_criteria(framework, rows)
    _write_caps(framework, caps)
    record_change(actor=actor, action="framework.import", obj=framework, changes={"criteria": len(rows)})
    return framework


def install_default_framework(
    *, settings: FrameworkSettings, rows: list[CriterionRow], caps: list[CapRow], digest: str,
    existing: Framework | None,
) -> Framework:
    """Create or refresh one default framework (used by `load_frameworks`; the caller decides)."""
    errors = framework_problems(settings, rows, caps)
    if errors:
        raise ValidationError([f"{settings.code}: {e}" for e in errors])
    with transaction.atomic():
        framework = existing or Framework()
        for field, value in queries.stored_values(settings, queries.SETTINGS_FIELDS).items():
            setattr(framework, field, value)
        if existing is None:
            framework.status = FrameworkStatus.ACTIVE
        else:
            framework.version += 1
        framework.defaults_digest = digest
        framework.save()
        _write_criteria(framework, rows)
        _write_caps(framework, caps)
        record_change(
            actor=None,
            action="framework.load_default" if existing is None else "framework.refresh_default",
            obj=framework,
            changes={"digest": digest},
        )
    return framework
