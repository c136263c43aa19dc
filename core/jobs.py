"""Long work as background jobs: start one, report its progress, keep its outcome.

One machinery for every long piece of work (workbook imports and exports, opening a period,
long PDFs). The queue is django-tasks' database backend; `manage.py db_worker` runs it
(`scripts/run` starts one beside the server; the tests run jobs at once). A `Job` row is what
users see: who started it and when, its progress, its result or why it failed.

Adding a job (e.g. in appraisal/tasks.py)::

    from core.jobs import JobContext, JobFailed, job_task, start_job

    @job_task
    def open_period_job(job: JobContext, *, period_id: int) -> dict:
        \"\"\"Open the period: one rating per subject.\"\"\"
        subjects = load_subjects(period_id)                  # read, outside the write
        job.progress(0, len(subjects), "Đang kiểm tra đối tượng")
        if not subjects:
            raise JobFailed("Kỳ đánh giá không có đối tượng nào.")
        job.progress(step="Đang tạo phiếu xếp loại")        # the last step others will see
        with transaction.atomic():                           # all or nothing
            ...
        return {"message": "Đã mở kỳ đánh giá: 1.234 phiếu."}

    # in the view, after the permission check and the form:
    job = start_job(actor=request.user, kind="period.open", title=f"Mở {period}",
                    task=open_period_job, period_id=period.pk)
    return redirect(job)                                     # the job's page shows its progress

The contract:

- Parameters are JSON values (ids, text, numbers), passed to the work as keyword arguments
  and kept on the job.
- `job.progress(done, total, step)` records how far the work is (rows done of rows, and the
  step in Vietnamese). Writes are throttled, so it may be called for every row. Call it
  outside the work's write transaction: what is written inside a transaction is invisible to
  other connections until it commits, and SQLite lets one connection write at a time, so the
  write phase shows as one step.
- Progress is also the job's heartbeat (`heartbeat_at`, written at the start and then at most
  every HEARTBEAT_EVERY seconds with progress). A running job silent for JOB_STALE_AFTER (a
  setting, 10 minutes) has lost its worker (killed, out of memory, a restart) and
  `mark_stale_jobs` marks it interrupted ("Bị gián đoạn"); the pages and the worker's start call
  it. So a long step reports progress more often than that, and one write transaction (which
  cannot report: see above) ends well within it.
- In a worker process (`manage.py db_worker`) progress does not go through the work's own
  database connection: a `Reporter` thread of the worker, with a connection of its own, writes
  it (the latest values, twice a second) and beats for the worker (`JobWorker.beat_at`) and its
  job every WORKER_BEAT_EVERY seconds — so progress reported *inside* the work's write
  transaction is seen by the pages at once, and a live job is never taken for a dead one however
  long its transaction. A worker silent for JOB_WORKER_STALE_AFTER (a minute) is gone; the
  other workers' reporters, the pages and the next worker to start find its job.
- A job whose work can safely run again with the same parameters (it checks the actor's rights
  and the data's state itself, and writes all or nothing) is made with `@job_task(retryable=True)`:
  when its worker is found gone, it is queued again at once (at most MAX_ATTEMPTS runs in all);
  an interrupted one its owner restarts from its page (`retry_job`; a double click starts one run).
  Any other job whose worker is gone is marked interrupted.
- Each queued job runs once: the queue hands a task to one worker (`SELECT … FOR UPDATE SKIP
  LOCKED` on PostgreSQL, an exclusive transaction on SQLite) and the job itself is claimed by a
  conditional update (queued → running), so a task delivered twice does nothing the second time.
- The work writes all or nothing, in one `transaction.atomic()`. To fail with a reason, raise
  `JobFailed("…", problems=[…])` (Vietnamese, shown on the page). Any other exception fails
  the job with a generic Vietnamese message; the traceback goes to the log.
- The work returns a dict shown on the page: "message" (one Vietnamese sentence), and
  optionally "table" ({"head": [...], "rows": [[...], ...]}), "links" ([{"label", "url"}]) and
  "actions" ([{"label", "url", "fields": {...}}]: buttons posting `fields` to `url`, shown to the
  job's owner, e.g. "Xác nhận nhập" after a check). `job.attach_file(...)` keeps a file (an
  export, a PDF) the user downloads from the job's page.
- Starting and ending a job are recorded in the audit trail.
"""
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, default_task_backend, task
from django_tasks.base import Task

