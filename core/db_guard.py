"""Rows the database itself refuses to change: decided ratings, final reports [issue 15].

Migrations create, for each guarded table, a trigger that refuses an UPDATE of the frozen
columns of a locked row (a decided rating's levels, score and decision; a final report's
figures and file) and any DELETE of a locked row, whoever asks: the application, the admin, a
shell or raw SQL. The refusal is an integrity error whose message starts with `MARKER`;
`core.middleware.LockedRowMiddleware` turns it into a Vietnamese page.

The maintenance switch, for a database owner clearing such rows (a test database's flush, a
restore, a demo reset), never reachable from the web:
- PostgreSQL: `SET kiemdiem.maintenance = 'on'` in the session; the triggers honour it only when
  the session's user owns the table (or is a superuser): the web application's role should not.
- SQLite: a row in the table `kiemdiem_maintenance` (made by core's migration, not a Django
  model, so flush leaves it alone): `INSERT INTO kiemdiem_maintenance VALUES (1)`; delete it after.
  Whoever can write the file owns the database; the application never writes that table.

`maintenance()` sets and clears the switch around a block (flush, restore).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

MARKER = "KIEMDIEM_LOCKED"
SQLITE_SWITCH = "kiemdiem_maintenance"


@dataclass(frozen=True)
class Guard:
    name: str           # trigger and function name stem
    table: str
    locked: str         # SQL condition on OLD: the row is locked
    frozen: tuple[str, ...]  # columns a locked row never changes
    message: str        # Vietnamese, after MARKER
    also_refuse: str = ""    # SQL condition on OLD/NEW refusing an update of other columns


def create_sql(vendor: str, guard: Guard) -> list[str]:
    """The statements creating `guard`'s triggers on `vendor` ("postgresql" or "sqlite")."""
    message = f"{MARKER}: {guard.message}".replace("'", "''")
    if vendor == "postgresql":
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in guard.frozen)
        if guard.also_refuse:
            changed += f" OR ({guard.also_refuse})"
        return [
            f"""CREATE OR REPLACE FUNCTION {guard.name}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT ({guard.locked}) THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NOT ({changed}) THEN RETURN NEW; END IF;
  IF current_setting('kiemdiem.maintenance', true) = 'on'
     AND pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = '{message}';
END $$""",
            f"DROP TRIGGER IF EXISTS {guard.name}_guard ON {guard.table}",
            f"CREATE TRIGGER {guard.name}_guard BEFORE UPDATE OR DELETE ON {guard.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {guard.name}_guard()",
        ]
    if vendor == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in guard.frozen)
        if guard.also_refuse:
            changed += f" OR ({guard.also_refuse})"
        off = f"NOT EXISTS (SELECT 1 FROM {SQLITE_SWITCH})"
        locked = guard.locked
        return [
            f"DROP TRIGGER IF EXISTS {guard.name}_no_update",
            f"CREATE TRIGGER {guard.name}_no_update BEFORE UPDATE ON {guard.table} FOR EACH ROW "
            f"WHEN ({locked}) AND ({changed}) AND {off} BEGIN SELECT RAISE(ABORT, '{message}'); END",
            f"DROP TRIGGER IF EXISTS {guard.name}_no_delete",
            f"CREATE TRIGGER {guard.name}_no_delete BEFORE DELETE ON {guard.table} FOR EACH ROW "
            f"WHEN ({locked}) AND {off} BEGIN SELECT RAISE(ABORT, '{message}'); END",
        ]
    return []


def drop_sql(vendor: str, guard: Guard) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {guard.name}_guard ON {guard.table}",
                f"DROP FUNCTION IF EXISTS {guard.name}_guard()"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {guard.name}_no_update", f"DROP TRIGGER IF EXISTS {guard.name}_no_delete"]
    return []


def install(guard: Guard):
    """A migration operation creating `guard`'s triggers (dropping them when unapplied)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        for statement in create_sql(schema_editor.connection.vendor, guard):
            schema_editor.execute(statement, params=None)

    def backwards(apps, schema_editor):
        for statement in drop_sql(schema_editor.connection.vendor, guard):
            schema_editor.execute(statement, params=None)

    return migrations.RunPython(forwards, backwards)


def installed_triggers(connection) -> set[str]:
    """Names of the guard triggers present (a test checks none was lost to a table rebuild)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%%_guard'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


@contextmanager
def maintenance(connection=None):
    """Let a database owner change or clear locked rows inside the block (flush, restore)."""
    from django.db import connection as default

    connection = connection or default
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET kiemdiem.maintenance = 'on'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET kiemdiem.maintenance")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {SQLITE_SWITCH} (on_since TEXT)")
            cursor.execute(f"INSERT INTO {SQLITE_SWITCH} VALUES (datetime('now'))")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {SQLITE_SWITCH}")
    else:
        yield
