"""A framework compiled for rating: built once by the loader, read for every subject [STYLE].

`compile_framework(spec)` validates the spec (`validation.validate_framework`) and turns it into
the figures the rating loop reads: maximum points and quality-band floors in integer
hundredths, thresholds in hundredths, and, per score level, the caps that can lower it. Nothing
is cached later: the compiled framework is immutable and built once per framework and run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from vnformat import fmt_hundredths, fmt_percent

from .conditions import CHECKS, DEPENDENCIES, READS_LOWEST_LEVELS, Dependency
from .defaults import PLACEHOLDER_WORDS, condition_name
from .framework import ConditionCap, CriterionSpec, FrameworkSpec, QuotaSettings, Thresholds
from .levels import CriterionLevel, Level, ScoringKind, SubjectType
from .rater import compile_rater
from .reasons import FrameworkError, Reason
from .scorer import Leaf, Scored, compile_scorer
from .scoring import band_floor, hundredths
from .text import fill
from .validation import validate_framework

# A cap that can bind at a given score level: the cap, the level it allows (None when it
# depends on a related subject's level) and its Reason when the wording has no figures.
LiveCap = tuple[ConditionCap, Level | None, Reason | None]


@dataclass(frozen=True, slots=True)
class CompiledFramework:
    """A valid framework in the form the rating loop reads; build it with `compile_framework`.

    `leaves` are the figures of each criterion the scoring lines are written from; `score` is
    the framework's scoring loop alone, written out per criterion (`scorer.compile_scorer`,
    when first read; the floor of Tốt it compares is 0 when no cap of the framework reads
    criterion levels).
    Per criterion, in framework order: `codes`, `max_points` and the floors of the quality
    bands (`excellent_floors`, `good_floors`, `average_floors`; the `key_*` ones are 0 for
    criteria that are not key, so they never bind). `short_allowed` is how many criteria may
    be short on quality or timing (the share of all criteria, rounded down). `live[level]`
    maps each cap that can lower a score level to (cap, level allowed or None if relative,
    its Reason if it has no figures). `rate(cf, subjects, result)` is the framework's rating
    loop, written out when it is compiled: scoring, the level, per score level the conditions of
    its live caps only, holds and flags (`rater.compile_rater`; `rating.rate_many` calls it).
    """

    spec: FrameworkSpec
    criteria: tuple[CriterionSpec, ...]
    codes: tuple[str, ...]
    quoted_codes: tuple[str, ...]
    leaves: tuple[Leaf, ...]
    max_points: tuple[int, ...]
    excellent_floors: tuple[int, ...]
    good_floors: tuple[int, ...]
    average_floors: tuple[int, ...]
    key_excellent_floors: tuple[int, ...]
    key_good_floors: tuple[int, ...]
    key_flags: tuple[bool, ...]
    key_count: int
    thresholds_in_hundredths: Thresholds
    total_points: int
    caps: dict[str, ConditionCap]
    live: tuple[dict[str, LiveCap], ...]
    checks: Callable
    rate: Callable
    dependencies: tuple[Dependency, ...]
    quarterly: bool
    exceeded_share: Decimal
    short_share_max: Decimal
    short_allowed: int

    @property
    def score(self) -> Callable[[tuple, list[str]], Scored | None]:
        """The framework's scoring loop alone (what the rating loop's scoring lines do), written when first read."""
        return compile_scorer(self.leaves)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def subject_type(self) -> SubjectType:
        return self.spec.subject_type

    @property
    def thresholds(self) -> Thresholds:
        return self.spec.thresholds

    @property
    def quota(self) -> QuotaSettings:
        return self.spec.quota

    def score_band(self, level: Level) -> str:
        """Word the band of totals a level covers: "từ 70 đến dưới 90 điểm" [002 §4; 003 C.I.2]."""
        t = self.thresholds_in_hundredths
        exc, good, passing = (fmt_hundredths(v) for v in (t.excellent, t.good, t.passing))
        return {
            Level.EXCELLENT: f"từ {exc} điểm trở lên",
            Level.GOOD: f"từ {good} đến dưới {exc} điểm",
            Level.PASS: f"từ {passing} đến dưới {good} điểm",
            Level.FAIL: f"dưới {passing} điểm",
        }[level]

    def describe_cap(self, cap: ConditionCap) -> CapDescription:
        """Describe a cap for people: its Vietnamese name, the level it allows, and its reason with this framework's values."""
        return describe_cap(cap, cap_values(cap.code, self.exceeded_share, self.short_share_max))


@dataclass(frozen=True, slots=True)
class CapDescription:
    """A condition as the framework page and workbook show it: no codes, no placeholders [issue 6]."""

    code: str
    name: str
    level_text: str
    sentence: str
    source: str


