"""Past years of the demo communes, decided and brought in through the results import (`seed_demo --history-years`).

A province keeps its earlier years as files; the product takes them through
`reports.results_import.run_import`, and so does this: for each past year, one row per member
who belonged to a demo commune on that year's evaluation date (rated, or not rated with the
engine's reason), one per organisation, one per committee of at least `COMMITTEE_MIN_SEATS`
seats that day, one per unit's leadership collective and one per leader post holding that day,
in files of at most `CHUNK_ROWS` rows, each imported all or nothing. Levels are drawn from the
seed; HTXSNV stay within the engine's quota in every cell and every peer group the reports
check, as a committee would keep them; a committee is never above its organisation, a head
never above the collective they head [DOMAIN §6]. A
commune whose year is already imported (or rated in the app) is passed over: re-running adds
nothing twice, and an interrupted run resumes where it stopped.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models.functions import Substr

from appraisal.models import Exclusion, PeriodKind
from appraisal.process.periods.services import COMMITTEE_MIN_SEATS
from appraisal.rules import (
    collective_eligibility,
    committee_eligibility,
    leader_year_eligibility,
    member_eligibility,
    organisation_eligibility,
)
from appraisal.rules.calendar import add_months
from appraisal.selectors import live_ratings
from core.models import holds_on
from demo.levels import MEMBER_WEIGHTS, ORG_WEIGHTS, at_most, draw_level, within_quota
from members.models import Exemption, LeaderPosition, LeadershipRole, Member, Suspension, Transfer
from orgs.models import PATH_STEP, CommitteeMembership, OrgKind, PartyOrganization, Unit
from reports.data import COMMITTEE_GROUPS, ORG_GROUPS
from reports.models import ImportedResult, ImportKind
from reports.results_import import results_workbook, run_import

CHUNK_ROWS = 25_000  # rows of one imported file: the import holds about 4 KB a row until it is written
COMMUNE_CODE = r"^X[0-9]+-XA$"
ROOT_PATH = PATH_STEP + 1  # the length of a commune's (a root's) path


# The import's word for each subject → the YearOutcome count it adds to.
COUNTED = {"Đảng viên": "members", "Tổ chức đảng": "organizations", "Tập thể cấp ủy": "committees",
           "Tập thể lãnh đạo, quản lý": "collectives", "Cán bộ lãnh đạo, quản lý": "leaders"}


class HistoryError(Exception):
    """An import the results service refused: its first problems, in Vietnamese."""


@dataclass
class YearOutcome:
    """What one year brought in (or why it brought nothing)."""

    year: int
    communes: int = 0  # communes imported now
    members: int = 0
    not_rated: int = 0
    organizations: int = 0
    committees: int = 0
    collectives: int = 0
    leaders: int = 0
    files: int = 0
    skipped: int = 0  # communes already imported
    rated_in_app: int = 0  # communes whose year is rated in the app
    levels: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return self.members + self.organizations + self.committees + self.collectives + self.leaders


@dataclass
class _Commune:
    pk: int
    code: str
    path: str


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    block: int
    org: int  # its party organisation


@dataclass(frozen=True)
class _Post:
    member: int
    card: str
    name: str
    cell: int | None
    active: bool
    title: str
    unit: str | None  # the unit's code
    org: int  # the organisation it belongs to: its own, else its unit's
    head: bool
    group: str
    tier: str
    start_on: date
    end_on: date | None


class _Province:
    """The demo communes' organisations, units, leader posts, committee seats and their members'
    dated history, read once (a query each, whatever the number of communes)."""

    def __init__(self):
        roots = PartyOrganization.objects.filter(kind=OrgKind.ROOT, code__regex=COMMUNE_CODE).order_by("code")
        self.communes = [_Commune(pk, code, path) for pk, code, path in roots.values_list("pk", "code", "path")]
        paths = {c.path: c for c in self.communes}
        self.orgs: dict[int, tuple] = {}  # pk → (code, name, kind, path, established_on)
        self.orgs_of: dict[str, list[int]] = {c.path: [] for c in self.communes}
        self.by_path: dict[str, int] = {}
        for pk, code, name, kind, path, established in (
            PartyOrganization.objects.values_list("pk", "code", "name", "kind", "path", "established_on").order_by("path")
        ):
            commune = paths.get(path[:ROOT_PATH])
            if commune is not None:
                self.orgs[pk] = (code, name, kind, path, established)
                self.by_path[path] = pk
                self.orgs_of[commune.path].append(pk)
        self.exempt = _spells(Exemption)
        self.suspended = _spells(Suspension)
        self.moves: dict[int, list[tuple]] = {}
        for member_id, from_cell, moved_on in Transfer.objects.order_by("moved_on", "pk").values_list(
                "member_id", "from_cell_id", "moved_on"):
            self.moves.setdefault(member_id, []).append((moved_on, from_cell))
        self.seats: dict[int, list[tuple]] = {}  # organisation pk → its committee seats' (start, end)
        for org, start, end in CommitteeMembership.objects.values_list("organization_id", "start_on", "end_on"):
            if org in self.orgs:
                self.seats.setdefault(org, []).append((start, end))
        self.units_of: dict[str, list[_Unit]] = {c.path: [] for c in self.communes}
        # The units whose leadership collective is rated (the planner's rule); units carry no dates.
        for code, name, block, org in (Unit.objects.filter(is_active=True, has_leadership_collective=True)
                                       .values_list("code", "name", "block_id", "party_organization_id")):
            if org in self.orgs:
                self.units_of[self.orgs[org][3][:ROOT_PATH]].append(_Unit(code, name, block, org))
        self.posts_of: dict[str, list[_Post]] = {c.path: [] for c in self.communes}
        for row in (LeaderPosition.objects.order_by("member__card_number", "group__sort_order", "start_on", "pk")
                    .values_list("member_id", "member__card_number", "member__full_name", "member__cell_id",
                                 "member__is_active", "title", "unit__code", "organization_id",
                                 "unit__party_organization_id", "leadership_role", "group__code", "tier",
                                 "start_on", "end_on")):
            member, card, name, cell, active, title, unit, org, unit_org, role, group, tier, start, end = row
            org = org or unit_org
            if org in self.orgs:
                self.posts_of[self.orgs[org][3][:ROOT_PATH]].append(_Post(
                    member, card, name, cell, active, title, unit, org, role == LeadershipRole.HEAD, group, tier,
                    start, end))

    def members(self, commune: _Commune):
        """The commune's members as (pk, card, name, cell, admitted, active), by card number."""
        return (Member.objects.filter(cell_id__in=self.orgs_of[commune.path]).order_by("card_number")
                .values_list("pk", "card_number", "full_name", "cell_id", "admitted_on", "is_active"))

    def cell_on(self, pk: int, cell: int, active: bool, day: date) -> int | None:
        """The cell the member belonged to on `day`: before a later move, the cell moved from."""
        for moved_on, from_cell in self.moves.get(pk, ()):
            if moved_on > day:
                return from_cell
        return cell if active else None


    def existing(self, pk: int, day: date) -> int:
        """The organisation itself, or (formed later, from others) its nearest ancestor existing on `day`."""
        path = self.orgs[pk][3]
        while self.orgs[pk][4] > day and len(path) > ROOT_PATH:
            path = path[:-ROOT_PATH]
            pk = self.by_path[path]
        return pk