from .audit import AuditAction, record_change
from .models import Job, JobStatus, JobWorker
from .scope import Scope

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job
HEARTBEAT_EVERY = 5.0  # seconds between two heartbeats of one job (each rides on a progress write)
WORKER_BEAT_EVERY = 5.0  # seconds between two beats of a worker's reporter (at most a quarter of JOB_WORKER_STALE_AFTER)
SWEEP_EVERY = 30.0  # seconds between two looks, by each worker's reporter, for jobs whose worker is gone
MAX_ATTEMPTS = 3  # runs in all of a safe job whose worker keeps dying (out of memory?) before it is left interrupted
KEEP_FILES_FOR = timedelta(days=7)
# True because every job writes all or nothing in one transaction (see the contract above): a
# stopped worker's transaction is rolled back; an export's or a document's file is kept last.
INTERRUPTED = "Tiến trình nền dừng giữa chừng (máy chủ khởi động lại?). Không có gì được ghi dở; hãy chạy lại."
RERUN = "Tiến trình nền dừng giữa chừng (máy chủ khởi động lại?). Không có gì được ghi dở; công việc đã được tự động chạy lại."
UNEXPECTED = (
    "Công việc dừng vì một lỗi ngoài dự kiến ({name}); mọi thay đổi của công việc đã được hủy. "
    "Hãy báo cho quản trị hệ thống."
)


class JobFailed(Exception):
    """Stop a job with a reason in Vietnamese (and, optionally, a list of problems)."""

    def __init__(self, message: str, *, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = [str(p) for p in problems or []]


class JobContext:
    """What a job's work sees of its job: who started it, its parameters, how to report."""

    def __init__(self, job: Job, *, clock: Callable[[], float] = time.monotonic):
        self.job = job
        self.actor = job.actor
        self.params = dict(job.params)
        self._clock = clock
        self._written_at = 0.0
        self._beaten_at = clock()  # the job's start is its first heartbeat

    def progress(self, done: int | None = None, total: int | None = None, step: str | None = None) -> None:
        """Record how far the work is, and that it is alive; a new step is written at once, counts
        at most twice a second, the heartbeat at most every HEARTBEAT_EVERY seconds."""
        job = self.job
        changed_step = step is not None and step != job.step
        if done is not None:
            job.done = done
        if total is not None:
            job.total = total
        if step is not None:
            job.step = step[:255]
        now = self._clock()
        if changed_step or now - self._written_at >= PROGRESS_EVERY or (job.total and job.done >= job.total):
            self._written_at = now
            fields = {"done": job.done, "total": job.total, "step": job.step}
            if _reporter is not None and _reporter.writes_progress:  # its reporter writes outside the work's transaction
                _reporter.report(job.pk, fields)
                return
            if now - self._beaten_at >= HEARTBEAT_EVERY:
                self._beaten_at = now
                fields["heartbeat_at"] = job.heartbeat_at = timezone.now()
            Job.objects.filter(pk=job.pk).update(**fields)

    def attach_file(self, content: bytes | File, filename: str) -> None:
        """Keep a file the user downloads from the job's page (bytes, or an open file)."""
        if isinstance(content, bytes):
            content = ContentFile(content)
        name = default_storage.save(f"jobs/{self.job.pk}/{filename}", content)
        self.job.file, self.job.file_name = name, filename
        Job.objects.filter(pk=self.job.pk).update(file=name, file_name=filename)


def job_task(func: Callable[..., dict | None] | None = None, *, retryable: bool = False):
    """Make `func(job, **params)` a task the worker runs: it marks the job running, then done or failed.

    `retryable=True`: the work may run again with the same parameters (it checks the actor's
    rights and the data's state itself), so an interrupted job's owner may restart it.
    """
    if func is None:
        return lambda func: job_task(func, retryable=retryable)

    @wraps(func)
    def run(job_id: int) -> None:
        _run(func, job_id)

    run.job_retryable = retryable
    return task(run)


def start_job(*, actor, kind: str, title: str, task, **params) -> Job:
    """Queue `task` (made with `job_task`) with `params`; the job, audited, to redirect to."""
    _purge_old_files()
    job = Job.objects.create(
        kind=kind, title=title[:255], actor=_user(actor), params=params, task_path=task.module_path,
    )
    record_change(actor=actor, action=AuditAction.JOB_START, obj=job, changes={"kind": kind, "title": job.title})
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _run(func, job_id: int) -> None:
    """Run the work of one job once, and record how it ended."""
    started = timezone.now()
    worker = _reporter.worker_id if _reporter is not None else ""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=started, heartbeat_at=started, step="Đang bắt đầu", worker=worker,
    )
    if not claimed:
        return  # a task delivered twice (by hand, or by a queue) does not redo the work
    job = Job.objects.select_related("actor").get(pk=job_id)
    context = JobContext(job)
    if _reporter is not None:
        _reporter.current = job.pk
    try:
        outcome = func(context, **context.params)
    except JobFailed as exc:
        _finish(job, JobStatus.FAILED, error=exc.message, problems=exc.problems)
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error=UNEXPECTED.format(name=exc.__class__.__name__))
    except BaseException:
        _finish(job, JobStatus.INTERRUPTED, error=INTERRUPTED)  # the worker is being stopped
        raise
    else:
        _finish(job, JobStatus.SUCCEEDED, result=outcome or {})


