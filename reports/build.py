"""Turn facts into the figures of a report (pure: no query here).

Every figure is a sum of facts; a section's total is the sum of its groups, so the sentences,
footnotes, tables and charts built from one `YearEndFigures` always agree.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from appraisal.rules import Level, QuotaSettings, excellent_quota
from members.models import Tier

from .figures import (
    LEVEL_FIELDS,
    PENDING,
    CommuneFigures,
    Group,
    QuarterFigures,
    QuotaFlag,
    Reason,
    Section,
    Tally,
    YearEndFigures,
)

TIER_ORDER = {Tier.PROVINCE: 1, Tier.COMMUNE: 2}
TIER_LABELS = {Tier.PROVINCE: "diện Ban Thường vụ Tỉnh ủy quản lý", Tier.COMMUNE: "diện Ban Thường vụ Đảng ủy quản lý"}
SECTION_LABELS = {
    "organisations": "Tổ chức đảng",
    "committees": "Tập thể cấp ủy",
    "collectives": "Tập thể lãnh đạo, quản lý",
    "leaders": "Cán bộ lãnh đạo, quản lý",
    "members": "Đảng viên",
}


_FIELD_OF_CODE = {"HTXSNV": "excellent", "HTTNV": "good", "HTNV": "passing", "KHTNV": "failing"}


def fact_tally(facts: Iterable) -> Tally:
    """The tally of some facts (summed in plain counters, one Tally built at the end)."""
    levels = dict.fromkeys(LEVEL_FIELDS, 0)
    reasons: dict[str, list] = {}
    pending = 0
    for f in facts:
        if f.level:
            levels[_FIELD_OF_CODE[f.level]] += f.count
        elif f.reason == PENDING:
            pending += f.count
        else:
            entry = reasons.setdefault(f.reason, [f.reason_label, 0])
            entry[1] += f.count
    not_rated = tuple(Reason(code, label, n) for code, (label, n) in reasons.items())
    tally = Tally(**levels, pending=pending)
    return tally + Tally(not_rated=not_rated) if not_rated else tally


def level_tally(levels: dict[str, int]) -> Tally:
    """The tally of counts per level code (no one left out, no one pending)."""
    return Tally(**{_FIELD_OF_CODE[code]: n for code, n in levels.items()})


def section_of(key: str, facts: Iterable, label: str | None = None) -> Section:
    """A section whose groups are the facts' groups, in their order."""
    by_group: dict[str, list] = defaultdict(list)
    meta: dict[str, tuple[str, int]] = {}
    for f in facts:
        by_group[f.group].append(f)
        meta[f.group] = (f.group_label, f.group_sort)
    groups = [Group(k, meta[k][0], fact_tally(v), meta[k][1]) for k, v in by_group.items()]
    groups.sort(key=lambda g: (g.sort, g.label))
    return Section(key, label or SECTION_LABELS.get(key, key), tuple(groups))


def tier_sections(facts: Iterable) -> tuple[Section, ...]:
    """Leaders split by management tier, each split by position group [000 fn 4–6]."""
    by_tier: dict[str, list] = defaultdict(list)
    for f in facts:
        by_tier[f.tier].append(f)
    tiers = sorted(by_tier, key=lambda t: (TIER_ORDER.get(t, 9), t))
    return tuple(section_of(t, by_tier[t], TIER_LABELS.get(t, "diện quản lý khác")) for t in tiers)


def year_end_figures(
    *, scope, year: int, quarters: Iterable[tuple[int, int]], facts: list, quota: Mapping[str, QuotaSettings],
    peer_names: Mapping[str, str] | None = None,
) -> YearEndFigures:
    """The year-end figures of a scope from its facts (yearly results of `year`, leaders' quarters)."""
    yearly = [f for f in facts if f.year == year and f.quarter is None]
    by_section: dict[str, list] = defaultdict(list)
    for f in yearly:
        by_section[f.section].append(f)
    quarter_list = []
    for y, q in quarters:
        qfacts = [f for f in facts if f.section == "leaders" and f.year == y and f.quarter == q]
        quarter_list.append(QuarterFigures(y, q, tier_sections(qfacts)))
    communes = ()
    if len(scope.communes) > 1:
        by_commune: dict[tuple[str, str], list] = defaultdict(list)
        for f in yearly:
            by_commune[(f.section, f.commune)].append(f)
        communes = tuple(_commune(c, by_commune) for c in scope.communes)
    figures = YearEndFigures(
        scope=scope.name,
        year=year,
        organisations=section_of("organisations", by_section["organisations"]),
        committees=section_of("committees", by_section["committees"]),
        collectives=section_of("collectives", by_section["collectives"]),
        leader_tiers=tier_sections(by_section["leaders"]),
        members=fact_tally(by_section["members"]),
        quarters=tuple(quarter_list),
        communes=communes,
    )
    flags = quota_flags(scope, yearly + [f for f in facts if f.quarter is not None and f.section == "leaders"],
                        quota, peer_names or {})
    return replace(figures, quota_flags=flags)


