"""The figures of a report: one set of counts every sentence, footnote, table and chart reads.

Pure data, no Django. A total is never stored beside its parts: `Section.tally` is the sum of
its groups and `Tally.rated` the sum of its levels, so a sentence and its footnote cannot
disagree (seed 000 itself prints 07 collectives where its footnote gives 5 + 7 = 12).
Figures round-trip through JSON (`to_json` / `from_json`) so a final report keeps exactly what
it printed.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

from appraisal.rules.levels import Level

# Each field of a tally counts one of the engine's levels; its code and label are the engine's.
_LEVELS = {"excellent": Level.EXCELLENT, "good": Level.GOOD, "passing": Level.PASS, "failing": Level.FAIL}
LEVEL_FIELDS = tuple(_LEVELS)
# Subjects of the period still being rated: counted in the totals, at no level, until decided.
PENDING = "pending"
PENDING_LABEL = "chưa có quyết định xếp loại"
LEVEL_CODES = {name: level.code for name, level in _LEVELS.items()}
FIELD_OF_CODE = {code: name for name, code in LEVEL_CODES.items()}
LEVEL_LABELS = {name: level.label for name, level in _LEVELS.items()}


@dataclass(frozen=True)
class Reason:
    """Subjects counted but not rated for one reason."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Tally:
    """How many subjects of a group reached each level, how many were not rated (why), and how many
    are still being rated (no decision yet: a draft of a year in progress)."""

    excellent: int = 0
    good: int = 0
    passing: int = 0
    failing: int = 0
    not_rated: tuple[Reason, ...] = ()
    pending: int = 0

    @property
    def rated(self) -> int:
        return self.excellent + self.good + self.passing + self.failing

    @property
    def not_rated_total(self) -> int:
        return sum(r.count for r in self.not_rated)

    @property
    def total(self) -> int:
        return self.rated + self.not_rated_total + self.pending

    @property
    def taking_part(self) -> int:
        """Those rated or being rated: the total less those not rated."""
        return self.rated + self.pending

    @property
    def good_or_above(self) -> int:
        return self.excellent + self.good

    def level(self, name: str) -> int:
        return getattr(self, name)

    def __add__(self, other: Tally) -> Tally:
        reasons: dict[str, Reason] = {r.code: r for r in self.not_rated}
        for r in other.not_rated:
            mine = reasons.get(r.code)
            reasons[r.code] = Reason(r.code, r.label, r.count + (mine.count if mine else 0))
        return Tally(
            *(getattr(self, n) + getattr(other, n) for n in LEVEL_FIELDS),
            # The most frequent reason first, as the documents list them.
            not_rated=tuple(sorted(reasons.values(), key=lambda r: (-r.count, r.code))),
            pending=self.pending + other.pending,
        )

    def with_level(self, name: str, count: int) -> Tally:
        """This tally with `count` more subjects at level `name` (a field name or a level code)."""
        name = FIELD_OF_CODE.get(name, name)
        return replace(self, **{name: getattr(self, name) + count})

    def with_reason(self, code: str, label: str, count: int) -> Tally:
        """This tally with `count` more subjects not rated for reason `code`."""
        return self + Tally(not_rated=(Reason(code, label, count),))


def total_of(tallies: Iterable[Tally]) -> Tally:
    """The sum of tallies (an empty tally for none)."""
    result = Tally()
    for tally in tallies:
        result = result + tally
    return result


@dataclass(frozen=True)
class Group:
    """A group of subjects the report names: a kind of organisation, a block, a position group."""

    key: str
    label: str
    tally: Tally
    sort: int = 0


@dataclass(frozen=True)
class Section:
    """Subjects of one type split into the groups its footnote lists; the total is their sum."""

    key: str
    label: str
    groups: tuple[Group, ...] = ()

    @property
    def tally(self) -> Tally:
        return total_of(g.tally for g in self.groups)

    def group(self, key: str) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)


@dataclass(frozen=True)
class QuarterFigures:
    """Leaders rated in one quarter, one section per management tier [000 §6]."""

    year: int
    quarter: int
    tiers: tuple[Section, ...] = ()

    @property
    def label(self) -> str:
        return f"quý {ROMAN[self.quarter]}/{self.year}"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class CommuneFigures:
    """One commune's results in a roll-up: a tally per subject type."""

    key: str
    name: str
    organisations: Tally = Tally()
    committees: Tally = Tally()
    collectives: Tally = Tally()
    leaders: Tally = Tally()
    members: Tally = Tally()


@dataclass(frozen=True)
class QuotaFlag:
    """A group with more HTXSNV than the 20 % quota allows (the engine's arithmetic)."""

    section: str
    group: str
    excellent: int
    base: int
    allowed: int
    peer: str = ""  # the peer group's key (the workflow's, when the ratings are stored)


@dataclass(frozen=True)
class Rerating:
    """A rating decided again after a later discipline [003 C.IV.9], as the report lists it."""

    subject: str
    period: str
    old_level: str
    new_level: str
    decision_number: str
    decision_date: str


@dataclass(frozen=True)
class ChangedReport:
    """A final report whose figures the data no longer gives: what it printed and what is true now."""

    reference: str
    issued_on: str
    year: int
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearEndFigures:
    """Everything the year-end report counts, for one scope and year."""

    scope: str
    year: int
    organisations: Section = Section("organisations", "Tổ chức đảng")
    committees: Section = Section("committees", "Tập thể cấp ủy")
    collectives: Section = Section("collectives", "Tập thể lãnh đạo, quản lý")
    leader_tiers: tuple[Section, ...] = ()
    members: Tally = Tally()
    quarters: tuple[QuarterFigures, ...] = ()
    communes: tuple[CommuneFigures, ...] = ()
    quota_flags: tuple[QuotaFlag, ...] = ()
    reratings: tuple[Rerating, ...] = ()
    changed_reports: tuple[ChangedReport, ...] = ()

    @property
    def leaders(self) -> Tally:
        return total_of(s.tally for s in self.leader_tiers)

    @property
    def is_rollup(self) -> bool:
        return len(self.communes) > 1

    def comparable(self) -> dict:
        """The counts alone (no flags, no notes about other reports), to tell what changed."""
        data = to_json(self)
        for key in ("quota_flags", "reratings", "changed_reports", "scope"):
            data.pop(key, None)
        return data


# -- JSON --------------------------------------------------------------------------------------

_TYPES = {
    "Reason": Reason, "Tally": Tally, "Group": Group, "Section": Section,
    "QuarterFigures": QuarterFigures, "CommuneFigures": CommuneFigures, "QuotaFlag": QuotaFlag,
    "Rerating": Rerating, "ChangedReport": ChangedReport, "YearEndFigures": YearEndFigures,
}


def to_json(value):
    """Plain JSON data for figures (dataclasses become dicts tagged with their type)."""
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        data = {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
        data["_type"] = type(value).__name__
        return data
    return value


def from_json(data):
    """Figures back from `to_json`'s output."""
    if isinstance(data, list):
        return tuple(from_json(v) for v in data)
    if isinstance(data, dict) and "_type" in data:
        cls = _TYPES[data["_type"]]
        names = {f.name for f in fields(cls)}
        return cls(**{k: from_json(v) for k, v in data.items() if k in names})
    return data