def _finish(job: Job, status: str, *, result: dict | None = None, error: str = "", problems=()) -> None:
    if _reporter is not None:  # what the reporter still holds of this job is written first, then the end
        _reporter.done_with(job.pk)
    # The real end is recorded even over a mark of interruption: a worker that was only silent
    # (one long write transaction) has written its work after all.
    job.status, job.finished_at = status, timezone.now()
    job.result, job.error, job.problems = result or {}, error, list(problems)
    if status == JobStatus.SUCCEEDED and job.total:
        job.done = job.total
    job.save(update_fields=["status", "finished_at", "result", "error", "problems", "done"])
    action = {
        JobStatus.SUCCEEDED: AuditAction.JOB_SUCCEED, JobStatus.INTERRUPTED: AuditAction.JOB_INTERRUPT,
    }.get(status, AuditAction.JOB_FAIL)
    changes = {"message": (result or {}).get("message", "")} if status == JobStatus.SUCCEEDED else {"error": error}
    record_change(actor=job.actor, action=action, obj=job, changes=changes)


def visible_jobs(scope: Scope) -> QuerySet[Job]:
    """The jobs a user may see: their own; party-building staff see everyone's."""
    qs = Job.objects.select_related("actor")
    return qs if scope.is_staff_member else qs.filter(actor_id=scope.user_id)


def get_visible_job(scope: Scope, pk) -> Job:
    """The job, or 404 if the user may not see it; a job whose worker stopped is marked interrupted."""
    job = visible_jobs(scope).filter(pk=pk).first()
    if job is None:
        raise Http404("Không có công việc này.")
    if not job.is_finished and mark_stale_jobs(pk=job.pk):
        job.refresh_from_db()
    return job


def mark_stale_jobs(*, now: datetime | None = None, pk: int | None = None) -> list[Job]:
    """Mark interrupted, with an audit entry, the unfinished jobs (or job `pk`) whose worker is gone.

    Gone: a running job's heartbeat is older than JOB_STALE_AFTER; or the queue says a queued
    job's task was picked up that long ago (the worker died before the job started), or that its
    task ended although the job never recorded an end. Asking the queue costs a query a job, so
    a sweep of all jobs asks only about those queued for longer than JOB_STALE_AFTER. Each mark
    is conditional on the job being unchanged, so running this again, or twice at once, marks
    and audits a job once. Returns the jobs marked by this call.
    """
    now = now or timezone.now()
    cutoff = now - settings.JOB_STALE_AFTER
    unfinished = Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    if pk is not None:
        unfinished = unfinished.filter(pk=pk)
    silent = _silent(cutoff) | _worker_gone(now)
    marked = [job for job in unfinished.filter(silent) if _interrupt(job, now=now, unchanged=silent)]
    asked = unfinished.exclude(task_id="").exclude(pk__in=[job.pk for job in marked])
    if pk is None:
        asked = asked.filter(status=JobStatus.QUEUED, created_at__lt=cutoff)
    for job in asked:
        if _queue_lost(job, cutoff) and _interrupt(job, now=now, unchanged=Q(status=job.status)):
            marked.append(job)
    return marked


