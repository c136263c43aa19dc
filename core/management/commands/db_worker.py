"""`manage.py db_worker`: django-tasks-db's worker, which first marks the jobs a stopped worker left running.

This command takes the place of django-tasks-db's own (core is listed before django_tasks_db in
INSTALLED_APPS, and Django runs the command of the first app that has one); it only adds the sweep.
"""
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.jobs import mark_stale_jobs


class Command(DatabaseWorkerCommand):
    help = DatabaseWorkerCommand.help + "; first mark interrupted the jobs whose worker stopped (core.jobs)"

    def handle(self, *args, **options) -> None:
        marked = mark_stale_jobs()
        if marked and options.get("verbosity", 1):
            self.stdout.write(f"Marked {len(marked)} job(s) interrupted: {', '.join(str(job.pk) for job in marked)}")
        super().handle(*args, **options)
