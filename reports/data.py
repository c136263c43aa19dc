"""The one selector the reports count from: stored, decided outcomes and imported results.

Ratings are read only through `appraisal.selectors.live_ratings()` (a superseded rating never
counts). Each source is read by one grouped query (GROUP BY period, commune, group, level), so
the number of queries does not grow with communes, organisations or members. The rows become
`Fact`s; `reports.build` turns facts into `figures`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from appraisal.models import Exclusion, Period, PeriodKind, RatingCount, RatingStatus, SubjectType
from appraisal.selectors import live_ratings
from core.scope import Scope
from members.models import PositionGroup
from orgs.models import PATH_STEP, Block, OrgKind, PartyOrganization

from .figures import PENDING, PENDING_LABEL
from .models import ImportedCount, ImportedResult

STEP = PATH_STEP + 1

SECTION_OF = {
    SubjectType.BASE_ORG_YEARLY: "organisations",
    SubjectType.COMMITTEE_YEARLY: "committees",
    SubjectType.COLLECTIVE_YEARLY: "collectives",
    SubjectType.LEADER_YEARLY: "leaders",
    SubjectType.LEADER_QUARTERLY: "leaders",
    SubjectType.MEMBER_YEARLY: "members",
}

# How the report groups organisations and committees by the kind of organisation [000 §4.3].
ORG_GROUPS = {
    OrgKind.BASE_PARTY: "base", OrgKind.BASE_CELL: "base",
    OrgKind.ROOT_CELL: "root_cell", OrgKind.SUB_CELL: "sub_cell", OrgKind.ROOT: "root",
}
ORG_GROUP_LABELS = {
    "base": ("tổ chức cơ sở đảng", 1),
    "root_cell": ("chi bộ thuộc Đảng ủy xã", 2),
    "sub_cell": ("chi bộ thuộc Đảng ủy cơ sở", 3),
    "root": ("đảng bộ xã", 4),
}
COMMITTEE_GROUPS = {
    OrgKind.BASE_PARTY: "base", OrgKind.BASE_CELL: "base",
    OrgKind.ROOT_CELL: "attached", OrgKind.SUB_CELL: "attached", OrgKind.ROOT: "root",
}
COMMITTEE_GROUP_LABELS = {
    "base": ("Tập thể đảng ủy, chi ủy cơ sở", 1),
    "attached": ("Tập thể chi ủy trực thuộc", 2),
    "root": ("Tập thể Ban Chấp hành Đảng bộ xã", 3),
}
UNGROUPED = ("", "Chưa xác định nhóm", 99)


@dataclass(frozen=True)
class Commune:
    """A commune of a report's scope (the scope itself when it holds no commune)."""

    path: str
    name: str
    code: str


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: an organisation's subtree, or the whole deployment."""

    organization: PartyOrganization | None
    communes: tuple[Commune, ...]
    # A unit leadership's account sees the leaders of its units, not a part of the tree.
    unit_ids: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        if self.organization is not None:
            return self.organization.name
        if len(self.communes) == 1:
            return self.communes[0].name
        return "Toàn bộ các đảng bộ"

    @property
    def prefix_length(self) -> int:
        return max((len(c.path) for c in self.communes), default=STEP)

    def commune_of(self, prefix: str | None) -> str:
        """The path of the commune a subject path prefix lies in ("" if none): a dictionary lookup
        per length of commune path (a province's imported years group into 100 000 rows or more)."""
        if prefix:
            paths = self._commune_paths
            for length in paths:
                if prefix[:length] in paths[length]:
                    return prefix[:length]
        return ""

    @cached_property
    def _commune_paths(self) -> dict[int, frozenset[str]]:
        """The communes' paths by their length (one length in practice)."""
        lengths: dict[int, set[str]] = defaultdict(set)
        for commune in self.communes:
            lengths[len(commune.path)].add(commune.path)
        return {length: frozenset(paths) for length, paths in sorted(lengths.items())}

    def path_filter(self, lookup: str) -> Q:
        if self.unit_ids:
            # Stored ratings of the units' leaders; results imported from outside name no unit.
            return Q(scope_unit_id__in=self.unit_ids) if lookup == TREE_PATH else Q(pk__in=[])
        if self.organization is None:
            return Q()
        return Q(**{f"{lookup}__startswith": self.organization.path})


