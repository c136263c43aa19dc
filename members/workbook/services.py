"""The only writer of workbook imports: validate everything, then apply it all or nothing.

The write is in bulk (a few INSERTs and UPDATEs per sheet, whatever the number of rows), with
one audit entry per changed row saved the same way. References in the audit entries are
primary keys, as every other service records them, so the audit pages can name them.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.audit import AuditAction, audit_entry, record_changes, ref
from core.bulk import bulk_insert
from core.scope import scope_for
from members.models import (
    Discipline,
    Exemption,
    LeaderPosition,
    Member,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Transfer,
)
from members.signals import member_facts_changed
from orgs.models import Block, PartyOrganization, Unit

from .plan import (
    CREATE,
    GROUPS_TITLE,
    UNCHANGED,
    UPDATE,
    Change,
    Plan,
    Snapshot,
    StoredMember,
    build_plan,
    load_snapshot,
)
from .reader import Problem, read_workbook
from .spec import SHEETS_BY_KEY

CONCURRENT_WRITE = "Dữ liệu vừa được người khác ghi cùng lúc; không dữ liệu nào được ghi, hãy thử lại."
STALE_PREVIEW = (
    "Dữ liệu trong hệ thống đã thay đổi kể từ lúc xem trước; "
    "hãy tải tệp lên lại để xem trước trước khi xác nhận."
)
# Sheets in the order the summary lists them; groups come from the positions sheet.
SUMMARY_ORDER = (
    "orgs", "blocks", "units", "members", "groups", "positions",
    "exemptions", "suspensions", "temporary_activities", "disciplines",
)
SUMMARY_HEAD = ("Trang tính", "Thêm mới", "Cập nhật", "Giữ nguyên")
BATCH = 1000
Progress = Callable[..., None]


@dataclass
class ImportResult:
    """What an import did (or would do): counts per sheet, or the problems that stopped it."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""
    applied: bool = False
    examples: int = 0  # template example rows skipped

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> int:
        return sum(c[CREATE] + c[UPDATE] for c in self.counts.values())

    def summary_rows(self) -> list[tuple[str, int, int, int]]:
        """(sheet title, created, updated, unchanged), in workbook order."""
        rows = []
        for key in SUMMARY_ORDER:
            if key in self.counts:
                c = self.counts[key]
                title = GROUPS_TITLE if key == "groups" else SHEETS_BY_KEY[key].title
                rows.append((title, c[CREATE], c[UPDATE], c[UNCHANGED]))
        return rows


def _check_permission(actor) -> None:
    """Imports change the whole deployment: only party-building staff over all of it may run them.

    `actor=None` is the command line (`manage.py import_workbook`), run by the operator.
    """
    if actor is not None and not scope_for(actor).is_staff_member:
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng (toàn Đảng bộ) được nhập dữ liệu từ tệp Excel.")


def import_workbook(
    *, actor, content: bytes, dry_run: bool = False, expected_digest: str | None = None,
    filename: str = "", progress: Progress | None = None,
) -> ImportResult:
    """Validate the workbook and, unless `dry_run` or anything is wrong, apply it atomically.

    With `expected_digest` (from a preview) the import is refused if what it would change
    is no longer what the user saw, so an edit made in between is never overwritten blindly.
    `progress(done, total, step)` hears how far reading has gone, then each step.
    """
    _check_permission(actor)
    parsed = read_workbook(content, filename=filename, progress=progress)
    if parsed.problems and not any(parsed.rows.values()):
        return ImportResult(problems=parsed.problems, examples=parsed.examples)
    if progress is not None:
        progress(step="Đang kiểm tra dữ liệu" if dry_run else "Đang kiểm tra và ghi dữ liệu (tất cả hoặc không gì cả)")
    with transaction.atomic():
        snap = load_snapshot(parsed, lock=not dry_run)
        plan = build_plan(parsed, snap)
        result = ImportResult(
            counts=plan.counts(), problems=plan.problems, digest=plan.digest(), examples=parsed.examples,
        )
        del parsed  # the plan holds what the write needs; a province's rows need not stay in memory
        if result.problems or dry_run:
            return result
        if expected_digest is not None and expected_digest != result.digest:
            result.problems = [Problem(message=STALE_PREVIEW)]
            return result
        try:
            with transaction.atomic():
                _apply(plan, snap, actor)
        except IntegrityError:
            # Someone created the same code or card number after the snapshot was read.
            result.problems = [Problem(message=CONCURRENT_WRITE)]
            return result
        result.applied = True
    return result


