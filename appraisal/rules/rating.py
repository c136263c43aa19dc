"""Rate one subject: score, level by thresholds, then conditions [DOMAIN §5–6]."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ._fast import fast_init
from ._text import fmt_number
from .conditions import NO_FACTS, Facts, Flag, Reason, apply_caps
from .framework import FrameworkSpec
from .levels import CriterionLevel, Level, SubjectType
from .scoring import CriterionEntry, level_from_score, score_subject


@dataclass(frozen=True, slots=True)
class SubjectInput:
    """One subject to rate: its id, criterion entries and facts."""

    subject_id: Hashable
    entries: tuple[CriterionEntry, ...]
    facts: Facts = NO_FACTS


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """Points and quality level of one criterion."""

    code: str
    points: Decimal
    level: CriterionLevel


@fast_init
@dataclass(frozen=True, slots=True)
class RatingResult:
    """A subject's total, the level the score gives, the final level and why.

    `reasons[0]` explains the score; the others are the conditions that lowered it.
    """

    subject_id: Hashable
    subject_type: SubjectType
    total: Decimal
    score_level: Level
    level: Level
    reasons: tuple[Reason, ...]
    flags: tuple[Flag, ...]
    criterion_codes: tuple[str, ...]
    criterion_points: tuple[Decimal, ...]
    criterion_levels: tuple[CriterionLevel, ...]

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return tuple(
            CriterionResult(c, p, lv)
            for c, p, lv in zip(
                self.criterion_codes, self.criterion_points, self.criterion_levels, strict=True
            )
        )

    @property
    def lowered(self) -> bool:
        return self.level < self.score_level


def rate(
    spec: FrameworkSpec,
    subject_id: Hashable,
    entries: Iterable[CriterionEntry],
    facts: Facts = NO_FACTS,
) -> RatingResult:
    """Score a subject, take the level its total reaches, then apply the caps [002 §4; 003 C.I.2, C.II.2, C.III.3]."""
    sheet = score_subject(spec, entries)
    total = sheet.total
    score_level = level_from_score(total, spec.thresholds)
    level, reasons, flags = apply_caps(spec, sheet, facts, score_level)
    score_reason = _score_reason(spec, total, score_level)
    return RatingResult(
        subject_id,
        spec.subject_type,
        total,
        score_level,
        level,
        (score_reason, *reasons),
        flags,
        sheet.codes,
        sheet.points,
        sheet.levels,
    )


def _score_reason(spec: FrameworkSpec, total: Decimal, score_level: Level) -> Reason:
    # Totals repeat (two decimals, 0–100): reuse the immutable Reason per spec and total.
    cache = spec._score_reasons
    reason = cache.get(total)
    if reason is None:
        text = f"tổng điểm {fmt_number(total)} ({spec._score_texts[score_level]})"
        reason = Reason("score", score_level, text, spec.thresholds.source)
        if len(cache) < 20_000:
            cache[total] = reason
    return reason


def rate_many(spec: FrameworkSpec, subjects: Iterable[SubjectInput]) -> list[RatingResult]:
    """Rate many subjects of one framework, in input order [DOMAIN §6]."""
    return [rate(spec, s.subject_id, s.entries, s.facts) for s in subjects]
