"""Decide and store: the engine's outcome of ratings, written on the ratings [docs/architecture.md].

`decide` is the one place the rating process calls the engine for a rating's level; it takes
the loader's inputs (`appraisal.scoring.loader`) and returns what is stored: the total, the level by
score, the level after conditions, the reasons with their sources, the flags and the workings.
A rating whose criteria are not all scored gets a running total and no level; one whose
prerequisite (its organisation, the collective its head leads, its members) has no level yet
is *held*, with the reason, and no final level [DOMAIN §6 "Order"].
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from appraisal.models import Rating
from appraisal.rules import CompiledFramework, Level, RatingInputError, partial_total, rate
from appraisal.scoring.loader import Loaded, RatingInputs, load
from core.bulk import update_rows

OUTCOME_FIELDS = (
    "total_score", "score_level", "condition_level", "held", "reasons", "flags", "workings",
    "outcome_at", "framework_version",
)


@dataclass(frozen=True)
class Outcome:
    """What is stored on a rating after the engine has looked at it."""

    total: Decimal | None
    score_level: str
    condition_level: str
    held: bool
    reasons: list[dict]
    flags: list[dict]
    workings: dict
    complete: bool

    @property
    def level(self) -> str:
        """The level the engine allows now ("" while incomplete or held)."""
        return self.condition_level


def _reason(code: str, level: Level | None, text: str, source: str) -> dict:
    return {"code": code, "level": level.code if level is not None else "", "text": text, "source": source}


def _workings(result) -> dict:
    """The engine's workings as stored JSON: what the rating's page shows, never recomputed."""
    w = result.workings()
    return {
        "framework": w.framework_code,
        "criteria": [
            {"code": c.code, "title": c.title, "key": c.key, "max": c.max_text, "points": c.points_text,
             "level": c.level.label, "how": c.how}
            for c in w.criteria
        ],
        "total": w.total_text,
        "score_level": w.score_level.code,
        "score_band": w.score_band,
        "thresholds": w.thresholds_text,
        "caps": [
            {"name": cap.name, "level": cap.reason.cap.code, "text": cap.reason.text, "source": cap.reason.source}
            for cap in w.caps
        ],
        "held": [{"code": h.code, "text": h.text, "source": h.source} for h in w.held],
        "ceiling": w.ceiling.code,
    }


def decide(inputs: RatingInputs, cf: CompiledFramework) -> Outcome:
    """Rate one rating from its inputs with the engine; incomplete or held ratings get no level."""
    if inputs.missing:
        try:
            total = partial_total(cf, inputs.entries)
        except (RatingInputError, ArithmeticError):
            total = None
        codes = ", ".join(inputs.missing)
        text = f"còn {len(inputs.missing)} tiêu chí chưa chấm điểm: {codes}"
        return Outcome(total, "", "", False, [_reason("incomplete", None, text, "")], [], {}, False)
    try:
        result = rate(cf, inputs.rating_id, inputs.entries, inputs.facts)
    except RatingInputError as exc:
        reasons = [_reason("invalid", None, message, "") for message in exc.messages]
        return Outcome(None, "", "", False, reasons, [], {}, False)
    reasons = [_reason(r.code, r.cap, r.text, r.source) for r in result.reasons]
    reasons += [_reason("held", None, h.text, h.source) for h in result.held]
    flags = [{"code": f.code, "text": f.text, "source": f.source} for f in result.flags]
    return Outcome(
        total=result.total,
        score_level=result.score_level.code,
        condition_level=result.level.code if result.level is not None else "",
        held=result.is_held,
        reasons=reasons,
        flags=flags,
        workings=_workings(result),
        complete=True,
    )


def apply(rating: Rating, outcome: Outcome, version: int) -> None:
    """Copy an outcome onto a rating (not saved)."""
    rating.total_score = outcome.total
    rating.score_level = outcome.score_level
    rating.condition_level = outcome.condition_level
    rating.held = outcome.held
    rating.reasons = outcome.reasons
    rating.flags = outcome.flags
    rating.workings = outcome.workings
    rating.outcome_at = timezone.now()
    rating.framework_version = version


def decide_loaded(loaded: Loaded) -> dict[int, Outcome]:
    """Outcomes of every loaded rating."""
    return {
        pk: decide(inputs, loaded.frameworks[inputs.framework_id].compiled)
        for pk, inputs in loaded.inputs.items()
    }


def refresh(ratings: Iterable[Rating] | Iterable[int], *, scores: dict | None = None) -> dict[int, Outcome]:
    """Load, decide and store the outcome of ratings of one period; return the outcomes.

    `scores` are scores just written (see `inputs.load`)."""
    loaded = load(ratings, scores=scores)
    outcomes = decide_loaded(loaded)
    if not outcomes:
        return {}
    rows = []
    for pk, outcome in outcomes.items():
        row = Rating(pk=pk)
        apply(row, outcome, loaded.inputs[pk].framework_version)
        rows.append(row)
    update_rows(Rating, rows, OUTCOME_FIELDS)
    return outcomes
