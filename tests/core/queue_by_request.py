"""Run by the worker's test in a process of its own: a request queues an export; a waiting job is queued.

    DJANGO_SETTINGS_MODULE=tests.core.worker_settings python -m tests.core.queue_by_request FLAG

Prints the two jobs' ids. The database must be migrated.
"""
import sys

import django


def main(flag: str) -> None:
    django.setup()
    from django.test import Client
    from django.urls import reverse

    from core.jobs import start_job
    from core.models import Job, Role
    from tests.core.sample_jobs import waiting_job
    from tests.factories import MemberFactory, OrgFactory, user_with_role

    MemberFactory(card_number="77700001", cell=OrgFactory(code="CB-W"))
    user = user_with_role(Role.STANDING, username="btv-worker")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("workbook:export"))
    assert response.status_code == 302, response.status_code
    export = Job.objects.get(kind="workbook.export")
    waiting = start_job(actor=user, kind="test.wait", title="Chờ tín hiệu", task=waiting_job, flag=flag)
    print(export.pk, waiting.pk)


if __name__ == "__main__":
    main(sys.argv[1])
