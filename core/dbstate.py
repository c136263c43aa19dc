"""Whether the database is set up: a command run before `migrate` says so in one line."""
from __future__ import annotations

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

NOT_SET_UP = (
    "Cơ sở dữ liệu {state}: chạy «python manage.py migrate» (scripts/run cũng làm việc này) "
    "rồi chạy lại lệnh."
)


def pending_migrations(alias: str = "default") -> tuple[int, int] | None:
    """(migrations applied, migrations still missing); None if the database cannot be asked."""
    try:
        executor = MigrationExecutor(connections[alias])
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return len(executor.loader.applied_migrations), len(missing)
    except DatabaseError:
        return None


def not_set_up_message(exc: DatabaseError) -> str | None:
    """The line to print instead of `exc`'s traceback when the database lacks migrations, else None
    (a database error of another kind keeps its traceback)."""
    state = pending_migrations()
    if state is None:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            return NOT_SET_UP.format(state="chưa được tạo")
        return None
    applied, missing = state
    if not missing:
        return None
    if not applied:
        return NOT_SET_UP.format(state="chưa được tạo")
    return NOT_SET_UP.format(state=f"chưa cập nhật (còn {missing} bước nâng cấp chưa chạy)")
