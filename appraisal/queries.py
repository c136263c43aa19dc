"""Reads for the appraisal app: frameworks loaded into the engine's dataclasses.

Loading and deciding never mix [STYLE]: this module fetches rows in a constant number of queries
and builds the frozen `FrameworkSpec` that `appraisal.rules` computes from.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from appraisal.rules import framework as spec_mod
from appraisal.rules.defaults import default_thresholds
from appraisal.rules.levels import AxisRole, Level, ScoringKind
from appraisal.rules.levels import ResultAxis as EngineAxis
from appraisal.rules.levels import SubjectType as EngineSubject

from .models import ConditionCap, Criterion, CriterionKind, Framework, Rating, RatingStatus


@dataclass(frozen=True)
class CriterionRow:
    """One criterion as a flat row (the editor's form row, the XLSX row); `where` locates it."""

    code: str
    parent_code: str
    title: str
    guidance: str
    max_points: Decimal
    kind: str
    is_key: bool = False
    axis: int | None = None
    axis_weight: str = ""
    where: str = ""


@dataclass(frozen=True)
class CapRow:
    """One condition cap as a flat row."""

    condition: str
    max_level: str
    step_down: bool
    reason: str
    source: str
    enabled: bool = True
    where: str = ""


@dataclass(frozen=True)
class FrameworkSettings:
    """A framework's settings as plain data (what the settings sheet holds)."""

    code: str
    name: str
    year: int
    subject_type: str
    description: str
    threshold_excellent: Decimal
    threshold_good: Decimal
    threshold_pass: Decimal
    exceeded_share: Decimal
    short_share_max: Decimal
    quota_share: Decimal
    quota_base_level: str
    quota_rounding: str
    small_group_size: int
    small_group_requires_all: bool


SETTINGS_FIELDS = tuple(FrameworkSettings.__dataclass_fields__)


def framework_list() -> QuerySet[Framework]:
    """Frameworks for the list page, with their criteria count and frozen flag, in one query."""
    return Framework.objects.with_frozen().annotate(criteria_count=Count("criteria")).order_by(
        "subject_type", "-year", "code"
    )


def framework_with_tree(pk) -> Framework:
    """One framework with its criteria and caps prefetched and its frozen flag (3 queries)."""
    return (
        Framework.objects.with_frozen()
        .select_related("copied_from")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")),
            Prefetch("caps", queryset=ConditionCap.objects.order_by("order", "id")),
        )
        .get(pk=pk)
    )


def is_frozen(framework: Framework) -> bool:
    """Whether a decided rating uses the framework (then it must not change)."""
    return Rating.objects.filter(framework=framework, status=RatingStatus.DECIDED).exists()


def settings_of(framework: Framework) -> FrameworkSettings:
    """The framework's settings as plain data."""
    return FrameworkSettings(**{name: getattr(framework, name) for name in SETTINGS_FIELDS})


def criterion_rows(framework: Framework) -> list[CriterionRow]:
    """The framework's criteria as flat rows in tree order (uses prefetched criteria if present)."""
    criteria = list(framework.criteria.all())
    by_id = {c.pk: c for c in criteria}
    return [
        CriterionRow(
            code=c.code,
            parent_code=by_id[c.parent_id].code if c.parent_id else "",
            title=c.title,
            guidance=c.guidance,
            max_points=c.max_points,
            kind=c.kind,
            is_key=c.is_key,
            axis=c.axis,
            axis_weight=c.axis_weight,
        )
        for c in tree_order(criteria)
    ]


def cap_rows(framework: Framework) -> list[CapRow]:
    """The framework's condition caps as flat rows."""
    return [
        CapRow(
            condition=cap.condition,
            max_level=cap.max_level,
            step_down=cap.step_down,
            reason=cap.reason,
            source=cap.source,
            enabled=cap.enabled,
        )
        for cap in framework.caps.all()
    ]


def tree_order(criteria: list[Criterion]) -> list[Criterion]:
    """Criteria depth-first (each group followed by its children), keeping `order` among siblings.

    Each item gets `depth` set for indentation in the page.
    """
    children = defaultdict(list)
    for c in criteria:
        children[c.parent_id].append(c)
    result: list[Criterion] = []

    def walk(parent_id, depth):
        for c in sorted(children.get(parent_id, ()), key=lambda x: (x.order, x.pk or 0)):
            c.depth = depth
            result.append(c)
            walk(c.pk, depth + 1)

    walk(None, 0)
    return result


def load_framework_spec(framework_id: int) -> spec_mod.FrameworkSpec:
    """Load a framework, its criteria and its enabled caps into the engine's spec (3 queries)."""
    framework = framework_with_tree(framework_id)
    return spec_from_rows(settings_of(framework), criterion_rows(framework), cap_rows(framework))


def spec_from_rows(
    settings: FrameworkSettings, rows: list[CriterionRow], caps: list[CapRow]
) -> spec_mod.FrameworkSpec:
    """Build the engine's FrameworkSpec from plain rows (DB, form or XLSX alike).

    The rows must already be structurally sound (see `services.check_criteria_rows`).
    """
    children = defaultdict(list)
    for row in rows:
        children[row.parent_code].append(row)

    def node(row: CriterionRow):
        if row.kind == CriterionKind.GROUP:
            return spec_mod.GroupSpec(
                code=row.code,
                title=row.title,
                max_points=row.max_points,
                children=tuple(node(child) for child in children.get(row.code, ())),
            )
        return spec_mod.CriterionSpec(
            code=row.code,
            title=row.title,
            max_points=row.max_points,
            kind=ScoringKind(row.kind),
            key=row.is_key,
            axis=EngineAxis(row.axis) if row.axis else None,
            axis_role=AxisRole(row.axis_weight) if row.axis_weight else None,
        )

    return spec_mod.FrameworkSpec(
        code=settings.code,
        title=settings.name,
        subject_type=EngineSubject(settings.subject_type),
        groups=tuple(node(row) for row in children.get("", ())),
        thresholds=spec_mod.Thresholds(
            excellent=settings.threshold_excellent,
            good=settings.threshold_good,
            passing=settings.threshold_pass,
            # The numbers are the framework's; the rule they stand for is the subject type's.
            source=default_thresholds(EngineSubject(settings.subject_type)).source,
        ),
        caps=tuple(
            spec_mod.ConditionCap(
                code=cap.condition,
                level=Level.from_code(cap.max_level) if cap.max_level else None,
                reason=cap.reason,
                source=cap.source,
                step_down=cap.step_down,
            )
            for cap in caps
            if cap.enabled
        ),
        exceeded_share=settings.exceeded_share,
        short_share_max=settings.short_share_max,
        quota=spec_mod.QuotaSettings(
            share=settings.quota_share,
            base_min_level=Level.from_code(settings.quota_base_level),
            small_group_size=settings.small_group_size,
            small_group_requires_all=settings.small_group_requires_all,
            rounding=settings.quota_rounding,
        ),
    )
