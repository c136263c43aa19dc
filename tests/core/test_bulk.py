"""core.bulk.bulk_insert: many rows at once (COPY on PostgreSQL), each object with its id, database
errors as Django's."""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from core.audit import AuditAction, audit_entry, record_changes
from core.bulk import bulk_insert
from core.models import AuditEntry
from orgs.models import Block

pytestmark = pytest.mark.django_db


def test_rows_are_inserted_and_objects_get_their_ids():
    blocks = [Block(code=f"K{i}", name=f"Khối {i}", sort_order=i) for i in range(1500)]

    bulk_insert(Block, blocks)

    assert all(b.pk for b in blocks) and len({b.pk for b in blocks}) == 1500
    stored = dict(Block.objects.values_list("pk", "code"))
    assert all(stored[b.pk] == b.code for b in blocks)
    blocks[0].name = "Khối đã sửa"
    blocks[0].save()  # a saved object: an UPDATE, not a second row
    assert Block.objects.count() == 1500 and Block.objects.get(pk=blocks[0].pk).name == "Khối đã sửa"


def test_audit_entries_keep_their_typed_values_and_their_time():
    block = Block.objects.create(code="K", name="Khối")
    entries = [audit_entry(actor=None, action=AuditAction.BLOCK_UPDATE, obj=block,
                           changes={"sort_order": (i, i + 1), "day": dt.date(2026, 1, 2)}) for i in range(3)]

    record_changes(entries)

    stored = list(AuditEntry.objects.order_by("pk"))
    assert [e.changes for e in stored] == [
        {"sort_order": [i, i + 1], "day": {"date": "2026-01-02"}} for i in range(3)
    ]
    assert all(e.at is not None and e.object_id == str(block.pk) for e in stored)


def test_a_duplicate_is_djangos_integrity_error_and_nothing_is_inserted():
    Block.objects.create(code="K1", name="Khối đã có")
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(Block, [Block(code="K0", name="Mới"), Block(code="K1", name="Trùng mã")])
    assert list(Block.objects.values_list("code", flat=True)) == ["K1"]


def test_plain_rows_take_each_fields_default_and_many_rows_update_in_one_statement():
    """insert_rows: rows as dicts, unnamed columns from the model's defaults; update_rows: the
    named fields of many saved objects, the others untouched."""
    from core.bulk import insert_rows, update_rows

    assert insert_rows(Block, [{"code": f"R{i}", "name": f"Khối {i}"} for i in range(3)]) == 3
    blocks = list(Block.objects.filter(code__startswith="R").order_by("code"))
    assert [(b.name, b.sort_order) for b in blocks] == [("Khối 0", 0), ("Khối 1", 0), ("Khối 2", 0)]
    for i, block in enumerate(blocks):
        block.sort_order, block.name = 10 + i, "không ghi"
    assert update_rows(Block, blocks, ["sort_order"]) == 3
    assert list(Block.objects.filter(code__startswith="R").order_by("code").values_list("name", "sort_order")) == [
        ("Khối 0", 10), ("Khối 1", 11), ("Khối 2", 12)]


def test_ids_follow_every_id_the_table_gave_and_ordinary_saves_follow_them():
    """An id is never given twice, even that of a deleted row (an audit entry may name it); a row
    saved the ordinary way after a bulk insert takes the next id."""
    first = Block.objects.create(code="A", name="Khối A")
    deleted = Block.objects.create(code="B", name="Khối B").pk
    Block.objects.filter(pk=deleted).delete()

    blocks = [Block(code=f"K{i}", name=f"Khối {i}") for i in range(3)]
    bulk_insert(Block, blocks)
    later = Block.objects.create(code="C", name="Khối C")

    assert min(b.pk for b in blocks) > deleted > first.pk
    assert later.pk > max(b.pk for b in blocks)
    assert sorted(Block.objects.values_list("code", flat=True)) == ["A", "C", "K0", "K1", "K2"]


def _planned_rows(table: str) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_the_database_is_not_analysed_inside_a_transaction_whose_rows_may_be_rolled_back():
    """refresh_statistics inside a transaction (a test's) leaves the statistics alone: rows it would
    count can be rolled back while their statistics stay."""
    from django.db import connection

    from core.bulk import refresh_statistics

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL statistics")
    before = _planned_rows("orgs_block")
    Block.objects.bulk_create([Block(code=f"A{i}", name=f"Khối {i}") for i in range(50)])
    refresh_statistics()
    assert _planned_rows("orgs_block") == before


@pytest.mark.django_db(transaction=True)
def test_the_database_is_analysed_after_a_committed_bulk_load():
    from django.db import connection

    from core.bulk import refresh_statistics

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL statistics")
    Block.objects.bulk_create([Block(code=f"B{i}", name=f"Khối {i}") for i in range(50)])
    refresh_statistics()
    assert _planned_rows("orgs_block") == Block.objects.count() == 50
