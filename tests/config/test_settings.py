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


def test_production_needs_no_shared_cache_table():
    """Nothing depends on a cache shared by workers: production keeps one in each worker's memory."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = _manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="config.settings.production",
                     SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL="sqlite:////tmp/kiemdiem-check.sqlite3")
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.locmem.LocMemCache", result.stderr


def test_check_deploy_names_a_missing_database_cache_table(tmp_path):
    """A shared cache named in CACHE_URL whose table was never made: `check --deploy` says so."""
    database = tmp_path / "prod.sqlite3"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
           "DATABASE_URL": f"sqlite:///{database}", "CACHE_URL": "dbcache://bang_cache_chung"}
    migrated_elsewhere = {k: v for k, v in env.items() if k != "CACHE_URL"}  # no cache table made
    assert _manage("migrate", "-v", "0", **migrated_elsewhere).returncode == 0
    result = _manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "core.E001" in result.stderr and "bang_cache_chung" in result.stderr
    assert _manage("createcachetable", **env).returncode == 0
    assert _manage("check", "--deploy", "--fail-level", "WARNING", **env).returncode == 0
