"""The HTXSNV quota of the peer groups a decision touches [002 §4.1; 003 C.IV.10]."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from appraisal.models import (
    LevelCode,
    Period,
    Rating,
    RatingStatus,
)
from appraisal.rules import (
    Level,
    QuotaArithmetic,
    quota_arithmetic,
)
from appraisal.scoring.loader import frameworks

# ------------------------------------------------------------------------------ quota and decision


@dataclass(frozen=True)
class QuotaCheck:
    """The quota of one peer group with a batch decided: the engine's arithmetic and the count."""

    label: str
    arithmetic: QuotaArithmetic
    excellent: int

    @property
    def allowed(self) -> int:
        return self.arithmetic.allowed

    @property
    def exceeded(self) -> bool:
        return self.excellent > self.allowed

    def text(self) -> str:
        return (
            f"{self.label}: {self.arithmetic.base_text}, {self.arithmetic.text}; "
            f"quyết định này sẽ có {self.excellent} Hoàn thành xuất sắc nhiệm vụ."
        )


def quota_checks(period: Period, levels: dict[int, str]) -> list[QuotaCheck]:
    """For each peer group of the ratings in `levels` (rating id → level to decide), the quota
    with those levels decided: decided levels count as decided, the rest as proposed."""
    batch = Rating.objects.filter(pk__in=levels).values_list("peer_group", flat=True).distinct()
    members = Rating.objects.filter(period=period, is_live=True, peer_group__in=list(batch)).exclude(
        status=RatingStatus.EXCLUDED
    ).values_list("pk", "peer_group", "peer_group_label", "framework_id", "status", "proposed_level", "approved_level")
    groups: dict[str, list] = defaultdict(list)
    labels, framework = {}, {}
    for pk, key, label, framework_id, status, proposed, approved in members:
        if pk in levels:
            level = levels[pk]
        elif status == RatingStatus.DECIDED:
            level = approved
        elif status in (RatingStatus.PROPOSED, RatingStatus.VERIFIED):
            level = proposed
        else:
            level = ""
        groups[key].append((pk, level, status == RatingStatus.DECIDED or pk in levels))
        labels[key], framework[key] = label, framework_id
    # A re-rating in the batch stands for the live rating it replaces.
    for new_pk, old_pk in Rating.objects.filter(pk__in=levels, supersedes__isnull=False).values_list("pk", "supersedes_id"):
        for rows in groups.values():
            for i, (pk, _level, _decided) in enumerate(rows):
                if pk == old_pk:
                    rows[i] = (old_pk, levels[new_pk], True)
    specs = frameworks(set(framework.values()))
    checks = []
    for key, rows in groups.items():
        settings = specs[framework[key]].spec.quota
        base = sum(1 for _, level, _ in rows if level and Level.from_code(level) >= settings.base_min_level)
        excellent = sum(1 for _, level, decided in rows if decided and level == LevelCode.EXCELLENT)
        checks.append(QuotaCheck(labels[key], quota_arithmetic(base, len(rows), settings), excellent))
    return checks
