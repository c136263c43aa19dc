"""Backups a person can restore: backup → change → restore gives back exactly the backup's data, and
the audit chain verifies after the restore; on PostgreSQL into an empty database too [issue 15]."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from core.audit import AuditAction, record_change
from core.audit_chain import verify_chain
from orgs.models import PartyOrganization
from tests.factories import OrgFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _history(n):
    org = OrgFactory(code="BK", name="Chi bộ thôn Sao Lưu")
    for i in range(n):
        record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={"name": (f"T{i}", f"T{i + 1}")})
    return org


def test_sqlite_backup_change_restore_gives_back_the_backup(tmp_path, capsys):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's online backup")
    _history(3)
    out = tmp_path / "kiemdiem.sqlite3"
    call_command("backup", out=out)
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith("entries=3 broken=0")
    OrgFactory(code="BK2", name="Chi bộ thêm sau khi sao lưu")
    record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=PartyOrganization.objects.get(code="BK2"), changes={})
    call_command("restore", str(out), yes=True)
    assert capsys.readouterr().out.strip().splitlines()[-1] == "entries=3 broken=0"
    assert not PartyOrganization.objects.filter(code="BK2").exists()
    backup_db = sqlite3.connect(out)
    try:
        assert list(backup_db.iterdump()) == list(connection.connection.iterdump())  # exported alike
    finally:
        backup_db.close()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "x.dump"
    bad.write_bytes(b"khong phai sao luu")
    with pytest.raises(CommandError):
        call_command("restore", str(bad), yes=True)


def _pg(*args, env):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)


def _data(db: str, env) -> list[str]:
    """The database's rows as pg_dump writes them, without its comments and settings."""
    dump = _pg("pg_dump", "--data-only", "--inserts", "--no-owner", db, env=env).stdout
    skip = ("--", "SET ", "SELECT pg_catalog", "\\restrict", "\\unrestrict")  # comments, settings, per-dump keys
    return [line for line in dump.splitlines() if line and not line.startswith(skip)]


def test_postgresql_backup_restored_into_an_empty_database_is_identical_and_verifies(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's custom dump")
    _history(4)
    settings = connection.settings_dict
    env = {**os.environ, "PGHOST": settings["HOST"] or "127.0.0.1", "PGPORT": str(settings["PORT"] or 5432),
           "PGUSER": settings["USER"] or "postgres", "PGPASSWORD": settings["PASSWORD"] or ""}
    out = tmp_path / "kiemdiem.dump"
    call_command("backup", out=out)
    target = settings["NAME"] + "_drill"
    _pg("dropdb", "--if-exists", target, env=env)
    assert _pg("createdb", target, env=env).returncode == 0
    try:
        url = f"postgres://{env['PGUSER']}:{env['PGPASSWORD']}@{env['PGHOST']}:{env['PGPORT']}/{target}"
        child = {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        done = subprocess.run([sys.executable, "manage.py", "restore", str(out), "--yes"], cwd=ROOT, env=child,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip().splitlines()[-1] == "entries=4 broken=0"
        assert _data(settings["NAME"], env) == _data(target, env)
    finally:
        _pg("dropdb", "--if-exists", target, env=env)
    assert verify_chain().summary() == "entries=4 broken=0"
