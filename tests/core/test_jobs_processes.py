"""Several `db_worker` processes on PostgreSQL: each job runs once, a gone worker's job is run again
or marked, a live one never is, and opening a period shows its progress during its write.

The suite's other tests run jobs at once (the immediate backend); these queue them in the database
and start worker processes, against this test's PostgreSQL database (skipped on SQLite).
"""
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from appraisal.models import PeriodKind, Rating
from appraisal.process.periods.services import period_create
from appraisal.tasks import open_period_job
from core.jobs import INTERRUPTED, RERUN, mark_stale_jobs, start_job
from core.models import AuditEntry, Job, JobStatus, Role
from orgs.models import Block
from tests.appraisal.workflow import EVALUATION, YEAR, build_commune
from tests.core.sample_jobs import tally_job, waiting_job, waiting_safe_job
from tests.factories import user_with_role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings, tmp_path):
    """The database queue, in this test and in the worker processes it starts (their environment)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SKIP LOCKED, and progress read while another connection writes")
    settings.TASKS = QUEUE
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "JOB_TEST_MEDIA": str(tmp_path / "media"), "PYTHONPATH": str(ROOT), "JOB_WORKER_STALE_SECONDS": "3",
    }


def _worker(env: dict, *, batch: bool = False, module: str | None = None) -> subprocess.Popen:
    options = ["--no-startup-delay", "--interval", "0.1", "--no-reload", *(["--batch"] if batch else [])]
    command = [sys.executable, "-m", module, *options] if module else [sys.executable, "manage.py", "db_worker", *options]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(check, *, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail("waited in vain")


def _end(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=60)


def test_four_workers_run_each_of_200_queued_jobs_exactly_once(queue):
    staff = user_with_role(Role.STAFF, username="bxd-bon-tien-trinh")
    jobs = [start_job(actor=staff, kind="test.tally", title=f"Đếm {n}", task=tally_job, label=str(n))
            for n in range(200)]
    workers = [_worker(queue, batch=True) for _ in range(4)]
    try:
        outputs = [worker.communicate(timeout=300)[0] for worker in workers]
    finally:
        _end(*workers)
    assert [w.returncode for w in workers] == [0] * 4, outputs

    assert Job.objects.filter(pk__in=[j.pk for j in jobs], status=JobStatus.SUCCEEDED).count() == 200
    runs = {}
    for name in Block.objects.values_list("name", flat=True):
        runs[name] = runs.get(name, 0) + 1
    assert runs == {f"lần chạy của công việc {job.pk}": 1 for job in jobs}
    claims = list(DBTaskResult.objects.values_list("worker_ids", flat=True))
    assert len(claims) == 200 and all(len(ids) == 1 for ids in claims)  # each task handed out once
    assert len({ids[0] for ids in claims}) >= 2  # and the workers shared the queue
    assert len(set(Job.objects.values_list("worker", flat=True))) == len({ids[0] for ids in claims})


def test_a_killed_workers_safe_job_runs_again_and_its_unsafe_one_is_marked(queue, settings, tmp_path):
    settings.JOB_WORKER_STALE_AFTER = timedelta(seconds=3)
    staff = user_with_role(Role.STAFF, username="bxd-tien-trinh-chet")
    flag = tmp_path / "go"
    safe = start_job(actor=staff, kind="test.wait", title="Chờ (an toàn)", task=waiting_safe_job, flag=str(flag))
    unsafe = start_job(actor=staff, kind="test.wait", title="Chờ", task=waiting_job, flag=str(flag))
    killed = [_worker(queue), _worker(queue)]
    try:
        _wait_for(lambda: Job.objects.filter(pk__in=[safe.pk, unsafe.pk], status=JobStatus.RUNNING, done=5).count() == 2)
        time.sleep(4)  # longer than JOB_WORKER_STALE_AFTER: the workers beat, so their jobs live
        assert mark_stale_jobs() == []
        for worker in killed:
            worker.send_signal(signal.SIGKILL)
    finally:
        _end(*killed)
    time.sleep(3.5)  # the workers' last beats grow old

    marked = mark_stale_jobs()

    assert sorted(job.pk for job in marked) == sorted([safe.pk, unsafe.pk])
    safe.refresh_from_db()
    unsafe.refresh_from_db()
    assert (unsafe.status, unsafe.error, unsafe.result.get("retried_as")) == (JobStatus.INTERRUPTED, INTERRUPTED, None)
    assert (safe.status, safe.error) == (JobStatus.INTERRUPTED, RERUN)
    again = Job.objects.get(pk=safe.result["retried_as"])
    assert (again.status, again.attempt, again.actor, again.params) == (JobStatus.QUEUED, 2, staff, safe.params)
    assert mark_stale_jobs() == [] and Job.objects.count() == 3  # a second sweep reruns nothing more
    flag.touch()
    finisher = _worker(queue, batch=True)
    try:
        output = finisher.communicate(timeout=120)[0]
    finally:
        _end(finisher)
    again.refresh_from_db()
    assert again.status == JobStatus.SUCCEEDED, output
    assert AuditEntry.objects.filter(action="job.retry", object_id=str(safe.pk), actor=None).count() == 1


def test_a_double_click_on_chay_lai_starts_one_run(queue, client):
    staff = user_with_role(Role.STAFF, username="bxd-bam-hai-lan")
    job = start_job(actor=staff, kind="test.wait", title="Chờ (an toàn)", task=waiting_safe_job, flag="/khong-co")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.INTERRUPTED, error=INTERRUPTED)
    url = reverse("jobs:retry", args=[job.pk])
    answers, gate = [], threading.Barrier(2)

    def click():
        from django.test import Client

        browser = Client()
        browser.force_login(staff)
        gate.wait()
        answers.append(browser.post(url))

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=60)

    assert Job.objects.count() == 2
    again = Job.objects.exclude(pk=job.pk).get()
    assert [a.status_code for a in answers] == [302, 302]
    assert {a["Location"] for a in answers} == {again.get_absolute_url()}


def test_opening_a_period_shows_progress_during_its_write_and_is_never_taken_for_dead(queue, settings):
    """The slowed writer holds its one write transaction for about 15 s, longer than the worker
    staleness of 3 s: the job page's figures move at least every 5 s, and no sweep marks the job."""
    settings.JOB_WORKER_STALE_AFTER = timedelta(seconds=3)
    settings.JOB_STALE_AFTER = timedelta(0)
    commune = build_commune()
    staff = commune.users["staff"]
    period = period_create(actor=staff, kind=PeriodKind.YEAR, year=YEAR, evaluation_date=EVALUATION)
    job = start_job(actor=staff, kind="period.open", title=f"Mở {period}", task=open_period_job, period_id=period.pk)
    worker = _worker(queue, module="tests.core.slow_writer_worker")
    seen, marked = [], []
    try:
        while True:
            row = Job.objects.values_list("status", "done", "total", "step").get(pk=job.pk)
            if row[0] != JobStatus.RUNNING and row[0] != JobStatus.QUEUED:
                break
            if row[3].startswith("Ghi") and (not seen or seen[-1][1] != row[1]):
                seen.append((time.monotonic(), row[1], row[2]))
                assert Rating.objects.filter(period=period).count() == 0  # not committed yet: one transaction
            marked += mark_stale_jobs()
            time.sleep(0.1)
            assert worker.poll() is None, worker.stdout.read()
    finally:
        _end(worker)

    job.refresh_from_db()
    total = Rating.objects.filter(period=period).count()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert marked == [] and total == 21
    assert len(seen) >= 8 and seen[-1][2] == total
    assert seen[-1][0] - seen[0][0] > 5  # the write lasted
    assert max(b[0] - a[0] for a, b in zip(seen, seen[1:], strict=False)) < 5