def account_scopes(scope: Scope) -> list[ReportScope]:
    """The parts of the deployment an account sees, as report scopes: the whole deployment, the
    topmost organisations of its part of the tree, its units. The home page counts through them
    what a report of the same part counts (`load_facts`)."""
    if scope.sees_everything:
        return [report_scope(None)]
    paths = sorted(set(scope.all_paths()))
    top = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    scopes = [report_scope(org) for org in PartyOrganization.objects.filter(path__in=top).order_by("path")]
    if scope.unit_ids:
        scopes.append(ReportScope(None, (), tuple(sorted(scope.unit_ids))))
    return scopes


def report_scope(organization: PartyOrganization | None) -> ReportScope:
    """The scope of a report and its communes, in one query."""
    roots = PartyOrganization.objects.filter(kind=OrgKind.ROOT)
    if organization is not None:
        roots = roots.filter(path__startswith=organization.path)
    communes = tuple(Commune(o.path, o.name, o.code) for o in roots.order_by("sort_order", "path"))
    if not communes and organization is not None:
        communes = (Commune(organization.path, organization.name, organization.code),)
    return ReportScope(organization, communes)


class Fact(NamedTuple):
    """So many subjects of one section, period, commune and group at one level (or not rated)."""

    section: str
    year: int
    quarter: int | None
    commune: str
    group: str
    group_label: str
    group_sort: int
    tier: str
    peer: str  # the quota's peer group [DOMAIN §7]: the workflow's, or derived for imported results
    peer_label: str
    level: str  # a level code, or "" when not rated
    reason: str
    reason_label: str
    count: int


@dataclass(frozen=True)
class PeriodSet:
    """The periods a report reads: whole years and single quarters."""

    years: tuple[int, ...] = ()
    quarters: tuple[tuple[int, int], ...] = ()

    def q(self, prefix: str = "period__") -> Q:
        q = Q(pk__in=[])
        if self.years:
            q |= Q(**{f"{prefix}kind": PeriodKind.YEAR, f"{prefix}year__in": self.years})
        for year, quarter in self.quarters:
            q |= Q(**{f"{prefix}kind": PeriodKind.QUARTER, f"{prefix}year": year, f"{prefix}quarter": quarter})
        return q

    def imported_q(self) -> Q:
        q = Q(pk__in=[])
        if self.years:
            q |= Q(quarter__isnull=True, year__in=self.years)
        for year, quarter in self.quarters:
            q |= Q(year=year, quarter=quarter)
        return q


# Statuses of a live rating the reports count: a decision, or a subject left out at opening with
# its reason (excluded). Ratings still in the process count in the totals as not decided yet
# (reason PENDING), never at a level, until decided.
COUNTED = (RatingStatus.DECIDED, RatingStatus.EXCLUDED)
# Posts rated yearly only are not among the leaders rated in a quarter [002 §2.1].
NOT_IN_QUARTERS = (Exclusion.YEARLY_ONLY,)
# Where a stored rating lies in the tree (set by the workflow when the period is opened).
TREE_PATH = "scope_org__path"


