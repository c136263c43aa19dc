"""The one framework validator: structure, points, codes, thresholds, shares and caps [issue 6].

Every path that makes or changes a framework calls it: the service, the forms, the XLSX import,
the loader and `compile_framework`. Two entry points, one set of rules:

- `framework_problems(settings, rows, caps)` checks the flat rows the editor, the workbook and
  the database hold, each message naming its row (`CriterionRow.where`) or field;
- `validate_framework(spec)` checks a tree built in code (samples, tests, benchmarks).

`build_framework` turns checked rows into the engine's `FrameworkSpec`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from vnformat import fmt_number, fmt_percent

from .defaults import CONDITION_NAMES, condition_codes, default_quota, default_thresholds
from .framework import (
    GROUP,
    ROUNDINGS,
    SETTING_LABELS,
    CapRow,
    ConditionCap,
    CriterionRow,
    CriterionSpec,
    FrameworkSettings,
    FrameworkSpec,
    GroupSpec,
    QuotaSettings,
    Thresholds,
)
from .levels import AxisRole, Level, ResultAxis, ScoringKind, SubjectType
from .reasons import FrameworkError
from .scoring import hundredths

ZERO = Decimal(0)
_KINDS = {GROUP, *(kind.value for kind in ScoringKind)}
_SUBJECT_TYPES = {t.value: t for t in SubjectType}
_LEVEL_CODES = {level.code: level for level in Level}
_AXIS_ROLES = {role.value: role for role in AxisRole}


def _gap(actual: Decimal, expected: Decimal) -> str:
    diff = expected - actual
    return f"thiếu {fmt_number(diff)} điểm" if diff > 0 else f"thừa {fmt_number(-diff)} điểm"


def _say(where: str, text: str) -> str:
    """A message naming where the problem is ("Dòng 3: …"), or a sentence of its own."""
    return f"{where}: {text}" if where else text[:1].upper() + text[1:]


# ---------------------------------------------------------------- settings


def _threshold_problems(excellent: Decimal, good: Decimal, passing: Decimal, total: Decimal) -> list[str]:
    """Thresholds rise and stay within the total; points have at most two decimals [002 §4; 003 C.I.2]."""
    problems = []
    if not (ZERO < passing < good < excellent <= total):
        problems.append(
            f"Ngưỡng điểm phải tăng dần và không vượt {fmt_number(total)}: HTNV {fmt_number(passing)}, "
            f"HTTNV {fmt_number(good)}, HTXSNV {fmt_number(excellent)}."
        )
    if any(hundredths(value) is None for value in (excellent, good, passing)):
        problems.append("Ngưỡng điểm có tối đa hai chữ số thập phân.")
    return problems


def _share_problems(values: dict[str, Decimal]) -> list[str]:
    """Shares lie in 0–100 %; the quota share is above 0 [002 §4.1; 003 C.II.2]."""
    problems = []
    for name, value in values.items():
        low_ok = value > 0 if name == "quota_share" else value >= 0
        if not (value.is_finite() and low_ok and value <= 1):
            bound = "trên 0% đến 100%" if name == "quota_share" else "từ 0% đến 100%"
            shown = fmt_percent(value) if value.is_finite() else str(value)
            problems.append(f"«{SETTING_LABELS[name]}» phải {bound} (đang là {shown}).")
    return problems


def settings_problems(settings: FrameworkSettings) -> list[str]:
    """Check a framework's settings: subject type, total, thresholds, shares, quota; Vietnamese, naming the field."""
    problems = []
    if settings.subject_type not in _SUBJECT_TYPES:
        problems.append(f"Đối tượng «{settings.subject_type}» không hợp lệ.")
    total = settings.total_points
    if not (total.is_finite() and total > 0 and hundredths(total) is not None):
        problems.append(f"«{SETTING_LABELS['total_points']}» phải lớn hơn 0, tối đa hai chữ số thập phân.")
    else:
        problems += _threshold_problems(
            settings.threshold_excellent, settings.threshold_good, settings.threshold_pass, total
        )
    problems += _share_problems({
        "exceeded_share": settings.exceeded_share,
        "short_share_max": settings.short_share_max,
        "quota_share": settings.quota_share,
    })
    if settings.quota_base_level not in _LEVEL_CODES:
        problems.append(f"Mức tính tỷ lệ «{settings.quota_base_level}» không hợp lệ.")
    if settings.quota_rounding not in ROUNDINGS:
        problems.append(f"Cách làm tròn «{settings.quota_rounding}» không hợp lệ.")
    if settings.small_group_size < 0:
        problems.append(f"«{SETTING_LABELS['small_group_size']}» không được âm.")
    return problems


