"""Criterion points, criterion levels, totals and the level a total reaches [003 C.I.1.4]."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ._fast import fast_init
from ._text import fmt_number
from .framework import BAND_AVERAGE, BAND_EXCELLENT, BAND_GOOD, FrameworkSpec, Thresholds
from .levels import CriterionLevel, Level

ZERO = Decimal(0)
CENT = Decimal("0.01")
_EXC, _GOOD, _AVG, _POOR = (
    CriterionLevel.EXCELLENT,
    CriterionLevel.GOOD,
    CriterionLevel.AVERAGE,
    CriterionLevel.POOR,
)
_BAND_FLOOR = {_EXC: BAND_EXCELLENT, _GOOD: BAND_GOOD, _AVG: BAND_AVERAGE, _POOR: ZERO}


class RatingInputError(ValueError):
    """Invalid scores for a subject; `messages` are Vietnamese, one per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@fast_init
@dataclass(frozen=True, slots=True)
class CriterionEntry:
    """What the assessor entered for one criterion.

    Quantitative: `achieved` and `plan` (or `points` already computed, e.g. from work
    products). Qualitative: `level` and/or `points`; points must lie in the level's band;
    a level without points scores the band's floor. `completed=False` marks a task-result
    criterion not completed; `short=True` one not meeting quality or timing [003 C.II.2].
    """

    code: str
    achieved: Decimal | None = None
    plan: Decimal | None = None
    level: CriterionLevel | None = None
    points: Decimal | None = None
    completed: bool = True
    short: bool = False


@fast_init
@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """Points and level of every criterion of one subject, and the total."""

    codes: tuple[str, ...]
    points: tuple[Decimal, ...]
    levels: tuple[CriterionLevel, ...]
    total: Decimal
    min_level: CriterionLevel
    min_key_level: CriterionLevel
    short_count: int
    key_count: int
    key_not_completed: int


def score_quantitative(achieved: Decimal, plan: Decimal, max_points: Decimal) -> Decimal:
    """Score achieved ÷ plan × max points, capped at max points [003 C.I.1.4]."""
    if plan <= 0:
        raise RatingInputError(["Kế hoạch (chỉ tiêu) phải lớn hơn 0."])
    if achieved < 0:
        raise RatingInputError(["Kết quả đạt được không được âm."])
    if achieved >= plan:
        return max_points
    return (achieved * max_points / plan).quantize(CENT, ROUND_HALF_UP)


def criterion_level(points: Decimal, max_points: Decimal) -> CriterionLevel:
    """Return Xuất sắc ≥ 85 %, Tốt ≥ 70 %, Trung bình ≥ 50 %, else Kém of max points [003 C.I.1.4]."""
    if points >= max_points * BAND_EXCELLENT:
        return _EXC
    if points >= max_points * BAND_GOOD:
        return _GOOD
    if points >= max_points * BAND_AVERAGE:
        return _AVG
    return _POOR


def band(level: CriterionLevel, max_points: Decimal) -> tuple[Decimal, Decimal]:
    """Return the (lowest, upper) points of a quality level's band; upper is exclusive below Xuất sắc [003 C.I.1.4]."""
    upper = {_EXC: Decimal(1), _GOOD: BAND_EXCELLENT, _AVG: BAND_GOOD, _POOR: BAND_AVERAGE}[level]
    return max_points * _BAND_FLOOR[level], max_points * upper


def score_qualitative(
    level: CriterionLevel, max_points: Decimal, points: Decimal | None = None
) -> Decimal:
    """Score a qualitative level: the assessor's points inside its band, or the band floor [003 C.I.1.4]."""
    if points is None:
        return max_points * _BAND_FLOOR[level]
    if not (ZERO <= points <= max_points) or criterion_level(points, max_points) != level:
        low, high = band(level, max_points)
        raise RatingInputError([_band_message("", points, level, low, high)])
    return points


def _band_message(code: str, points: Decimal, level: CriterionLevel, low: Decimal, high: Decimal) -> str:
    where = f"Tiêu chí «{code}»: " if code else ""
    upper = f"đến {fmt_number(high)}" if level is _EXC else f"dưới {fmt_number(high)}"
    return (
        f"{where}điểm {fmt_number(points)} nằm ngoài khung mức {level.label} "
        f"(từ {fmt_number(low)} {upper})."
    )


def level_from_score(total: Decimal, thresholds: Thresholds) -> Level:
    """Return the highest level a total reaches by the thresholds [002 §4.1–4.4; 003 C.I.2]."""
    if total >= thresholds.excellent:
        return Level.EXCELLENT
    if total >= thresholds.good:
        return Level.GOOD
    if total >= thresholds.passing:
        return Level.PASS
    return Level.FAIL


def score_subject(spec: FrameworkSpec, entries: Iterable[CriterionEntry]) -> ScoreSheet:
    """Score every criterion of a framework and total them [003 C.I.1.4; 000 §2.2]."""
    return ScoreSheet(*_score(spec, entries))


def _score(spec: FrameworkSpec, entries: Iterable[CriterionEntry]) -> tuple:
    """Return the fields of a ScoreSheet; the fast path, else the checked path for errors."""
    if not isinstance(entries, (tuple, list)):
        entries = tuple(entries)
    fields = _score_in_order(spec, entries) if spec._in_order_ok else None
    return fields if fields is not None else _score_checked(spec, entries)