def load_facts(scope: ReportScope, periods: PeriodSet, *, totals_only: bool = False) -> list[Fact]:
    """Every counted outcome of the scope in the periods, as facts: a fixed number of grouped queries.

    Stored ratings are grouped on narrow keys (period id, organisation id, level, state, peer group);
    the periods, the tree and the groups' names are read once and joined here, which keeps the
    grouping cheap at province scale (90 000 members).

    `totals_only`: the same counts by section, period, level and reason only — no commune, group or
    peer group (a table over the years: a province's five years are 1.4 million imported rows).
    """
    blocks = {b.pk: b for b in Block.objects.all()}
    groups = {g.pk: g for g in PositionGroup.objects.all()}
    tree = _Tree(scope)
    period_of = {p["pk"]: p for p in _periods(periods)}
    merged: dict[tuple, int] = {}
    for source in (_stored_facts(scope, periods, tree, period_of, blocks, groups, totals_only),
                   _imported_result_facts(scope, periods, blocks, groups, totals_only),
                   _imported_count_facts(scope, periods, blocks, groups, totals_only)):
        # Rows that differ only by the organisation a subject sits in become one fact.
        for f in source:
            key = f[:-1]
            merged[key] = merged.get(key, 0) + f.count
    return [Fact(*key, n) for key, n in merged.items()]


def _periods(periods: PeriodSet):

    return Period.objects.filter(periods.q(prefix="")).values("pk", "kind", "year", "quarter")


class _Tree:
    """The organisations of the scope by id: their kind and commune (one query)."""

    def __init__(self, scope: ReportScope):
        orgs = PartyOrganization.objects.all()
        if scope.organization is not None:
            orgs = orgs.filter(path__startswith=scope.organization.path)
        self.kind: dict[int, str] = {}
        self.commune: dict[int, str] = {}
        for pk, path, kind in orgs.values_list("pk", "path", "kind"):
            self.kind[pk] = kind
            self.commune[pk] = scope.commune_of(path)


def _live(scope: ReportScope, periods: PeriodSet, types: Sequence[str]):
    return (
        live_ratings()
        .filter(periods.q(), scope.path_filter(TREE_PATH), subject_type__in=types)
        .exclude(exclusion__in=NOT_IN_QUARTERS)
    )


def _org_group(section: str, kind: str) -> tuple[str, str, int]:
    table, labels = (ORG_GROUPS, ORG_GROUP_LABELS) if section == "organisations" else (COMMITTEE_GROUPS, COMMITTEE_GROUP_LABELS)
    key = table.get(kind)
    if key is None:
        return (kind or "", OrgKind(kind).label if kind in OrgKind.values else UNGROUPED[1], 50)
    return (key, *labels[key])


def _block_group(blocks, block_id) -> tuple[str, str, int]:
    block = blocks.get(block_id)
    return (block.code, block.name, block.sort_order) if block else UNGROUPED


def _position_group(groups, group_id) -> tuple[str, str, int]:
    group = groups.get(group_id)
    return (group.code, group.name, group.sort_order) if group else UNGROUPED


