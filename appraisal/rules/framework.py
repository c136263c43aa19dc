"""Framework specification: criteria tree, thresholds, condition caps, quota settings.

All of these are data edited by staff; the engine only reads them [DOMAIN §5; STYLE].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ._text import fmt_number, fmt_percent
from .levels import AxisRole, Level, ResultAxis, ScoringKind, SubjectType

ZERO = Decimal(0)
HUNDRED = Decimal(100)
BAND_EXCELLENT = Decimal("0.85")
BAND_GOOD = Decimal("0.70")
BAND_AVERAGE = Decimal("0.50")


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """One scored criterion (tiêu chí) with its maximum points (điểm chuẩn)."""

    code: str
    title: str
    max_points: Decimal
    kind: ScoringKind = ScoringKind.QUALITATIVE
    key: bool = False
    axis: ResultAxis | None = None
    axis_role: AxisRole | None = None


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """A group of criteria (nhóm tiêu chí); children are criteria or groups."""

    code: str
    title: str
    max_points: Decimal
    children: tuple[GroupSpec | CriterionSpec, ...]
    children_sum_exact: bool = True


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Minimum totals for HTXSNV / HTTNV / HTNV; below `passing` is KHTNV."""

    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(70)
    passing: Decimal = Decimal(50)
    source: str = "[002 §4.1–4.4; 004 IV.2]"


@dataclass(frozen=True, slots=True)
class ConditionCap:
    """A condition code → the highest level allowed when it applies.

    `level=None` caps at the level of a related subject (the collective a head leads,
    the organisation of a committee). `step_down=True` also lowers one level below the
    score's level (003 C.I.2.3–2.4: ≥ 70 points ⇒ HTNV, 50–70 points ⇒ KHTNV).
    `reason` is a Vietnamese template filled with the condition's figures.
    """

    code: str
    level: Level | None
    reason: str
    source: str
    step_down: bool = False

    def cap_for(self, score_level: Level, related: Level | None = None) -> Level:
        """Return the highest level this cap allows for a subject at `score_level`."""
        cap = self.level if self.level is not None else related
        if cap is None:
            cap = Level.EXCELLENT
        if self.step_down and score_level > Level.FAIL:
            cap = min(cap, Level(score_level - 1))
        return cap


@dataclass(frozen=True, slots=True)
class QuotaSettings:
    """HTXSNV quota within a peer group [002 §4.1; 003 C.I.2.1, C.II.2.1, C.IV.10].

    The small-group rule has two readings: `small_group_requires_all=True` is 002 §4.1
    ("dưới 05 cán bộ ... và có 100% xếp loại HTTNV": fewer than 5 in the group, all HTTNV
    or above); `False` is 003 C.IV.10 ("dưới 05 ... xếp loại HTTNV": fewer than 5 rated HTTNV
    or above, whatever the group's size). Either way the group gets at least 1 seat.
    """

    share: Decimal = Decimal("0.2")
    base_min_level: Level = Level.GOOD
    small_group_size: int = 5
    small_group_requires_all: bool = True
    rounding: str = ROUND_HALF_UP
    source: str = "[002 §4.1; 003 C.IV.10]"


