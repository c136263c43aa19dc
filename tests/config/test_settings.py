"""Settings come from the environment; production refuses to start without a secret."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
        capture_output=True, text=True, timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    """Without SECRET_KEY the production settings stop with a Vietnamese message."""
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_check_deploy():
    """With a strong secret, `check --deploy` reports no issue."""
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="sqlite:////tmp/kiemdiem-check.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_database_url_selects_the_engine():
    """DATABASE_URL picks PostgreSQL; without it the embedded SQLite file is used."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    pg = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.local",
                 DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    sqlite = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.local")
    assert "postgresql" in pg.stdout
    assert "sqlite3" in sqlite.stdout


def test_vietnamese_number_and_date_formats(settings):
    """Numbers use a decimal comma and thousands dot; dates read 24/6/2026."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.number_format(Decimal("17.3"), 1) == "17,3"
        assert formats.number_format(3254, use_l10n=True, force_grouping=True) == "3.254"
        assert formats.date_format(dt.date(2026, 6, 24)) == "24/6/2026"


def test_production_shares_one_cache_between_workers():
    """Production counts sign-in failures in the database cache, not in each worker's memory."""
    code = "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    result = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.production",
                     SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL="sqlite:////tmp/kiemdiem-check.sqlite3")
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line.split() == ["django.core.cache.backends.db.DatabaseCache", "kiemdiem_cache"], result.stderr


def test_migrate_creates_the_shared_cache_table_in_production(tmp_path):
    """`migrate` (which every deployment runs) makes the cache table, so the first sign-in works."""
    import sqlite3

    database = tmp_path / "prod.sqlite3"
    result = _manage("migrate", "-v", "0", DJANGO_SETTINGS_MODULE="config.settings.production",
                     SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    tables = {row[0] for row in sqlite3.connect(database).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "kiemdiem_cache" in tables