def _stored_facts(scope, periods, tree: _Tree, period_of: dict, blocks, groups, totals_only: bool = False):
    """Facts of the stored ratings: one grouped query per kind of grouping (three); rows read as tuples.
    With `totals_only`, one query grouped on period, subject type, level and state only."""
    when = {pk: (p["year"], p["quarter"] if p["kind"] == PeriodKind.QUARTER else None) for pk, p in period_of.items()}
    commune, kind = tree.commune, tree.kind
    org_groups: dict[tuple[str, str], tuple] = {}
    by_values = [
        ((SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY, SubjectType.MEMBER_YEARLY), ("scope_org_id",)),
        ((SubjectType.COLLECTIVE_YEARLY,), ("unit__block_id",)),
        ((SubjectType.LEADER_YEARLY, SubjectType.LEADER_QUARTERLY), ("leader_position__tier", "leader_position__group_id")),
    ]
    if totals_only:
        by_values = [(tuple(t for types, _ in by_values for t in types), ())]
    for types, extra in by_values:
        place = () if totals_only else ("peer_group", "scope_org_id", *extra)
        rows = (
            _live(scope, periods, types)
            .values_list("period_id", "subject_type", "approved_level", "status", "exclusion", *place)
            .annotate(n=Count("pk")).order_by()
        )
        if totals_only:
            rows = ((*row[:5], "", None, *row[5:]) for row in rows)  # no peer group, no organisation
        for period_id, subject_type, level, status, exclusion, peer, org_id, *more, n in rows:
            if period_id not in when:
                continue
            year, quarter = when[period_id]
            section = SECTION_OF[subject_type]
            tier = ""
            if section == "members" or totals_only:
                group = ("", "", 0)
            elif section == "collectives":
                group = _block_group(blocks, more[0])
            elif section == "leaders":
                tier, group = more[0] or "", _position_group(groups, more[1])
            else:
                key = (section, kind.get(org_id, ""))
                group = org_groups.get(key) or org_groups.setdefault(key, _org_group(*key))
            if status == RatingStatus.EXCLUDED:
                reason = exclusion or Exclusion.OTHER
                outcome = ("", reason, EXCLUSION_LABELS.get(reason, EXCLUSION_LABELS[Exclusion.OTHER]))
            elif status == RatingStatus.DECIDED:
                outcome = (level, "", "")
            else:
                outcome = ("", PENDING, PENDING_LABEL)
            yield Fact(section, year, quarter, commune.get(org_id, ""), *group, tier, peer or "", "", *outcome, n)


EXCLUSION_LABELS = dict(Exclusion.choices)


def stored_quota_flags(keys: Iterable[str], periods: PeriodSet) -> list:
    """The stored quota of the workflow's peer groups `keys` in the periods that are over it
    (`appraisal.scoring.quota` stored them; the report reads, never works them out again)."""
    from appraisal.models import PeerGroupQuota, QuotaStatus

    keys = [k for k in keys if k and not k.startswith("nhap:")]
    if not keys:
        return []
    return list(
        PeerGroupQuota.objects.filter(periods.q(), peer_group__in=keys, status=QuotaStatus.OVER)
        .select_related("period").order_by("period__year", "period__quarter", "label")
    )


def peer_labels(keys: Iterable[str], periods: PeriodSet) -> dict[str, str]:
    """The names the workflow gave these peer groups (one query; only for the groups a report names)."""
    keys = [k for k in keys if k]
    if not keys:
        return {}
    rows = live_ratings().filter(periods.q(), peer_group__in=keys).values_list("peer_group", "peer_group_label").distinct()
    return dict(rows)


def _imported_group(section, row, blocks, groups) -> tuple[str, str, int]:
    if section in ("organisations", "committees"):
        return _org_group(section, row["org_kind"])
    if section == "collectives":
        return _block_group(blocks, row["block_id"])
    if section == "leaders":
        return _position_group(groups, row["position_group_id"])
    return "", "", 0