def _silent(cutoff: datetime) -> Q:
    """Running jobs run outside a worker that beats (the tests, a job from before worker beats)
    whose last heartbeat (or start, for a job from before heartbeats) is before `cutoff`."""
    return Q(status=JobStatus.RUNNING, worker="") & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def _worker_gone(now: datetime) -> Q:
    """Running jobs whose worker has not beaten for JOB_WORKER_STALE_AFTER (never a live worker's job)."""
    stale = settings.JOB_WORKER_STALE_AFTER
    if connection.vendor == "sqlite":  # one writer at a time: a long write transaction holds the beat back
        stale = settings.JOB_STALE_AFTER
    alive = JobWorker.objects.filter(beat_at__gte=now - stale).values("worker_id")
    return Q(status=JobStatus.RUNNING) & ~Q(worker="") & ~Q(worker__in=alive)


def _interrupt(job: Job, *, now: datetime, unchanged: Q) -> bool:
    """Mark the job interrupted if it still matches `unchanged`; audit it as done by the system.

    A job whose worker is gone and whose work may safely run again is queued again at once (the
    mark is conditional, so one sweep does it, once), up to MAX_ATTEMPTS runs in all.
    """
    rerun = bool(job.worker) and job.attempt < MAX_ATTEMPTS and retry_task(job, interrupted=False) is not None
    error = RERUN if rerun else INTERRUPTED
    with transaction.atomic():
        if not Job.objects.filter(unchanged, pk=job.pk).update(
            status=JobStatus.INTERRUPTED, finished_at=now, error=error,
        ):
            return False
        job.status, job.finished_at, job.error = JobStatus.INTERRUPTED, now, error
        record_change(actor=None, action=AuditAction.JOB_INTERRUPT, obj=job, changes={
            "error": error, "heartbeat_at": job.heartbeat_at, "worker": job.worker,
        })
        if rerun:
            _rerun(job, actor=None)
    return True


def retry_task(job: Job, *, interrupted: bool = True) -> Task | None:
    """The task that runs `job` again with the same parameters, if it is interrupted and may be rerun."""
    if (interrupted and job.status != JobStatus.INTERRUPTED) or job.result.get("retried_as") or not job.task_path:
        return None
    try:
        found = import_string(job.task_path)
    except ImportError:  # the task was renamed or removed since
        return None
    if not isinstance(found, Task) or not getattr(found.func, "job_retryable", False):
        return None
    return found


def retry_job(*, actor, job: Job) -> Job:
    """Start an interrupted job again with its parameters, for the user who started it; the new job.

    The job's row is locked first, so two clicks at once start one run: the second gets the first's.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.actor_id is None or job.actor_id != getattr(actor, "pk", None):
            raise PermissionDenied
        if job.result.get("retried_as"):
            return Job.objects.get(pk=job.result["retried_as"])
        if retry_task(job) is None:
            raise PermissionDenied
        return _rerun(job, actor=actor)


def _rerun(job: Job, *, actor) -> Job:
    """Queue `job`'s task again with its parameters, for its owner (`actor` None: by the system)."""
    task = retry_task(job)
    again = start_job(actor=job.actor if actor is None else actor, kind=job.kind, title=job.title, task=task,
                      **job.params)
    Job.objects.filter(pk=again.pk).update(attempt=job.attempt + 1)
    again.attempt = job.attempt + 1
    job.result = {**job.result, "retried_as": again.pk}
    Job.objects.filter(pk=job.pk).update(result=job.result)
    record_change(actor=actor, action=AuditAction.JOB_RETRY, obj=job, changes={"retried_as": again})
    return again


def job_file(scope: Scope, pk) -> tuple[File, str]:
    """The open file of a finished job and its download name (only its owner or staff)."""
    job = get_visible_job(scope, pk)
    if job.status != JobStatus.SUCCEEDED or not job.file or not default_storage.exists(job.file):
        raise Http404("Công việc không có tệp kết quả (hoặc tệp đã được xóa sau 7 ngày).")
    if job.actor_id != scope.user_id and not scope.is_staff_member:
        raise PermissionDenied
    return default_storage.open(job.file, "rb"), job.file_name


def _queue_lost(job: Job, cutoff: datetime) -> bool:
    """Whether the queue says the job's task ended, or was picked up before `cutoff` and never started the job."""
    if not default_task_backend.supports_get_result:
        return False
    try:
        result = default_task_backend.get_result(job.task_id)
    except Exception:  # an unknown id or a backend without results: nothing to say
        return False
    if result.is_finished:
        return True
    picked = result.status == TaskResultStatus.RUNNING and result.started_at is not None
    return job.status == JobStatus.QUEUED and picked and result.started_at < cutoff


