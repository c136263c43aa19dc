"""Criterion entries, criterion points and levels, and the level a total reaches [003 C.I.1.4].

Points are exact: the engine keeps them in integer hundredths of a point (8999 is 89,99), as
entered (at most two decimals: more is refused, never rounded) and as computed (achieved ÷ plan ×
max points, rounded *down* to the hundredth, so a result below plan never reaches the maximum).
Totals are sums of hundredths, compared with the thresholds as they are: 89,99 is below 90.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from vnformat import fmt_number

from .framework import Thresholds
from .levels import CriterionLevel, Level
from .reasons import RatingInputError

ZERO = Decimal(0)
# The quality bands of a criterion, as shares of its maximum points [003 C.I.1.4].
BAND_PERCENT = {
    CriterionLevel.EXCELLENT: 85,
    CriterionLevel.GOOD: 70,
    CriterionLevel.AVERAGE: 50,
    CriterionLevel.POOR: 0,
}
_BANDS_DOWN = (CriterionLevel.EXCELLENT, CriterionLevel.GOOD, CriterionLevel.AVERAGE)
_BAND_TOP = {
    CriterionLevel.EXCELLENT: 100,
    CriterionLevel.GOOD: 85,
    CriterionLevel.AVERAGE: 70,
    CriterionLevel.POOR: 50,
}


def hundredths(value: Decimal) -> int | None:
    """Return a number as integer hundredths (Decimal("89.99") → 8999), or None if it has more than two decimals."""
    if not value.is_finite():
        return None
    numerator, denominator = value.as_integer_ratio()
    if 100 % denominator:
        return None
    return numerator * (100 // denominator)


def from_hundredths(value: int) -> Decimal:
    """Return integer hundredths as a Decimal with two decimals (8999 → Decimal("89.99"))."""
    return Decimal(value).scaleb(-2)


def band_floor(level: CriterionLevel, max_hundredths: int) -> int:
    """Return the lowest points (hundredths) of a quality band: ⌈max × share⌉ [003 C.I.1.4]."""
    return -(-max_hundredths * BAND_PERCENT[level] // 100)


def level_of_points(points: int, max_points: int) -> CriterionLevel:
    """Return Xuất sắc ≥ 85 %, Tốt ≥ 70 %, Trung bình ≥ 50 %, else Kém of max points, exactly [003 C.I.1.4].

    Points and maximum are integers in one unit (the engine's hundredths).
    """
    scaled = points * 100
    for level in _BANDS_DOWN:
        if scaled >= max_points * BAND_PERCENT[level]:
            return level
    return CriterionLevel.POOR


@dataclass(frozen=True, slots=True)
class CriterionEntry:
    """What the assessor entered for one criterion.

    Quantitative: `achieved` and `plan` (or `points` already computed, e.g. from work
    products). Qualitative: `level` and/or `points`; points must lie in the level's band;
    a level without points scores the band's floor. Points have at most two decimals.
    `completed=False` marks a task-result criterion not completed; `short=True` one not
    meeting quality or timing [003 C.II.2].

    The entry reads its figures once, when it is made: `exact_points` (hundredths, or None)
    and `ratio` (achieved/plan as two integers, or None); `problem` words what is wrong, if
    anything, naming the criterion. `usual_points` / `usual_numerator` are set only when the
    entry has the usual shape (valid points alone; valid achieved and plan alone; no level),
    `plain_points` / `plain_numerator` only when it has besides no marks (short, not completed),
    so scoring reads one attribute for most entries, never the Decimals again; the numerators
    and denominators are achieved ÷ plan already capped at plan (`capped_ratio`), so their
    points are one product and one division.
    """

    code: str
    achieved: Decimal | None = None
    plan: Decimal | None = None
    level: CriterionLevel | None = None
    points: Decimal | None = None
    completed: bool = True
    short: bool = False
    exact_points: int | None = field(init=False, repr=False, compare=False)
    ratio: tuple[int, int] | None = field(init=False, repr=False, compare=False)
    problem: str | None = field(init=False, repr=False, compare=False)
    usual_points: int | None = field(init=False, repr=False, compare=False)
    usual_numerator: int | None = field(init=False, repr=False, compare=False)
    usual_denominator: int = field(init=False, repr=False, compare=False)
    plain_points: int | None = field(init=False, repr=False, compare=False)
    plain_numerator: int | None = field(init=False, repr=False, compare=False)
    plain_denominator: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact, ratio, problem = None, None, None
        if self.points is not None:
            exact = hundredths(self.points)
            if exact is None:
                problem = (
                    f"Tiêu chí «{self.code}»: điểm {fmt_number(self.points)} có quá hai chữ số thập phân; "
                    "chỉ nhập tối đa hai chữ số sau dấu phẩy."
                )
            elif exact < 0:
                exact, problem = None, f"Tiêu chí «{self.code}»: điểm {fmt_number(self.points)} không được âm."
        elif self.achieved is not None or self.plan is not None:
            ratio, problem = _ratio(self.achieved, self.plan)
            if problem:
                problem = f"Tiêu chí «{self.code}»: {problem}"
        set_ = object.__setattr__
        set_(self, "exact_points", exact)
        set_(self, "ratio", ratio)
        set_(self, "problem", problem)
        usual = self.level is None and problem is None
        set_(self, "usual_points", exact if usual else None)
        numerator, denominator = capped_ratio(ratio) if usual and ratio is not None else (None, 1)
        set_(self, "usual_numerator", numerator)
        set_(self, "usual_denominator", denominator)
        plain = usual and not self.short and self.completed
        set_(self, "plain_points", exact if plain else None)
        set_(self, "plain_numerator", numerator if plain else None)
        set_(self, "plain_denominator", denominator if plain else 1)


def _ratio(achieved: Decimal | None, plan: Decimal | None) -> tuple[tuple[int, int] | None, str | None]:
    """Return achieved ÷ plan as (numerator, denominator) integers, or what is wrong with them."""
    if achieved is None or plan is None or not achieved.is_finite() or not plan.is_finite():
        return None, "cần kết quả đạt được và kế hoạch (chỉ tiêu)."
    if plan <= 0:
        return None, "kế hoạch (chỉ tiêu) phải lớn hơn 0."
    if achieved < 0:
        return None, "kết quả đạt được không được âm."
    a_num, a_den = achieved.as_integer_ratio()
    p_num, p_den = plan.as_integer_ratio()
    return (a_num * p_den, a_den * p_num), None


def score_quantitative(achieved: Decimal, plan: Decimal, max_points: Decimal) -> Decimal:
    """Score achieved ÷ plan × max points, rounded down to the hundredth, capped at max points [003 C.I.1.4]."""
    ratio, problem = _ratio(achieved, plan)
    if problem:
        raise RatingInputError([problem[0].upper() + problem[1:]])
    max_hundredths = hundredths(max_points)
    if max_hundredths is None:
        raise RatingInputError(["Điểm tối đa có tối đa hai chữ số thập phân."])
    return from_hundredths(quantitative_points(ratio, max_hundredths))


def capped_ratio(ratio: tuple[int, int]) -> tuple[int, int]:
    """Return achieved ÷ plan with anything at or over plan counted as plan (1/1): over plan scores the maximum [003 C.I.1.4]."""
    numerator, denominator = ratio
    return (1, 1) if numerator >= denominator else ratio


def quantitative_points(ratio: tuple[int, int], max_hundredths: int) -> int:
    """Return ⌊achieved ÷ plan × max⌋ in hundredths, the maximum at or over plan [003 C.I.1.4]."""
    numerator, denominator = capped_ratio(ratio)
    return numerator * max_hundredths // denominator


def criterion_level(points: Decimal, max_points: Decimal) -> CriterionLevel:
    """Return a criterion's quality level from its points, exactly (`level_of_points` on a common scale) [003 C.I.1.4]."""
    p_num, p_den = points.as_integer_ratio()
    m_num, m_den = max_points.as_integer_ratio()
    return level_of_points(p_num * m_den, m_num * p_den)


def band(level: CriterionLevel, max_points: Decimal) -> tuple[Decimal, Decimal]:
    """Return the (lowest, upper) points of a quality level's band; upper is exclusive below Xuất sắc [003 C.I.1.4]."""
    return max_points * BAND_PERCENT[level] / 100, max_points * _BAND_TOP[level] / 100


def band_message(code: str, points: Decimal, level: CriterionLevel, max_points: Decimal) -> str:
    """Word "points outside the level's band" naming the criterion [003 C.I.1.4]."""
    low, high = band(level, max_points)
    where = f"Tiêu chí «{code}»: " if code else ""
    upper = f"đến {fmt_number(high)}" if level is CriterionLevel.EXCELLENT else f"dưới {fmt_number(high)}"
    return f"{where}điểm {fmt_number(points)} nằm ngoài khung mức {level.label} (từ {fmt_number(low)} {upper})."


def score_qualitative(level: CriterionLevel, max_points: Decimal, points: Decimal | None = None) -> Decimal:
    """Score a qualitative level: the assessor's points inside its band, or the band's floor [003 C.I.1.4]."""
    max_hundredths = hundredths(max_points)
    if points is None:
        return from_hundredths(band_floor(level, max_hundredths))
    given = hundredths(points)
    if given is None or not 0 <= given <= max_hundredths or level_of_points(given, max_hundredths) is not level:
        raise RatingInputError([band_message("", points, level, max_points)])
    return points


def level_from_score(total: Decimal | int, thresholds: Thresholds) -> Level:
    """Return the highest level a total reaches by the thresholds, compared exactly [002 §4.1–4.4; 003 C.I.2].

    Total and thresholds in one unit: points, or the engine's hundredths (`CompiledFramework.thresholds_in_hundredths`).
    """
    return LEVELS_UP[bisect_right(level_bounds(thresholds), total)]


def level_bounds(thresholds: Thresholds) -> tuple:
    """The thresholds from the lowest up: a total reaches the level of LEVELS_UP at the count of bounds it reaches."""
    return thresholds.passing, thresholds.good, thresholds.excellent


LEVELS_UP = (Level.FAIL, Level.PASS, Level.GOOD, Level.EXCELLENT)
