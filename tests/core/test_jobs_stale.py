"""A job whose worker died: its heartbeat, its mark as interrupted (pages, worker start), its rerun."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from core.audit import AuditAction
from core.jobs import HEARTBEAT_EVERY, INTERRUPTED, JobContext, mark_stale_jobs, start_job
from core.models import AuditEntry, Job, JobStatus, Role
from tests.core.sample_jobs import count_job, file_job
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return user_with_role(Role.STAFF, username="bxd")


@pytest.fixture(autouse=True)
def stale_after(settings):
    settings.JOB_STALE_AFTER = timedelta(minutes=10)


def _running(actor, *, silent_for: timedelta, task=count_job, **params) -> Job:
    """A running job whose last heartbeat was `silent_for` ago, as a killed worker leaves it."""
    beat = timezone.now() - silent_for
    return Job.objects.create(
        kind="test.count", title="Nhập tệp lớn", actor=actor, status=JobStatus.RUNNING, params=params,
        task_path=task.module_path, started_at=beat - timedelta(minutes=1), heartbeat_at=beat,
        done=2500, total=10000, step="Đang đọc",
    )


def _interruptions(job: Job) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.JOB_INTERRUPT, object_id=str(job.pk)))


def test_a_silent_job_shows_as_interrupted_and_its_page_stops_polling(client, staff):
    """No heartbeat for longer than JOB_STALE_AFTER: the page says why, and neither htmx nor a reload polls."""
    job = _running(staff, silent_for=timedelta(minutes=11))
    client.force_login(staff)

    html = client.get(job.get_absolute_url()).content.decode()

    assert "<strong>Bị gián đoạn</strong>" in html and INTERRUPTED in html
    assert "hx-trigger" not in html and 'http-equiv="refresh"' not in html
    job.refresh_from_db()
    assert job.status == JobStatus.INTERRUPTED and job.error == INTERRUPTED and job.finished_at
    assert len(_interruptions(job)) == 1


def test_the_htmx_poll_of_a_job_that_died_swaps_in_the_end_of_polling(client, staff):
    """The page open while the worker was killed: its next poll gets a partial without hx-trigger."""
    job = _running(staff, silent_for=timedelta(minutes=10, seconds=1))
    client.force_login(staff)

    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()

    assert partial.lstrip().startswith('<section id="tien-do" class="job job-interrupted"')
    assert "Bị gián đoạn" in partial and "hx-trigger" not in partial


def test_a_job_beating_within_the_threshold_stays_running(client, staff):
    """A heartbeat 9 minutes old (threshold 10): still running, still polled, nothing audited."""
    job = _running(staff, silent_for=timedelta(minutes=9))
    client.force_login(staff)

    html = client.get(job.get_absolute_url()).content.decode()
    listed = client.get(reverse("jobs:list")).content.decode()

    assert "<strong>Đang chạy</strong>" in html and 'hx-trigger="every 1s"' in html
    assert "Bị gián đoạn" not in listed and "Đang chạy" in listed
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not _interruptions(job)


def test_the_job_list_marks_jobs_whose_worker_died(client, staff):
    job = _running(staff, silent_for=timedelta(hours=2))
    client.force_login(staff)

    html = client.get(reverse("jobs:list")).content.decode()

    assert "<td>Bị gián đoạn</td>" in html
    assert Job.objects.get(pk=job.pk).status == JobStatus.INTERRUPTED


def test_mark_stale_jobs_marks_each_dead_job_once_and_audits_it(staff):
    """Only running jobs silent past the threshold; a second sweep (or a second page) changes nothing."""
    dead = _running(staff, silent_for=timedelta(minutes=30))
    legacy = _running(staff, silent_for=timedelta(minutes=30))
    Job.objects.filter(pk=legacy.pk).update(heartbeat_at=None)  # started before heartbeats: its start counts
    alive = _running(staff, silent_for=timedelta(minutes=2))
    queued = Job.objects.create(kind="test", title="Chờ", actor=staff)  # waiting is not dying
    ended = _running(staff, silent_for=timedelta(minutes=30))
    Job.objects.filter(pk=ended.pk).update(status=JobStatus.SUCCEEDED)
    now = timezone.now()

    first = mark_stale_jobs(now=now)
    second = mark_stale_jobs(now=now + timedelta(minutes=1))

    assert sorted(job.pk for job in first) == sorted([dead.pk, legacy.pk]) and second == []
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {
        dead.pk: JobStatus.INTERRUPTED, legacy.pk: JobStatus.INTERRUPTED, alive.pk: JobStatus.RUNNING,
        queued.pk: JobStatus.QUEUED, ended.pk: JobStatus.SUCCEEDED,
    }
    entries = _interruptions(dead)
    assert len(entries) == 1 and entries[0].actor is None  # the system found it, not the user
    assert len(_interruptions(legacy)) == 1 and not _interruptions(alive)
    assert AuditEntry.objects.filter(action=AuditAction.JOB_INTERRUPT).count() == 2


def test_the_threshold_is_measured_from_the_last_heartbeat(staff):
    """`now` decides: 9 minutes 59 seconds after the heartbeat the job lives, 10 minutes 1 second after it is dead."""
    job = _running(staff, silent_for=timedelta(0))

    assert mark_stale_jobs(now=job.heartbeat_at + timedelta(minutes=9, seconds=59)) == []
    assert [j.pk for j in mark_stale_jobs(now=job.heartbeat_at + timedelta(minutes=10, seconds=1))] == [job.pk]


def test_a_job_records_a_heartbeat_when_it_starts(staff):
    job = start_job(actor=staff, kind="test.count", title="Đếm", task=count_job, rows=3)

    job.refresh_from_db()
    assert job.heartbeat_at is not None and job.started_at <= job.heartbeat_at <= job.finished_at
    assert job.task_path == "tests.core.sample_jobs.count_job"


def test_progress_beats_the_heart_no_more_often_than_the_throttle(staff):
    """Each heartbeat rides on a progress write, at most every HEARTBEAT_EVERY seconds of the work's clock."""
    assert HEARTBEAT_EVERY == 5.0
    clock = [100.0]
    job = Job.objects.create(kind="test", title="Đang chạy", actor=staff, status=JobStatus.RUNNING)
    context = JobContext(job, clock=lambda: clock[0])  # the start (at 100.0) is the first heartbeat

    def report(at: float, *args, **kwargs):
        clock[0] = at
        context.progress(*args, **kwargs)
        return Job.objects.values_list("done", "step", "heartbeat_at").get(pk=job.pk)

    assert report(100.0, 0, 10, "Đang đọc") == (0, "Đang đọc", None)  # written, but no heartbeat yet
    assert report(104.9, step="Đang ghi") == (0, "Đang ghi", None)  # a new step is written at once
    done, _step, first = report(105.5, 1)
    assert done == 1 and first is not None  # 5.5 s after the start: a heartbeat
    assert report(106.0, 2) == (2, "Đang ghi", first)  # written, but within 5 s of the heartbeat
    assert report(110.4, 3) == (3, "Đang ghi", first)
    assert report(110.5, 4) == (3, "Đang ghi", first)  # within the write throttle: nothing written
    done, _step, second = report(111.0, 5)
    assert done == 5 and second > first


