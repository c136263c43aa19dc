"""`manage.py db_worker`: django-tasks-db's worker, which reports and beats from a thread of its own.

This command takes the place of django-tasks-db's own (core is listed before django_tasks_db in
INSTALLED_APPS, and Django runs the command of the first app that has one). It adds: first, a
sweep marking the jobs a stopped worker left running; then, for as long as the worker runs, its
reporter thread (core.jobs.Reporter: the jobs' progress written outside their transactions, the
worker's beat, a sweep every half minute that reruns or marks the jobs of workers gone).
"""
import os
import signal

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.jobs import mark_stale_jobs, start_reporting, stop_reporting
from core.models import JobWorker


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + "; first mark interrupted the jobs whose worker stopped (core.jobs)"

    def handle(self, *args, **options) -> None:
        marked = mark_stale_jobs()
        if marked and options.get("verbosity", 1):
            self.stdout.write(f"Marked {len(marked)} job(s) interrupted: {', '.join(str(job.pk) for job in marked)}")
        # With --reload the first process only watches the files; the one it starts runs the jobs.
        runs_jobs = not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        worker_id = options["worker_id"]
        if runs_jobs:
            start_reporting(worker_id)
        try:
            super().handle(*args, **options)
        finally:
            if runs_jobs:
                # A second SIGTERM (a process group and its supervisor both signalling) waits for the goodbye.
                for sig in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(sig, signal.SIG_IGN)
                stop_reporting()
                JobWorker.objects.filter(worker_id=worker_id).delete()
