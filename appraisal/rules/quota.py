"""The HTXSNV quota within a peer group, with ties at the cut-off left to the committee.

[002 §4.1; 002 §8.2; 003 C.I.2.1, C.II.2.1, C.III.5, C.IV.10–11]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ._fast import fast_init
from .conditions import Reason
from .framework import QuotaSettings
from .levels import Level

DEFAULT_QUOTA = QuotaSettings()
_SOURCE_SELECT = "[003 C.IV.11]"


@fast_init
@dataclass(frozen=True, slots=True)
class QuotaCandidate:
    """A member of a peer group with the level it reached and its ranking figures."""

    subject_id: Hashable
    level: Level
    score: Decimal = Decimal(0)
    votes: int = 0
    excellent_quarters: int = 0


@fast_init
@dataclass(frozen=True, slots=True)
class PushedDown:
    """A HTXSNV candidate outside the quota, lowered to HTTNV."""

    subject_id: Hashable
    reason: Reason


@dataclass(frozen=True, slots=True)
class TieGroup:
    """Candidates tied at the cut-off: the committee gives `seats` of them HTXSNV."""

    subject_ids: tuple[Hashable, ...]
    seats: int
    text: str
    source: str = _SOURCE_SELECT


@dataclass(frozen=True, slots=True)
class QuotaOutcome:
    """The quota of a peer group and who is inside, pushed down or tied."""

    group_size: int
    base: int
    allowed: int
    small_group: bool
    inside: tuple[Hashable, ...]
    pushed_down: tuple[PushedDown, ...]
    tie: TieGroup | None

    def level_of(self, subject_id: Hashable, level: Level) -> Level | None:
        """Return the level after the quota, or None while a tie is undecided."""
        if self.tie is not None and subject_id in self.tie.subject_ids:
            return None
        if level == Level.EXCELLENT and subject_id not in self.inside:
            return Level.GOOD
        return level


def round_half_up(value: Decimal) -> int:
    """Round 0,5 and above up to the next whole number [002 §4.1]."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def excellent_quota(
    base: int, group_size: int | None = None, settings: QuotaSettings = DEFAULT_QUOTA
) -> int:
    """Return how many HTXSNV a peer group may have: share × base rounded, small-group rule [002 §4.1; 003 C.IV.10]."""
    if base <= 0:
        return 0
    allowed = int((settings.share * base).to_integral_value(rounding=settings.rounding))
    size = base if group_size is None else group_size
    if _small_group(base, size, settings):
        allowed = max(allowed, 1)
    return min(allowed, base)


def _small_group(base: int, size: int, settings: QuotaSettings) -> bool:
    if settings.small_group_requires_all:
        return 0 < size < settings.small_group_size and base == size
    return 0 < base < settings.small_group_size


def _rank_key(by_quarters: bool):
    if by_quarters:
        return lambda c: (c.excellent_quarters, c.score, c.votes)
    return lambda c: (c.score, c.votes)


def apply_quota(
    candidates: Sequence[QuotaCandidate],
    settings: QuotaSettings = DEFAULT_QUOTA,
    *,
    by_quarters: bool = False,
) -> QuotaOutcome:
    """Keep the best HTXSNV candidates within the quota, push the rest to HTTNV, report ties [002 §4.1, §8.2; 003 C.IV.11]."""
    base_level = settings.base_min_level
    base = sum(1 for c in candidates if c.level >= base_level)
    size = len(candidates)
    allowed = excellent_quota(base, size, settings)
    small = _small_group(base, size, settings)
    key = _rank_key(by_quarters)
    # Subject ids order ties only for display; every decision below compares keys alone.
    ranked = sorted((c for c in candidates if c.level == Level.EXCELLENT), key=lambda c: str(c.subject_id))
    ranked.sort(key=key, reverse=True)
    if len(ranked) <= allowed:
        return QuotaOutcome(size, base, allowed, small, tuple(c.subject_id for c in ranked), (), None)
    tie = None
    if allowed > 0 and key(ranked[allowed - 1]) == key(ranked[allowed]):
        cut = key(ranked[allowed])
        inside = [c for c in ranked if key(c) > cut]
        tied = [c for c in ranked if key(c) == cut]
        below = [c for c in ranked if key(c) < cut]
        seats = allowed - len(inside)
        tie = TieGroup(
            tuple(c.subject_id for c in tied),
            seats,
            f"{len(tied)} đối tượng bằng nhau tại ngưỡng cắt, còn {seats} chỉ tiêu "
            "Hoàn thành xuất sắc nhiệm vụ: cấp ủy xem xét, quyết định.",
        )
    else:
        inside, below = ranked[:allowed], ranked[allowed:]
    text = (
        f"ngoài tỷ lệ Hoàn thành xuất sắc nhiệm vụ của nhóm (được {allowed} trên {base} "
        "đối tượng Hoàn thành tốt nhiệm vụ trở lên)"
    )
    reason = Reason("quota", Level.GOOD, text, settings.source)
    pushed = tuple(PushedDown(c.subject_id, reason) for c in below)
    return QuotaOutcome(size, base, allowed, small, tuple(c.subject_id for c in inside), pushed, tie)