def _score_in_order(spec: FrameworkSpec, entries: Sequence[CriterionEntry]) -> tuple | None:
    """Score entries given once each in framework order with valid figures, or return None.

    Rating runs for every subject of a deployment and its cost is mostly Decimal
    operations, so this path does as few as it can: no dict by code, no error bookkeeping,
    and each band test doubles as a range test (every maximum is positive, so a point at
    or above 70 % of it is not negative, and one below 85 % of it is not above it).
    Anything unusual (another order, a missing, unknown or duplicate code, an invalid
    figure) returns None, and `_score_checked` scores the same entries and words the
    errors; both give identical sheets for valid input.
    """
    leaves = spec._leaves
    if len(entries) != len(leaves):
        return None
    points: list[Decimal] = []
    levels: list[CriterionLevel] = []
    add_point, add_level = points.append, levels.append
    min_key = _EXC
    short = key_nc = 0
    for (code, mx, quantitative, key, t85, t70, t50), entry in zip(leaves, entries, strict=True):
        if entry.code != code:
            return None
        p = entry.points
        if p is None:
            if quantitative:
                achieved, plan = entry.achieved, entry.plan
                if achieved is None or plan is None or plan <= ZERO:
                    return None
                if achieved >= plan:  # at or over plan: full points, Xuất sắc
                    p, lv = mx, _EXC
                elif achieved < ZERO:
                    return None
                else:
                    p = (achieved * mx / plan).quantize(CENT, ROUND_HALF_UP)
                    lv = _EXC if p >= t85 else _GOOD if p >= t70 else _AVG if p >= t50 else _POOR
            else:
                lv = entry.level
                if lv is None:
                    return None
                p = mx * _BAND_FLOOR[lv]
        else:
            if p >= t85:
                if p > mx:
                    return None
                lv = _EXC
            elif p >= t70:
                lv = _GOOD
            elif p >= t50:
                lv = _AVG
            elif p < ZERO:
                return None
            else:
                lv = _POOR
            if not quantitative:
                given = entry.level
                if given is not None and given is not lv:
                    return None
        add_point(p)
        add_level(lv)
        if key:
            if lv < min_key:
                min_key = lv
            if not entry.completed:
                key_nc += 1
        if entry.short:
            short += 1
    total = sum(points, ZERO).quantize(CENT, ROUND_HALF_UP)
    min_all = min(levels) if levels else _EXC
    return (
        spec._codes, tuple(points), tuple(levels), total, min_all, min_key, short, spec._key_count, key_nc
    )


def _score_checked(spec: FrameworkSpec, entries: Iterable[CriterionEntry]) -> tuple:
    """Score entries in any order, collecting every problem before raising RatingInputError."""
    by_code = {entry.code: entry for entry in entries}
    get = by_code.get
    errors: list[str] = []
    points: list[Decimal] = []
    levels: list[CriterionLevel] = []
    add_point, add_level = points.append, levels.append
    total = ZERO
    min_all = min_key = _EXC
    short = key_nc = 0
    # One plain loop with precomputed bands: this runs for every subject of a deployment.
    for code, mx, quantitative, key, t85, t70, t50 in spec._leaves:
        entry = get(code)
        if entry is None:
            errors.append(f"Tiêu chí «{code}»: chưa chấm điểm.")
            continue
        p = entry.points
        if quantitative:
            if p is None:
                achieved, plan = entry.achieved, entry.plan
                if achieved is None or plan is None or plan <= ZERO or achieved < ZERO:
                    errors.append(f"Tiêu chí «{code}»: cần kết quả đạt được (≥ 0) và kế hoạch (> 0).")
                    continue
                p = mx if achieved >= plan else (achieved * mx / plan).quantize(CENT, ROUND_HALF_UP)
            elif p < ZERO or p > mx:
                errors.append(f"Tiêu chí «{code}»: điểm {fmt_number(p)} phải từ 0 đến {fmt_number(mx)}.")
                continue
            lv = _EXC if p >= t85 else _GOOD if p >= t70 else _AVG if p >= t50 else _POOR
        else:
            lv = entry.level
            if p is None:
                if lv is None:
                    errors.append(f"Tiêu chí «{code}»: cần mức đánh giá hoặc điểm.")
                    continue
                p = mx * _BAND_FLOOR[lv]
            else:
                if p < ZERO or p > mx:
                    errors.append(f"Tiêu chí «{code}»: điểm {fmt_number(p)} phải từ 0 đến {fmt_number(mx)}.")
                    continue
                found = _EXC if p >= t85 else _GOOD if p >= t70 else _AVG if p >= t50 else _POOR
                if lv is None:
                    lv = found
                elif lv is not found:
                    low, high = band(lv, mx)
                    errors.append(_band_message(code, p, lv, low, high))
                    continue
        add_point(p)
        add_level(lv)
        total += p
        if lv < min_all:
            min_all = lv
        if key:
            if lv < min_key:
                min_key = lv
            if not entry.completed:
                key_nc += 1
        if entry.short:
            short += 1
    if len(by_code) != len(spec._leaves) or errors:
        known = spec._codes_set
        errors.extend(f"Tiêu chí «{c}» không có trong khung tiêu chí." for c in sorted(by_code) if c not in known)
        if errors:
            raise RatingInputError(errors)
    return (
        spec._codes, tuple(points), tuple(levels), total.quantize(CENT, ROUND_HALF_UP),
        min_all, min_key, short, spec._key_count, key_nc,
    )
