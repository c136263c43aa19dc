"""The audit trail's hash chain: verify_audit names the entry changed, deleted or inserted."""
import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction

from core.audit import AuditAction, audit_entry, record_change, record_changes
from core.audit_chain import entry_digest, verify_chain
from core.models import AuditChainHead, AuditEntry
from tests.factories import OrgFactory


def _entries(n):
    org = OrgFactory(code="AUD", name="Chi bộ thôn Kiểm")
    record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"name": ("A", "B")})
    record_changes([
        audit_entry(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"name": (f"N{i}", f"N{i + 1}"), "n": i})
        for i in range(n - 1)
    ])
    return list(AuditEntry.objects.order_by("id").values_list("id", flat=True))


def _verify(capsys):
    """Run the command; return (exit status, output lines)."""
    try:
        call_command("verify_audit")
        code = 0
    except SystemExit as stop:
        code = stop.code
    return code, capsys.readouterr().out.strip().splitlines()


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_intact_chain_exits_zero_with_the_count(capsys):
    _entries(5)
    code, lines = _verify(capsys)
    assert code == 0
    assert lines[-1] == "entries=5 broken=0"


@pytest.mark.django_db
@pytest.mark.parametrize(("made", "statement", "index", "first_line_names", "left"), [
    (5, "UPDATE orgs_auditentry SET object_repr = 'sửa tay' WHERE id = %s", 2, ("id={id}:",), 5),
    (5, "DELETE FROM orgs_auditentry WHERE id = %s", 1, ("xóa", "id={id}"), 4),
    (3, "DELETE FROM orgs_auditentry WHERE id = %s", -1, (), 2),
], ids=["changed", "deleted", "deleted-last"])
def test_an_entry_changed_or_deleted_by_raw_sql_is_named(capsys, made, statement, index, first_line_names, left):
    ids = _entries(made)
    _sql(statement, [ids[index]])
    code, lines = _verify(capsys)
    assert code == 1
    for text in first_line_names:
        assert text.format(id=ids[index]) in lines[0]
    assert lines[-1] == f"entries={left} broken=1 first_broken_id={ids[index]}"


@pytest.mark.django_db
def test_a_changed_value_inside_the_changes_is_named(capsys):
    ids = _entries(4)
    entry = AuditEntry.objects.get(pk=ids[1])
    entry.changes = {**entry.changes, "n": 99}
    AuditEntry.objects.filter(pk=ids[1]).update(changes=entry.changes)  # the ORM's update, not save()
    code, lines = _verify(capsys)
    assert code == 1 and lines[-1].endswith(f"first_broken_id={ids[1]}")


@pytest.mark.django_db
def test_an_entry_inserted_by_raw_sql_is_named(capsys):
    ids = _entries(3)
    new_id = ids[-1] + 1
    _sql(
        "INSERT INTO orgs_auditentry (id, at, action, object_type, object_id, object_repr, changes, prev_id, "
        "prev_digest, digest) SELECT %s, at, action, object_type, object_id, 'thêm tay', changes, id, digest, digest "
        "FROM orgs_auditentry WHERE id = %s", [new_id, ids[-1]],
    )
    code, lines = _verify(capsys)
    assert code == 1 and lines[-1] == f"entries=4 broken=1 first_broken_id={new_id}"


@pytest.mark.django_db
def test_an_entry_forged_between_two_with_a_valid_digest_is_named(capsys):
    """Even with its digest computed right, an entry slipped between two others breaks the next link."""
    org = OrgFactory(code="AUD2", name="Chi bộ thôn Chèn")
    first = record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"x": 1})
    later = audit_entry(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"x": 2})
    later.pk = first.pk + 10  # leave a gap of ids, as rolled-back transactions do
    record_changes([later])
    forged = audit_entry(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"x": "giả"})
    forged.pk, forged.prev_id, forged.prev_digest = first.pk + 5, first.pk, first.digest
    forged.digest = entry_digest(
        id=forged.pk, at=forged.at, actor_id=None, action=forged.action, object_type=forged.object_type,
        object_id=forged.object_id, object_repr=forged.object_repr, changes=forged.changes,
        prev_id=first.pk, prev_digest=first.digest,
    )
    AuditEntry.objects.bulk_create([forged])
    code, lines = _verify(capsys)
    assert code == 1 and lines[-1] == f"entries=3 broken=1 first_broken_id={forged.pk}"


@pytest.mark.django_db
def test_the_head_follows_the_last_entry():
    ids = _entries(4)
    head = AuditChainHead.objects.get(pk=1)
    last = AuditEntry.objects.get(pk=ids[-1])
    assert (head.last_id, head.last_digest, head.entries) == (last.pk, last.digest, 4)
    assert last.prev_id == ids[-2] and len(last.digest) == 64


@pytest.mark.django_db
def test_entries_made_with_create_join_the_chain():
    AuditEntry.objects.create(action="x", object_type="orgs.PartyOrganization", object_id="1", object_repr="x")
    AuditEntry.objects.create(action="y", object_type="orgs.PartyOrganization", object_id="1", object_repr="y")
    assert verify_chain().summary() == "entries=2 broken=0"


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_link():
    org = OrgFactory(code="AUD3", name="Chi bộ thôn Lùi")
    record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"x": 1})
    with pytest.raises(RuntimeError), transaction.atomic():
        record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"x": 2})
        raise RuntimeError
    record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"x": 3})
    assert verify_chain().summary() == "entries=2 broken=0"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_an_intact_chain():
    """Threads, each with its own connection and transactions, append at once (PostgreSQL: the
    head row's lock orders them; SQLite in memory has one connection and skips)."""
    if connection.vendor != "postgresql":
        pytest.skip("luồng đồng thời cần PostgreSQL")
    org = OrgFactory(code="AUD4", name="Chi bộ thôn Đồng thời")
    errors = []

    def writer(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    record_changes([audit_entry(actor=None, action=AuditAction.ORG_UPDATE, obj=org,
                                                changes={"writer": n, "i": i, "j": j}) for j in range(3)])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert verify_chain().summary() == "entries=180 broken=0"
