"""Conditions that cap a subject's level, per subject type, and the levels a subject waits for.

A condition never raises a level: the final level is the lowest of the score's level and every
cap that applies [DOMAIN §6]. Which conditions exist, the level each allows and its wording are
the framework's caps (data); this module only decides whether each one applies, with the
figures its reason needs. Rules that read another subject's level (committee ≤ organisation,
head ≤ collective, a base organisation's members and sub-organisations) do not pass while that
level is unknown: the subject is *held* (`DEPENDENCIES`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import lt

from vnformat import fmt_number, fmt_percent, fmt_ratio

from .levels import BaseOrgKind, CriterionLevel, Discipline, Level, SubjectType
from .reasons import Flag

SEVENTY = Decimal(70)
FIFTY = Decimal(50)
# Module constants: an enum member read through its class costs a lookup on every check.
_EXC, _GOOD, _AVERAGE, _POOR = (
    CriterionLevel.EXCELLENT, CriterionLevel.GOOD, CriterionLevel.AVERAGE, CriterionLevel.POOR,
)
# The lowest levels the scoring loop notes are plain ints (an int compares faster with an int).
_GOOD_BAND, _AVERAGE_BAND = int(_GOOD), int(_AVERAGE)
_REPRIMAND, _WARNING = Discipline.REPRIMAND, Discipline.WARNING
_LEVEL_GOOD, _LEVEL_PASS, _LEVEL_FAIL, _LEVEL_EXCELLENT = Level.GOOD, Level.PASS, Level.FAIL, Level.EXCELLENT
_PARTY_COMMITTEE = BaseOrgKind.PARTY_COMMITTEE


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything besides criterion scores that conditions look at; defaults are neutral.

    Tasks (individuals): `tasks_assigned` is the task record (0: no record), `tasks_done`
    counts completed tasks, `tasks_force_majeure` the incomplete ones excused as force majeure
    by the competent authority; `tasks_on_time` (default: `tasks_done`) those on time with
    quality; `tasks_exceeded` those exceeded. Percentages (`*_targets_pct`) are 0–100 with force
    majeure already excluded; `main_targets_missed`: some main targets (chỉ tiêu chủ yếu) of
    the organisation a committee leads fell short of 100 %, force majeure excepted [003 C.III.3.4].

    Levels of other subjects: `organisation_level` (a committee's organisation), `collective_level`
    (the collective a head leads), `leadership_level` (a base organisation's unit leadership);
    None while not rated. `sub_unrated` / `leadership_unrated` count the members or
    sub-organisations / unit leaderships of a base organisation not rated yet.

    Quarters: `quarter_levels` are this year's quarters in order (None for a quarter not rated);
    `previous_quarter_level` is the quarter before the first of them (last year's Q4 for the
    year, the previous quarter for a quarter) [002 §8.2].

    `misconduct` is read from the others when the facts are made: whether anything of conduct
    or discipline is recorded at all (discipline, degradation, corruption, low confidence over
    half, disunity, violations, missed main targets). Most subjects have none, and the
    conditions about them are then not looked at one by one.
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
    quarter_levels: tuple[Level | None, ...] = ()
    previous_quarter_level: Level | None = None
    org_kind: BaseOrgKind = BaseOrgKind.CELL
    sub_total: int = 0
    sub_pass_or_above: int = 0
    sub_good_or_above: int = 0
    sub_disciplined: int = 0
    sub_unrated: int = 0
    leadership_level: Level | None = None
    leadership_unrated: int = 0
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
    misconduct: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "misconduct", bool(
            self.discipline or self.degradation or self.managed_corruption
            or (self.confidence_votes_cast and self.low_confidence_votes * 2 > self.confidence_votes_cast)
            or self.committee_member_discipline or self.sub_unit_violation or self.org_disciplined
            or self.committee_disciplined or self.disunity or self.degraded_member or self.main_targets_missed
        ))


NO_FACTS = Facts()

# (condition code, figures, related level for a relative cap). The figures are a dict for the
# reason's placeholders; a str replaces the template (the engine's own wording for a case the
# template does not fit); a tuple of floors names, as {codes}, the criteria below them (worded
# only when the reason is read).
Hit = tuple[str, dict | str | tuple, Level | None]


# ---------------------------------------------------------------- quarters [002 §8.2]


@dataclass(frozen=True, slots=True)
class QuarterSummary:
    """What a run of quarterly levels says about the yearly rating [002 §8.2]."""

    excellent: int
    failed: int
    longest_failed_run: int


def summarise_quarters(levels: Sequence[Level | None], previous: Level | None = None) -> QuarterSummary:
    """Count HTXSNV and KHTNV quarters and the longest run of consecutive KHTNV, `previous` included [002 §8.2].

    `previous` is the quarter before the first (last year's Q4): it extends a run across the
    year boundary but is not counted among this year's quarters. A quarter not rated (None)
    breaks a run.
    """
    excellent = failed = 0
    run = 1 if previous == _LEVEL_FAIL else 0
    longest = 0
    for level in levels:
        if level == _LEVEL_EXCELLENT:
            excellent += 1
        if level == _LEVEL_FAIL:
            failed += 1
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return QuarterSummary(excellent, failed, longest)


def consecutive_failed_flag(run: int) -> Flag:
    """Flag two or more consecutive KHTNV quarters for review, reassignment or replacement [002 §8.2]."""
    return Flag(
        "consecutive_failed_quarters",
        f"Có {run} quý liên tiếp xếp loại Không hoàn thành nhiệm vụ: xem xét đưa vào diện theo dõi, "
        "kiểm điểm trách nhiệm, điều chuyển hoặc thay thế.",
        "[002 §8.2]",
    )


# ---------------------------------------------------------------- what the checks read of the scores


def codes_below(cf, points: Sequence[int], floors: Sequence[int]) -> str:
    """Name the criteria below their floor, for a reason: "«1.1», «2.3»"."""
    return ", ".join(q for q, p, t in zip(cf.quoted_codes, points, floors, strict=True) if p < t)


# ---------------------------------------------------------------- checks per subject type


def _task_hits(cf, f: Facts, hits: list[Hit], live: Mapping) -> int:
    """All tasks done (force majeure excepted) [002 §4.4a; 003 C.II.2.3]; enough exceeded [003 C.II.2.1]."""
    required = f.tasks_assigned - f.tasks_force_majeure
    if f.tasks_done < required and "tasks_incomplete" in live:
        hits.append(("tasks_incomplete", {"done": f.tasks_done, "required": required}, None))
    share = cf.exceeded_share
    if "exceeded_below_share" in live and share:
        if required <= 0:
            # No task record is no evidence of exceeded tasks: HTXSNV is not shown [003 C.II.2.1].
            text = (
                f"chưa có hồ sơ chỉ tiêu, nhiệm vụ được giao nên chưa chứng minh được ít nhất "
                f"{fmt_percent(share)} chỉ tiêu, nhiệm vụ hoàn thành vượt mức"
            )
            hits.append(("exceeded_below_share", text, None))
        elif f.tasks_exceeded < share * required:
            params = {"exceeded": f.tasks_exceeded, "required": required, "share": fmt_percent(share)}
            hits.append(("exceeded_below_share", params, None))
    return required


# The caps that read the lowest criterion levels the scoring loop notes (a framework with none
# of them has the loop note nothing).
READS_LOWEST_LEVELS = frozenset({"criteria_below_good", "criteria_poor", "criteria_below_average", "key_below_good"})


def _criteria_hits(
    cf, points: Sequence[int], lowest: int, lowest_key: int, hits: list[Hit], poor_code: str, live: Mapping
) -> None:
    """Criterion levels: all ≥ Tốt, key ones Xuất sắc; ≥ Trung bình; none Kém [003 C.I.2, C.II.2, C.III.3].

    `lowest` and `lowest_key` are the lowest quality levels the scoring loop noted over all
    criteria and over key ones (Tốt when none is below Tốt); key criteria below Xuất sắc take
    one pass over the compiled floors, made only when that cap could lower the level (a score
    of HTXSNV). The criteria a reason names are found when it is worded (the floors are its
    figures).
    """
    if lowest < _GOOD_BAND and "criteria_below_good" in live:
        hits.append(("criteria_below_good", cf.good_floors, None))
    if lowest < _AVERAGE_BAND and poor_code in live:
        hits.append((poor_code, cf.average_floors, None))
    if "key_below_excellent" in live and any(map(lt, points, cf.key_excellent_floors)):
        hits.append(("key_below_excellent", cf.key_excellent_floors, None))
    if lowest_key < _GOOD_BAND and "key_below_good" in live:
        hits.append(("key_below_good", cf.key_good_floors, None))


def _member_hits(cf, points, lowest, lowest_key, marks, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    """A party member's conditions [003 C.II.2.1–2.4]."""
    hits: list[Hit] = []
    required = _task_hits(cf, f, hits, live)
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    _criteria_hits(cf, points, lowest, lowest_key, hits, "criteria_poor", live)
    on_time = f.tasks_done if f.tasks_on_time is None else f.tasks_on_time
    if on_time < required and "tasks_not_on_time" in live:
        hits.append(("tasks_not_on_time", {"on_time": on_time, "required": required}, None))
    short, not_done = marks
    if short > cf.short_allowed and "short_over_share" in live:
        params = {"short": short, "count": len(cf.codes), "share": fmt_percent(cf.short_share_max)}
        hits.append(("short_over_share", params, None))
    if not_done and not_done * 2 > cf.key_count and "key_not_completed_over_half" in live:
        hits.append(("key_not_completed_over_half", {"count": not_done, "total": cf.key_count}, None))
    if f.misconduct:
        _member_conduct_hits(f, flags, hits, live)
    return hits


def _member_conduct_hits(f: Facts, flags: list[Flag], hits: list[Hit], live: Mapping) -> None:
    """A party member's conduct: degradation, low confidence, discipline in the year [003 C.II.2.4]."""
    if f.degradation and "degradation" in live:
        hits.append(("degradation", {}, None))
    if f.confidence_votes_cast and f.low_confidence_votes * 2 > f.confidence_votes_cast and "low_confidence_over_half" in live:
        hits.append(("low_confidence_over_half", {"low": f.low_confidence_votes, "cast": f.confidence_votes_cast}, None))
    if f.discipline >= _REPRIMAND:
        if f.discipline_self_remedied:
            flags.append(Flag(
                "disciplined_self_remedied",
                f"Bị kỷ luật {f.discipline.label} trong năm nhưng đã tự phát hiện và khắc phục xong hậu quả.",
                "[003 C.II.2.4]",
            ))
        elif "disciplined_in_year" in live:
            hits.append(("disciplined_in_year", {"discipline": f.discipline.label}, None))


def _leader_hits(cf, points, lowest, lowest_key, marks, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    """A leader's quarterly conditions [002 §4, §7.3; 003 C.III.5]."""
    hits: list[Hit] = []
    _task_hits(cf, f, hits, live)
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    if f.misconduct:
        _leader_conduct_hits(f, flags, hits, live)
    if f.is_head and f.collective_level is not None and "head_above_collective" in live:
        hits.append(("head_above_collective", {"collective": f.collective_level.label}, f.collective_level))
    pct = f.collective_targets_pct
    if pct is not None and pct < SEVENTY and (f.is_head or f.in_collective):
        code = "collective_below_70_head" if f.is_head else "collective_below_70_member"
        if code in live:
            hits.append((code, {"pct": fmt_number(pct) + "%"}, None))
    return hits


def _leader_conduct_hits(f: Facts, flags: list[Flag], hits: list[Hit], live: Mapping) -> None:
    """A leader's conduct: discipline, degradation, corruption where they manage [002 §4.4b–d]."""
    if f.discipline >= _REPRIMAND and "disciplined" in live:
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


def _leader_yearly_hits(cf, points, lowest, lowest_key, marks, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    """A leader's yearly conditions: the quarterly ones and the quarters of the year [002 §8.2]."""
    hits = _leader_hits(cf, points, lowest, lowest_key, marks, f, flags, live)
    if _LEVEL_FAIL in f.quarter_levels:  # else no KHTNV quarter to count and no run of them
        summary = summarise_quarters(f.quarter_levels, f.previous_quarter_level)
        if "quarter_failed" in live:
            hits.append(("quarter_failed", {"count": summary.failed}, None))
        if summary.longest_failed_run >= 2:
            flags.append(consecutive_failed_flag(summary.longest_failed_run))
    return hits


def _base_org_hits(cf, points, lowest, lowest_key, marks, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    """A base organisation's conditions [003 C.I.2.1–2.4]."""
    hits: list[Hit] = []
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    _criteria_hits(cf, points, lowest, lowest_key, hits, "criteria_below_average", live)
    if not f.sub_unrated:  # while some are unrated the counts are incomplete: the subject is held
        _distribution_hits(f, hits, live)
    if f.leadership_level is not None and not f.leadership_unrated:
        if f.leadership_level < _LEVEL_GOOD and "leadership_below_good" in live:
            hits.append(("leadership_below_good", {"level": f.leadership_level.label}, None))
        if f.leadership_level < _LEVEL_PASS and "leadership_below_pass" in live:
            hits.append(("leadership_below_pass", {"level": f.leadership_level.label}, None))
    if f.committee_member_discipline >= _REPRIMAND:
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
    """Members' or sub-organisations' levels and discipline [003 C.I.2.1–2.4]."""
    total = f.sub_total
    if total > 0:
        committee = f.org_kind is _PARTY_COMMITTEE
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
            hits.append(("sub_disciplined_over_20", {"count": f.sub_disciplined, "total": total, "what": what}, None))


def _committee_hits(cf, points, lowest, lowest_key, marks, f: Facts, flags: list[Flag], live: Mapping) -> list[Hit]:
    """A committee's or leadership collective's conditions [003 C.III.3.1–3.4]."""
    hits: list[Hit] = []
    if f.organisation_level is not None and "above_organisation" in live:
        hits.append(("above_organisation", {"organisation": f.organisation_level.label}, f.organisation_level))
    if not f.outstanding and "not_outstanding" in live:
        hits.append(("not_outstanding", {}, None))
    _criteria_hits(cf, points, lowest, lowest_key, hits, "criteria_poor", live)
    if (f.disunity or f.degraded_member) and "disunity_or_degraded" in live:
        hits.append(("disunity_or_degraded", {}, None))
    if f.targets_pct is not None and f.targets_pct < FIFTY and "targets_below_half" in live:
        hits.append(("targets_below_half", {"pct": fmt_number(f.targets_pct) + "%"}, None))
    if f.main_targets_missed and "main_targets_missed" in live:
        hits.append(("main_targets_missed", {}, None))
    if f.committee_disciplined:
        code = "committee_disciplined_remedied" if f.committee_discipline_remedied else "committee_disciplined"
        if code in live:
            hits.append((code, {}, None))
    if f.committee_member_discipline >= _WARNING and "member_disciplined_warning" in live:
        hits.append(("member_disciplined_warning", {"discipline": f.committee_member_discipline.label}, None))
    return hits


CHECKS: dict[SubjectType, Callable[..., list[Hit]]] = {
    SubjectType.MEMBER_YEARLY: _member_hits,
    SubjectType.LEADER_QUARTERLY: _leader_hits,
    SubjectType.LEADER_YEARLY: _leader_yearly_hits,
    SubjectType.BASE_ORG_YEARLY: _base_org_hits,
    SubjectType.COMMITTEE_YEARLY: _committee_hits,
    SubjectType.COLLECTIVE_YEARLY: _committee_hits,
}


# ---------------------------------------------------------------- levels a subject waits for


@dataclass(frozen=True, slots=True)
class Dependency:
    """A rule that reads another subject's level: the caps that read it and what is awaited while unknown."""

    code: str
    caps: frozenset[str]
    waiting: Callable[[Facts], str | None]
    source: str


def _organisation(f: Facts) -> str | None:
    if f.organisation_level is None:
        return "chờ xếp loại tổ chức đảng: cấp ủy không được xếp loại cao hơn tổ chức đảng"
    return None


def _collective(f: Facts) -> str | None:
    if f.is_head and f.collective_level is None:
        return (
            "chờ xếp loại tập thể lãnh đạo, quản lý do mình đứng đầu: người đứng đầu không được "
            "xếp loại cao hơn tập thể"
        )
    return None


def _subordinates(f: Facts) -> str | None:
    if f.sub_unrated > 0:
        what = "tổ chức đảng trực thuộc" if f.org_kind is BaseOrgKind.PARTY_COMMITTEE else "đảng viên"
        return f"chờ xếp loại {f.sub_unrated} {what} còn chưa được xếp loại"
    return None


def _leadership(f: Facts) -> str | None:
    if f.leadership_unrated > 0:
        return (
            f"chờ xếp loại {f.leadership_unrated} tập thể lãnh đạo đơn vị, đoàn thể chính trị - xã hội "
            "cùng cấp còn chưa được xếp loại"
        )
    return None


_DISTRIBUTION = frozenset({"members_not_all_pass", "suborgs_not_all_pass", "sub_good_below_80", "sub_good_below_50"})
DEPENDENCIES: dict[SubjectType, tuple[Dependency, ...]] = {
    SubjectType.COMMITTEE_YEARLY: (
        Dependency("organisation", frozenset({"above_organisation"}), _organisation, "[003 C.III.3.1]"),
    ),
    SubjectType.LEADER_YEARLY: (
        Dependency("collective", frozenset({"head_above_collective"}), _collective, "[003 C.III.5]"),
    ),
    SubjectType.BASE_ORG_YEARLY: (
        Dependency("subordinates", _DISTRIBUTION, _subordinates, "[003 C.I.2.1–2.2, C.I.3]"),
        Dependency(
            "leadership", frozenset({"leadership_below_good", "leadership_below_pass"}), _leadership,
            "[003 C.I.2.1–2.2]",
        ),
    ),
}


def fact_problems(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Counts that contradict each other, as (field name, Vietnamese message) pairs.

    The one check of task counts and tallies, for every path that takes them (the scoring
    service, the grid, the XLSX upload, the trial page): what is done cannot exceed what was
    assigned, what is on time or exceeded cannot exceed what is done [003 C.II.2; 002 §4].
    Only the counts given are compared (a count left out is not checked).
    """
    errors = []

    def more(small: str, big: str, message: str) -> None:
        a, b = values.get(small), values.get(big)
        if a is not None and b is not None and a > b:
            errors.append((small, message.format(a=a, b=b)))

    assigned, done, excused = (values.get(k) for k in ("tasks_assigned", "tasks_done", "tasks_force_majeure"))
    excused = excused or 0
    if assigned is not None and done is not None and done + excused > assigned:
        with_excused = f" cộng số bất khả kháng ({excused})" if excused else ""
        errors.append((
            "tasks_done",
            f"Số nhiệm vụ hoàn thành ({done}){with_excused} vượt số nhiệm vụ được giao ({assigned}).",
        ))
    more("tasks_on_time", "tasks_done", "Số nhiệm vụ đúng tiến độ ({a}) vượt số nhiệm vụ hoàn thành ({b}).")
    more("tasks_exceeded", "tasks_done", "Số nhiệm vụ vượt mức ({a}) vượt số nhiệm vụ hoàn thành ({b}).")
    more("low_confidence_votes", "confidence_votes_cast", "Số phiếu tín nhiệm thấp ({a}) vượt tổng số phiếu ({b}).")
    more("sub_pass_or_above", "sub_total", "Số xếp loại Hoàn thành nhiệm vụ trở lên ({a}) vượt tổng số ({b}).")
    more("sub_good_or_above", "sub_pass_or_above",
         "Số xếp loại Hoàn thành tốt nhiệm vụ trở lên ({a}) vượt số Hoàn thành nhiệm vụ trở lên ({b}).")
    more("sub_disciplined", "sub_total", "Số bị kỷ luật ({a}) vượt tổng số ({b}).")
    more("sub_unrated", "sub_total", "Số chưa được xếp loại ({a}) vượt tổng số ({b}).")
    return errors
