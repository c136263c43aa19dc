"""The real worker (`manage.py db_worker`) picks up jobs queued by a request, on the real database queue.

The rest of the suite runs jobs at once (the immediate backend); here the database backend
queues them and a `db_worker` process runs them, against a SQLite file and against PostgreSQL.
A job that waits half-way shows that its progress is visible to other connections while it runs.
"""
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from core.jobs import INTERRUPTED, start_job
from core.models import Job, JobStatus, Role
from tests.core.sample_jobs import waiting_job
from tests.factories import MemberFactory, OrgFactory, user_with_role

pytestmark = pytest.mark.slow  # processes of their own: a migrate, a request, a worker
ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.core.worker_settings"


def _env(database_url: str, media: Path) -> dict:
    return {
        **os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": SETTINGS,
        "JOB_TEST_MEDIA": str(media), "PYTHONPATH": str(ROOT),
    }


def _manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        timeout=120, **kwargs,
    )


def _worker(env: dict) -> subprocess.Popen:
    """A worker that runs every queued job, then exits."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", "--no-reload"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _wait_for(check, *, seconds: float = 90, worker: subprocess.Popen):
    """Poll `check()` until it returns something true; fail if the worker died first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if worker.poll() is not None:
            pytest.fail(f"db_worker ended early:\n{worker.stdout.read()}")
        time.sleep(0.1)
    pytest.fail("the job never reported its progress")


def _finish(worker: subprocess.Popen, flag: Path) -> str:
    flag.touch()
    try:
        output, _ = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    return output


def test_worker_runs_jobs_queued_by_a_request_on_a_sqlite_file(tmp_path):
    """A request (in its own process) queues an export; `db_worker` runs it and a waiting job.

    The file database is shared by three processes: the request, the worker, and this test,
    which reads the waiting job's progress while the worker is in the middle of it.
    """
    database = tmp_path / "db.sqlite3"
    env = _env(f"sqlite:///{database}", tmp_path / "media")
    flag = tmp_path / "go"
    _manage(env, "migrate", "--noinput", "-v", "0")
    queued = subprocess.run(
        [sys.executable, "-m", "tests.core.queue_by_request", str(flag)], cwd=ROOT, env=env,
        check=True, capture_output=True, text=True, timeout=120,
    )
    export_id, waiting_id = map(int, queued.stdout.split())
    db = sqlite3.connect(database, timeout=20)

    def job(pk):
        return db.execute("SELECT status, done, total, step, error, file FROM core_job WHERE id = ?", (pk,)).fetchone()

    assert job(export_id)[0] == job(waiting_id)[0] == JobStatus.QUEUED
    worker = _worker(env)
    try:
        # Running, and past its first report: the job marks itself running before it reports.
        seen = _wait_for(lambda: job(waiting_id)[0] == JobStatus.RUNNING and job(waiting_id)[1] and job(waiting_id),
                         worker=worker)
    finally:
        _finish(worker, flag)

    assert seen[1:4] == (5, 10, "Đang chờ tín hiệu")
    status, done, total, _step, error, file = job(waiting_id)
    assert (status, done, total, error) == (JobStatus.SUCCEEDED, 10, 10, "")
    status, *_rest, error, file = job(export_id)
    assert status == JobStatus.SUCCEEDED, error
    assert (tmp_path / "media" / file).read_bytes()[:2] == b"PK"


def test_a_job_whose_worker_was_killed_is_marked_interrupted_by_the_next_worker(tmp_path):
    """kill -9 in the middle of a job leaves it running; the next worker, once it is stale, marks it."""
    database = tmp_path / "db.sqlite3"
    env = _env(f"sqlite:///{database}", tmp_path / "media")
    _manage(env, "migrate", "--noinput", "-v", "0")
    queued = subprocess.run(
        [sys.executable, "-m", "tests.core.queue_by_request", str(tmp_path / "never")], cwd=ROOT, env=env,
        check=True, capture_output=True, text=True, timeout=120,
    )
    waiting_id = int(queued.stdout.split()[1])
    db = sqlite3.connect(database, timeout=20)

    def status():
        return db.execute("SELECT status, error FROM core_job WHERE id = ?", (waiting_id,)).fetchone()

    worker = _worker(env)
    try:
        _wait_for(lambda: status()[0] == JobStatus.RUNNING, worker=worker)
    finally:
        worker.kill()
        worker.communicate(timeout=120)
    assert status()[0] == JobStatus.RUNNING  # nothing ran to say it ended

    restarted = _manage({**env, "JOB_STALE_MINUTES": "0"}, "db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert f"Marked 1 job(s) interrupted: {waiting_id}" in restarted.stdout
    assert status() == (JobStatus.INTERRUPTED, INTERRUPTED)


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_job_queued_by_a_request_on_postgresql(client, settings, tmp_path):
    """On PostgreSQL: this test's request queues an export, a `db_worker` process runs it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the SQLite file has its own test above)")
    media = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)},
    }}
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = _env(url, media)
    flag = tmp_path / "go"
    MemberFactory(card_number="77700001", cell=OrgFactory(code="CB-W"))
    user = user_with_role(Role.STANDING, username="btv-worker")
    client.force_login(user)

    response = client.post(reverse("workbook:export"))

    export = Job.objects.get(kind="workbook.export")
    assert response["Location"] == export.get_absolute_url() and export.status == JobStatus.QUEUED
    waiting = start_job(actor=user, kind="test.wait", title="Chờ tín hiệu", task=waiting_job, flag=str(flag))
    worker = _worker(env)
    try:
        seen = _wait_for(
            lambda: Job.objects.filter(pk=waiting.pk, status=JobStatus.RUNNING, done__gt=0)
            .values("done", "total", "step").first(),
            worker=worker,
        )
    finally:
        _finish(worker, flag)

    assert seen == {"done": 5, "total": 10, "step": "Đang chờ tín hiệu"}
    export.refresh_from_db()
    assert export.status == JobStatus.SUCCEEDED, export.error
    download = client.get(reverse("jobs:download", args=[export.pk]))
    assert b"".join(download.streaming_content)[:2] == b"PK"
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.SUCCEEDED and waiting.done == 10
