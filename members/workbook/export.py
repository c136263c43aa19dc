"""Read the current data, within a user's scope, as rows for the workbook.

Members and their history are streamed from the database in the workbook's order (a fixed
number of queries, read in chunks), so exporting a province holds a chunk of rows in memory,
not 90 000 model instances. Codes and card numbers are ordered byte by byte, the same on
SQLite and PostgreSQL whatever the database's collation.
"""
from collections.abc import Callable, Iterator

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

from core.scope import Scope
from members.models import (
    Discipline,
    Exemption,
    LeaderPosition,
    PositionGroup,
    Suspension,
    TemporaryActivity,
)
from members.scope import visible_members
from orgs.models import Block
from orgs.scope import visible_orgs, visible_units

from .writer import build_workbook, write_workbook

CHUNK = 2000
Progress = Callable[..., None]


def _tree_order(orgs: list) -> list:
    """Organisations parents first, siblings by (order, code): the same in any database."""
    by_parent: dict = {}
    ids = {o.pk for o in orgs}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        by_parent.setdefault(parent, []).append(org)
    ordered: list = []
    stack = sorted(by_parent.get(None, []), key=lambda o: (o.sort_order, o.code), reverse=True)
    while stack:
        org = stack.pop()
        ordered.append(org)
        stack.extend(sorted(by_parent.get(org.pk, []), key=lambda o: (o.sort_order, o.code), reverse=True))
    return ordered


def _bytewise(field: str):
    """Order by `field` byte by byte: PostgreSQL's "C" collation; SQLite compares so already."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def _stream(qs, *fields: str) -> Iterator[dict]:
    """Rows of `qs` as dicts of `fields`, fetched in chunks."""
    return qs.values(*fields).iterator(chunk_size=CHUNK)


class _Export:
    """The rows of each sheet, read lazily for the writer in sheet order."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.members = visible_members(scope)
        self.member_ids = self.members.values("pk")

    def orgs(self) -> list[dict]:
        orgs = list(visible_orgs(self.scope))
        codes = {o.pk: o.code for o in orgs}
        return [
            {
                "code": o.code, "name": o.name, "kind": o.kind, "parent": codes.get(o.parent_id, ""),
                "established_on": o.established_on, "is_active": o.is_active, "sort_order": o.sort_order,
            }
            for o in _tree_order(orgs)
        ]

    def blocks_and_units(self) -> tuple[list[dict], list[dict]]:
        units = list(visible_units(self.scope).select_related("party_organization", "block"))
        blocks = list(Block.objects.all()) if self.scope.sees_everything else list(
            Block.objects.filter(pk__in={u.block_id for u in units})
        )
        block_rows = [
            {"code": b.code, "name": b.name, "sort_order": b.sort_order}
            for b in sorted(blocks, key=lambda b: (b.sort_order, b.code))
        ]
        unit_rows = [
            {
                "code": u.code, "name": u.name, "block": u.block.code,
                "party_organization": u.party_organization.code if u.party_organization_id else "",
                "has_leadership_collective": u.has_leadership_collective, "is_active": u.is_active,
                "sort_order": u.sort_order,
            }
            for u in sorted(units, key=lambda u: (u.block.sort_order, u.block.code, u.sort_order, u.code))
        ]
        return block_rows, unit_rows

    def member_rows(self) -> Iterator[dict]:
        qs = self.members.order_by(_bytewise("cell__code"), "sort_key", _bytewise("card_number"))
        for row in _stream(
            qs, "card_number", "full_name", "date_of_birth", "gender", "admitted_on", "official_on",
            "status", "is_active", "cell__code",
        ):
            row["cell"] = row.pop("cell__code")
            yield row

    def of_members(self, model):
        return model.objects.filter(member_id__in=self.member_ids)

    def positions(self) -> Iterator[dict]:
        groups = {g.pk: g for g in PositionGroup.objects.all()}
        qs = self.of_members(LeaderPosition).order_by(_bytewise("member__card_number"), "start_on", "title", "pk")
        for row in _stream(
            qs, "member__card_number", "title", "unit__code", "organization__code", "leadership_role",
            "tier", "group_id", "start_on", "end_on",
        ):
            group = groups[row.pop("group_id")]
            yield {
                **row, "card_number": row["member__card_number"], "unit": row["unit__code"] or "",
                "organization": row["organization__code"] or "", "group": group.code, "group_name": group.name,
                "group_order": group.sort_order,
            }

    def dated(self, model, *fields: str, order: tuple[str, ...] = ("start_on",)) -> Iterator[dict]:
        qs = self.of_members(model).order_by(_bytewise("member__card_number"), *order)
        for row in _stream(qs, "member__card_number", *fields):
            row["card_number"] = row.pop("member__card_number")
            yield row

    def rows_to_write(self) -> int:
        """How many member and history rows the export writes (its progress counts them)."""
        history = (LeaderPosition, Exemption, Suspension, TemporaryActivity, Discipline)
        return self.members.count() + sum(self.of_members(model).count() for model in history)

    def data(self) -> dict:
        """Every sheet's rows, members and history as lazy streams."""
        block_rows, unit_rows = self.blocks_and_units()
        return {
            "orgs": self.orgs(),
            "blocks": block_rows,
            "units": unit_rows,
            "members": self.member_rows(),
            "positions": self.positions(),
            "exemptions": self.dated(Exemption, "start_on", "end_on", "reason"),
            "suspensions": self.dated(Suspension, "start_on", "end_on", "reason"),
            "temporary_activities": self.dated(TemporaryActivity, "place", "start_on", "end_on"),
            "disciplines": self.dated(
                Discipline, "form", "decided_on", "violation_on", "decision_number", "reason",
                "related_to_duties", "self_detected_remedied", order=("decided_on", "form"),
            ),
        }


def write_export(target, scope: Scope, *, progress: Progress | None = None) -> dict[str, int]:
    """Write the data the scope may see, in the import format, to `target` (a path or a binary file).

    Returns how many rows each sheet got.
    """
    export = _Export(scope)
    total = export.rows_to_write() if progress is not None else None
    counted = {key: _Counted(rows) for key, rows in export.data().items()}
    write_workbook(target, counted, progress=progress, total=total)
    return {key: rows.count for key, rows in counted.items()}


class _Counted:
    """An iterable that counts the rows it hands out."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def export_workbook(scope: Scope) -> bytes:
    """The current data in the import format, as bytes (small exports and tests)."""
    return build_workbook(_Export(scope).data())
