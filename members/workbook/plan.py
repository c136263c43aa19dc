"""Decide what an import would do: validate every row against the file and the database.

`load_snapshot` reads, in a fixed handful of queries, every existing row the file could touch
or refer to; `build_plan` is then pure: it compares each row with what is stored and returns
the changes (create / update / unchanged) or the problems. Nothing here writes.
"""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from members import validators as member_validators
from members.models import (
    Discipline,
    Exemption,
    LeaderPosition,
    Member,
    PositionGroup,
    Suspension,
    TemporaryActivity,
)
from orgs import validators as org_validators
from orgs.models import Block, PartyOrganization, Unit
from orgs.selectors import placement_rules
from orgs.validators import DEFAULT_PLACEMENT

from .reader import ParsedWorkbook, Problem, Row
from .spec import SHEETS_BY_KEY

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
GROUPS_TITLE = "Nhóm chức danh"

# The fields each sheet sets, in the representation the file uses (codes for references).
ORG_FIELDS = ("name", "kind", "parent", "established_on", "is_active", "sort_order")
BLOCK_FIELDS = ("name", "sort_order")
UNIT_FIELDS = ("name", "block", "party_organization", "has_leadership_collective", "is_active", "sort_order")
MEMBER_FIELDS = ("full_name", "date_of_birth", "gender", "admitted_on", "official_on", "status", "cell", "is_active")
POSITION_FIELDS = ("leadership_role", "tier", "group", "end_on")
PERIOD_FIELDS = ("end_on", "reason")
TEMPORARY_FIELDS = ("place", "end_on")
DISCIPLINE_FIELDS = ("violation_on", "decision_number", "reason", "related_to_duties", "self_detected_remedied")
INT_DEFAULT_FIELDS = ("sort_order",)
# A row whose parent is missing, itself or in a cycle is reported for that alone: where it would
# sit is unknown, so the validators' word on its placement is left out.
PLACEMENT = ("parent", "kind")
MAX_LISTED_CARDS = 5000  # more card numbers than this in a file: read every member instead
TEXT_DEFAULT_FIELDS = ("reason", "decision_number")


class StoredMember(NamedTuple):
    """A stored member as the import compares it (the writer makes a Member of it if it changes)."""

    pk: int
    card_number: str
    full_name: str
    date_of_birth: date | None
    gender: str
    admitted_on: date
    official_on: date | None
    status: str
    cell_id: int
    is_active: bool
    version: int


@dataclass
class Snapshot:
    """The stored rows an import may touch or refer to, keyed as the file keys them."""

    orgs: dict[str, PartyOrganization] = field(default_factory=dict)
    org_codes: dict[int, str] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    block_codes: dict[int, str] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    unit_codes: dict[int, str] = field(default_factory=dict)
    groups: dict[str, PositionGroup] = field(default_factory=dict)
    group_codes: dict[int, str] = field(default_factory=dict)
    members: dict[str, "StoredMember | Member"] = field(default_factory=dict)  # Member once written
    card_numbers: dict[int, str] = field(default_factory=dict)
    positions: dict[tuple, LeaderPosition] = field(default_factory=dict)
    exemptions: dict[tuple, Exemption] = field(default_factory=dict)
    suspensions: dict[tuple, Suspension] = field(default_factory=dict)
    temporary_activities: dict[tuple, TemporaryActivity] = field(default_factory=dict)
    disciplines: dict[tuple, Discipline] = field(default_factory=dict)
    rules: dict = field(default_factory=lambda: dict(DEFAULT_PLACEMENT))  # kind → allowed parent kinds
    today: date = field(default_factory=timezone.localdate)


@dataclass(slots=True)
class Change:
    """What the import does to one object: its key, action, new values and the differences."""

    sheet: str
    key: tuple
    action: str
    values: dict
    existing: object | None = None
    diff: dict = field(default_factory=dict)