@contextmanager
def hash_grouping():
    """Within the block, PostgreSQL groups by hashing, not by sorting.

    It takes the many grouping columns of imported results as independent and expects nearly a
    group per row, so it sorts: a province's five imported years (1.4 million rows, 184 000
    groups) sorted for 4–5 s, hashed in 2 s. The setting is put back after the block, even inside
    a caller's transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    # Local to a transaction (a savepoint inside the caller's): should the block fail, rolling it
    # back puts the setting back too.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_sort')")
        (before,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_sort', 'off', true)")
        yield
        cursor.execute("SELECT set_config('enable_sort', %s, true)", [before])


def _imported_results(scope: ReportScope, periods: PeriodSet):
    """Results imported from outside, one subject a row, that count in the scope and periods."""
    return ImportedResult.objects.filter(periods.imported_q(), scope.path_filter("organization__path"))


def _imported_counts(scope: ReportScope, periods: PeriodSet):
    """Counts per level imported from outside that count in the scope and periods."""
    return ImportedCount.objects.filter(periods.imported_q(), scope.path_filter("organization__path"))


def _imported_result_facts(scope, periods, blocks, groups, totals_only: bool = False):
    if totals_only:
        rows = (_imported_results(scope, periods).values("year", "quarter", "subject_type", "level", "not_rated")
                .annotate(n=Count("pk")).order_by())
        for row in rows:
            reason = row["not_rated"]
            label = EXCLUSION_LABELS.get(reason, Exclusion.OTHER.label) if reason else ""
            yield Fact(SECTION_OF[row["subject_type"]], row["year"], row["quarter"], "", "", "", 0, "", "", "",
                       row["level"], reason, label, row["n"])
        return
    rows = (
        _imported_results(scope, periods)
        .annotate(
            prefix=Substr("organization__path", 1, scope.prefix_length),
            peer=Substr("organization__path", 1, scope.prefix_length + STEP),
        )
        .values("year", "quarter", "subject_type", "org_kind", "block_id", "tier", "position_group_id",
                "level", "not_rated", "prefix", "peer")
        .annotate(n=Count("pk")).order_by()
    )
    with hash_grouping():
        rows = list(rows)
    for row in rows:
        section = SECTION_OF[row["subject_type"]]
        reason = row["not_rated"]
        label = EXCLUSION_LABELS.get(reason, Exclusion.OTHER.label) if reason else ""
        group = _imported_group(section, row, blocks, groups)
        peer = row["peer"] if section == "members" else f"{section}:{row['tier']}:{group[0]}:{row['prefix']}"
        yield Fact(section, row["year"], row["quarter"], scope.commune_of(row["prefix"]), *group, row["tier"] or "",
                   f"nhap:{peer}", "", row["level"], reason, label, row["n"])


_COUNT_FIELDS = (("excellent", "HTXSNV"), ("good", "HTTNV"), ("passing", "HTNV"), ("failing", "KHTNV"))


def _imported_count_facts(scope, periods, blocks, groups, totals_only: bool = False):
    rows = (
        _imported_counts(scope, periods)
        .annotate(prefix=Substr("organization__path", 1, scope.prefix_length))
        .values("year", "quarter", "subject_type", "org_kind", "block_id", "tier", "position_group_id", "prefix",
                "excellent", "good", "passing", "failing", "not_rated")
    )
    for row in rows:
        section = SECTION_OF[row["subject_type"]]
        if totals_only:
            where = (section, row["year"], row["quarter"], "", "", "", 0, "", "", "")
        else:
            where = (section, row["year"], row["quarter"], scope.commune_of(row["prefix"]),
                     *_imported_group(section, row, blocks, groups), row["tier"] or "", "", "")
        for name, code in _COUNT_FIELDS:
            if row[name]:
                yield Fact(*where, code, "", "", row[name])
        if row["not_rated"]:
            yield Fact(*where, "", Exclusion.OTHER, Exclusion.OTHER.label, row["not_rated"])


def level_counts(scope: ReportScope, periods: PeriodSet) -> dict[str, dict[str, int]]:
    """How many subjects of each section reached each level in the periods (section → level code →
    count): the results `load_facts` counts at a level, grouped by the database on subject type and
    level only (three queries, a handful of rows each). Decided ratings are read from their stored
    counts (`RatingCount`, kept by the decision), a few rows per organisation, not one per rating."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)

    def add(subject_type: str, level: str, n: int) -> None:
        if n:
            section = counts[SECTION_OF[subject_type]]
            section[level] = section.get(level, 0) + n

    stored = (
        RatingCount.objects.filter(periods.q(), scope.path_filter(TREE_PATH)).exclude(level="")
        .values_list("subject_type", "level").annotate(n=Sum("count")).order_by()
    )
    imported = (
        _imported_results(scope, periods).exclude(level="")
        .values_list("subject_type", "level").annotate(n=Count("pk")).order_by()
    )
    for subject_type, level, n in chain(stored, imported):
        add(subject_type, level, n)
    sums = {f"sum_{name}": Sum(name) for name, _ in _COUNT_FIELDS}
    for row in _imported_counts(scope, periods).values("subject_type").annotate(**sums).order_by():
        for name, code in _COUNT_FIELDS:
            add(row["subject_type"], code, row[f"sum_{name}"] or 0)
    return dict(counts)