def _spells(model) -> dict[int, list[tuple]]:
    spells: dict[int, list[tuple]] = {}
    for member_id, start, end in model.objects.values_list("member_id", "start_on", "end_on"):
        spells.setdefault(member_id, []).append((start, end))
    return spells


def _covers(spells, day: date) -> bool:
    return any(holds_on(start, end, day) for start, end in spells)


def evaluation_date(year: int) -> date:
    """The day a past year was evaluated on (the members and organisations counted are those of that day)."""
    return date(year, 12, 15)


def _within_quota(rows: list[dict], group_of: Callable[[dict], object]) -> None:
    """Lower the HTXSNV beyond each group's quota to HTTNV (the later rows first), as the committee would."""
    groups: dict[object, list[dict]] = {}
    for row in rows:
        if row.get("level"):
            groups.setdefault(group_of(row), []).append(row)
    for members in groups.values():
        for row, level in zip(members, within_quota([r["level"] for r in members]), strict=True):
            row["level"] = level


def commune_rows(province: _Province, commune: _Commune, year: int, *, seed: int) -> list[dict]:
    """The rows of one commune's year: its members on the evaluation date, its organisations, their
    committees, its units' leadership collectives, then its leaders."""
    day = evaluation_date(year)
    rng = random.Random(f"kiemdiem-history:{seed}:{year}:{commune.code}")
    decision = {"year": year, "decision_number": f"{100 + int(commune.code[1:].split('-')[0])}-QĐ/ĐU",
                "decision_date": (day + timedelta(days=10)).strftime("%d/%m/%Y")}
    members = _member_rows(province, commune, day, rng, decision)
    orgs = _org_rows(province, commune, day, rng, decision)
    committees = _committee_rows(province, commune, day, rng, decision, {r["_org"]: r.get("level") for r in orgs})
    collectives = _collective_rows(province, commune, day, rng, decision)
    leaders = _leader_rows(province, commune, day, rng, decision, {r["unit_code"]: r.get("level") for r in collectives})
    return members + orgs + committees + collectives + leaders


