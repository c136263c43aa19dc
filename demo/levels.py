"""Levels for generated results (the demo's past years, the benchmarks' decided periods): drawn
from a seed, then HTXSNV kept within the engine's quota in each group, as a committee keeps them.

    draw_level(rng, MEMBER_WEIGHTS)                       # "HTXSNV", "HTTNV", "HTNV" or "KHTNV"
    levels = within_quota(["HTXSNV", "HTTNV", "HTXSNV"])  # the later HTXSNV beyond the quota → HTTNV
    at_most("HTXSNV", "HTTNV")                            # "HTTNV": a committee under its organisation's level
"""
from __future__ import annotations

import random
from collections.abc import Sequence

from appraisal.models import LevelCode
from appraisal.rules import Level, QuotaSettings, excellent_quota

EXCELLENT, GOOD, PASS, FAIL = (level.value for level in LevelCode)
MEMBER_WEIGHTS = ((EXCELLENT, 18), (GOOD, 76), (PASS, 5), (FAIL, 1))
ORG_WEIGHTS = ((EXCELLENT, 20), (GOOD, 70), (PASS, 9), (FAIL, 1))
RATED = (EXCELLENT, GOOD)  # the quota's base: HTTNV or above


def draw_level(rng: random.Random, weights: Sequence[tuple[str, int]]) -> str:
    """One level, drawn with the given weights."""
    return rng.choices([level for level, _ in weights], weights=[w for _, w in weights])[0]


def at_most(level: str, ceiling: str) -> str:
    """The level, lowered to `ceiling` if above it (a committee under its organisation, a head under
    the collective they head [003 C.III.3, C.III.5])."""
    return min(Level.from_code(level), Level.from_code(ceiling)).code


def within_quota(levels: Sequence[str], settings: QuotaSettings | None = None) -> list[str]:
    """One group's levels with the HTXSNV beyond the engine's quota lowered to HTTNV, the later
    ones first (the earlier ones keep their seats)."""
    seats = excellent_quota(sum(1 for level in levels if level in RATED), len(levels), settings or QuotaSettings())
    kept = []
    for level in levels:
        if level == EXCELLENT:
            if seats > 0:
                seats -= 1
            else:
                level = GOOD
        kept.append(level)
    return kept