@dataclass
class Plan:
    changes: dict[str, list[Change]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per sheet: how many rows would be created, updated, left unchanged."""
        result = {}
        for sheet, changes in self.changes.items():
            tally = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
            for change in changes:
                tally[change.action] += 1
            result[sheet] = tally
        return result

    def digest(self) -> str:
        """A fingerprint of the changes: the preview and the confirmation must agree on it."""
        payload = [
            (sheet, [list(map(str, c.key)), c.action, sorted((k, str(v)) for k, v in c.diff.items())])
            for sheet, changes in self.changes.items()
            for c in changes
            if c.action != UNCHANGED
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def _cards_in(parsed: ParsedWorkbook) -> set[str]:
    return {
        row.values["card_number"]
        for rows in parsed.rows.values()
        for row in rows
        if row.values.get("card_number")
    }


def load_snapshot(parsed: ParsedWorkbook, *, lock: bool = False) -> Snapshot:
    """Load the stored rows the file may refer to, in a few queries per 5 000 card numbers.

    Organisations, blocks, units and position groups are few and all loaded (the parent
    chains are needed to detect cycles); members and their history only for the card
    numbers the file names. `lock` takes row locks on those members for the write.
    """
    snap = Snapshot(rules=placement_rules())
    for model, by_code, code_of in (
        (PartyOrganization, snap.orgs, snap.org_codes),
        (Block, snap.blocks, snap.block_codes),
        (Unit, snap.units, snap.unit_codes),
        (PositionGroup, snap.groups, snap.group_codes),
    ):
        for row in model.objects.all():
            by_code[row.code] = row
            code_of[row.pk] = row.code
    cards = sorted(_cards_in(parsed))
    if not cards:
        return snap
    # The members the file names, in lists short enough for any database's limit on query
    # parameters; a file naming most of the members stored (a province's own export) reads
    # them all at once instead.
    if len(cards) > MAX_LISTED_CARDS and 2 * len(cards) >= Member.objects.count():
        chunks = [None]
    elif connection.vendor == "postgresql":
        chunks = [cards]  # one array parameter, whatever its length
    else:
        chunks = [cards[i:i + MAX_LISTED_CARDS] for i in range(0, len(cards), MAX_LISTED_CARDS)]
    for chunk in chunks:
        _load_members(snap, chunk, lock=lock)
    return snap


def _one_of(model, column: str, values: list):
    """A condition `column IN values` on `model`'s table. PostgreSQL gets the list as a single
    array parameter (`= ANY(%s)`): composing thousands of separate parameters costs more than
    the query itself."""
    if connection.vendor != "postgresql":
        return Q(**{f"{column}__in": values})
    name = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(column)}"
    return RawSQL(f"{name} = ANY(%s)", (list(values),), output_field=BooleanField())


def _load_members(snap: Snapshot, cards: list[str] | None, *, lock: bool) -> None:
    """Load the members with these card numbers (all if None) and their history into `snap`."""
    members = Member.objects.all() if cards is None else Member.objects.filter(_one_of(Member, "card_number", cards))
    # Plain tuples, not model instances: a province's members load in a fraction of the time.
    rows = (members.select_for_update() if lock else members).values_list(*StoredMember._fields)
    found = []
    for row in rows:
        member = StoredMember(*row)
        snap.members[member.card_number] = member
        snap.card_numbers[member.pk] = member.card_number
        found.append(member.pk)
    if not found:
        return  # new members have no history yet

    def of_members(model):
        return model.objects.all() if cards is None else model.objects.filter(_one_of(model, "member_id", found))

    for pos in of_members(LeaderPosition):
        snap.positions.setdefault(_position_key_of(pos, snap), pos)
    for exemption in of_members(Exemption):
        snap.exemptions.setdefault((snap.card_numbers[exemption.member_id], exemption.start_on), exemption)
    for suspension in of_members(Suspension):
        snap.suspensions.setdefault((snap.card_numbers[suspension.member_id], suspension.start_on), suspension)
    for activity in of_members(TemporaryActivity):
        snap.temporary_activities.setdefault((snap.card_numbers[activity.member_id], activity.start_on), activity)
    for d in of_members(Discipline):
        snap.disciplines.setdefault((snap.card_numbers[d.member_id], d.decided_on, d.form), d)


def _position_key_of(pos: LeaderPosition, snap: Snapshot) -> tuple:
    return (
        snap.card_numbers[pos.member_id],
        pos.title,
        snap.unit_codes.get(pos.unit_id, ""),
        snap.org_codes.get(pos.organization_id, ""),
        pos.start_on,
    )


def _stored(obj, fields: tuple[str, ...], refs: dict[str, dict[int, str]]) -> dict:
    """The object's values in the file's representation (references as codes)."""
    values = {}
    for name in fields:
        if name in refs:
            values[name] = refs[name].get(getattr(obj, f"{name}_id"), "")
        else:
            values[name] = getattr(obj, name)
    return values


def _row_values(row: Row, fields: tuple[str, ...]) -> dict:
    values = {}
    for name in fields:
        value = row.values.get(name)
        if value is None and name in INT_DEFAULT_FIELDS:
            value = 0
        if value is None and name in TEXT_DEFAULT_FIELDS:
            value = ""
        if value is None and name in ("parent", "party_organization", "unit", "organization"):
            value = ""
        values[name] = value
    return values


def _change(sheet: str, key: tuple, values: dict, existing, stored: dict | None) -> Change:
    """Compare the row with the stored object (if any)."""
    if existing is None:
        return Change(sheet, key, CREATE, values)
    diff = {k: (stored[k], v) for k, v in values.items() if stored[k] != v}
    return Change(sheet, key, UPDATE if diff else UNCHANGED, values, existing, diff)


class _Planner:
    """Walks the parsed rows sheet by sheet, keeping what earlier sheets define."""

    def __init__(self, parsed: ParsedWorkbook, snap: Snapshot):
        self.parsed = parsed
        self.snap = snap
        self.plan = Plan(problems=list(parsed.problems))
        self.file_orgs: dict[str, Row] = {}
        self.file_blocks: set[str] = set()
        self.file_units: set[str] = set()
        self.file_cards: set[str] = set()
        self.file_members: dict[str, Row] = {}

    def rows(self, sheet: str) -> list[Row]:
        return self.parsed.rows.get(sheet, [])

    def problem(self, row: Row, key: str, message: str) -> None:
        self.plan.problems.append(row.problem(key, message))

    def validated(self, row: Row, errors: dict[str, list[str]], fields: dict[str, str] | None = None) -> None:
        """Report a validator's messages at the row's columns (`fields` renames a field to a column).

        A column whose cell could not be read is already reported: the validator's word on the
        value it then saw (nothing) is left out.
        """
        for name, messages in errors.items():
            key = (fields or {}).get(name, name)
            if key in row.unreadable:
                continue
            for message in messages:
                self.problem(row, key, message)

    def unique(self, sheet: str, key_of, key_column: str) -> list[tuple[tuple, Row]]:
        """Rows with their keys, reporting rows whose key repeats an earlier row."""
        seen: dict[tuple, int] = {}
        result = []
        for row in self.rows(sheet):
            key = key_of(row)
            if any(part is None or part == "" for part in key):
                continue  # a missing key part is already reported as a blank required cell
            if key in seen:
                self.problem(row, key_column, f"trùng với dòng {seen[key]}")
                continue
            seen[key] = row.number
            result.append((key, row))
        return result

    def add(self, sheet: str, change: Change) -> None:
        self.plan.changes.setdefault(sheet, []).append(change)

    # Organisations ---------------------------------------------------------------------

    def orgs(self) -> None:
        keyed = self.unique("orgs", lambda r: (r.values["code"],), "code")
        self.file_orgs = {key[0]: row for key, row in keyed}
        for (code,), row in keyed:
            parent = row.values.get("parent") or ""
            if parent and parent not in self.file_orgs and parent not in self.snap.orgs:
                self.problem(row, "parent", f"không có tổ chức mã '{parent}' trong tệp hoặc trong hệ thống")
                row.unreadable.update(PLACEMENT)
            elif parent == code:
                self.problem(row, "parent", "tổ chức không thể trực thuộc chính nó")
                row.unreadable.update(PLACEMENT)
        self._check_cycles()
        refs = {"parent": self.snap.org_codes}
        for (code,), row in keyed:
            existing = self.snap.orgs.get(code)
            stored = _stored(existing, ORG_FIELDS, refs) if existing else None
            change = _change("orgs", (code,), _row_values(row, ORG_FIELDS), existing, stored)
            if change.action != UNCHANGED:
                self.validated(row, self._org_errors(code, change))
            self.add("orgs", change)

    def _org_errors(self, code: str, change: Change) -> dict[str, list[str]]:
        """What the organisation validators say of a new or changed row (placement when it moves)."""
        v, snap = change.values, self.snap
        placed = change.action == CREATE or "parent" in change.diff or "kind" in change.diff
        if not placed:
            return org_validators.org_fields_errors(
                code=code, name=v["name"], established_on=v["established_on"], today=snap.today,
                sort_order=v["sort_order"],
            )
        parent = v["parent"]
        return org_validators.org_errors(
            code=code, name=v["name"], kind=v["kind"],
            parent_kind=self.final_kind(parent) if parent else None,
            parent_active=self.final_active(parent) if parent else True,
            established_on=v["established_on"], rules=snap.rules, today=snap.today, sort_order=v["sort_order"],
        )

    def final_parent(self, code: str) -> str:
        if code in self.file_orgs:
            return self.file_orgs[code].values.get("parent") or ""
        org = self.snap.orgs.get(code)
        return self.snap.org_codes.get(org.parent_id, "") if org else ""

    def final_kind(self, code: str) -> str | None:
        if code in self.file_orgs:
            return self.file_orgs[code].values.get("kind")
        org = self.snap.orgs.get(code)
        return org.kind if org else None

    def final_active(self, code: str) -> bool:
        if code in self.file_orgs:
            return self.file_orgs[code].values.get("is_active") is not False
        org = self.snap.orgs.get(code)
        return bool(org and org.is_active)

    def _check_cycles(self) -> None:
        """Report every file row whose chain of parents comes back to itself."""
        for code, row in self.file_orgs.items():
            seen = {code}
            current = self.final_parent(code)
            while current:
                if current in seen:
                    if current == code:
                        chain = " → ".join([code, *self._chain(code)])
                        self.problem(row, "parent", f"tạo vòng lặp cấp trên: {chain}")
                        row.unreadable.update(PLACEMENT)
                    break
                seen.add(current)
                current = self.final_parent(current)

    def _chain(self, code: str) -> list[str]:
        chain, current = [], self.final_parent(code)
        while current and current != code and len(chain) < 50:
            chain.append(current)
            current = self.final_parent(current)
        return [*chain, code]

    def org_exists(self, code: str) -> bool:
        return code in self.file_orgs or code in self.snap.orgs

    # Blocks and units -------------------------------------------------------------------

    def blocks(self) -> None:
        keyed = self.unique("blocks", lambda r: (r.values["code"],), "code")
        self.file_blocks = {key[0] for key, _ in keyed}
        for (code,), row in keyed:
            existing = self.snap.blocks.get(code)
            stored = _stored(existing, BLOCK_FIELDS, {}) if existing else None
            change = _change("blocks", (code,), _row_values(row, BLOCK_FIELDS), existing, stored)
            if change.action != UNCHANGED:
                self.validated(row, org_validators.code_name_errors(
                    code=code, name=change.values["name"], name_label=Block.name_label, sort_order=change.values["sort_order"],
                ))
            self.add("blocks", change)

    def units(self) -> None:
        keyed = self.unique("units", lambda r: (r.values["code"],), "code")
        self.file_units = {key[0] for key, _ in keyed}
        refs = {"block": self.snap.block_codes, "party_organization": self.snap.org_codes}
        for (code,), row in keyed:
            block = row.values.get("block")
            if block and block not in self.file_blocks and block not in self.snap.blocks:
                self.problem(row, "block", f"không có khối mã '{block}' trong tệp hoặc trong hệ thống")
            org = row.values.get("party_organization")
            if org and not self.org_exists(org):
                self.problem(row, "party_organization", f"không có tổ chức mã '{org}' trong tệp hoặc trong hệ thống")
            existing = self.snap.units.get(code)
            stored = _stored(existing, UNIT_FIELDS, refs) if existing else None
            change = _change("units", (code,), _row_values(row, UNIT_FIELDS), existing, stored)
            if change.action != UNCHANGED:
                org = change.values["party_organization"]
                self.validated(row, org_validators.unit_errors(
                    code=code, name=change.values["name"], sort_order=change.values["sort_order"],
                    party_organization_active=not org or not self.org_exists(org) or self.final_active(org),
                ))
            self.add("units", change)

    # Members ------------------------------------------------------------------------------

    def members(self) -> None:
        keyed = self.unique("members", lambda r: (r.values["card_number"],), "card_number")
        self.file_cards = {key[0] for key, _ in keyed}
        self.file_members = {key[0]: row for key, row in keyed}
        refs = {"cell": self.snap.org_codes}
        for (card,), row in keyed:
            v = row.values
            cell = v.get("cell")
            missing = cell and not self.org_exists(cell)
            if missing:
                self.problem(row, "cell", f"không có tổ chức mã '{cell}' trong tệp hoặc trong hệ thống")
            existing = self.snap.members.get(card)
            stored = _stored(existing, MEMBER_FIELDS, refs) if existing else None
            change = _change("members", (card,), _row_values(row, MEMBER_FIELDS), existing, stored)
            if change.action != UNCHANGED:
                self.validated(row, member_validators.member_errors(
                    full_name=v["full_name"] or "", date_of_birth=v["date_of_birth"], gender=v["gender"],
                    card_number=card, admitted_on=v["admitted_on"], official_on=v["official_on"],
                    status=v["status"], today=self.snap.today,
                ))
                if cell and not missing:
                    self.validated(row, member_validators.cell_errors(
                        kind=self.final_kind(cell), active=self.final_active(cell), name=cell,
                    ))
            self.add("members", change)

    def admitted_on(self, card: str) -> date | None:
        """The member's date of admission after the import (the file's row, else the stored one)."""
        row = self.file_members.get(card)
        if row is not None:
            return row.values.get("admitted_on")
        member = self.snap.members.get(card)
        return member.admitted_on if member else None

    def check_card(self, row: Row) -> None:
        card = row.values.get("card_number")
        if card and card not in self.file_cards and card not in self.snap.members:
            self.problem(row, "card_number", f"không có đảng viên số thẻ '{card}' trong tệp hoặc trong hệ thống")

    # Positions and position groups -------------------------------------------------------

    def positions(self) -> None:
        def key_of(r: Row) -> tuple:
            v = r.values
            return (v["card_number"], v["title"], v.get("unit") or "", v.get("organization") or "", v["start_on"])

        rows = [r for r in self.rows("positions") if r.values.get("start_on")]
        keyed = []
        seen: dict[tuple, int] = {}
        for row in rows:
            if not row.values.get("card_number") or not row.values.get("title"):
                continue
            key = key_of(row)
            if key in seen:
                self.problem(row, "title", f"trùng với dòng {seen[key]} (cùng đảng viên, chức vụ, nơi và ngày bắt đầu)")
                continue
            seen[key] = row.number
            keyed.append((key, row))
        self._groups(keyed)
        refs = {"group": self.snap.group_codes}
        for key, row in keyed:
            v = row.values
            self.check_card(row)
            if v.get("unit") and v["unit"] not in self.file_units and v["unit"] not in self.snap.units:
                self.problem(row, "unit", f"không có cơ quan, đơn vị mã '{v['unit']}' trong tệp hoặc trong hệ thống")
            if v.get("organization") and not self.org_exists(v["organization"]):
                self.problem(row, "organization", f"không có tổ chức mã '{v['organization']}' trong tệp hoặc trong hệ thống")
            existing = self.snap.positions.get(key)
            stored = _stored(existing, POSITION_FIELDS, refs) if existing else None
            change = _change("positions", key, _row_values(row, POSITION_FIELDS), existing, stored)
            if change.action != UNCHANGED:
                self.validated(row, member_validators.position_errors(
                    title=v["title"], leadership_role=v["leadership_role"], tier=v["tier"],
                    has_unit=bool(v.get("unit")), has_organization=bool(v.get("organization")),
                    start_on=v["start_on"], end_on=v["end_on"], today=self.snap.today,
                ))
            self.add("positions", change)

    def _groups(self, keyed: list[tuple[tuple, Row]]) -> None:
        """Position groups come with the positions: code, name and order ("Thứ tự nhóm"), each
        consistent across the rows that give it; a blank name or order keeps what is stored."""
        given: dict[str, dict[str, tuple[object, int]]] = {"name": {}, "sort_order": {}}
        first_row: dict[str, Row] = {}
        for _, row in keyed:
            code = row.values.get("group")
            if not code:
                continue
            first_row.setdefault(code, row)
            for name, column, shown in (("name", "group_name", "tên"), ("sort_order", "group_order", "thứ tự")):
                value = row.values.get(column)
                if value is None or value == "":
                    continue
                seen = given[name].get(code)
                if seen is not None and seen[0] != value:
                    self.problem(row, column, f"khác với {shown} '{seen[0]}' của nhóm '{code}' ở dòng {seen[1]}")
                    continue
                given[name].setdefault(code, (value, row.number))
        for code, row in first_row.items():
            existing = self.snap.groups.get(code)
            if existing is None and code not in given["name"]:
                self.problem(row, "group_name", f"nhóm chức danh '{code}' chưa có, cần ghi tên nhóm")
                continue
            values = {name: found[code][0] for name, found in given.items() if code in found}
            if not values:
                continue
            if existing is None:
                values.setdefault("sort_order", 0)
            stored = {"name": existing.name, "sort_order": existing.sort_order} if existing else None
            change = _change("groups", (code,), values, existing, stored)
            if change.action != UNCHANGED:
                self.validated(
                    row, org_validators.code_name_errors(
                        code=code, name=values.get("name", existing.name if existing else ""),
                        name_label=PositionGroup.name_label, sort_order=values.get("sort_order", 0),
                    ),
                    fields={"code": "group", "name": "group_name", "sort_order": "group_order"},
                )
            self.add("groups", change)

    # History -------------------------------------------------------------------------------

    def periods(self, sheet: str, stored_rows: dict, label: str, fields: tuple[str, ...] = PERIOD_FIELDS) -> None:
        """Dated history keyed on (card number, start date): exemptions, suspensions, temporary activities.

        A new or changed period is checked against the member's other periods of the kind as
        the database would hold them after the import: the stored ones, each replaced by the
        file's row with the same start, and the file's other rows.
        """
        keyed = self.unique(sheet, lambda r: (r.values["card_number"], r.values["start_on"]), "start_on")
        after: dict[str, dict[date, date | None]] = {}
        for (card, start), stored in stored_rows.items():
            after.setdefault(card, {})[start] = stored.end_on
        for (card, start), row in keyed:
            after.setdefault(card, {})[start] = row.values.get("end_on")
        for key, row in keyed:
            self.check_card(row)
            existing = stored_rows.get(key)
            stored = _stored(existing, fields, {}) if existing else None
            change = _change(sheet, key, _row_values(row, fields), existing, stored)
            if change.action != UNCHANGED:
                card, start = key
                errors = member_validators.period_errors(
                    start_on=start, end_on=row.values.get("end_on"), admitted_on=self.admitted_on(card),
                    existing=[(s, e) for s, e in after[card].items() if s != start], label=label,
                    today=self.snap.today,
                )
                if "place" in fields:
                    errors = {**member_validators.temporary_place_errors(place=row.values.get("place") or ""), **errors}
                self.validated(row, errors)
            self.add(sheet, change)

    def disciplines(self) -> None:
        keyed = self.unique(
            "disciplines",
            lambda r: (r.values["card_number"], r.values["decided_on"], r.values["form"]),
            "decided_on",
        )
        for key, row in keyed:
            self.check_card(row)
            existing = self.snap.disciplines.get(key)
            stored = _stored(existing, DISCIPLINE_FIELDS, {}) if existing else None
            change = _change("disciplines", key, _row_values(row, DISCIPLINE_FIELDS), existing, stored)
            if change.action != UNCHANGED:
                card, decided_on, form = key
                self.validated(row, member_validators.discipline_errors(
                    form=form, violation_on=row.values.get("violation_on"), decided_on=decided_on,
                    admitted_on=self.admitted_on(card), today=self.snap.today,
                ))
            self.add("disciplines", change)


def build_plan(parsed: ParsedWorkbook, snap: Snapshot) -> Plan:
    """Validate every row and decide, per object, whether the import creates, updates or keeps it."""
    planner = _Planner(parsed, snap)
    planner.orgs()
    planner.blocks()
    planner.units()
    planner.members()
    planner.positions()
    labels = member_validators.PERIOD_LABELS
    planner.periods("exemptions", snap.exemptions, labels["exemption"])
    planner.periods("suspensions", snap.suspensions, labels["suspension"])
    planner.periods("temporary_activities", snap.temporary_activities, labels["temporary"], TEMPORARY_FIELDS)
    planner.disciplines()
    plan = planner.plan
    plan.problems.sort(key=_problem_order)
    return plan


_SHEET_ORDER = {sheet.title: i for i, sheet in enumerate(SHEETS_BY_KEY.values())}


def _problem_order(p: Problem) -> tuple:
    return (_SHEET_ORDER.get(p.sheet, -1), p.row or 0, len(p.column), p.column)