def _apply(plan: Plan, snap: Snapshot, actor) -> None:
    """Write the plan's changes, parents before children, and one audit entry per changed row."""
    writer = _Writer(snap, actor)
    writer.orgs(plan.changes.get("orgs", []))
    writer.blocks(plan.changes.get("blocks", []))
    writer.units(plan.changes.get("units", []))
    writer.members(plan.changes.get("members", []))
    writer.groups(plan.changes.get("groups", []))
    writer.positions(plan.changes.get("positions", []))
    writer.history(plan.changes.get("exemptions", []), Exemption)
    writer.history(plan.changes.get("suspensions", []), Suspension)
    writer.history(plan.changes.get("temporary_activities", []), TemporaryActivity)
    writer.history(plan.changes.get("disciplines", []), Discipline)
    writer.flush_audit()


def _pending(changes: list[Change]) -> tuple[list[Change], list[Change]]:
    """The changes that create and those that update (unchanged rows need nothing)."""
    return [c for c in changes if c.action == CREATE], [c for c in changes if c.action == UPDATE]


def _create(model, objects: list) -> None:
    """INSERT together (COPY on PostgreSQL); the objects get their primary keys."""
    bulk_insert(model, objects)


def _update(model, objects: list, fields, *, claim: bool = True) -> None:
    """UPDATE in batches; a row with a `version` (the stale-edit guard) moves to the next one,
    counted in the database, so a form opened before the import is refused on save."""
    if not objects:
        return
    fields = set(fields)
    if claim and any(f.name == "version" for f in model._meta.concrete_fields):
        for obj in objects:
            obj.version = F("version") + 1
        fields.add("version")
    model.objects.bulk_update(objects, sorted(fields), batch_size=BATCH // 2)


class _Writer:
    """Applies changes with codes resolved to objects, including objects created moments ago."""

    def __init__(self, snap: Snapshot, actor):
        self.snap = snap
        self.actor = actor
        self.audit: list = []
        # Code → object for every kind a row may point to, as the audit records the pk.
        self.refs = {
            "parent": snap.orgs, "cell": snap.orgs, "party_organization": snap.orgs,
            "organization": snap.orgs, "block": snap.blocks, "unit": snap.units, "group": snap.groups,
        }

    def _resolved(self, value, key: str):
        """A code the file uses for another row, as that row (the audit stores a reference to it)."""
        registry = self.refs.get(key)
        if registry is None or not value:
            return value
        return registry.get(value, value)

    def log(self, change: Change, obj) -> None:
        """Queue the audit entry of one created or updated row; references are stored as ids."""
        if change.action == CREATE:
            action = AuditAction.WORKBOOK_CREATE
            changes = {k: self._resolved(v, k) for k, v in change.values.items()}
        else:
            action = AuditAction.WORKBOOK_UPDATE
            changes = {
                k: (self._resolved(old, k), self._resolved(new, k)) for k, (old, new) in change.diff.items()
            }
        self.audit.append(audit_entry(actor=self.actor, action=action, obj=obj, changes=changes))
        if len(self.audit) >= BATCH:
            self.flush_audit()

    def flush_audit(self) -> None:
        """Save the queued audit entries (in batches, so a province's import holds few at a time)."""
        record_changes(self.audit)
        self.audit.clear()

    def org(self, code: str):
        return self.snap.orgs.get(code) if code else None

    def member(self, card: str) -> Member:
        """The member with this card number as a model instance (made from the snapshot's tuple once)."""
        found = self.snap.members[card]
        if not isinstance(found, Member):
            found = Member(**found._asdict())
            self.snap.members[card] = found
        return found

    # Organisations: created level by level (a child needs its parent's path) -------------

    def orgs(self, changes: list[Change]) -> None:
        creates, updates = _pending(changes)
        waiting = {c.key[0]: c for c in creates}
        while waiting:
            level = [c for code, c in waiting.items() if c.values["parent"] not in waiting]
            objects = []
            for change in level:
                fields = {**change.values, "parent": self.org(change.values["parent"])}
                org = PartyOrganization(code=change.key[0], **fields)
                org.normalise()
                objects.append(org)
            _create(PartyOrganization, objects)
            for org, change in zip(objects, level, strict=True):
                org.place_under(org.parent)
                self.snap.orgs[org.code] = org
                del waiting[change.key[0]]
            _update(PartyOrganization, objects, ["path", "depth"], claim=False)
            for org, change in zip(objects, level, strict=True):
                self.log(change, org)
        moved, edited = [], []
        for change in updates:
            org = self.snap.orgs[change.key[0]]
            for name, value in change.values.items():
                setattr(org, name, self.org(value) if name == "parent" else value)
            org.normalise()
            (moved if "parent" in change.diff else edited).append(org)
            self.log(change, org)
        _update(PartyOrganization, edited, ["name", "kind", "established_on", "is_active", "sort_order", "search_name"])
        for org in _parents_first(moved):
            # An earlier move may have rewritten this organisation's path or its parent's.
            org.refresh_from_db(fields=["path", "depth"])
            if org.parent is not None:
                org.parent.refresh_from_db(fields=["path", "depth"])
            org.version = F("version") + 1
            org.save()  # rewrites the paths of the subtree it takes along

    # Blocks, units, position groups ----------------------------------------------------------

    def _coded(self, changes: list[Change], model, registry: dict, resolve: Callable[[dict], dict]) -> None:
        """Rows keyed by a code (blocks, units, groups): bulk create and bulk update."""
        creates, updates = _pending(changes)
        created = [model(code=c.key[0], **resolve(c.values)) for c in creates]  # text is NFC already
        _create(model, created)
        for obj, change in zip(created, creates, strict=True):
            registry[obj.code] = obj
            self.log(change, obj)
        edited = []
        for change in updates:
            obj = registry[change.key[0]]
            for name, value in resolve(change.values).items():
                setattr(obj, name, value)
            edited.append(obj)
            self.log(change, obj)
        _update(model, edited, [k for c in updates for k in c.values])

    def blocks(self, changes: list[Change]) -> None:
        self._coded(changes, Block, self.snap.blocks, dict)

    def units(self, changes: list[Change]) -> None:
        def resolve(v: dict) -> dict:
            return {**v, "block": self.snap.blocks[v["block"]], "party_organization": self.org(v["party_organization"])}

        self._coded(changes, Unit, self.snap.units, resolve)

    def groups(self, changes: list[Change]) -> None:
        self._coded(changes, PositionGroup, self.snap.groups, dict)

    # Members: a new cell is recorded as a transfer, and the version moves on ------------------

    def members(self, changes: list[Change]) -> None:
        creates, updates = _pending(changes)
        for start in range(0, len(creates), BATCH):  # a batch at a time: a province holds one in memory
            batch = creates[start:start + BATCH]
            created = []
            for change in batch:
                member = Member(card_number=change.key[0], **{**change.values, "cell": self.snap.orgs[change.values["cell"]]})
                member.normalise()
                created.append(member)
            _create(Member, created)
            for member, change in zip(created, batch, strict=True):
                self.log(change, member)
                self.snap.members[member.card_number] = _stored_member(member)
        edited, transfers = [], []
        moved_on = timezone.localdate()
        for change in updates:
            member = self.member(change.key[0])
            old_cell = member.cell_id
            for name, value in change.values.items():
                setattr(member, name, self.snap.orgs[value] if name == "cell" else value)
            member.normalise()
            edited.append(member)
            self.log(change, member)
            if old_cell != member.cell_id:
                transfers.append(Transfer(
                    member=member, from_cell_id=old_cell, to_cell=member.cell, moved_on=moved_on,
                    note="Cập nhật từ tệp Excel",
                ))
        _update(Member, edited, [*(k for c in updates for k in c.values), "search_name", "sort_key"])
        _create(Transfer, transfers)
        for transfer in transfers:
            self.audit.append(audit_entry(
                actor=self.actor, action=AuditAction.WORKBOOK_CREATE, obj=transfer,
                changes={"from_cell": ref(PartyOrganization, transfer.from_cell_id), "to_cell": transfer.to_cell},
            ))

    # Positions and history -------------------------------------------------------------------

    def positions(self, changes: list[Change]) -> None:
        creates, updates = _pending(changes)
        created = []
        for change in creates:
            card, title, unit, org, start_on = change.key
            created.append(LeaderPosition(
                member=self.member(card), title=title, start_on=start_on,
                unit=self.snap.units.get(unit) if unit else None, organization=self.org(org),
                **{**change.values, "group": self.snap.groups[change.values["group"]]},
            ))
        _create(LeaderPosition, created)
        for position, change in zip(created, creates, strict=True):
            self.log(change, position)
        edited = []
        for change in updates:
            position = change.existing
            position.member = self.member(change.key[0])
            for name, value in change.values.items():
                setattr(position, name, self.snap.groups[value] if name == "group" else value)
            edited.append(position)
            self.log(change, position)
        _update(LeaderPosition, edited, [k for c in updates for k in c.values])

    def history(self, changes: list[Change], model) -> None:
        """Exemptions, suspensions, temporary activities, disciplines: keyed by card number and date."""
        creates, updates = _pending(changes)
        created = []
        for change in creates:
            extra = {"member": self.member(change.key[0])}
            if model is Discipline:
                extra.update(decided_on=change.key[1], form=change.key[2])
            else:
                extra["start_on"] = change.key[1]
            created.append(model(**change.values, **extra))
        _create(model, created)
        for obj, change in zip(created, creates, strict=True):
            self.log(change, obj)
        if model is Discipline and created:
            member_facts_changed.send(
                sender=import_workbook, member_ids={d.member_id for d in created},
                days={d.violation_on for d in created}, actor=self.actor, because="nhập kỷ luật từ tệp Excel",
            )
        edited = []
        for change in updates:
            obj = change.existing
            obj.member = self.member(change.key[0])
            for name, value in change.values.items():
                setattr(obj, name, value)
            edited.append(obj)
            self.log(change, obj)
        _update(model, edited, [k for c in updates for k in c.values])


def _stored_member(member: Member) -> StoredMember:
    """What later sheets need of a member just written (a tuple, far smaller than the instance)."""
    return StoredMember(*(getattr(member, name) for name in StoredMember._fields))


def _parents_first(orgs: list[PartyOrganization]) -> list[PartyOrganization]:
    """Moved organisations ordered so a parent moved in the same file is saved before its children."""
    codes = {o.code for o in orgs}
    done: set[str] = set()
    ordered: list[PartyOrganization] = []

    def visit(org: PartyOrganization) -> None:
        if org.code in done:
            return
        done.add(org.code)
        parent = org.parent
        if parent is not None and parent.code in codes:
            visit(next(o for o in orgs if o.code == parent.code))
        ordered.append(org)

    for org in orgs:
        visit(org)
    return ordered
