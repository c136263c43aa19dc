"""The README's restore command works against the real PostgreSQL, into an empty database too."""
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _readme_restore_command() -> list[str]:
    """The pg_restore line of the README, exactly as an administrator would copy it."""
    line = next(text for text in (ROOT / "README.md").read_text().splitlines() if text.strip().startswith("pg_restore "))
    return shlex.split(line.strip())


def _pg(*args, env):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)


def test_readme_restore_into_an_empty_database_and_over_itself(tree):
    """`pg_restore --clean` into a fresh database exited 1 with 192 errors; the README's command
    now restores every table and row, and can run again over the restored copy."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings = connection.settings_dict
    env = {**os.environ, "PGHOST": settings["HOST"] or "127.0.0.1", "PGPORT": str(settings["PORT"] or 5432),
           "PGUSER": settings["USER"] or "postgres", "PGPASSWORD": settings["PASSWORD"] or ""}
    source, target = settings["NAME"], settings["NAME"] + "_restore"
    dump = Path("/tmp") / f"{source}.dump"
    assert _pg("pg_dump", "-Fc", "-f", str(dump), source, env=env).returncode == 0
    _pg("dropdb", "--if-exists", target, env=env)
    assert _pg("createdb", target, env=env).returncode == 0
    try:
        command = [target if arg == "kiemdiem" else arg for arg in _readme_restore_command()]
        command = [str(dump) if re.match(r"kiemdiem-YYYY", arg) else arg for arg in command]
        first = _pg(*command, env=env)
        assert first.returncode == 0, first.stderr[-2000:]
        assert "error" not in first.stderr.lower()
        again = _pg(*command, env=env)
        assert again.returncode == 0, again.stderr[-2000:]
        count = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        tables = [_pg("psql", "-tAc", count, db, env=env).stdout.strip() for db in (source, target)]
        assert tables[0] == tables[1] and int(tables[0]) > 20
    finally:
        _pg("dropdb", "--if-exists", target, env=env)
        dump.unlink(missing_ok=True)
