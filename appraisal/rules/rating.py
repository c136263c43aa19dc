"""Rate a subject: score every criterion, take the level the total reaches, then the caps [DOMAIN §5–6].

One scoring loop for every input. Entries given one per criterion in framework order (what the
loader builds) are scored as they come; any other order, a missing, unknown or duplicate code,
is first put in framework order (`rater.align`), then scored by the same loop, which collects every
problem before raising `RatingInputError`.

The outcome (`RatingResult`) holds what was decided — points per criterion, the total, the
level by score, the caps that applied, flags, holds, the final level — and words its reasons and
workings from those on access, so screens render them and never recompute.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from vnformat import fmt_hundredths, fmt_number

from .compiled import CompiledFramework
from .conditions import NO_FACTS, Facts, codes_below
from .defaults import condition_name
from .levels import CriterionLevel, Level, ScoringKind, SubjectType
from .reasons import Flag, Hold, Reason
from .scoring import CriterionEntry, from_hundredths, level_of_points
from .text import fill

_FAIL = Level.FAIL



class SubjectInput(NamedTuple):
    """One subject to rate: its id, criterion entries and facts (a plain triple does as well)."""

    subject_id: Hashable
    entries: tuple[CriterionEntry, ...]
    facts: Facts = NO_FACTS


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """Points and quality level of one criterion."""

    code: str
    points: Decimal
    level: CriterionLevel


@dataclass(frozen=True, slots=True)
class CriterionWorking:
    """How one criterion was scored: what was entered, the points and how they follow [003 C.I.1.4]."""

    code: str
    title: str
    kind: ScoringKind
    key: bool
    max_points: Decimal
    points: Decimal
    level: CriterionLevel
    how: str

    @property
    def points_text(self) -> str:
        """The points the Vietnamese way: "16,5"."""
        return fmt_number(self.points)

    @property
    def max_text(self) -> str:
        return fmt_number(self.max_points)


@dataclass(frozen=True, slots=True)
class AppliedCap:
    """A condition that lowered the level: its Vietnamese name and its reason (level, text, source)."""

    name: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class RatingWorkings:
    """Everything a screen shows about one rating, worded by the engine [DOMAIN §6; issue 8 "Decide"].

    `criteria` (points and how), the `total`, the level by score with the band it falls in and
    the framework's thresholds, each cap that applied (`caps`), the flags, what the subject is
    held for, and the final level (None while held; `ceiling` is the best it can then be).
    """

    subject_id: Hashable
    framework_code: str
    criteria: tuple[CriterionWorking, ...]
    total: Decimal
    total_text: str
    score_level: Level
    score_band: str
    thresholds_text: str
    score_reason: Reason
    caps: tuple[AppliedCap, ...]
    flags: tuple[Flag, ...]
    held: tuple[Hold, ...]
    level: Level | None
    ceiling: Level


class RatingResult(NamedTuple):
    """A subject's outcome: points, total, level by score, the caps that applied, flags, holds, level.

    `level` is the final level, or None while the subject is **held** (`held` says what it waits
    for: a rule needs another subject's level not known yet); `ceiling` is then the best level
    it can reach. `points` are hundredths per criterion in framework order; `applied` are the
    caps that lowered the level as the conditions found them (code, figures, related level). `reasons`,
    `criteria` and `workings()` word them on access. (A NamedTuple: immutable and cheap to
    build, as one is built for every subject of a deployment.)
    """

    subject_id: Hashable
    framework: CompiledFramework
    entries: tuple[CriterionEntry, ...]
    points: tuple[int, ...]
    total_hundredths: int
    score_level: Level
    level: Level | None
    ceiling: Level
    applied: tuple
    flags: tuple[Flag, ...]
    held: tuple[Hold, ...]

    @property
    def subject_type(self) -> SubjectType:
        return self.framework.subject_type

    @property
    def total(self) -> Decimal:
        """The exact total, two decimals (Decimal("89.99"))."""
        return from_hundredths(self.total_hundredths)

    @property
    def is_held(self) -> bool:
        return bool(self.held)

    @property
    def lowered(self) -> bool:
        return self.ceiling < self.score_level

    @property
    def score_reason(self) -> Reason:
        """Why the score gives its level: "tổng điểm 89,99 (từ 70 đến dưới 90 điểm)" [002 §4; 003 C.I.2]."""
        cf = self.framework
        text = f"tổng điểm {fmt_hundredths(self.total_hundredths)} ({cf.score_band(self.score_level)})"
        return Reason("score", self.score_level, text, cf.thresholds.source)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The score's reason first, then each cap that lowered the level, worded with its figures."""
        return (self.score_reason, *(_worded(self, hit) for hit in self.applied))

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        """Points and quality level of each criterion, in framework order."""
        maxima = self.framework.max_points
        return tuple(
            CriterionResult(code, from_hundredths(p), level_of_points(p, m))
            for code, p, m in zip(self.framework.codes, self.points, maxima, strict=True)
        )

    def workings(self) -> RatingWorkings:
        """Return the workings of this rating for a screen or a stored record (see RatingWorkings)."""
        cf = self.framework
        t = cf.thresholds
        return RatingWorkings(
            subject_id=self.subject_id,
            framework_code=cf.code,
            criteria=tuple(
                _criterion_working(spec, entry, p, m)
                for spec, entry, p, m in zip(cf.criteria, self.entries, self.points, cf.max_points, strict=True)
            ),
            total=self.total,
            total_text=fmt_hundredths(self.total_hundredths),
            score_level=self.score_level,
            score_band=cf.score_band(self.score_level),
            thresholds_text=(
                f"HTXSNV từ {fmt_number(t.excellent)} điểm; HTTNV từ {fmt_number(t.good)} điểm; "
                f"HTNV từ {fmt_number(t.passing)} điểm; dưới {fmt_number(t.passing)} điểm là KHTNV"
            ),
            score_reason=self.score_reason,
            caps=tuple(AppliedCap(condition_name(hit[0]), _worded(self, hit)) for hit in self.applied),
            flags=self.flags,
            held=self.held,
            level=self.level,
            ceiling=self.ceiling,
        )


def _worded(result: RatingResult, hit: tuple) -> Reason:
    """Word a cap that applied, with its figures (the criteria it names are read from the points)."""
    cf = result.framework
    code, params, related = hit
    cap, allowed, reason = cf.live[result.score_level][code]
    if reason is not None:
        return reason
    if allowed is None:
        allowed = cap.cap_for(result.score_level, related)
    if type(params) is str:
        text = params
    elif type(params) is tuple:
        text = fill(cap.reason, {"codes": codes_below(cf, result.points, params)})
    else:
        text = fill(cap.reason, params)
    return Reason(code, allowed, text, cap.source)


def _criterion_working(spec, entry: CriterionEntry, points: int, max_points: int) -> CriterionWorking:
    """Word how a criterion's points follow from what was entered [003 C.I.1.4]."""
    level = level_of_points(points, max_points)
    mx = fmt_hundredths(max_points)
    if entry.exact_points is not None:
        how = f"điểm nhập {fmt_hundredths(points)}/{mx}: mức {level.label}"
    elif entry.ratio is not None:
        achieved, plan = fmt_number(entry.achieved), fmt_number(entry.plan)
        numerator, denominator = entry.ratio
        if numerator >= denominator:
            how = f"đạt {achieved}/{plan} kế hoạch (từ 100% trở lên): tính bằng điểm tối đa {mx}"
        else:
            exact = numerator * max_points % denominator == 0
            rounding = "" if exact else ", làm tròn xuống đến 0,01"
            how = f"đạt {achieved}/{plan} kế hoạch × {mx} = {fmt_hundredths(points)}{rounding}: mức {level.label}"
    else:
        how = f"mức {level.label}, không nhập điểm: lấy điểm thấp nhất của mức, {fmt_hundredths(points)}/{mx}"
    return CriterionWorking(
        spec.code, spec.title, spec.kind, spec.key, from_hundredths(max_points), from_hundredths(points), level, how
    )


# ---------------------------------------------------------------- scoring and rating


def rate(
    cf: CompiledFramework,
    subject_id: Hashable,
    entries: Iterable[CriterionEntry],
    facts: Facts = NO_FACTS,
) -> RatingResult:
    """Score a subject, take the level its exact total reaches, apply the caps, hold it if it waits [002 §4; 003 C.I–C.III].

    RatingInputError lists every problem with the entries, naming each criterion.
    """
    return rate_many(cf, ((subject_id, entries, facts),))[0]


def rate_many(cf: CompiledFramework, subjects: Iterable[SubjectInput]) -> list[RatingResult]:
    """Rate many subjects of one framework, in input order: `subjects` are (id, entries, facts) [DOMAIN §5–6].

    For each subject: the points of every criterion, exactly, in hundredths [003 C.I.1.4]; the
    level the total reaches; the caps that lower it [DOMAIN §6]; the levels it waits for. All
    of it is the framework's rating loop (`cf.rate`, written out when the framework is
    compiled: see `rater`): the lines of its scorer (`scorer`), which also note the lowest
    quality level below Tốt over all criteria and over key ones, so the conditions on criterion
    levels need no pass of their own; comparisons with the thresholds; per score level, the
    conditions of the caps that can lower it (`conditions`), each hit lowering the level as
    it is found. Entries in another order, or with a code missing, unknown or repeated, are put
    in framework order (`rater.align`) and scored by the same lines. (Entered points are never
    negative: the entry refuses them.) RatingInputError lists every problem of the first
    subject whose entries are wrong, each naming its criterion.
    """
    return cf.rate(cf, subjects, RatingResult)


def partial_total(cf: CompiledFramework, entries: Iterable[CriterionEntry]) -> Decimal:
    """The total of the criteria scored so far (a running total while a sheet is filled in) [003 C.I.1.4].

    Each given entry is scored by the one scoring loop, with its checks; a criterion not given
    counts 0. No level comes of it: a level needs every criterion.
    """
    given = {entry.code: entry for entry in entries}
    complete = [given.get(code) or CriterionEntry(code, points=_ZERO_POINTS) for code in cf.codes]
    known = set(cf.codes)
    unknown = [entry for code, entry in given.items() if code not in known]
    return rate(cf, None, [*complete, *unknown]).total


_ZERO_POINTS = Decimal(0)


def score_subject(cf: CompiledFramework, entries: Iterable[CriterionEntry]) -> tuple[CriterionResult, ...]:
    """Score a subject's criteria alone: points and quality level of each, by the one scoring loop [003 C.I.1.4]."""
    return rate(cf, None, entries).criteria