# ---------------------------------------------------------------- criteria rows


def _row_problems(rows: list[CriterionRow]) -> list[str]:
    """Each row alone: code, title, points, kind, axis [000 §2.2; 002 II.1.5]."""
    problems: list[str] = []
    seen: dict[str, CriterionRow] = {}
    for row in rows:
        where = row.where
        if not row.code:
            problems.append(_say(where, "chưa nhập mã tiêu chí."))
            continue
        if row.code in seen:
            problems.append(_say(where, f"mã «{row.code}» bị trùng (đã có ở {seen[row.code].where or 'dòng trước'})."))
            continue
        seen[row.code] = row
        if not row.title.strip():
            problems.append(_say(where, f"tiêu chí «{row.code}» chưa có nội dung."))
        problems += _points_problems(where, row.code, row.max_points)
        if row.kind not in _KINDS:
            problems.append(_say(where, f"tiêu chí «{row.code}»: loại «{row.kind}» không hợp lệ."))
        if row.axis is not None and row.axis not in {axis.value for axis in ResultAxis}:
            problems.append(_say(where, f"tiêu chí «{row.code}»: trục kết quả phải từ 1 đến 6."))
        if row.axis_weight and row.axis_weight not in _AXIS_ROLES:
            problems.append(_say(where, f"tiêu chí «{row.code}»: vai trò trục «{row.axis_weight}» không hợp lệ."))
        if row.axis_weight and row.axis is None:
            problems.append(_say(where, f"tiêu chí «{row.code}»: có vai trò trục nhưng chưa chọn trục kết quả."))
    return problems


def _points_problems(where: str, code: str, points: Decimal | None) -> list[str]:
    """Maximum points are above 0 with at most two decimals."""
    if points is None or not points.is_finite() or points <= 0:
        return [_say(where, f"tiêu chí «{code}»: điểm tối đa phải lớn hơn 0.")]
    if hundredths(points) is None:
        return [_say(where, f"tiêu chí «{code}»: điểm tối đa {fmt_number(points)} có quá hai chữ số thập phân.")]
    return []


def _tree_problems(rows: list[CriterionRow]) -> list[str]:
    """Parents exist, are groups, and form no loop; the top level holds groups only."""
    by_code = {row.code: row for row in rows}
    problems = []
    for row in rows:
        where = row.where
        if not row.parent_code:
            if row.kind != GROUP:
                problems.append(_say(where, f"«{row.code}» ở cấp cao nhất phải là nhóm tiêu chí."))
            continue
        parent = by_code.get(row.parent_code)
        if parent is None:
            problems.append(_say(where, f"tiêu chí «{row.code}»: không có nhóm mã «{row.parent_code}»."))
        elif parent.kind != GROUP:
            problems.append(_say(where, f"tiêu chí «{row.code}»: «{row.parent_code}» không phải là nhóm tiêu chí."))
        elif _in_loop(row, by_code):
            problems.append(_say(where, f"tiêu chí «{row.code}» nằm trong vòng lặp nhóm cha – con."))
    return problems


def _in_loop(row: CriterionRow, by_code: dict[str, CriterionRow]) -> bool:
    seen = {row.code}
    current = row
    while current is not None and current.parent_code:
        if current.parent_code in seen:
            return True
        seen.add(current.parent_code)
        current = by_code.get(current.parent_code)
    return False


# ---------------------------------------------------------------- caps