def _rated(row: dict, outcome, rng: random.Random, weights) -> dict:
    """The row not rated with the engine's first reason, or rated at a level drawn with `weights`."""
    if outcome is not None and outcome.reasons:
        row["not_rated"] = Exclusion(outcome.reasons[0].code).label
    else:
        row["level"] = draw_level(rng, weights)
    return row


def _member_rows(province: _Province, commune: _Commune, day: date, rng: random.Random, decision: dict) -> list[dict]:
    orgs = province.orgs
    settled = add_months(day, -7)  # admitted by then: past the engine's six months on `day`
    rows = []
    for pk, card, name, cell, admitted, active in province.members(commune):
        if admitted > day:
            continue
        cell = province.cell_on(pk, cell, active, day)
        if cell is None or cell not in orgs:
            continue  # not in the commune on that day
        cell = province.existing(cell, day)
        row = {"subject": "Đảng viên", "org_code": orgs[cell][0], "name": name, "card": card, "_cell": cell, **decision}
        exempt, suspended = _covers(province.exempt.get(pk, ()), day), _covers(province.suspended.get(pk, ()), day)
        # The engine decides who is not rated; a member admitted long before, neither exempt nor
        # suspended, is rated whatever it notes (its notes cost a tenth of a millisecond a member).
        outcome = (member_eligibility(evaluated_on=day, admitted_on=admitted, exempt=exempt, suspended=suspended)
                   if exempt or suspended or admitted > settled else None)
        rows.append(_rated(row, outcome, rng, MEMBER_WEIGHTS))
    # Within each cell, and within each peer group the reports check (the organisation under the commune).
    _within_quota(rows, lambda r: r["_cell"])
    _within_quota(rows, lambda r: orgs[r["_cell"]][3][:2 * ROOT_PATH])
    return rows


def _org_rows(province: _Province, commune: _Commune, day: date, rng: random.Random, decision: dict) -> list[dict]:
    rows = []
    for pk in province.orgs_of[commune.path]:
        code, name, kind, _path, established = province.orgs[pk]
        if established > day:
            continue
        row = {"subject": "Tổ chức đảng", "org_code": code, "name": name, "_org": pk, "_kind": kind, **decision}
        rows.append(_rated(row, organisation_eligibility(evaluated_on=day, formed_on=established), rng, ORG_WEIGHTS))
    _within_quota(rows, lambda r: ORG_GROUPS.get(r["_kind"], r["_kind"]))
    return rows


def _committee_rows(province: _Province, commune: _Commune, day: date, rng: random.Random, decision: dict,
                    org_levels: dict[int, str | None]) -> list[dict]:
    """A row per organisation whose committee had `COMMITTEE_MIN_SEATS` seats or more on `day`,
    never above its organisation's level [003 C.III.3]."""
    rows = []
    for pk in province.orgs_of[commune.path]:
        code, name, kind, _path, established = province.orgs[pk]
        if established > day or sum(holds_on(s, e, day) for s, e in province.seats.get(pk, ())) < COMMITTEE_MIN_SEATS:
            continue
        row = {"subject": "Tập thể cấp ủy", "org_code": code, "name": name, "_kind": kind, **decision}
        row = _rated(row, committee_eligibility(evaluated_on=day, organisation_formed_on=established), rng, ORG_WEIGHTS)
        if row.get("level") and org_levels.get(pk):
            row["level"] = at_most(row["level"], org_levels[pk])
        rows.append(row)
    _within_quota(rows, lambda r: COMMITTEE_GROUPS.get(r["_kind"], r["_kind"]))
    return rows


def _collective_rows(province: _Province, commune: _Commune, day: date, rng: random.Random,
                     decision: dict) -> list[dict]:
    """A row per unit's leadership collective, under the organisation of the unit existing on `day`."""
    rows = []
    for unit in province.units_of[commune.path]:
        row = {"subject": "Tập thể lãnh đạo, quản lý", "unit_code": unit.code, "name": unit.name,
               "org_code": province.orgs[province.existing(unit.org, day)][0], "_block": unit.block, **decision}
        rows.append(_rated(row, collective_eligibility(evaluated_on=day), rng, ORG_WEIGHTS))
    _within_quota(rows, lambda r: r["_block"])
    return rows


