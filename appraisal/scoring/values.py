"""What a person types for one criterion, read and checked once for every path.

The grid, the self-assessment form, the XLSX upload, verification and the services all read a
typed value here, so "8,5", "8.5", "Tốt" and "tot" mean the same everywhere and the same
mistakes get the same Vietnamese message [issue 8: each value checked as typed].
A value is either points (0 ≤ points ≤ the criterion's maximum, at most two decimals, decimal
comma or point); or, for a qualitative criterion, a quality level from the list (the points
are then the floor of the level's band); or, for a quantitative criterion, "achieved/plan"
(the engine scores achieved ÷ plan × maximum [003 C.I.1.4]).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from appraisal.models import CriterionKind, QualityLevel
from appraisal.rules import CriterionEntry, CriterionLevel
from core.vntext import fold
from vnformat import fmt_number

# What a secretary may type for a level: the label without tones, and the usual short forms.
LEVEL_WORDS = {
    "xuat sac": CriterionLevel.EXCELLENT, "xs": CriterionLevel.EXCELLENT,
    "tot": CriterionLevel.GOOD, "t": CriterionLevel.GOOD,
    "trung binh": CriterionLevel.AVERAGE, "tb": CriterionLevel.AVERAGE,
    "kem": CriterionLevel.POOR, "k": CriterionLevel.POOR,
}
LEVEL_CHOICES = [label for _, label in sorted(QualityLevel.choices, reverse=True)]
MAX_TEXT = 20  # nobody types a longer score; longer input is refused before parsing


@dataclass(frozen=True)
class CriterionInfo:
    """What checking a value needs to know about its criterion."""

    code: str
    max_points: Decimal
    kind: str

    @property
    def qualitative(self) -> bool:
        return self.kind == CriterionKind.QUALITATIVE


@dataclass(frozen=True)
class Value:
    """A checked value: points, a quality level (qualitative criteria), achieved / plan
    (quantitative criteria), or nothing."""

    points: Decimal | None = None
    level: CriterionLevel | None = None
    achieved: Decimal | None = None
    plan: Decimal | None = None

    @property
    def empty(self) -> bool:
        return self.points is None and self.level is None and self.plan is None

    def entry(self, code: str) -> CriterionEntry:
        """The engine's entry for this value."""
        if self.plan is not None:
            return CriterionEntry(code, achieved=self.achieved, plan=self.plan)
        return CriterionEntry(code, points=self.points, level=self.level)

    def text(self) -> str:
        """The value as the grid shows it back: "8,5", "Tốt" or "45/50"."""
        if self.points is not None:
            return fmt_number(self.points)
        if self.level is not None:
            return self.level.label
        if self.plan is not None:
            return f"{fmt_number(self.achieved)}/{fmt_number(self.plan)}"
        return ""


EMPTY = Value()


class ValueError_(ValueError):
    """A typed value that cannot be a score; the message is Vietnamese and names the criterion."""


def parse_value(raw, criterion: CriterionInfo) -> Value:
    """Read what was typed for a criterion, or raise ValueError_ saying what is wrong."""
    if raw is None:
        return EMPTY
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        text = format(Decimal(str(raw)), "f")
    else:
        text = str(raw).strip()
    if not text:
        return EMPTY
    where = f"Tiêu chí {criterion.code}"
    if len(text) > MAX_TEXT:
        raise ValueError_(f"{where}: giá trị quá dài.")
    word = fold(text)
    if word in LEVEL_WORDS:
        if not criterion.qualitative:
            raise ValueError_(f"{where} là tiêu chí định lượng: nhập số điểm, không nhập mức.")
        return Value(level=LEVEL_WORDS[word])
    number = text.replace(" ", "")
    if "/" in number:
        return _ratio(number, text, criterion, where)
    if number.count(",") + number.count(".") > 1:
        raise ValueError_(f"{where}: «{text}» không phải là số điểm (dùng dấu phẩy cho phần thập phân).")
    try:
        points = Decimal(number.replace(",", "."))
    except InvalidOperation:
        levels = ", ".join(LEVEL_CHOICES)
        hint = f" hoặc một mức: {levels}" if criterion.qualitative else ""
        raise ValueError_(f"{where}: «{text}» không phải là số điểm{hint}.") from None
    if not points.is_finite():
        raise ValueError_(f"{where}: «{text}» không phải là số điểm.")
    if points.as_tuple().exponent < -2 and points != points.quantize(Decimal("0.01")):
        raise ValueError_(f"{where}: «{text}» có quá hai chữ số thập phân.")
    if points < 0 or points > criterion.max_points:
        raise ValueError_(
            f"{where}: điểm {fmt_number(points)} phải từ 0 đến {fmt_number(criterion.max_points)}."
        )
    return Value(points=points.quantize(Decimal("0.01")))


def _number(text: str) -> Decimal | None:
    if text.count(",") + text.count(".") > 1:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _ratio(number: str, text: str, criterion: CriterionInfo, where: str) -> Value:
    """"45/50": achieved over plan, for a quantitative criterion [003 C.I.1.4]."""
    if criterion.qualitative:
        raise ValueError_(f"{where} là tiêu chí định tính: nhập điểm hoặc mức, không nhập kết quả/kế hoạch.")
    achieved_text, _, plan_text = number.partition("/")
    achieved, plan = _number(achieved_text), _number(plan_text)
    if achieved is None or plan is None:
        raise ValueError_(f"{where}: «{text}» phải có dạng kết quả đạt/kế hoạch, ví dụ 45/50.")
    if plan <= 0:
        raise ValueError_(f"{where}: kế hoạch (số sau dấu /) phải lớn hơn 0.")
    if achieved < 0:
        raise ValueError_(f"{where}: kết quả đạt được không được âm.")
    return Value(achieved=achieved, plan=plan)


def parse_count(raw, label: str) -> int | None:
    """Read a whole count (tasks): empty is None; negative, fractional or huge is refused."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 6:
        raise ValueError_(f"{label}: «{text[:MAX_TEXT]}» phải là số nguyên không âm.")
    return int(text)


def stored_value(points: Decimal | None, quality: int | None, achieved=None, plan=None) -> Value:
    """The value a stored score stands for (points win; a level alone is the band floor)."""
    if points is not None:
        return Value(points=points)
    if quality is not None:
        return Value(level=CriterionLevel(quality))
    if plan is not None:
        return Value(achieved=achieved, plan=plan)
    return EMPTY
