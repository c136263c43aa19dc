"""Production keeps database connections between requests; SQLite is written ahead (WAL)."""
import secrets

import pytest

from tests.config.test_settings import _manage

PRINT_DB = ("from django.conf import settings; d = settings.DATABASES['default']; o = d.get('OPTIONS', {}); "
            "print(d.get('CONN_MAX_AGE'), d.get('CONN_HEALTH_CHECKS'), o.get('options'), o.get('init_command'))")


@pytest.mark.slow
def test_production_keeps_connections_and_checks_them_before_reuse():
    """Connections live CONN_MAX_AGE seconds (60 unless told), checked before reuse; no JIT on PostgreSQL."""
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
           "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/kiemdiem"}
    default = _manage("shell", "-c", PRINT_DB, **env)
    assert default.stdout.splitlines()[-1].split()[:4] == ["60", "True", "-c", "jit=off"], default.stderr
    told = _manage("shell", "-c", PRINT_DB, CONN_MAX_AGE="300", **env)
    assert told.stdout.splitlines()[-1].split()[:2] == ["300", "True"], told.stderr


@pytest.mark.slow
def test_the_embedded_database_lets_pages_read_while_the_worker_writes():
    """SQLite in write-ahead-log mode: a job's progress page reads while an import writes."""
    result = _manage("shell", "-c", PRINT_DB, DJANGO_SETTINGS_MODULE="config.settings.local",
                     DATABASE_URL="sqlite:////tmp/kiemdiem-wal-check.sqlite3")
    assert result.stdout.strip().endswith("PRAGMA journal_mode=WAL;"), result.stderr
