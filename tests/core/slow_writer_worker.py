"""Run by the slowed-writer test in a process of its own: `db_worker` whose opening of a period
writes its ratings two at a time, 0.7 s apart, inside the one write transaction.

    DJANGO_SETTINGS_MODULE=tests.core.worker_settings python -m tests.core.slow_writer_worker [db_worker options]
"""
import sys
import time

import django


def main(args: list[str]) -> None:
    django.setup()
    from django.core.management import call_command

    from appraisal.process.periods import services
    from core.bulk import insert_rows

    def slow_insert_rows(model, rows, *, progress=None, **kwargs):
        for start in range(0, len(rows), 2):
            insert_rows(model, rows[start:start + 2], **kwargs)
            time.sleep(0.7)
            if progress is not None:
                progress(min(start + 2, len(rows)))
        return len(rows)

    services.insert_rows = slow_insert_rows
    call_command("db_worker", *args)


if __name__ == "__main__":
    main(sys.argv[1:])
