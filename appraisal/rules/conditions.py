"""Conditions that cap a subject's level, per subject type, driven by the framework's caps.

A condition never raises a level: the final level is the lowest of the score's level and
every applicable cap [DOMAIN §6].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ._fast import fast_init
from ._text import SafeFormat, fmt_number, fmt_percent, fmt_ratio
from .framework import ConditionCap, FrameworkSpec
from .levels import BaseOrgKind, CriterionLevel, Discipline, Level, SubjectType
from .scoring import ScoreSheet

SEVENTY = Decimal(70)
FIFTY = Decimal(50)
_EXC, _GOOD, _POOR = CriterionLevel.EXCELLENT, CriterionLevel.GOOD, CriterionLevel.POOR


@fast_init
@dataclass(frozen=True, slots=True)
class Reason:
    """Why a subject's level is what it is: the level allowed, the text, the source."""

    code: str
    cap: Level
    text: str
    source: str

    def __str__(self) -> str:
        return f"{self.cap.label}: {self.text} {self.source}"


@fast_init
@dataclass(frozen=True, slots=True)
class Flag:
    """Something the committee must look at; it does not change the level by itself."""

    code: str
    text: str
    source: str

    def __str__(self) -> str:
        return f"{self.text} {self.source}"


@fast_init
@dataclass(frozen=True, slots=True)
class Facts:
    """Everything besides criterion scores that conditions look at; defaults are neutral.

    Tasks (individuals): `tasks_done` counts completed tasks, `tasks_force_majeure` the
    incomplete ones excused as force majeure by the competent authority; `tasks_on_time`
    (default: `tasks_done`) those on time with quality; `tasks_exceeded` those exceeded.
    Percentages (`*_targets_pct`) are 0–100 with force majeure already excluded;
    `main_targets_missed`: some of the main targets (chỉ tiêu chủ yếu) of the organisation a
    committee leads fell short of 100 %, force majeure excepted [003 C.III.3.4].
    """

    tasks_assigned: int = 0
    tasks_done: int = 0
    tasks_force_majeure: int = 0
    tasks_on_time: int | None = None
    tasks_exceeded: int = 0
    outstanding: bool = False
    discipline: Discipline = Discipline.NONE
    discipline_self_remedied: bool = False
    degradation: bool = False
    managed_corruption: bool = False
    managed_corruption_excused: bool = False
    managed_corruption_remedied: bool = False
    low_confidence_votes: int = 0
    confidence_votes_cast: int = 0
    is_head: bool = False
    in_collective: bool = False
    collective_level: Level | None = None
    collective_targets_pct: Decimal | None = None
    quarter_levels: tuple[Level, ...] = ()
    org_kind: BaseOrgKind = BaseOrgKind.CELL
    sub_total: int = 0
    sub_pass_or_above: int = 0
    sub_good_or_above: int = 0
    sub_disciplined: int = 0
    leadership_level: Level | None = None
    committee_member_discipline: Discipline = Discipline.NONE
    committee_member_discipline_remedied: bool = False
    sub_unit_violation: bool = False
    sub_unit_violation_remedied: bool = False
    targets_pct: Decimal | None = None
    main_targets_missed: bool = False
    org_disciplined: bool = False
    committee_disciplined: bool = False
    committee_discipline_remedied: bool = False
    organisation_level: Level | None = None
    disunity: bool = False
    degraded_member: bool = False


NO_FACTS = Facts()


@dataclass(frozen=True, slots=True)
class QuarterSummary:
    """What a year's quarterly levels say about the yearly rating [002 §8.2]."""

    excellent: int
    failed: int
    longest_failed_run: int


@dataclass(frozen=True, slots=True)
class ConditionOutcome:
    """The binding reasons, flags and the resulting level after conditions."""

    level: Level
    reasons: tuple[Reason, ...]
    flags: tuple[Flag, ...]


# (condition code, figures for the reason, related level for relative caps)
Hit = tuple[str, dict, Level | None]
# A cap that can bind at a given score level: the cap, the level it allows (None when it
# depends on a related subject's level) and its Reason when the wording has no figures.
LiveCap = tuple[ConditionCap, Level | None, "Reason | None"]


def summarise_quarters(levels: Sequence[Level]) -> QuarterSummary:
    """Count HTXSNV quarters, KHTNV quarters and the longest run of consecutive KHTNV [002 §8.2]."""
    excellent = failed = run = longest = 0
    for level in levels:
        if level == Level.EXCELLENT:
            excellent += 1
        if level == Level.FAIL:
            failed += 1
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return QuarterSummary(excellent, failed, longest)