def test_the_owner_runs_an_interrupted_job_again_with_the_same_parameters(client, staff):
    job = _running(staff, silent_for=timedelta(hours=1), rows=4)
    client.force_login(staff)
    retry_url = reverse("jobs:retry", args=[job.pk])

    html = client.get(job.get_absolute_url()).content.decode()
    assert f'action="{retry_url}"' in html and "Chạy lại công việc này" in html

    response = client.post(retry_url)

    again = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == again.get_absolute_url()
    assert again.status == JobStatus.SUCCEEDED and again.params == {"rows": 4} and again.title == job.title
    assert AuditEntry.objects.filter(action=AuditAction.JOB_RETRY, object_id=str(job.pk)).count() == 1
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Chạy lại công việc này" not in html and f'href="{again.get_absolute_url()}">Xem lần chạy lại' in html
    second = client.post(retry_url)  # a second click (a double click): the same run, not another
    assert second.status_code == 302 and second["Location"] == again.get_absolute_url()
    assert Job.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.JOB_RETRY, object_id=str(job.pk)).count() == 1


def test_only_the_owner_reruns_and_only_a_job_that_allows_it(client, staff):
    secretary = user_with_role(Role.STANDING, username="btv")
    theirs = _running(secretary, silent_for=timedelta(hours=1), rows=4)
    no_rerun = _running(staff, silent_for=timedelta(hours=1), task=file_job, text="x")
    client.force_login(staff)

    html = client.get(theirs.get_absolute_url()).content.decode()
    assert "Bị gián đoạn" in html and "Chạy lại công việc này" not in html
    assert "người đã bắt đầu công việc mở lại trang đã bắt đầu công việc này" in html
    assert client.post(reverse("jobs:retry", args=[theirs.pk])).status_code == 403

    html = client.get(no_rerun.get_absolute_url()).content.decode()
    assert "Chạy lại công việc này" not in html and "đồng chí mở lại trang đã bắt đầu công việc này" in html
    assert client.post(reverse("jobs:retry", args=[no_rerun.pk])).status_code == 403
    assert Job.objects.count() == 2


