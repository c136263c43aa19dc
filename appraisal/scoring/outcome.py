"""Decide and store: the engine's outcome of ratings, written on the ratings [docs/architecture.md].

`decide` is the one place the rating process calls the engine for a rating's level; it takes
the loader's inputs (`appraisal.scoring.loader`) and returns what is stored: the total, the level by
score, the level after conditions, the reasons with their sources, the flags and the workings.
A rating whose criteria are not all scored gets a running total and no level; one whose
prerequisite (its organisation, the collective its head leads, its members) has no level yet
is *held*, with the reason, and no final level [DOMAIN §6 "Order"].
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from appraisal.models import OutcomeChange, Rating, RatingStatus
from appraisal.rules import CompiledFramework, Level, RatingInputError, partial_total, rate
from appraisal.scoring.loader import Loaded, RatingInputs, load
from core.audit import audit_entry, record_changes
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
    return {pk: decide(inputs, compiled_for(loaded, inputs)) for pk, inputs in loaded.inputs.items()}


def compiled_for(loaded: Loaded, inputs: RatingInputs) -> CompiledFramework:
    """The framework a rating is scored with: its own marking of the axes, else its framework's."""
    return inputs.compiled or loaded.frameworks[inputs.framework_id].compiled


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


def refresh_changed(ids: list[int], *, actor=None, because: str = "", audit: bool = False) -> dict[int, Outcome]:
    """Work out again the outcome of ratings whose inputs changed elsewhere, and store it.

    Undecided ratings get the new outcome (with an audit entry saying `because` when their level
    changes and `audit` is asked); a decided rating is never edited: when its outcome would now
    differ, an `OutcomeChange` asks staff to consider a re-rating [003 C.IV.9].
    """
    periods: dict[int, list[int]] = defaultdict(list)
    for pk, period_id in Rating.objects.filter(pk__in=ids).values_list("pk", "period_id"):
        periods[period_id].append(pk)
    if len(periods) > 1:  # the loader reads one period at a time
        found: dict[int, Outcome] = {}
        for part in periods.values():
            found.update(refresh_changed(part, actor=actor, because=because, audit=audit))
        return found
    loaded = load(ids)
    new = decide_loaded(loaded)
    if not new:
        return {}
    stored = {
        pk: rest for pk, *rest in Rating.objects.filter(pk__in=new).values_list(
            "pk", "status", "total_score", "score_level", "condition_level", "held",
        )
    }
    rows, entries, changes, now = [], [], [], timezone.now()
    for pk, outcome in new.items():
        status, total, score_level, level, held = stored[pk]
        different = (total, score_level, level, held) != (outcome.total, outcome.score_level,
                                                           outcome.condition_level, outcome.held)
        if status == RatingStatus.DECIDED:
            if different and not OutcomeChange.objects.filter(rating_id=pk, resolved_by__isnull=True).exists():
                changes.append(OutcomeChange(
                    rating_id=pk, found_at=now, because=because, level_before=level,
                    level_now=outcome.condition_level, total_now=outcome.total, reasons_now=outcome.reasons,
                ))
            continue
        row = Rating(pk=pk)
        apply(row, outcome, loaded.inputs[pk].framework_version)
        rows.append(row)
        if audit and different and (level, held) != (outcome.condition_level, outcome.held):
            entries.append((pk, {
                "condition_level": (level or ("chờ" if held else ""), outcome.condition_level or
                                    ("chờ" if outcome.held else "")),
                **({"Do": because} if because else {}),
            }))
    update_rows(Rating, rows, OUTCOME_FIELDS)
    if entries:
        objects = Rating.objects.select_related("period").in_bulk([pk for pk, _ in entries])
        record_changes([audit_entry(actor=actor, action="rating.outcome", obj=objects[pk], changes=c)
                        for pk, c in entries])
    OutcomeChange.objects.bulk_create(changes)
    return new
