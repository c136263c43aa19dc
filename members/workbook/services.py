"""The only writer of workbook imports: validate everything, then apply it all or nothing."""
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import record_change
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
from orgs.models import Block, PartyOrganization, Unit

from .plan import (
    CREATE,
    GROUPS_TITLE,
    UNCHANGED,
    UPDATE,
    Change,
    Plan,
    Snapshot,
    build_plan,
    load_snapshot,
)
from .reader import Problem, read_workbook
from .spec import SHEETS_BY_KEY

ACTION_CREATE = "workbook.create"
ACTION_UPDATE = "workbook.update"
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


@dataclass
class ImportResult:
    """What an import did (or would do): counts per sheet, or the problems that stopped it."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""
    applied: bool = False

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


def import_workbook(*, actor, content: bytes, dry_run: bool = False, expected_digest: str | None = None) -> ImportResult:
    """Validate the workbook and, unless `dry_run` or anything is wrong, apply it atomically.

    With `expected_digest` (from a preview) the import is refused if what it would change
    is no longer what the user saw, so an edit made in between is never overwritten blindly.
    """
    _check_permission(actor)
    parsed = read_workbook(content)
    with transaction.atomic():
        snap = load_snapshot(parsed, lock=not dry_run)
        plan = build_plan(parsed, snap)
        result = ImportResult(counts=plan.counts(), problems=plan.problems, digest=plan.digest())
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
    """Write the plan's changes: parents before children, each change audited."""
    writer = _Writer(snap, actor)
    writer.orgs(plan.changes.get("orgs", []))
    writer.simple(plan.changes.get("blocks", []), Block, snap.blocks, {})
    writer.units(plan.changes.get("units", []))
    writer.members(plan.changes.get("members", []))
    writer.simple(plan.changes.get("groups", []), PositionGroup, snap.groups, {})
    writer.positions(plan.changes.get("positions", []))
    writer.history(plan.changes.get("exemptions", []), Exemption)
    writer.history(plan.changes.get("suspensions", []), Suspension)
    writer.history(plan.changes.get("temporary_activities", []), TemporaryActivity)
    writer.history(plan.changes.get("disciplines", []), Discipline)


class _Writer:
    """Applies changes with codes resolved to objects, including objects created moments ago."""

    def __init__(self, snap: Snapshot, actor):
        self.snap = snap
        self.actor = actor

    def save(self, change: Change, obj, fields: dict, create_extra: dict | None = None):
        """Create or update `obj` (a model class for a create) and record it in the audit trail."""
        if change.action == CREATE:
            obj = obj(**fields, **(create_extra or {}))
            obj.save()
            record_change(actor=self.actor, action=ACTION_CREATE, obj=obj, changes=_plain(change.values))
        else:
            for name, value in fields.items():
                setattr(obj, name, value)
            obj.save()
            record_change(actor=self.actor, action=ACTION_UPDATE, obj=obj, changes=change.diff)
        return obj

    def simple(self, changes: list[Change], model, registry: dict, resolved: dict) -> None:
        for change in changes:
            if change.action == UNCHANGED:
                continue
            existing = registry.get(change.key[0])
            registry[change.key[0]] = self.save(
                change, existing if existing else model, {**change.values, **resolved},
                {"code": change.key[0]} if change.action == CREATE else None,
            )

    def org(self, code: str):
        return self.snap.orgs.get(code) if code else None

    def orgs(self, changes: list[Change]) -> None:
        """Create or update organisations so each parent is saved before its children."""
        pending = {c.key[0]: c for c in changes if c.action != UNCHANGED}
        done: set[str] = set()

        def visit(code: str) -> None:
            if code in done or code not in pending:
                return
            done.add(code)
            visit(pending[code].values["parent"])
            change = pending[code]
            fields = {**change.values, "parent": self.org(change.values["parent"])}
            target = self.snap.orgs.get(code) if change.action == UPDATE else PartyOrganization
            self.snap.orgs[code] = self.save(change, target, fields, {"code": code})

        for code in pending:
            visit(code)

    def units(self, changes: list[Change]) -> None:
        for change in changes:
            if change.action == UNCHANGED:
                continue
            v = change.values
            fields = {**v, "block": self.snap.blocks[v["block"]], "party_organization": self.org(v["party_organization"])}
            target = self.snap.units.get(change.key[0]) if change.action == UPDATE else Unit
            self.snap.units[change.key[0]] = self.save(change, target, fields, {"code": change.key[0]})

    def members(self, changes: list[Change]) -> None:
        """Members by card number; a new cell is recorded as a transfer, and the version moves on."""
        moved_on = timezone.localdate()
        for change in changes:
            if change.action == UNCHANGED:
                continue
            card = change.key[0]
            fields = {**change.values, "cell": self.snap.orgs[change.values["cell"]]}
            if change.action == CREATE:
                self.snap.members[card] = self.save(change, Member, fields, {"card_number": card})
                continue
            member = self.snap.members[card]
            old_cell = member.cell_id
            fields["version"] = member.version + 1
            self.save(change, member, fields)
            if old_cell != member.cell_id:
                transfer = Transfer.objects.create(
                    member=member, from_cell_id=old_cell, to_cell=member.cell, moved_on=moved_on,
                    note="Cập nhật từ tệp Excel",
                )
                record_change(actor=self.actor, action=ACTION_CREATE, obj=transfer,
                              changes={"from_cell": old_cell, "to_cell": member.cell_id})

    def positions(self, changes: list[Change]) -> None:
        for change in changes:
            if change.action == UNCHANGED:
                continue
            card, title, unit, org, start_on = change.key
            fields = {**change.values, "group": self.snap.groups[change.values["group"]]}
            if change.action == CREATE:
                extra = {
                    "member": self.snap.members[card], "title": title, "start_on": start_on,
                    "unit": self.snap.units.get(unit) if unit else None, "organization": self.org(org),
                }
                self.save(change, LeaderPosition, fields, extra)
            else:
                self.save(change, change.existing, fields)

    def history(self, changes: list[Change], model) -> None:
        for change in changes:
            if change.action == UNCHANGED:
                continue
            if change.action == CREATE:
                extra = {"member": self.snap.members[change.key[0]]}
                if model is Discipline:
                    extra.update(decided_on=change.key[1], form=change.key[2])
                else:
                    extra["start_on"] = change.key[1]
                self.save(change, model, change.values, extra)
            else:
                self.save(change, change.existing, change.values)


def _plain(values: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}