def years_with_results(scope: ReportScope) -> list[int]:
    """Years that have decided yearly ratings or imported results in the scope, newest first (three queries)."""
    stored = (
        live_ratings().filter(scope.path_filter(TREE_PATH), status=RatingStatus.DECIDED, period__kind=PeriodKind.YEAR)
        .values_list("period__year", flat=True).distinct()
    )
    where = scope.path_filter("organization__path")
    imported = ImportedResult.objects.filter(where, quarter__isnull=True).values_list("year", flat=True).distinct()
    counted = ImportedCount.objects.filter(where, quarter__isnull=True).values_list("year", flat=True).distinct()
    return sorted(set(stored) | set(imported) | set(counted), reverse=True)


def rerating_rows(scope: ReportScope, *, up_to_year: int, decided_after=None) -> Iterable:
    """Re-ratings decided in the scope for periods up to a year (after a date, if given)."""
    qs = (
        live_ratings()
        .filter(scope.path_filter(TREE_PATH), supersedes__isnull=False, status=RatingStatus.DECIDED,
                period__year__lte=up_to_year)
        .select_related("period", "supersedes", "decision", "member", "organization", "unit", "leader_position__member")
        .order_by("decision_date", "pk")
    )
    if decided_after is not None:
        return qs.filter(decision_date__gt=decided_after)
    return qs.filter(period__year=up_to_year)


# -- lists of subjects: summary sheets, decisions ---------------------------------------------------

@dataclass(frozen=True)
class SubjectRow:
    """One rated subject as lists print it: name, where, score and the three levels side by side."""

    name: str
    detail: str
    sort_key: str
    score: object
    self_level: str
    proposed_level: str
    approved_level: str
    status: str
    decision_number: str
    decision_date: object
    member_id: int | None = None
    imported: bool = False


def _row_of(r) -> SubjectRow:
    if r.member_id:
        name, detail, key = r.member.full_name, r.member.cell.name, r.member.sort_key
    elif r.leader_position_id:
        p = r.leader_position
        where = p.unit.name if p.unit_id else (p.organization.name if p.organization_id else "")
        name, detail, key = p.member.full_name, f"{p.title}{', ' + where if where and where not in p.title else ''}", p.member.sort_key
    elif r.unit_id:
        name, detail, key = r.unit.name, r.unit.block.name, f"{r.unit.block.sort_order:04d}{r.unit.sort_order:06d}{r.unit.code}"
    else:
        name, detail, key = r.organization.name, r.organization.get_kind_display(), r.organization.path
    return SubjectRow(
        name=name, detail=detail, sort_key=key, score=r.total_score, self_level=r.self_level,
        proposed_level=r.proposed_level, approved_level=r.approved_level if r.status == RatingStatus.DECIDED else "",
        status=r.get_status_display(), decision_number=r.decision_number, decision_date=r.decision_date,
        member_id=r.member_id or (r.leader_position.member_id if r.leader_position_id else None),
    )


def _subject_qs(qs):
    return qs.select_related(
        "member__cell", "organization", "unit__block", "leader_position__member", "leader_position__unit",
        "leader_position__organization",
    )


