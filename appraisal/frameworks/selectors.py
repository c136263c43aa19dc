"""Reads for the appraisal app: frameworks loaded into the engine's dataclasses.

Loading and deciding never mix [STYLE]: this module fetches rows in a constant number of queries
and builds what `appraisal.rules` computes from — the `FrameworkSpec`, and the
`CompiledFramework` the engine rates with (validated and compiled once per framework and run).
The row types (`FrameworkSettings`, `CriterionRow`, `CapRow`) are the engine's; they are
re-exported here for the forms, the workbook and the services.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from appraisal.models import ConditionCap, Criterion, Framework, Rating, RatingStatus
from appraisal.rules import (
    SETTINGS_FIELDS,
    CapDescription,
    CapRow,
    CompiledFramework,
    CriterionRow,
    FrameworkError,
    FrameworkSettings,
    FrameworkSpec,
    Level,
    QuotaSettings,
    build_framework,
    cap_values,
    compile_framework,
    default_quota,
    describe_cap,
    framework_problems,
    quota_settings,
)
from appraisal.rules import ConditionCap as ConditionCapSpec
from appraisal.rules import SubjectType as EngineSubject

__all__ = [
    "CAP_FIELDS",
    "CRITERION_FIELDS",
    "SETTINGS_FIELDS",
    "CapRow",
    "CriterionRow",
    "FrameworkSettings",
    "cap_rows",
    "compiled_framework",
    "criterion_rows",
    "described_caps",
    "framework_list",
    "framework_problems_of",
    "framework_spec_of",
    "framework_with_tree",
    "is_frozen",
    "settings_of",
    "stored_values",
    "tree_order",
]


# The columns a Criterion and a ConditionCap store as their row says (besides tree and order).
CRITERION_FIELDS = ("title", "guidance", "max_points", "kind", "is_key", "axis", "axis_weight")
CAP_FIELDS = ("condition", "max_level", "step_down", "reason", "source", "enabled")


def stored_values(obj, names: Iterable[str]) -> dict:
    """The attributes `names` of a row or a model instance, by name."""
    return {name: getattr(obj, name) for name in names}


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


def get_framework(pk) -> Framework:
    """A framework with its criteria and caps, or 404."""
    try:
        return framework_with_tree(pk)
    except (Framework.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy khung tiêu chí.") from exc


def is_frozen(framework: Framework) -> bool:
    """Whether a decided rating uses the framework (then it must not change)."""
    return Rating.objects.filter(framework=framework, status=RatingStatus.DECIDED).exists()


def settings_of(framework: Framework) -> FrameworkSettings:
    """The framework's settings as plain data."""
    return FrameworkSettings(**stored_values(framework, SETTINGS_FIELDS))


def criterion_rows(framework: Framework) -> list[CriterionRow]:
    """The framework's criteria as flat rows in tree order (uses prefetched criteria if present)."""
    criteria = list(framework.criteria.all())
    by_id = {c.pk: c for c in criteria}
    return [
        CriterionRow(
            code=c.code,
            parent_code=by_id[c.parent_id].code if c.parent_id else "",
            **stored_values(c, CRITERION_FIELDS),
        )
        for c in tree_order(criteria)
    ]


def cap_rows(framework: Framework) -> list[CapRow]:
    """The framework's condition caps as flat rows."""
    return [CapRow(**stored_values(cap, CAP_FIELDS)) for cap in framework.caps.all()]


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


def framework_problems_of(framework: Framework) -> list[str]:
    """What keeps a stored framework from being used, by the engine's one validator (none if valid)."""
    return framework_problems(settings_of(framework), criterion_rows(framework), cap_rows(framework))


def described_caps(framework: Framework) -> list[tuple[CapDescription, bool]]:
    """The framework's caps in words (Vietnamese name, level allowed, reason with its values) and whether each applies."""
    return [
        (
            describe_cap(
                ConditionCapSpec(cap.condition, _level(cap.max_level), cap.reason, cap.source, cap.step_down),
                cap_values(cap.condition, framework.exceeded_share, framework.short_share_max),
            ),
            cap.enabled,
        )
        for cap in framework.caps.all()
    ]


def _level(code: str) -> Level | None:
    """A stored level code as the engine's Level (None for "" or a code the validator would refuse)."""
    try:
        return Level.from_code(code) if code else None
    except KeyError:
        return None


def framework_spec_of(framework: Framework) -> FrameworkSpec:
    """The engine's FrameworkSpec of a framework loaded with its tree; FrameworkError if it is not valid."""
    return build_framework(settings_of(framework), criterion_rows(framework), cap_rows(framework))


def compiled_framework(framework: Framework) -> CompiledFramework:
    """The framework compiled for rating (validated once); FrameworkError if it is not valid."""
    return compile_framework(framework_spec_of(framework))


def quota_settings_of(framework_ids: Iterable[int]) -> dict[int, QuotaSettings]:
    """Each framework's quota settings (one query; the criteria are not needed) — the defaults of
    its subject type where the settings are not valid."""
    out = {}
    for framework in Framework.objects.filter(pk__in=set(framework_ids)):
        try:
            out[framework.pk] = quota_settings(settings_of(framework))
        except FrameworkError:
            out[framework.pk] = default_quota(EngineSubject(framework.subject_type))
    return out
