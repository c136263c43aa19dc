"""Backups a person can restore: PostgreSQL's custom dump, SQLite's online backup [issue 15].

    manage.py backup --out FILE          # pg_dump -Fc / sqlite3 backup API, while the app runs
    manage.py restore FILE --yes         # replaces the whole database with the backup's content

A restore needs no maintenance switch: pg_restore drops and re-creates the tables (DROP fires no
row trigger) and SQLite's backup API copies pages; afterwards `verify_audit` checks the chain.
PostgreSQL: nobody else may be connected while the restore runs (stop the web and worker units).
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(RuntimeError):
    """A backup or restore that did not complete, with the tool's reason."""


def _pg_env(settings: dict) -> dict:
    env = {**os.environ, "PGHOST": settings["HOST"] or "127.0.0.1", "PGPORT": str(settings["PORT"] or 5432),
           "PGUSER": settings["USER"] or "postgres", "PGDATABASE": settings["NAME"]}
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=3600, check=False)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} không thành công (mã {done.returncode}): {done.stderr.strip()[-800:]}")


def backup(out: Path) -> int:
    """Write the whole database to `out`; return its size in bytes."""
    if connection.vendor == "postgresql":
        _run(["pg_dump", "-Fc", "--no-owner", "-f", str(out)], _pg_env(connection.settings_dict))
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    return out.stat().st_size


def restore(source: Path) -> None:
    """Replace the database's whole content with the backup in `source` (all or nothing)."""
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", settings["NAME"],
              str(source)], _pg_env(settings))
    elif connection.vendor == "sqlite":
        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup_db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"Tệp {source} không phải bản sao lưu SQLite: {error}") from error
        connection.ensure_connection()
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    else:
        raise BackupError(f"Chưa hỗ trợ khôi phục cơ sở dữ liệu {connection.vendor}.")