def cap_values(code: str, exceeded_share: Decimal, short_share_max: Decimal) -> dict:
    """The framework's own values a cap's reason may name (its share) [003 C.II.2.1, C.II.2.3]."""
    return {"share": fmt_percent(short_share_max if code == "short_over_share" else exceeded_share)}


def describe_cap(cap: ConditionCap, values: dict) -> CapDescription:
    """Word a cap with a framework's own values (`values`, e.g. {"share": "50%"}) and "…" for each subject's figures."""
    figures = {key: "…" for key in PLACEHOLDER_WORDS} | values
    if cap.level is None:
        level_text = "Không cao hơn mức của tập thể, tổ chức liên quan"
    else:
        level_text = f"Tối đa {cap.level.label}"
    if cap.step_down:
        level_text += "; hạ thêm một mức so với mức theo điểm"
    return CapDescription(cap.code, condition_name(cap.code), level_text, fill(cap.reason, figures), cap.source)


def compile_framework(spec: FrameworkSpec) -> CompiledFramework:
    """Validate a framework and compile it for rating; FrameworkError lists every problem [DOMAIN §5]."""
    problems = validate_framework(spec)
    if problems:
        raise FrameworkError(problems)
    criteria = spec.criteria()
    maxima = tuple(hundredths(c.max_points) for c in criteria)
    keys = tuple(c.key for c in criteria)
    floors = {
        level: tuple(band_floor(level, m) for m in maxima)
        for level in (CriterionLevel.EXCELLENT, CriterionLevel.GOOD, CriterionLevel.AVERAGE)
    }
    caps = {cap.code: cap for cap in spec.caps}
    # Without a cap that reads criterion levels the loop need not note them: a floor of 0 is never missed.
    watched = floors[CriterionLevel.GOOD] if READS_LOWEST_LEVELS & caps.keys() else (0,) * len(maxima)
    t = spec.thresholds
    leaves = tuple(
        (c.code, m, c.kind is ScoringKind.QUANTITATIVE, good, (c.key, average))
        for c, m, good, average in zip(criteria, maxima, watched, floors[CriterionLevel.AVERAGE], strict=True)
    )
    cf = CompiledFramework(
        spec=spec,
        criteria=criteria,
        codes=tuple(c.code for c in criteria),
        quoted_codes=tuple(f"«{c.code}»" for c in criteria),
        leaves=leaves,
        max_points=maxima,
        excellent_floors=floors[CriterionLevel.EXCELLENT],
        good_floors=floors[CriterionLevel.GOOD],
        average_floors=floors[CriterionLevel.AVERAGE],
        key_excellent_floors=tuple(f if k else 0 for f, k in zip(floors[CriterionLevel.EXCELLENT], keys, strict=True)),
        key_good_floors=tuple(f if k else 0 for f, k in zip(floors[CriterionLevel.GOOD], keys, strict=True)),
        key_flags=keys,
        key_count=sum(keys),
        thresholds_in_hundredths=Thresholds(hundredths(t.excellent), hundredths(t.good), hundredths(t.passing), t.source),
        total_points=hundredths(spec.total_points),
        caps=caps,
        live=_live_caps(caps),
        checks=CHECKS[spec.subject_type],
        rate=None,  # written below, from the figures compiled here
        dependencies=DEPENDENCIES.get(spec.subject_type, ()),
        quarterly=spec.subject_type is SubjectType.LEADER_QUARTERLY,
        exceeded_share=spec.exceeded_share,
        short_share_max=spec.short_share_max,
        short_allowed=int(spec.short_share_max * len(criteria)),  # rounded down: "không quá 20%"
    )
    # The rating loop is written from the compiled figures (its conditions read them as numbers).
    return replace(cf, rate=compile_rater(cf, leaves))


def _live_caps(caps: dict[str, ConditionCap]) -> tuple[dict[str, LiveCap], ...]:
    """Per score level, the caps that can lower it [DOMAIN §6].

    A cap with a fixed level binds only below that level (or always, with `step_down`, above
    KHTNV); a relative cap may bind at any level above KHTNV. Nothing lowers KHTNV, so a failing
    score checks no cap at all. A reason without figures is worded once here.
    """
    live: list[dict[str, LiveCap]] = [{} for _ in range(max(Level) + 1)]
    for level in Level:
        for code, cap in caps.items():
            if cap.level is None:
                if level > Level.FAIL:
                    live[level][code] = (cap, None, None)
                continue
            allowed = cap.cap_for(level)
            if allowed < level:
                fixed = "{" not in cap.reason
                live[level][code] = (cap, allowed, Reason(code, allowed, cap.reason, cap.source) if fixed else None)
    return tuple(live)

