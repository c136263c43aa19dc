"""A criteria framework as data: the criteria tree, thresholds, condition caps, quota settings.

Two shapes of the same thing, both plain data edited by staff, never code [DOMAIN §5; STYLE]:

- the flat rows the editor, the XLSX workbook and the database hold (`FrameworkSettings`,
  `CriterionRow`, `CapRow`), checked and turned into a tree by `validation.build_framework`;
- the tree the engine reads (`FrameworkSpec` of `GroupSpec` and `CriterionSpec`), compiled for
  rating by `compiled.compile_framework`.

Nothing here checks or computes; `validation` is the one place that checks a framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .levels import AxisRole, Level, ResultAxis, ScoringKind, SubjectType

GROUP = "group"  # the kind of a CriterionRow that is a group of criteria, not a scored criterion
# "khung tiêu chí ... với thang điểm 100" [000 §2.2; 004 IV.2]: the default; each framework holds its own.
DEFAULT_TOTAL_POINTS = Decimal(100)


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """One scored criterion (tiêu chí) with its maximum points (điểm chuẩn)."""

    code: str
    title: str
    max_points: Decimal
    kind: ScoringKind = ScoringKind.QUALITATIVE
    key: bool = False
    axis: ResultAxis | None = None
    axis_role: AxisRole | None = None


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """A group of criteria (nhóm tiêu chí); children are criteria or groups."""

    code: str
    title: str
    max_points: Decimal
    children: tuple[GroupSpec | CriterionSpec, ...]
    children_sum_exact: bool = True


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Minimum totals for HTXSNV / HTTNV / HTNV; below `passing` is KHTNV [002 §4; 003 C.I.2]."""

    excellent: Decimal = Decimal(90)
    good: Decimal = Decimal(70)
    passing: Decimal = Decimal(50)
    source: str = "[002 §4.1–4.4; 004 IV.2]"


@dataclass(frozen=True, slots=True)
class ConditionCap:
    """A condition code → the highest level allowed when it applies.

    `level=None` caps at the level of a related subject (the collective a head leads,
    the organisation of a committee). `step_down=True` also lowers one level below the
    score's level (003 C.I.2.3–2.4: ≥ 70 points ⇒ HTNV, 50–70 points ⇒ KHTNV).
    `reason` is a Vietnamese template filled with the condition's figures ({codes}, {share} …).
    """

    code: str
    level: Level | None
    reason: str
    source: str
    step_down: bool = False

    def cap_for(self, score_level: Level, related: Level | None = None) -> Level:
        """Return the highest level this cap allows for a subject at `score_level`."""
        cap = self.level if self.level is not None else related
        if cap is None:
            cap = Level.EXCELLENT
        if self.step_down and score_level > Level.FAIL:
            cap = min(cap, Level(score_level - 1))
        return cap


@dataclass(frozen=True, slots=True)
class QuotaSettings:
    """HTXSNV quota within a peer group [002 §4.1; 003 C.I.2.1, C.II.2.1, C.IV.10].

    The small-group rule has two readings: `small_group_requires_all=True` is 002 §4.1
    ("dưới 05 cán bộ ... và có 100% xếp loại HTTNV": fewer than 5 in the group, all HTTNV
    or above); `False` is 003 C.IV.10 ("dưới 05 ... xếp loại HTTNV": fewer than 5 rated HTTNV
    or above, whatever the group's size). Either way the group gets at least 1 seat.
    """

    share: Decimal = Decimal("0.2")
    base_min_level: Level = Level.GOOD
    small_group_size: int = 5
    small_group_requires_all: bool = True
    rounding: str = "ROUND_HALF_UP"
    source: str = "[002 §4.1; 003 C.IV.10]"


@dataclass(frozen=True, slots=True, kw_only=True)
class FrameworkSpec:
    """A criteria framework (khung tiêu chí, biểu điểm) for one subject type, every setting given.

    `defaults.framework_spec` fills the settings left out with the subject type's defaults;
    `validation.build_framework` builds one from rows. Compile it (`compile_framework`) to rate.
    """

    code: str
    title: str
    subject_type: SubjectType
    groups: tuple[GroupSpec, ...]
    thresholds: Thresholds
    caps: tuple[ConditionCap, ...]
    exceeded_share: Decimal
    short_share_max: Decimal
    quota: QuotaSettings
    total_points: Decimal

    def criteria(self) -> tuple[CriterionSpec, ...]:
        """Return the leaf criteria in framework order."""
        return tuple(walk_criteria(self.groups))

    def cap(self, code: str) -> ConditionCap | None:
        """Return the cap configured for a condition code, or None if it is off."""
        return next((cap for cap in self.caps if cap.code == code), None)


def walk_criteria(nodes):
    """Yield the criteria under `nodes`, depth first, in order."""
    for node in nodes:
        if isinstance(node, GroupSpec):
            yield from walk_criteria(node.children)
        else:
            yield node


# ---------------------------------------------------------------- the flat rows (editor, XLSX, database)


@dataclass(frozen=True)
class FrameworkSettings:
    """A framework's settings as plain data, named as the database names them.

    `subject_type`, `quota_base_level` ("HTTNV") and `quota_rounding` ("ROUND_HALF_UP") are the
    stored codes; `validation.settings_problems` checks them. `total_points` is the framework's
    total (100 in every seed [000 §2.2; 004 IV.2]).
    """

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
    total_points: Decimal = DEFAULT_TOTAL_POINTS


@dataclass(frozen=True)
class CriterionRow:
    """One group or criterion as a flat row (the editor's form row, the XLSX row); `where` locates it.

    `kind` is "group", "quantitative" or "qualitative"; `axis` 1–6; `axis_weight` "primary",
    "secondary" or "".
    """

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
    """One condition cap as a flat row; `max_level` is a level code ("HTTNV") or "" (the related level)."""

    condition: str
    max_level: str
    step_down: bool
    reason: str
    source: str
    enabled: bool = True
    where: str = ""


# Every stored setting of a framework, in the order the settings sheet lists them.
SETTINGS_FIELDS = tuple(name for name in FrameworkSettings.__dataclass_fields__ if name != "total_points")

SETTING_LABELS = {
    "code": "Mã khung tiêu chí",
    "name": "Tên khung tiêu chí",
    "year": "Năm áp dụng",
    "subject_type": "Đối tượng",
    "description": "Căn cứ, ghi chú",
    "threshold_excellent": "Điểm tối thiểu HTXSNV",
    "threshold_good": "Điểm tối thiểu HTTNV",
    "threshold_pass": "Điểm tối thiểu HTNV",
    "exceeded_share": "Tỷ lệ nhiệm vụ vượt mức để đạt HTXSNV",
    "short_share_max": "Tỷ lệ tối đa tiêu chí chưa bảo đảm (HTNV)",
    "quota_share": "Tỷ lệ HTXSNV tối đa",
    "quota_base_level": "Tính tỷ lệ trên số xếp loại từ",
    "quota_rounding": "Cách làm tròn",
    "small_group_size": "Nhóm nhỏ: dưới bao nhiêu đối tượng",
    "small_group_requires_all": "Nhóm nhỏ: cần 100% đạt HTTNV trở lên",
    "total_points": "Tổng điểm tối đa",
}

ROUNDINGS = {
    "ROUND_HALF_UP": "làm tròn 0,5 lên",
    "ROUND_DOWN": "làm tròn xuống",
    "ROUND_UP": "làm tròn lên",
}