def _commune(commune, by_commune) -> CommuneFigures:
    def of(section):
        return fact_tally(by_commune.get((section, commune.path), ()))

    return CommuneFigures(
        key=commune.code, name=commune.name, organisations=of("organisations"), committees=of("committees"),
        collectives=of("collectives"), leaders=of("leaders"), members=of("members"),
    )


# -- the 20 % quota, by the engine's arithmetic [DOMAIN §7] ---------------------------------------

_LEVEL_OF_FIELD = {"excellent": Level.EXCELLENT, "good": Level.GOOD, "passing": Level.PASS, "failing": Level.FAIL}
QUOTA_SUBJECT = {
    "organisations": "base_org_yearly", "committees": "committee_yearly", "collectives": "collective_yearly",
    "members": "member_yearly",
}


def quota_base(tally: Tally, settings: QuotaSettings) -> int:
    """Those rated at the quota's base level or above (HTTNV or above by default)."""
    return sum(tally.level(n) for n in LEVEL_FIELDS if _LEVEL_OF_FIELD[n] >= settings.base_min_level)


def quota_flags(scope, facts: list, quota: Mapping[str, QuotaSettings], peer_names: Mapping[str, str]) -> tuple[QuotaFlag, ...]:
    """Peer groups with more HTXSNV than the engine's quota allows (within each period)."""
    peers: dict[tuple, list] = defaultdict(list)
    for f in facts:
        peers[(f.section, f.year, f.quarter, f.peer)].append(f)
    flags = []
    for (section, year, quarter, _peer), group_facts in sorted(peers.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        tally = fact_tally(group_facts)
        subject = QUOTA_SUBJECT.get(section) or ("leader_quarterly" if quarter else "leader_yearly")
        settings = quota[subject]
        base = quota_base(tally, settings)
        allowed = excellent_quota(base, tally.rated, settings)
        if tally.excellent > allowed:
            flags.append(QuotaFlag(
                section=SECTION_LABELS[section] + (f" quý {quarter}/{year}" if quarter else ""),
                group=_group_name(group_facts[0], peer_names, scope),
                excellent=tally.excellent, base=base, allowed=allowed, peer=group_facts[0].peer,
            ))
    return tuple(flags)


def _group_name(fact, peer_names, scope) -> str:
    """The peer group's name: the workflow's label, else the group or base organisation it was derived from."""
    if fact.peer_label:
        return fact.peer_label
    if fact.section == "members":
        name = peer_names.get(fact.peer.removeprefix("nhap:"), "chưa xác định tổ chức cơ sở đảng")
    else:
        name = fact.group_label
    commune = next((c.name for c in scope.communes if c.path == fact.commune), "")
    return f"{name} ({commune})" if len(scope.communes) > 1 and commune else name


# -- multi-year tables (seed 001 §2.2) --------------------------------------------------------------

def multi_year_tallies(facts: list, years: Iterable[int]) -> dict[str, dict[int, Tally]]:
    """Per section, the yearly tally of each year (quarterly ratings left out)."""
    table: dict[str, dict[int, Tally]] = {}
    for section in SECTION_LABELS:
        table[section] = {
            y: fact_tally(f for f in facts if f.section == section and f.year == y and f.quarter is None)
            for y in years
        }
    return table


# -- what changed since a final report -------------------------------------------------------------

_SECTION_NOUNS = {
    "organisations": "tổ chức đảng", "committees": "tập thể cấp ủy", "collectives": "tập thể lãnh đạo, quản lý",
    "leaders": "cán bộ lãnh đạo, quản lý", "members": "đảng viên",
}
_LEVEL_WORDS = {
    "excellent": "hoàn thành xuất sắc nhiệm vụ", "good": "hoàn thành tốt nhiệm vụ",
    "passing": "hoàn thành nhiệm vụ", "failing": "không hoàn thành nhiệm vụ",
}


def section_tallies(figures: YearEndFigures) -> dict[str, Tally]:
    return {
        "organisations": figures.organisations.tally, "committees": figures.committees.tally,
        "collectives": figures.collectives.tally, "leaders": figures.leaders, "members": figures.members,
    }


def figure_changes(printed: YearEndFigures, now: YearEndFigures) -> tuple[str, ...]:
    """What differs between the figures a report printed and those the data gives now."""
    changes = []
    old, new = section_tallies(printed), section_tallies(now)
    for section, noun in _SECTION_NOUNS.items():
        for name, word in _LEVEL_WORDS.items():
            a, b = old[section].level(name), new[section].level(name)
            if a != b:
                changes.append(f"{noun} {word} {a} → {b}")
    return tuple(changes)
