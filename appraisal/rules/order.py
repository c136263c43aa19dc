"""The order subject types are rated in: a subject after every subject whose level it reads.

[003 C.I.3, C.III.3.1, C.III.5; DOMAIN §6 Order] A committee's level never exceeds its
organisation's; a head's never exceeds the collective they head; a base organisation's reads its
members', its sub-organisations' and its unit leadership's levels. While a level it reads is
unknown the engine holds the subject (`RatingResult.held`); rating in this order avoids it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from .levels import SubjectType

# Which subject types' levels each subject type reads, in the same period. A base
# organisation also reads base organisations: its own sub-organisations (see `bottom_up`).
# Yearly leaders read their quarters, decided in earlier periods, so no edge for those.
DEPENDS_ON: dict[SubjectType, frozenset[SubjectType]] = {
    SubjectType.MEMBER_YEARLY: frozenset(),
    SubjectType.LEADER_QUARTERLY: frozenset(),
    SubjectType.COLLECTIVE_YEARLY: frozenset(),
    SubjectType.BASE_ORG_YEARLY: frozenset({
        SubjectType.MEMBER_YEARLY, SubjectType.COLLECTIVE_YEARLY, SubjectType.BASE_ORG_YEARLY,
    }),
    SubjectType.COMMITTEE_YEARLY: frozenset({SubjectType.BASE_ORG_YEARLY}),
    SubjectType.LEADER_YEARLY: frozenset({SubjectType.COLLECTIVE_YEARLY}),
}


def rating_stages(depends_on: Mapping[SubjectType, frozenset[SubjectType]] = DEPENDS_ON) -> tuple[tuple[SubjectType, ...], ...]:
    """Return the subject types in stages: each stage reads only levels decided in earlier stages.

    With the defaults: (members, quarterly leaders, collectives), (yearly leaders, base
    organisations), (committees). Within a stage the types are independent.
    """
    done: set[SubjectType] = set()
    stages = []
    while len(done) < len(depends_on):
        stage = tuple(
            t for t in SubjectType
            if t in depends_on and t not in done and (depends_on[t] - {t}) <= done
        )
        if not stage:
            raise ValueError("Thứ tự xếp loại có vòng lặp giữa các loại đối tượng.")
        stages.append(stage)
        done.update(stage)
    return tuple(stages)


def bottom_up(parent_of: Mapping[Hashable, Hashable | None], ids: Iterable[Hashable] | None = None) -> list[Hashable]:
    """Order organisations so each comes after its sub-organisations (a đảng bộ cơ sở after its chi bộ) [003 C.I.3].

    `parent_of` maps each organisation to its parent (None at the top); `ids` limits the result
    (default: every key). Siblings keep the order of `ids`.
    """
    wanted = list(parent_of) if ids is None else list(ids)
    depth: dict[Hashable, int] = {}
    for node in wanted:
        chain, current = [], node
        while current is not None and current not in depth:
            if current in chain:
                raise ValueError("Cây tổ chức có vòng lặp.")
            chain.append(current)
            current = parent_of.get(current)
        base = -1 if current is None else depth[current]
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item] = base + offset
    return sorted(wanted, key=lambda node: -depth[node])
