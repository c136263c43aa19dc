"""Result axes: points computed from the work products, weighed by each person's primary axes.

[002 I.2.2, II.1.5; DOMAIN §5] A leader's task points come from the approved work products
("Điểm nhiệm vụ tính từ danh mục sản phẩm, công việc… quy về 70 điểm"): each product counts
for its axis by how it was done — progress weighs 30 %, quality 70 %, each 100 / 80 / 60 / 0 %
(the common reading of Quy định 366's appendix) — so an axis criterion is scored as achieved/plan
like any quantitative criterion. Each person marks which axes are primary (chính, chủ yếu) and
which secondary (phụ, phối hợp, hỗ trợ) for them; primary axes carry more weight: a marking other
than the framework's shares the framework's primary points equally among the person's primary
axes and its secondary points among the secondary ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal

from .framework import CriterionSpec, FrameworkSpec, GroupSpec
from .levels import AxisRole

ZERO = Decimal(0)
CENT = Decimal("0.01")
PROGRESS_WEIGHT = Decimal("0.3")
QUALITY_WEIGHT = Decimal("0.7")
LATE = Decimal("0.6")  # a task done, not on time
QUALITY_SHARE = {1: Decimal(1), 2: Decimal("0.8"), 3: Decimal("0.6")}  # [002 §5.3]: 1 proactive … 3 unmet


def product_result(*, completed: bool | None, on_time: bool | None, quality: int | None,
                   excused: bool) -> Decimal | None:
    """What one product contributes to its axis, 0–1; None when it does not count (not completed
    by force majeure confirmed by the competent authority) [002 §5.3; 002 fn 2].

    Done: 30 % progress (on time 100 %, late 60 %) + 70 % quality (1: 100 %, 2: 80 %, 3: 60 %);
    a progress or quality not recorded counts as met. Not done: 0.
    """
    if not completed:
        return None if excused else ZERO
    progress = LATE if on_time is False else Decimal(1)
    return PROGRESS_WEIGHT * progress + QUALITY_WEIGHT * QUALITY_SHARE.get(quality, Decimal(1))


def axis_results(products: Iterable[tuple[int | None, Decimal | None]]) -> dict[int, tuple[Decimal, int]]:
    """Per axis: (achieved, plan) of the products on it — the sum of their results and how many
    count — from (axis, result) pairs; products with no axis or that do not count are left out."""
    found: dict[int, list] = {}
    for axis, result in products:
        if axis is None or result is None:
            continue
        entry = found.setdefault(axis, [ZERO, 0])
        entry[0] += result
        entry[1] += 1
    return {axis: (achieved, plan) for axis, (achieved, plan) in found.items()}


def axis_role_problems(spec: FrameworkSpec, roles: Mapping[int, str]) -> list[str]:
    """What is wrong with a person's marking of their axes: unknown axes or roles, none primary."""
    problems = []
    axes = {c.axis.value for c in spec.criteria() if c.axis is not None}
    for axis, role in roles.items():
        if axis not in axes:
            problems.append(f"Khung tiêu chí không có trục kết quả ({axis}).")
        if role not in {r.value for r in AxisRole}:
            problems.append(f"Trục ({axis}): vai trò «{role}» không hợp lệ.")
    if axes and not problems:
        marked = {c.axis.value: roles.get(c.axis.value, c.axis_role.value if c.axis_role else "")
                  for c in spec.criteria() if c.axis is not None}
        if AxisRole.PRIMARY.value not in marked.values():
            problems.append("Phải xác định ít nhất một trục kết quả giữ vai trò chính, chủ yếu [002 II.1.5].")
    return problems


def with_axis_roles(spec: FrameworkSpec, roles: Mapping[int, str]) -> FrameworkSpec:
    """The framework as it scores one person who marked their axes `roles` (axis → "primary" /
    "secondary"): the same spec when the marking is the framework's own; otherwise, within each
    group, the framework's primary points shared equally among the person's primary axes and its
    secondary points among the secondary ones (hundredths left over go to the first axes), so the
    group's total never changes and primary axes weigh more [002 II.1.5]."""
    if not roles:
        return spec
    return replace(spec, groups=tuple(_regroup(g, roles) for g in spec.groups))


def _regroup(group: GroupSpec, roles: Mapping[int, str]) -> GroupSpec:
    children = tuple(_regroup(c, roles) if isinstance(c, GroupSpec) else c for c in group.children)
    axis = [c for c in children if isinstance(c, CriterionSpec) and c.axis is not None and c.axis_role is not None]
    new_roles = {c.code: AxisRole(roles.get(c.axis.value, c.axis_role.value)) for c in axis}
    if all(new_roles[c.code] is c.axis_role for c in axis):
        return replace(group, children=children)
    points = {}
    for role in AxisRole:
        pool = sum((c.max_points for c in axis if c.axis_role is role), ZERO)
        takers = [c for c in axis if new_roles[c.code] is role]
        if not takers:
            continue
        share = (pool / len(takers)).quantize(CENT, ROUND_DOWN)
        left = int((pool - share * len(takers)) / CENT)
        for index, c in enumerate(takers):
            points[c.code] = share + (CENT if index < left else ZERO)
    # Points of a role nobody took (all marked primary, say) go to the other role's axes.
    taken = sum(points.values(), ZERO)
    whole = sum((c.max_points for c in axis), ZERO)
    if taken != whole:
        _spread(points, whole - taken, [c.code for c in axis])
    return replace(group, children=tuple(
        replace(c, max_points=points[c.code], axis_role=new_roles[c.code]) if c.code in points else c
        for c in children
    ))


def _spread(points: dict[str, Decimal], extra: Decimal, codes: list[str]) -> None:
    share = (extra / len(codes)).quantize(CENT, ROUND_DOWN)
    left = int((extra - share * len(codes)) / CENT)
    for index, code in enumerate(codes):
        points[code] = points.get(code, ZERO) + share + (CENT if index < left else ZERO)


def role_of(criterion: CriterionSpec, roles: Mapping[int, str]) -> AxisRole | None:
    """The role a person gives the axis of a criterion (the framework's when they did not mark it)."""
    if criterion.axis is None:
        return None
    marked = roles.get(criterion.axis.value)
    return AxisRole(marked) if marked else criterion.axis_role