@dataclass(frozen=True)
class FrameworkSpec:
    """A criteria framework (khung tiêu chí, biểu điểm) for one subject type.

    Missing thresholds, caps, exceeded share and quota settings are filled with the
    defaults of the subject type (see `appraisal.rules.defaults`).
    """

    code: str
    title: str
    subject_type: SubjectType
    groups: tuple[GroupSpec, ...]
    thresholds: Thresholds | None = None
    caps: tuple[ConditionCap, ...] | None = None
    exceeded_share: Decimal | None = None
    short_share_max: Decimal = Decimal("0.2")
    quota: QuotaSettings | None = None
    total_points: Decimal = HUNDRED
    _leaves: tuple = field(init=False, repr=False, compare=False, default=())
    _caps: dict = field(init=False, repr=False, compare=False, default_factory=dict)
    _score_texts: dict = field(init=False, repr=False, compare=False, default_factory=dict)
    _codes: tuple = field(init=False, repr=False, compare=False, default=())
    _score_reasons: dict = field(init=False, repr=False, compare=False, default_factory=dict)
    _codes_set: frozenset = field(init=False, repr=False, compare=False, default=frozenset())
    _key_flags: tuple = field(init=False, repr=False, compare=False, default=())
    _key_count: int = field(init=False, repr=False, compare=False, default=0)
    _in_order_ok: bool = field(init=False, repr=False, compare=False, default=True)
    _quoted_codes: tuple = field(init=False, repr=False, compare=False, default=())
    _conditions: tuple = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        from . import defaults
        from .conditions import compile_caps

        if self.thresholds is None:
            object.__setattr__(self, "thresholds", defaults.default_thresholds(self.subject_type))
        if self.caps is None:
            object.__setattr__(self, "caps", defaults.default_caps(self.subject_type))
        if self.exceeded_share is None:
            share = defaults.default_exceeded_share(self.subject_type)
            object.__setattr__(self, "exceeded_share", share)
        if self.quota is None:
            object.__setattr__(self, "quota", defaults.default_quota(self.subject_type))
        object.__setattr__(self, "_caps", {cap.code: cap for cap in self.caps})
        object.__setattr__(self, "_leaves", tuple(_compile_leaf(c) for c in self.criteria()))
        object.__setattr__(self, "_score_texts", _score_texts(self.thresholds))
        object.__setattr__(self, "_codes", tuple(leaf[0] for leaf in self._leaves))
        object.__setattr__(self, "_codes_set", frozenset(self._codes))
        object.__setattr__(self, "_key_flags", tuple(leaf[3] for leaf in self._leaves))
        object.__setattr__(self, "_key_count", sum(self._key_flags))
        # The scoring fast path needs unique codes and positive maximum points (see scoring).
        fast = len(self._codes_set) == len(self._codes) and all(_positive(leaf[1]) for leaf in self._leaves)
        object.__setattr__(self, "_in_order_ok", fast)
        object.__setattr__(self, "_quoted_codes", tuple(f"«{code}»" for code in self._codes))
        # Per score level, the caps that can lower it: checked in this order for every subject.
        object.__setattr__(self, "_conditions", compile_caps(self))

    def criteria(self) -> tuple[CriterionSpec, ...]:
        """Return the leaf criteria in framework order."""
        return tuple(_walk_criteria(self.groups))

    def cap(self, code: str) -> ConditionCap | None:
        """Return the cap configured for a condition code, or None if disabled."""
        return self._caps.get(code)


def _walk_criteria(nodes):
    for node in nodes:
        if isinstance(node, GroupSpec):
            yield from _walk_criteria(node.children)
        else:
            yield node


def _compile_leaf(spec: CriterionSpec) -> tuple:
    mx = spec.max_points
    return (
        spec.code,
        mx,
        spec.kind is ScoringKind.QUANTITATIVE,
        spec.key,
        mx * BAND_EXCELLENT,
        mx * BAND_GOOD,
        mx * BAND_AVERAGE,
    )


def _positive(value) -> bool:
    try:
        return value > 0
    except (TypeError, ArithmeticError):
        return False


def _score_texts(t: Thresholds) -> dict[Level, str]:
    exc, good, passing = fmt_number(t.excellent), fmt_number(t.good), fmt_number(t.passing)
    return {
        Level.EXCELLENT: f"từ {exc} điểm trở lên",
        Level.GOOD: f"từ {good} đến dưới {exc} điểm",
        Level.PASS: f"từ {passing} đến dưới {good} điểm",
        Level.FAIL: f"dưới {passing} điểm",
    }


def _difference(actual: Decimal, expected: Decimal) -> str:
    gap = expected - actual
    return f"thiếu {fmt_number(gap)}" if gap > 0 else f"thừa {fmt_number(-gap)}"


def validate_framework(spec: FrameworkSpec) -> list[str]:
    """Check a framework's points, codes, thresholds and settings; return Vietnamese errors [000 §2.2; 004 IV.2]."""
    errors: list[str] = []
    top = sum((g.max_points for g in spec.groups), ZERO)
    if top != spec.total_points:
        errors.append(
            f"Tổng điểm tối đa của khung tiêu chí là {fmt_number(top)}, phải đúng "
            f"{fmt_number(spec.total_points)} ({_difference(top, spec.total_points)})."
        )
    seen: set[str] = set()
    for group in spec.groups:
        _validate_group(group, errors, seen)
    errors.extend(_validate_axes(spec))
    errors.extend(_validate_thresholds(spec))
    errors.extend(_validate_settings(spec))
    return errors