def _cap_problems(subject_type: SubjectType, caps: Iterable[tuple[str, str]]) -> list[str]:
    """Each (condition code, where): a condition the engine checks for the subject type, at most once."""
    known = condition_codes(subject_type)
    problems, seen = [], set()
    for code, where in caps:
        if code not in known:
            problems.append(_say(where, f"điều kiện «{_named(code)}» không áp dụng cho {subject_type.label}."))
        elif code in seen:
            problems.append(_say(where, f"điều kiện «{_named(code)}» bị trùng."))
        seen.add(code)
    return problems


def _named(code: str) -> str:
    """A condition by its Vietnamese name; an unknown code as it was given."""
    return CONDITION_NAMES.get(code, code)


def cap_row_problems(subject_type: str, caps: list[CapRow]) -> list[str]:
    """Check condition cap rows: known, once each, a valid level, a reason [DOMAIN §6]."""
    kind = _SUBJECT_TYPES.get(subject_type)
    if kind is None:
        return [f"Đối tượng «{subject_type}» không hợp lệ."]
    problems = _cap_problems(kind, ((cap.condition, cap.where) for cap in caps))
    for cap in caps:
        where = cap.where
        if cap.max_level and cap.max_level not in _LEVEL_CODES:
            problems.append(_say(where, f"mức «{cap.max_level}» không hợp lệ."))
        if not cap.reason.strip():
            problems.append(_say(where, f"điều kiện «{_named(cap.condition)}» chưa có lý do."))
    return problems


# ---------------------------------------------------------------- the tree


def validate_framework(spec: FrameworkSpec) -> list[str]:
    """Check a framework tree: codes, points and totals, axes, thresholds, shares, caps [000 §2.2; 004 IV.2]."""
    problems: list[str] = []
    seen: set[str] = set()
    for group in spec.groups:
        _group_problems(group, problems, seen)
    top = sum((group.max_points for group in spec.groups), ZERO)
    if top != spec.total_points:
        problems.append(
            f"Tổng điểm tối đa là {fmt_number(top)}, {_gap(top, spec.total_points)} so với "
            f"{fmt_number(spec.total_points)}."
        )
    problems += _axis_problems(spec)
    t = spec.thresholds
    problems += _threshold_problems(t.excellent, t.good, t.passing, spec.total_points)
    problems += _share_problems({
        "exceeded_share": spec.exceeded_share,
        "short_share_max": spec.short_share_max,
        "quota_share": spec.quota.share,
    })
    if spec.quota.small_group_size < 0:
        problems.append(f"«{SETTING_LABELS['small_group_size']}» không được âm.")
    if spec.quota.rounding not in ROUNDINGS:
        problems.append(f"Cách làm tròn «{spec.quota.rounding}» không hợp lệ.")
    problems += _cap_problems(spec.subject_type, ((cap.code, "") for cap in spec.caps))
    return problems


def _code_problem(code: str, seen: set[str]) -> list[str]:
    if not code.strip():
        return ["Có nhóm hoặc tiêu chí chưa có mã."]
    if code in seen:
        return [f"Mã «{code}» bị trùng trong khung tiêu chí."]
    seen.add(code)
    return []


def _group_problems(group: GroupSpec, problems: list[str], seen: set[str]) -> None:
    problems += _code_problem(group.code, seen)
    if not group.children:
        problems.append(f"Nhóm «{group.code}» chưa có tiêu chí nào.")
        return
    for child in group.children:
        if isinstance(child, GroupSpec):
            _group_problems(child, problems, seen)
        else:
            problems += _code_problem(child.code, seen)
            problems += _points_problems("", child.code, child.max_points)
            if child.axis_role is not None and child.axis is None:
                problems.append(f"Tiêu chí «{child.code}»: có vai trò trục nhưng chưa chọn trục kết quả.")
    subtotal = sum((child.max_points for child in group.children), ZERO)
    if subtotal != group.max_points and (group.children_sum_exact or subtotal > group.max_points):
        problems.append(
            f"Nhóm «{group.code}»: tổng điểm các tiêu chí con là {fmt_number(subtotal)}, "
            f"{_gap(subtotal, group.max_points)} so với {fmt_number(group.max_points)} điểm của nhóm."
        )