def subject_rows(scope: ReportScope, *, year: int, quarter: int | None, subject_type: str) -> list[SubjectRow]:
    """The subjects of one type in a period in the scope (stored, not left out, and imported), in list order."""
    kind = PeriodKind.QUARTER if quarter else PeriodKind.YEAR
    qs = live_ratings().filter(period__kind=kind, period__year=year, subject_type=subject_type)
    if quarter:
        qs = qs.filter(period__quarter=quarter)
    qs = qs.filter(scope.path_filter(TREE_PATH)).exclude(status=RatingStatus.EXCLUDED)
    rows = [_row_of(r) for r in _subject_qs(qs)]
    imported = ImportedResult.objects.filter(
        scope.path_filter("organization__path"), year=year, quarter=quarter, subject_type=subject_type,
    ).exclude(level="").select_related("organization")
    rows += [
        SubjectRow(name=i.name, detail=i.position or i.organization.name, sort_key=_imported_key(i), score=i.score,
                   self_level="", proposed_level="", approved_level=i.level, status="Nhập từ Excel",
                   decision_number=i.decision_number, decision_date=i.decision_date, imported=True)
        for i in imported
    ]
    rows.sort(key=lambda r: (r.sort_key, r.name))
    return rows


def _imported_key(result: ImportedResult) -> str:
    from core.vntext import name_sort_key

    if result.subject_type in (SubjectType.MEMBER_YEARLY, SubjectType.LEADER_YEARLY, SubjectType.LEADER_QUARTERLY):
        return name_sort_key(result.name)
    return result.organization.path


@dataclass(frozen=True)
class DecisionEntry:
    """A rating decision of a period and how many live ratings of the scope it decided."""

    pk: int
    number: str
    decided_on: object
    authority: str
    signer: str
    signer_title: str
    authority_org_id: int | None
    count: int


def decision_list(scope: ReportScope, *, year: int, quarter: int | None) -> list[DecisionEntry]:
    """The rating decisions (not re-ratings) of a period in the scope (one query)."""
    from appraisal.models import DecisionKind

    kind = PeriodKind.QUARTER if quarter else PeriodKind.YEAR
    qs = live_ratings().filter(scope.path_filter(TREE_PATH), status=RatingStatus.DECIDED, period__kind=kind,
                               period__year=year, decision__kind=DecisionKind.RATING)
    if quarter:
        qs = qs.filter(period__quarter=quarter)
    rows = (
        qs.values("decision_id", "decision__number", "decision__decided_on", "decision__authority", "decision__signer",
                  "decision__signer_title", "decision__authority_org_id")
        .annotate(n=Count("pk")).order_by("decision__decided_on", "decision__number")
    )
    return [DecisionEntry(r["decision_id"], r["decision__number"], r["decision__decided_on"], r["decision__authority"],
                          r["decision__signer"], r["decision__signer_title"], r["decision__authority_org_id"], r["n"])
            for r in rows]


def decision_rows(scope: ReportScope, decision) -> list[SubjectRow]:
    """What a decision decided in the scope, as it decided it: its live ratings, and for those since
    re-rated, the rating it decided then (reached through the live re-rating), marked so."""
    live = _subject_qs(live_ratings().filter(scope.path_filter(TREE_PATH), decision=decision))
    rerated = live_ratings().filter(scope.path_filter(TREE_PATH), supersedes__decision=decision).select_related(
        "supersedes__member__cell", "supersedes__organization", "supersedes__unit__block",
        "supersedes__leader_position__member", "supersedes__leader_position__unit",
        "supersedes__leader_position__organization",
    )
    rows = [(r.subject_type, _row_of(r)) for r in live]
    rows += [(r.subject_type, replace(_row_of(r.supersedes), status="Đã xếp loại lại")) for r in rerated]
    order = {t: i for i, t in enumerate(SubjectType.values)}
    rows.sort(key=lambda pair: (order[pair[0]], pair[1].sort_key, pair[1].name))
    return rows


def undecided_count(scope: ReportScope, periods: PeriodSet) -> int:
    """Live ratings of the periods in the scope still in the process (neither decided nor left out)."""
    return (
        live_ratings().filter(periods.q(), scope.path_filter(TREE_PATH))
        .exclude(status__in=COUNTED).count()
    )