def test_a_running_job_cannot_be_rerun(client, staff):
    job = _running(staff, silent_for=timedelta(minutes=1), rows=4)
    client.force_login(staff)
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 403
    assert Job.objects.count() == 1


def test_the_worker_marks_dead_jobs_when_it_starts(monkeypatch, settings, staff):
    """`manage.py db_worker` is django-tasks-db's worker preceded by the sweep."""
    from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    seen = []
    monkeypatch.setattr(DatabaseWorkerCommand, "handle", lambda self, *args, **options: seen.append(
        Job.objects.get(pk=dead.pk).status))  # the worker's loop itself is not run here
    dead = _running(staff, silent_for=timedelta(minutes=30))

    call_command("db_worker", "--batch", "--no-reload")

    assert seen == [JobStatus.INTERRUPTED] and len(_interruptions(dead)) == 1


def test_a_mark_decided_on_an_old_read_does_not_overwrite_the_real_end(staff):
    """The worker finished between the sweep's read and its write: the job keeps its end, nothing is audited."""
    from core.jobs import _interrupt, _silent

    now = timezone.now()
    read = _running(staff, silent_for=timedelta(minutes=30))  # what the sweep read
    Job.objects.filter(pk=read.pk).update(status=JobStatus.SUCCEEDED)  # what the worker wrote since

    assert _interrupt(read, now=now, unchanged=_silent(now - timedelta(minutes=10))) is False
    assert Job.objects.get(pk=read.pk).status == JobStatus.SUCCEEDED and not _interruptions(read)


class _Queue:
    """A queue that answers for each task id what the database queue would (status, when picked up)."""

    supports_get_result = True

    def __init__(self, results: dict):
        self.results = results

    def get_result(self, task_id):
        status, started_at = self.results[task_id]
        return SimpleNamespace(status=status, started_at=started_at, is_finished=status in ("SUCCESSFUL", "FAILED"))


def test_a_queued_job_the_queue_lost_is_marked_but_a_waiting_one_is_not(monkeypatch, staff):
    """Picked up 15 minutes ago but never started (the worker died in between): interrupted.
    Waiting 20 minutes behind a long job: still queued. Its task ended with the job never started: interrupted."""
    now = timezone.now()
    picked, waiting, ended = (
        Job.objects.create(kind="test", title=title, actor=staff, task_id=title) for title in ("picked", "waiting", "ended")
    )
    Job.objects.filter(pk__in=[picked.pk, waiting.pk]).update(created_at=now - timedelta(minutes=20))
    monkeypatch.setattr("core.jobs.default_task_backend", _Queue({
        "picked": (TaskResultStatus.RUNNING, now - timedelta(minutes=15)),
        "waiting": (TaskResultStatus.READY, None),
        "ended": (TaskResultStatus.FAILED, now - timedelta(minutes=1)),
    }))

    assert [job.pk for job in mark_stale_jobs(now=now)] == [picked.pk]  # the recent one is asked about on its page
    assert [job.pk for job in mark_stale_jobs(now=now, pk=ended.pk)] == [ended.pk]
    assert mark_stale_jobs(now=now, pk=waiting.pk) == []
    statuses = dict(Job.objects.values_list("title", "status"))
    assert statuses == {"picked": JobStatus.INTERRUPTED, "waiting": JobStatus.QUEUED, "ended": JobStatus.INTERRUPTED}
