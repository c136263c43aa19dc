"""The HTXSNV quota within a peer group, with ties at the cut-off left to the committee.

[002 §4.1; 002 §8.2; 003 C.I.2.1, C.II.2.1, C.III.5, C.IV.10–11]

The outcome carries its workings: the arithmetic (share × base, the rounding, the small-group
seat) and every HTXSNV candidate's place (inside, tied, pushed down) with a Vietnamese note, so
pages show them as decided here and never redo the sum.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from vnformat import fmt_count, fmt_number, fmt_percent

from .framework import ROUNDINGS, QuotaSettings
from .levels import Level
from .reasons import Reason

DEFAULT_QUOTA = QuotaSettings()
_SOURCE_SELECT = "[003 C.IV.11]"
_EXCELLENT = Level.EXCELLENT  # a module constant: read for every candidate


class QuotaCandidate(NamedTuple):
    """A member of a peer group with the level it reached and its ranking figures.

    `score` is the total (any exact number: it is only compared); `votes` the HTXSNV votes;
    `excellent_quarters` the quarters proposed HTXSNV (yearly leaders) [002 §8.2; 003 C.IV.11].
    """

    subject_id: Hashable
    level: Level
    score: Decimal | int = 0
    votes: int = 0
    excellent_quarters: int = 0


class PushedDown(NamedTuple):
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


class QuotaArithmetic(NamedTuple):
    """How many HTXSNV a peer group may have, step by step [002 §4.1; 003 C.IV.10].

    `product` is share × base, `rounded` the product rounded by `rounding`; `small_group` says
    whether the small-group rule applies, `small_group_seat` whether it raised the count to 1;
    `allowed` is the result (never above the base).
    """

    share: Decimal
    base: int
    group_size: int
    base_level: Level
    product: Decimal
    rounding: str
    rounded: int
    small_group: bool
    small_group_seat: bool
    small_group_size: int
    small_group_requires_all: bool
    allowed: int
    source: str

    @property
    def base_text(self) -> str:
        """ "2/10 đối tượng xếp loại từ Hoàn thành tốt nhiệm vụ trở lên"."""
        return f"{self.base}/{self.group_size} đối tượng xếp loại từ {self.base_level.label} trở lên"

    @property
    def text(self) -> str:
        """ "20% × 44 = 8,8 → 9 (làm tròn 0,5 lên)", with the small-group seat when it applies."""
        text = (
            f"{fmt_percent(self.share)} × {self.base} = {fmt_number(self.product)} → {self.rounded} "
            f"({ROUNDINGS.get(self.rounding, self.rounding)})"
        )
        if self.small_group_seat:
            if self.small_group_requires_all:
                text += (
                    f"; nhóm dưới {fmt_count(self.small_group_size)} đối tượng, tất cả từ "
                    f"{self.base_level.label} trở lên: được chọn 01"
                )
            else:
                text += (
                    f"; dưới {fmt_count(self.small_group_size)} đối tượng xếp loại từ {self.base_level.label} "
                    "trở lên: được chọn 01"
                )
        if self.rounded > self.base:
            text += f"; không vượt số đối tượng ({self.base})"
        return text + f" ⇒ được tối đa {self.allowed}"


class QuotaPlace(NamedTuple):
    """Where a HTXSNV candidate stands: `status` is "inside", "tie" or "pushed"; `level` after the quota."""

    subject_id: Hashable
    rank: int
    status: str
    level: Level | None
    note: str


class QuotaOutcome(NamedTuple):
    """The quota of a peer group, who is inside, pushed down or tied, and the workings.

    (The quota's records are NamedTuples: immutable, and cheap to build for every peer group.)
    """

    group_size: int
    base: int
    allowed: int
    small_group: bool
    inside: tuple[Hashable, ...]
    pushed_down: tuple[PushedDown, ...]
    tie: TieGroup | None
    arithmetic: QuotaArithmetic
    ranked_by: str
    places: tuple[QuotaPlace, ...]

    def level_of(self, subject_id: Hashable, level: Level) -> Level | None:
        """Return the level after the quota, or None while a tie is undecided."""
        if self.tie is not None and subject_id in self.tie.subject_ids:
            return None
        if level == Level.EXCELLENT and subject_id not in self.inside:
            return Level.GOOD
        return level


def describe_quota(settings: QuotaSettings) -> str:
    """The quota rule as a framework sets it, in one Vietnamese sentence [002 §4.1; 003 C.IV.10]."""
    level = settings.base_min_level.label
    if settings.small_group_requires_all:
        small = f"nhóm dưới {fmt_count(settings.small_group_size)} đối tượng, tất cả từ {level} trở lên"
    else:
        small = f"dưới {fmt_count(settings.small_group_size)} đối tượng xếp loại từ {level} trở lên"
    return (
        f"Tối đa {fmt_percent(settings.share)} số đối tượng xếp loại từ {level} trở lên trong nhóm đối tượng "
        f"tương đồng ({ROUNDINGS.get(settings.rounding, settings.rounding)}); {small}: được chọn 01."
    )


def quota_arithmetic(base: int, group_size: int | None = None, settings: QuotaSettings = DEFAULT_QUOTA) -> QuotaArithmetic:
    """Work out the quota: share × base rounded, the small-group seat, never above the base [002 §4.1; 003 C.IV.10]."""
    size = base if group_size is None else group_size
    product = settings.share * base
    rounded = int(product.to_integral_value(settings.rounding)) if base > 0 else 0
    small = _small_group(base, size, settings)
    seat = small and rounded < 1
    allowed = min(max(rounded, 1) if small else rounded, max(base, 0))
    # positional, in the fields' order: keywords cost more than the sum, once per peer group
    return QuotaArithmetic(
        settings.share, base, size, settings.base_min_level, product, settings.rounding, rounded, small, seat,
        settings.small_group_size, settings.small_group_requires_all, allowed, settings.source,
    )


def excellent_quota(base: int, group_size: int | None = None, settings: QuotaSettings = DEFAULT_QUOTA) -> int:
    """Return how many HTXSNV a peer group may have: share × base rounded, small-group rule [002 §4.1; 003 C.IV.10]."""
    return quota_arithmetic(base, group_size, settings).allowed


def _small_group(base: int, size: int, settings: QuotaSettings) -> bool:
    if base <= 0:
        return False
    if settings.small_group_requires_all:
        return 0 < size < settings.small_group_size and base == size
    return base < settings.small_group_size


_RANKED_BY = {
    "score": "điểm, rồi số phiếu [003 C.IV.11]",
    "quarters": "số quý được đề xuất Hoàn thành xuất sắc nhiệm vụ, rồi điểm, rồi số phiếu [002 §8.2]",
    "votes": "số phiếu Hoàn thành xuất sắc nhiệm vụ [003 C.IV.11]",
}
# Candidates are read by position (a QuotaCandidate, or a plain tuple in its order, will do).
_ID, _LEVEL = itemgetter(0), itemgetter(1)
_KEYS = {"score": itemgetter(2, 3), "quarters": itemgetter(4, 2, 3), "votes": itemgetter(3)}
# The levels that count in the base, for each lowest level settings may name.
_AT_OR_ABOVE = {level: tuple(above for above in Level if above >= level) for level in Level}


def _by_id(candidate: QuotaCandidate) -> str:
    return str(candidate[0])


def apply_quota(
    candidates: Sequence[QuotaCandidate],
    settings: QuotaSettings = DEFAULT_QUOTA,
    *,
    by_quarters: bool = False,
    by_votes: bool = False,
    group_size: int | None = None,
) -> QuotaOutcome:
    """Keep the best HTXSNV candidates within the quota, push the rest to HTTNV, report ties [002 §4.1, §8.2; 003 C.IV.11].

    `candidates` are QuotaCandidates (or plain tuples in the same order: id, level, score,
    votes, HTXSNV quarters). Ranked by score then votes; yearly leaders by HTXSNV quarters first
    (`by_quarters`); a ballot's choice by votes alone (`by_votes`). Ties across the cut-off are never broken
    by the machine: the committee gives the seats left. `group_size` is the whole peer group,
    rated or not yet (the small-group rule is about the group's size [002 §4.1]); by default
    the candidates are the whole group.
    """
    order = "votes" if by_votes else "quarters" if by_quarters else "score"
    key = _KEYS[order]
    base_level = settings.base_min_level
    levels = list(map(_LEVEL, candidates))
    base = sum(map(levels.count, _AT_OR_ABOVE[base_level]))
    size = len(candidates) if group_size is None else group_size
    arithmetic = quota_arithmetic(base, size, settings)
    allowed = arithmetic.allowed
    ranked = [c for c in candidates if c[1] is _EXCELLENT] if _EXCELLENT in levels else []
    if ranked:
        # Subject ids order ties only for display; every decision below compares keys alone.
        ranked.sort(key=_by_id)
        ranked.sort(key=key, reverse=True)
    tie = None
    if len(ranked) <= allowed:
        inside, tied, below = ranked, [], []
    elif allowed > 0 and key(ranked[allowed - 1]) == key(ranked[allowed]):
        cut = key(ranked[allowed])
        inside = [c for c in ranked if key(c) > cut]
        tied = [c for c in ranked if key(c) == cut]
        below = [c for c in ranked if key(c) < cut]
        seats = allowed - len(inside)
        tie = TieGroup(
            tuple(map(_ID, tied)), seats,
            f"{len(tied)} đối tượng bằng nhau tại ngưỡng cắt, còn {seats} chỉ tiêu Hoàn thành xuất sắc "
            "nhiệm vụ: cấp ủy xem xét, quyết định.",
        )
    else:
        inside, tied, below = ranked[:allowed], [], ranked[allowed:]
    reason = None
    if below:
        reason = Reason(
            "quota", Level.GOOD,
            f"ngoài tỷ lệ Hoàn thành xuất sắc nhiệm vụ của nhóm (được {allowed} trên {base} đối tượng "
            f"{base_level.label} trở lên)",
            settings.source,
        )
    # positional, in the fields' order (keywords cost more than the rule, once per peer group)
    return QuotaOutcome(
        size, base, allowed, arithmetic.small_group,
        tuple(map(_ID, inside)),
        tuple(PushedDown(c[0], reason) for c in below) if below else (),
        tie, arithmetic, _RANKED_BY[order],
        _places(inside, tied, below, reason) if ranked else (),
    )


def _places(inside: list, tied: list, below: list, reason: Reason | None) -> tuple[QuotaPlace, ...]:
    """Every HTXSNV candidate's place in rank order, with a note saying what the quota does to it."""
    places = []
    for rank, candidate in enumerate([*inside, *tied, *below], start=1):
        if rank <= len(inside):
            status, level, note = "inside", Level.EXCELLENT, "Trong tỷ lệ, giữ mức Hoàn thành xuất sắc nhiệm vụ."
        elif rank <= len(inside) + len(tied):
            status, level, note = "tie", None, "Bằng nhau tại ngưỡng cắt: cấp ủy xem xét, quyết định."
        else:
            status, level = "pushed", Level.GOOD
            note = f"Hạ xuống {reason.cap.label}: {reason.text} {reason.source}"
        places.append(QuotaPlace(candidate[0], rank, status, level, note))
    return tuple(places)
