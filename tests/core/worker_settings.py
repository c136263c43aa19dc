"""Settings for the worker's own test: the real database queue, files on disk a worker process shares.

Used by the test process (PostgreSQL) and by the processes it starts (`db_worker`, a request).
"""
from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, STORAGES, env

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("JOB_TEST_MEDIA", default="/tmp/kiemdiem-job-test")},
    },
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, init_command="PRAGMA journal_mode=WAL;")