def _purge_old_files() -> None:
    """Delete the files of jobs that ended more than KEEP_FILES_FOR ago (exports are large)."""
    cutoff = timezone.now() - KEEP_FILES_FOR
    old = list(Job.objects.filter(finished_at__lt=cutoff).exclude(file="").values_list("pk", "file"))
    for _pk, name in old:
        default_storage.delete(name)
    Job.objects.filter(pk__in=[pk for pk, _name in old]).update(file="")


# -------------------------------------------------------------------------- a worker's reporter

class Reporter(threading.Thread):
    """A worker's reporting thread, with its own database connection (outside every job's transaction).

    It writes the latest progress of the worker's job (at most every PROGRESS_EVERY seconds), beats
    for the worker and its job every WORKER_BEAT_EVERY seconds, and every SWEEP_EVERY seconds marks
    the jobs whose worker is gone (`mark_stale_jobs`: each mark is conditional, so several workers
    sweeping at once mark, and rerun, a job once). Made by `start_reporting`.
    """

    def __init__(self, worker_id: str):
        super().__init__(name=f"job-reporter-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.current: int | None = None  # the job the worker is running
        self._pending: dict[int, dict] = {}
        self._lock = threading.Lock()  # guards _pending
        self._writing = threading.Lock()  # held while pending values are written: none lands after a job's end
        self._stopping = threading.Event()
        self._failing_since: float | None = None
        # SQLite has one writer at a time: progress written beside the work's transaction would only
        # wait for it, so there the work writes its own progress (between its transactions).
        self.writes_progress = connection.vendor != "sqlite"

    def report(self, job_pk: int, fields: dict) -> None:
        """Keep `fields` to write for the job (later values replace earlier ones); never waits on the database."""
        with self._lock:
            self._pending.setdefault(job_pk, {}).update(fields)

    def done_with(self, job_pk: int) -> None:
        """Write what is pending for the job now (the work has ended) and stop beating for it."""
        with self._writing:
            with self._lock:
                fields = self._pending.pop(job_pk, None)
                if self.current == job_pk:
                    self.current = None
            if fields:
                Job.objects.filter(pk=job_pk).update(**fields)

    def beat(self) -> None:
        """Say the worker (and its job) is alive."""
        now = timezone.now()
        JobWorker.objects.update_or_create(worker_id=self.worker_id, defaults={"beat_at": now}, create_defaults={
            "beat_at": now, "started_at": now, "host": socket.gethostname()[:255], "pid": os.getpid(),
        })
        current = self.current
        if current is not None:
            Job.objects.filter(pk=current, status=JobStatus.RUNNING).update(heartbeat_at=now)

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)

    def run(self) -> None:
        beaten = swept = time.monotonic()
        stale = settings.JOB_WORKER_STALE_AFTER.total_seconds()
        beat_every, sweep_every = min(WORKER_BEAT_EVERY, stale / 4), min(SWEEP_EVERY, stale)
        try:
            while not self._stopping.wait(min(PROGRESS_EVERY, beat_every)):
                now = time.monotonic()
                try:
                    self._flush()
                    if now - beaten >= beat_every:
                        beaten = now
                        self.beat()
                    if now - swept >= sweep_every:
                        swept = now
                        mark_stale_jobs()
                    self._failing_since = None
                except Exception:  # the database away (or, on SQLite, busy) for a moment: try again next turn
                    if self._failing_since is None:
                        self._failing_since = now
                    elif now - self._failing_since > stale:
                        logger.warning("The job reporter of worker %s cannot write", self.worker_id, exc_info=True)
                        self._failing_since = now
                    close_old_connections()
            self._flush()
        finally:
            connection.close()

    def _flush(self) -> None:
        with self._writing:
            with self._lock:
                pending, self._pending = self._pending, {}
            for job_pk, fields in pending.items():
                Job.objects.filter(pk=job_pk).update(**fields)


_reporter: Reporter | None = None


def start_reporting(worker_id: str) -> Reporter:
    """Make this process a worker that reports through a reporter thread: the worker's first beat, then the thread."""
    global _reporter
    reporter = Reporter(worker_id)
    reporter.beat()
    reporter.start()
    _reporter = reporter
    return reporter


def stop_reporting() -> None:
    """Write what is pending and end the reporter thread (the worker is stopping)."""
    global _reporter
    reporter, _reporter = _reporter, None
    if reporter is not None:
        reporter.stop()