def _leader_rows(province: _Province, commune: _Commune, day: date, rng: random.Random, decision: dict,
                 collective_levels: dict[str, str | None]) -> list[dict]:
    """A row per leader post holding on `day` (one per member and position group: the import's
    key), a head never above the collective of the unit they head [003 C.III.5]."""
    orgs, rows, seen = province.orgs, [], set()
    for post in province.posts_of[commune.path]:
        if not holds_on(post.start_on, post.end_on, day) or (post.card, post.group) in seen:
            continue
        seen.add((post.card, post.group))
        cell = province.cell_on(post.member, post.cell, post.active, day)
        org = province.existing(cell if cell in orgs else post.org, day)  # the cell they belonged to, else the post's
        row = {"subject": "Cán bộ lãnh đạo, quản lý", "org_code": orgs[org][0], "unit_code": post.unit,
               "name": post.name, "card": post.card, "position": post.title, "group": post.group,
               "tier": post.tier, **decision}
        outcome = leader_year_eligibility(evaluated_on=day, exempt=_covers(province.exempt.get(post.member, ()), day),
                                          suspended=_covers(province.suspended.get(post.member, ()), day))
        row = _rated(row, outcome, rng, MEMBER_WEIGHTS)
        ceiling = collective_levels.get(post.unit) if post.head else None
        if row.get("level") and ceiling:
            row["level"] = at_most(row["level"], ceiling)
        rows.append(row)
    _within_quota(rows, lambda r: (r["tier"], r["group"]))
    return rows


def _done_communes(year: int) -> set[str]:
    """Paths of the communes whose year already has imported results (one query)."""
    rows = (ImportedResult.objects.filter(year=year, quarter__isnull=True)
            .annotate(commune=Substr("organization__path", 1, ROOT_PATH)).values_list("commune", flat=True).distinct())
    return set(rows)


def _rated_communes(year: int) -> set[str]:
    """Paths of the communes whose year is rated in the app (a period opened there): not imported over."""
    rows = (live_ratings().filter(period__kind=PeriodKind.YEAR, period__year=year)
            .annotate(commune=Substr("scope_org__path", 1, ROOT_PATH)).values_list("commune", flat=True).distinct())
    return set(rows)


def _chunks(province: _Province, communes: Iterable[_Commune], year: int, seed: int, rows_per_file: int):
    """Rows of consecutive communes, about `rows_per_file` a file (a commune is never split)."""
    rows, count = [], 0
    for commune in communes:
        rows += commune_rows(province, commune, year, seed=seed)
        count += 1
        if len(rows) >= rows_per_file:
            yield rows, count
            rows, count = [], 0
    if rows:
        yield rows, count


def import_history(years: Iterable[int], *, seed: int = 0, actor=None, rows_per_file: int = CHUNK_ROWS,
                   say: Callable[[YearOutcome], None] = lambda outcome: None) -> list[YearOutcome]:
    """Import each past year of the demo communes through `run_import`, file by file; `say` hears of each year."""
    province = _Province()
    outcomes = []
    for year in years:
        started = time.perf_counter()
        outcome = YearOutcome(year)
        done, rated = _done_communes(year), _rated_communes(year)
        wanted = []
        for commune in province.communes:
            if commune.path in done:
                outcome.skipped += 1
            elif commune.path in rated:
                outcome.rated_in_app += 1
            else:
                wanted.append(commune)
        for rows, communes in _chunks(province, wanted, year, seed, rows_per_file):
            outcome.files += 1
            content = results_workbook(rows, title=f"KẾT QUẢ XẾP LOẠI NĂM {year}")
            for row in rows:
                counter = COUNTED[row["subject"]]
                setattr(outcome, counter, getattr(outcome, counter) + 1)
                if row["subject"] == "Đảng viên":
                    outcome.not_rated += "level" not in row
                if "level" in row:
                    outcome.levels[row["level"]] = outcome.levels.get(row["level"], 0) + 1
            rows.clear()  # the file holds them now: the import reads its own copy
            result = run_import(content=content, kind=ImportKind.SUBJECTS, actor=actor, commit=True,
                                file_name=f"ket-qua-xep-loai-{year}-tep-{outcome.files}.xlsx")
            if not result.ok:
                raise HistoryError(f"Năm {year}, tệp {outcome.files}: " + "; ".join(result.problems[:5]))
            outcome.communes += communes
        outcome.seconds = time.perf_counter() - started
        say(outcome)
        outcomes.append(outcome)
    return outcomes