def _check_code(code: str, errors: list[str], seen: set[str]) -> None:
    if not code.strip():
        errors.append("Có nhóm hoặc tiêu chí chưa có mã.")
    elif code in seen:
        errors.append(f"Mã «{code}» bị trùng trong khung tiêu chí.")
    seen.add(code)


def _validate_group(group: GroupSpec, errors: list[str], seen: set[str]) -> None:
    _check_code(group.code, errors, seen)
    if not group.children:
        errors.append(f"Nhóm «{group.code}» chưa có tiêu chí nào.")
        return
    total = ZERO
    for child in group.children:
        if isinstance(child, GroupSpec):
            _validate_group(child, errors, seen)
        else:
            _check_code(child.code, errors, seen)
            if child.max_points <= 0:
                errors.append(f"Tiêu chí «{child.code}»: điểm tối đa phải lớn hơn 0.")
            if child.axis_role is not None and child.axis is None:
                errors.append(f"Tiêu chí «{child.code}»: có vai trò trục kết quả nhưng chưa chọn trục.")
        total += child.max_points
    if group.children_sum_exact and total != group.max_points:
        errors.append(
            f"Nhóm «{group.code}»: tổng điểm các tiêu chí là {fmt_number(total)}, phải bằng "
            f"{fmt_number(group.max_points)} điểm của nhóm ({_difference(total, group.max_points)})."
        )
    elif total > group.max_points:
        errors.append(
            f"Nhóm «{group.code}»: tổng điểm các tiêu chí là {fmt_number(total)}, vượt "
            f"{fmt_number(group.max_points)} điểm của nhóm (thừa {fmt_number(total - group.max_points)})."
        )


def _validate_axes(spec: FrameworkSpec) -> list[str]:
    primary = secondary = ZERO
    for criterion in spec.criteria():
        if criterion.axis_role is AxisRole.PRIMARY:
            primary += criterion.max_points
        elif criterion.axis_role is AxisRole.SECONDARY:
            secondary += criterion.max_points
    if primary and secondary and primary <= secondary:
        return [
            f"Tổng điểm các trục kết quả chính ({fmt_number(primary)}) phải cao hơn các trục "
            f"kết quả phụ ({fmt_number(secondary)}) [002 II.1.5]."
        ]
    return []


def _validate_thresholds(spec: FrameworkSpec) -> list[str]:
    t = spec.thresholds
    if not (ZERO < t.passing < t.good < t.excellent <= spec.total_points):
        return [
            "Ngưỡng điểm phải tăng dần và không vượt tổng điểm: "
            f"HTNV {fmt_number(t.passing)}, HTTNV {fmt_number(t.good)}, HTXSNV {fmt_number(t.excellent)}."
        ]
    return []


def _validate_settings(spec: FrameworkSpec) -> list[str]:
    from .defaults import condition_codes

    errors = []
    q = spec.quota
    if not (ZERO < q.share <= 1):
        errors.append(f"Tỷ lệ Hoàn thành xuất sắc nhiệm vụ {fmt_percent(q.share)} phải trong khoảng (0%, 100%].")
    if q.small_group_size < 0:
        errors.append("Số đối tượng của nhóm nhỏ không được âm.")
    if spec.exceeded_share is not None and not (ZERO <= spec.exceeded_share <= 1):
        errors.append(f"Tỷ lệ nhiệm vụ vượt mức {fmt_percent(spec.exceeded_share)} phải trong khoảng 0%–100%.")
    if not (ZERO <= spec.short_share_max <= 1):
        errors.append(f"Tỷ lệ tiêu chí chưa bảo đảm {fmt_percent(spec.short_share_max)} phải trong khoảng 0%–100%.")
    known = condition_codes(spec.subject_type)
    for cap in spec.caps:
        if cap.code not in known:
            errors.append(f"Điều kiện «{cap.code}» không áp dụng cho {spec.subject_type.label}.")
    return errors
