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


@pytest.mark.django_db
def test_a_transaction_that_read_still_writes_after_the_worker_wrote(tmp_path):
    """On the embedded database, a request that reads, then writes (a sign-in: the account, then
    the session) while the background worker writes, waits for the worker instead of failing with
    "database is locked". Two connections to one file, with the settings' SQLite options."""
    import threading

    from django.db import connections, transaction
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from config.settings.base import SQLITE_OPTIONS

    def wrapper(alias):
        options = {**SQLITE_OPTIONS, "timeout": 5}
        connection = DatabaseWrapper({
            "NAME": str(tmp_path / "shared.sqlite3"), "ENGINE": "django.db.backends.sqlite3", "OPTIONS": options,
            "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {},
        }, alias=alias)
        connections[alias] = connection
        return connection

    setup = wrapper("shared_setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE t (who TEXT)")
    setup.close()
    errors = []

    writing = threading.Event()  # set as the worker's INSERT starts, before it asks for the write lock

    def worker():
        connection = wrapper("shared_worker")
        try:
            connection.ensure_connection()
            connection.connection.set_trace_callback(lambda sql: sql.startswith("INSERT") and writing.set())
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES ('worker')")
        except Exception as exc:  # noqa: BLE001 - the test reports what the worker met
            errors.append(exc)
        finally:
            connection.close()

    request = wrapper("shared_request")
    try:
        with transaction.atomic(using="shared_request"):
            with request.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM t")
            thread = threading.Thread(target=worker)
            thread.start()
            assert writing.wait(10), "the worker never started writing"
            with request.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES ('request')")
        thread.join(10)
        with request.cursor() as cursor:
            cursor.execute("SELECT who FROM t ORDER BY who")
            rows = [row[0] for row in cursor.fetchall()]
    finally:
        request.close()
        for alias in ("shared_setup", "shared_request"):  # the worker's was its own thread's
            del connections[alias]
    assert errors == []
    assert rows == ["request", "worker"]