def check_conditions(
    spec: FrameworkSpec, sheet: ScoreSheet, facts: Facts, score_level: Level
) -> ConditionOutcome:
    """Apply the framework's caps for the subject type to a scored subject [DOMAIN §6; 002 §4; 003 C.I–C.III]."""
    return ConditionOutcome(*apply_caps(spec, sheet, facts, score_level))


def apply_caps(
    spec: FrameworkSpec, sheet: ScoreSheet, facts: Facts, score_level: Level
) -> tuple[Level, tuple[Reason, ...], tuple[Flag, ...]]:
    """Return the level, reasons and flags that `check_conditions` wraps [DOMAIN §6]."""
    hits_of, live_by_level = spec._conditions
    live = live_by_level[score_level]
    flags: list[Flag] = []
    # Only caps that can lower this score's level are checked and worded (see compile_caps).
    hits = hits_of(spec, sheet, facts, flags, live)
    if not hits:
        return score_level, (), tuple(flags)
    level = score_level
    reasons: list[Reason] = []
    for code, params, related in hits:
        cap, allowed, reason = live[code]
        if allowed is None:
            allowed = cap.cap_for(score_level, related)
            if allowed >= score_level:
                continue
        if reason is None:
            reason = Reason(code, allowed, cap.reason.format_map(SafeFormat(params)), cap.source)
        reasons.append(reason)
        if allowed < level:
            level = allowed
    return level, tuple(reasons), tuple(flags)


def compile_caps(spec: FrameworkSpec) -> tuple[Callable[..., list[Hit]], tuple[dict[str, LiveCap], ...]]:
    """Precompute, per score level, the caps that can lower it [DOMAIN §6].

    A cap with a fixed level binds only below that level (or always, with `step_down`,
    above KHTNV); a relative cap may bind at any level above KHTNV. Nothing lowers KHTNV,
    so a failing score checks no cap at all. A reason without figures is worded once here.
    """
    live_by_level: list[dict[str, LiveCap]] = [{} for _ in range(max(Level) + 1)]
    for level in Level:
        live = live_by_level[level]
        for code, cap in spec._caps.items():
            if cap.level is None:
                if level > Level.FAIL:
                    live[code] = (cap, None, None)
                continue
            allowed = cap.cap_for(level)
            if allowed < level:
                fixed = "{" not in cap.reason and "}" not in cap.reason
                reason = Reason(code, allowed, cap.reason, cap.source) if fixed else None
                live[code] = (cap, allowed, reason)
    return _CHECKS[spec.subject_type], tuple(live_by_level)


def _codes(spec: FrameworkSpec, sheet: ScoreSheet, below: CriterionLevel, key_only: bool) -> dict:
    quoted = spec._quoted_codes if sheet.codes is spec._codes else tuple(f"«{c}»" for c in sheet.codes)
    picked = [
        q
        for q, level, key in zip(quoted, sheet.levels, spec._key_flags, strict=True)
        if level < below and (key or not key_only)
    ]
    return {"codes": ", ".join(picked)}


def _task_hits(spec: FrameworkSpec, f: Facts, hits: list[Hit], live: Mapping) -> int:
    required = f.tasks_assigned - f.tasks_force_majeure
    if f.tasks_done < required and "tasks_incomplete" in live:
        hits.append(("tasks_incomplete", {"done": f.tasks_done, "required": required}, None))
    share = spec.exceeded_share
    if share and required > 0 and f.tasks_exceeded < share * required and "exceeded_below_share" in live:
        params = {"exceeded": f.tasks_exceeded, "required": required, "share": fmt_percent(share)}
        hits.append(("exceeded_below_share", params, None))
    return required