def _axis_problems(spec: FrameworkSpec) -> list[str]:
    """Primary result axes weigh more than secondary ones [002 II.1.5]."""
    primary = sum((c.max_points for c in spec.criteria() if c.axis_role is AxisRole.PRIMARY), ZERO)
    secondary = sum((c.max_points for c in spec.criteria() if c.axis_role is AxisRole.SECONDARY), ZERO)
    if primary and secondary and primary <= secondary:
        return [
            f"Tổng điểm các trục kết quả chính ({fmt_number(primary)}) phải cao hơn các trục "
            f"kết quả phụ ({fmt_number(secondary)}) [002 II.1.5]."
        ]
    return []


# ---------------------------------------------------------------- rows → tree


def framework_problems(settings: FrameworkSettings, rows: list[CriterionRow], caps: list[CapRow]) -> list[str]:
    """Check a framework given as rows, everything at once; each message names its row or field.

    Settings first, then each row and the tree's shape, then the caps; when all of those hold,
    the tree's totals, axes and the rest (`validate_framework`).
    """
    problems = settings_problems(settings)
    if problems:
        return problems
    problems = _row_problems(rows)
    if not problems:
        problems = _tree_problems(rows)
    problems += cap_row_problems(settings.subject_type, caps)
    if problems:
        return problems
    return validate_framework(_build(settings, rows, caps))


def build_framework(settings: FrameworkSettings, rows: list[CriterionRow], caps: list[CapRow]) -> FrameworkSpec:
    """Check rows and build the engine's FrameworkSpec from them; FrameworkError lists every problem.

    Disabled caps are left out: a condition that is off is not checked.
    """
    problems = framework_problems(settings, rows, caps)
    if problems:
        raise FrameworkError(problems)
    return _build(settings, rows, caps)


def _build(settings: FrameworkSettings, rows: list[CriterionRow], caps: list[CapRow]) -> FrameworkSpec:
    children: dict[str, list[CriterionRow]] = defaultdict(list)
    for row in rows:
        children[row.parent_code].append(row)

    def node(row: CriterionRow) -> GroupSpec | CriterionSpec:
        if row.kind == GROUP:
            return GroupSpec(row.code, row.title, row.max_points, tuple(node(c) for c in children.get(row.code, ())))
        return CriterionSpec(
            code=row.code,
            title=row.title,
            max_points=row.max_points,
            kind=ScoringKind(row.kind),
            key=row.is_key,
            axis=ResultAxis(row.axis) if row.axis else None,
            axis_role=AxisRole(row.axis_weight) if row.axis_weight else None,
        )

    subject_type = _SUBJECT_TYPES[settings.subject_type]
    return FrameworkSpec(
        code=settings.code,
        title=settings.name,
        subject_type=subject_type,
        groups=tuple(node(row) for row in children.get("", ())),
        # The numbers are the framework's; the rule they stand for is the subject type's.
        thresholds=Thresholds(
            settings.threshold_excellent, settings.threshold_good, settings.threshold_pass,
            default_thresholds(subject_type).source,
        ),
        caps=tuple(
            ConditionCap(
                cap.condition, _LEVEL_CODES[cap.max_level] if cap.max_level else None,
                cap.reason, cap.source, cap.step_down,
            )
            for cap in caps
            if cap.enabled
        ),
        exceeded_share=settings.exceeded_share,
        short_share_max=settings.short_share_max,
        quota=quota_settings(settings),
        total_points=settings.total_points,
    )


def quota_settings(settings: FrameworkSettings) -> QuotaSettings:
    """The quota part of a framework's settings, with the source of its subject type's rule [002 §4.1; 003 C.IV.10].

    Checked by `settings_problems` first; usable without the criteria (the quota trial).
    """
    problems = settings_problems(settings)
    if problems:
        raise FrameworkError(problems)
    return QuotaSettings(
        share=settings.quota_share,
        base_min_level=_LEVEL_CODES[settings.quota_base_level],
        small_group_size=settings.small_group_size,
        small_group_requires_all=settings.small_group_requires_all,
        rounding=settings.quota_rounding,
        source=default_quota(_SUBJECT_TYPES[settings.subject_type]).source,
    )