def _leader_hits(spec: FrameworkSpec, sheet: ScoreSheet, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    hits: list[Hit] = []
    _task_hits(spec, f, hits, live)
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    if f.discipline >= Discipline.REPRIMAND and "disciplined" in live:
        hits.append(("disciplined", {"discipline": f.discipline.label}, None))
    if f.degradation and "degradation" in live:
        hits.append(("degradation", {}, None))
    if f.managed_corruption and not f.managed_corruption_excused:
        if f.managed_corruption_remedied:
            flags.append(Flag(
                "managed_corruption_remedied",
                "Đã chủ động phát hiện, xử lý, khắc phục vụ việc tham nhũng, tiêu cực trong phạm vi "
                "quản lý: cấp có thẩm quyền xem xét mức xếp loại.",
                "[002 §4.4d]",
            ))
        elif "managed_corruption" in live:
            hits.append(("managed_corruption", {}, None))
    if f.is_head and f.collective_level is not None and "head_above_collective" in live:
        hits.append(("head_above_collective", {"collective": f.collective_level.label}, f.collective_level))
    pct = f.collective_targets_pct
    if pct is not None and pct < SEVENTY and (f.is_head or f.in_collective):
        code = "collective_below_70_head" if f.is_head else "collective_below_70_member"
        if code in live:
            hits.append((code, {"pct": fmt_number(pct) + "%"}, None))
    return hits


def _leader_yearly_hits(
    spec: FrameworkSpec, sheet: ScoreSheet, f: Facts, flags: list[Flag], live: Mapping
) -> list[Hit]:
    hits = _leader_hits(spec, sheet, f, flags, live)
    if f.quarter_levels:
        summary = summarise_quarters(f.quarter_levels)
        if summary.failed and "quarter_failed" in live:
            hits.append(("quarter_failed", {"count": summary.failed}, None))
        if summary.longest_failed_run >= 2:
            flags.append(Flag(
                "consecutive_failed_quarters",
                f"Có {summary.longest_failed_run} quý liên tiếp xếp loại Không hoàn thành nhiệm vụ: "
                "xem xét đưa vào diện theo dõi, kiểm điểm trách nhiệm, điều chuyển hoặc thay thế.",
                "[002 §8.2]",
            ))
    return hits


def _member_hits(spec: FrameworkSpec, sheet: ScoreSheet, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    hits: list[Hit] = []
    required = _task_hits(spec, f, hits, live)
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    if sheet.min_level < _GOOD and "criteria_below_good" in live:
        hits.append(("criteria_below_good", _codes(spec, sheet, _GOOD, False), None))
    if sheet.min_level == _POOR and "criteria_poor" in live:
        hits.append(("criteria_poor", _codes(spec, sheet, CriterionLevel.AVERAGE, False), None))
    if sheet.key_count and sheet.min_key_level < _EXC:
        if "key_below_excellent" in live:
            hits.append(("key_below_excellent", _codes(spec, sheet, _EXC, True), None))
        if sheet.min_key_level < _GOOD and "key_below_good" in live:
            hits.append(("key_below_good", _codes(spec, sheet, _GOOD, True), None))
    on_time = f.tasks_done if f.tasks_on_time is None else f.tasks_on_time
    if on_time < required and "tasks_not_on_time" in live:
        hits.append(("tasks_not_on_time", {"on_time": on_time, "required": required}, None))
    count = len(sheet.codes)
    if sheet.short_count and sheet.short_count > spec.short_share_max * count and "short_over_share" in live:
        params = {"short": sheet.short_count, "count": count, "share": fmt_percent(spec.short_share_max)}
        hits.append(("short_over_share", params, None))
    if f.degradation and "degradation" in live:
        hits.append(("degradation", {}, None))
    if sheet.key_count and sheet.key_not_completed * 2 > sheet.key_count and "key_not_completed_over_half" in live:
        params = {"count": sheet.key_not_completed, "total": sheet.key_count}
        hits.append(("key_not_completed_over_half", params, None))
    if (
        f.confidence_votes_cast
        and f.low_confidence_votes * 2 > f.confidence_votes_cast
        and "low_confidence_over_half" in live
    ):
        params = {"low": f.low_confidence_votes, "cast": f.confidence_votes_cast}
        hits.append(("low_confidence_over_half", params, None))
    if f.discipline >= Discipline.REPRIMAND:
        if f.discipline_self_remedied:
            flags.append(Flag(
                "disciplined_self_remedied",
                f"Bị kỷ luật {f.discipline.label} trong năm nhưng đã tự phát hiện và khắc phục xong hậu quả.",
                "[003 C.II.2.4]",
            ))
        elif "disciplined_in_year" in live:
            hits.append(("disciplined_in_year", {"discipline": f.discipline.label}, None))
    return hits


def _criteria_hits(spec: FrameworkSpec, sheet: ScoreSheet, hits: list[Hit], poor_code: str, live: Mapping) -> None:
    if sheet.min_level < _GOOD:
        if "criteria_below_good" in live:
            hits.append(("criteria_below_good", _codes(spec, sheet, _GOOD, False), None))
        if sheet.min_level == _POOR and poor_code in live:
            hits.append((poor_code, _codes(spec, sheet, CriterionLevel.AVERAGE, False), None))
    if sheet.key_count and sheet.min_key_level < _EXC:
        if "key_below_excellent" in live:
            hits.append(("key_below_excellent", _codes(spec, sheet, _EXC, True), None))
        if sheet.min_key_level < _GOOD and "key_below_good" in live:
            hits.append(("key_below_good", _codes(spec, sheet, _GOOD, True), None))


def _base_org_hits(spec: FrameworkSpec, sheet: ScoreSheet, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    hits: list[Hit] = []
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    _criteria_hits(spec, sheet, hits, "criteria_below_average", live)
    _distribution_hits(f, hits, live)
    if f.leadership_level is not None:
        if f.leadership_level < Level.GOOD and "leadership_below_good" in live:
            hits.append(("leadership_below_good", {"level": f.leadership_level.label}, None))
        if f.leadership_level < Level.PASS and "leadership_below_pass" in live:
            hits.append(("leadership_below_pass", {"level": f.leadership_level.label}, None))
    if f.committee_member_discipline >= Discipline.REPRIMAND:
        code = "committee_member_disciplined"
        if f.committee_member_discipline_remedied:
            code += "_remedied"
        if code in live:
            hits.append((code, {}, None))
    if f.sub_unit_violation and not f.sub_unit_violation_remedied and "sub_unit_violation" in live:
        hits.append(("sub_unit_violation", {}, None))
    if f.targets_pct is not None and f.targets_pct < FIFTY and "targets_below_half" in live:
        hits.append(("targets_below_half", {"pct": fmt_number(f.targets_pct) + "%"}, None))
    if (f.org_disciplined or f.committee_disciplined) and "org_disciplined" in live:
        hits.append(("org_disciplined", {}, None))
    return hits


def _distribution_hits(f: Facts, hits: list[Hit], live: Mapping) -> None:
    total = f.sub_total
    if total <= 0:
        return
    committee = f.org_kind is BaseOrgKind.PARTY_COMMITTEE
    what = "tổ chức đảng trực thuộc" if committee else "đảng viên"
    if f.sub_pass_or_above < total:
        code = "suborgs_not_all_pass" if committee else "members_not_all_pass"
        if code in live:
            hits.append((code, {"count": f.sub_pass_or_above, "total": total}, None))
    good = f.sub_good_or_above
    below_80 = good * 10 < total * 8 and "sub_good_below_80" in live
    below_50 = good * 2 < total and "sub_good_below_50" in live
    if below_80 or below_50:
        params = {"count": good, "total": total, "what": what, "pct": fmt_ratio(good, total)}
        if below_80:
            hits.append(("sub_good_below_80", params, None))
        if below_50:
            hits.append(("sub_good_below_50", params, None))
    if f.sub_disciplined * 5 > total and "sub_disciplined_over_20" in live:
        params = {"count": f.sub_disciplined, "total": total, "what": what}
        hits.append(("sub_disciplined_over_20", params, None))


def _committee_hits(spec: FrameworkSpec, sheet: ScoreSheet, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    hits: list[Hit] = []
    if f.organisation_level is not None and "above_organisation" in live:
        hits.append(("above_organisation", {"organisation": f.organisation_level.label}, f.organisation_level))
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    _criteria_hits(spec, sheet, hits, "criteria_poor", live)
    if (f.disunity or f.degraded_member) and "disunity_or_degraded" in live:
        hits.append(("disunity_or_degraded", {}, None))
    if f.targets_pct is not None and f.targets_pct < FIFTY and "targets_below_half" in live:
        hits.append(("targets_below_half", {"pct": fmt_number(f.targets_pct) + "%"}, None))
    if f.main_targets_missed and "main_targets_missed" in live:
        hits.append(("main_targets_missed", {}, None))
    if f.committee_disciplined:
        remedied = f.committee_discipline_remedied
        code = "committee_disciplined_remedied" if remedied else "committee_disciplined"
        if code in live:
            hits.append((code, {}, None))
    if f.committee_member_discipline >= Discipline.WARNING and "member_disciplined_warning" in live:
        hits.append(("member_disciplined_warning", {"discipline": f.committee_member_discipline.label}, None))
    return hits


_CHECKS: dict[SubjectType, Callable[..., list[Hit]]] = {
    SubjectType.MEMBER_YEARLY: _member_hits,
    SubjectType.LEADER_QUARTERLY: _leader_hits,
    SubjectType.LEADER_YEARLY: _leader_yearly_hits,
    SubjectType.BASE_ORG_YEARLY: _base_org_hits,
    SubjectType.COMMITTEE_YEARLY: _committee_hits,
    SubjectType.COLLECTIVE_YEARLY: _committee_hits,
}
