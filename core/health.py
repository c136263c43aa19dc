"""`/suc-khoe/`: whether this deployment can serve — its database answers and a background worker lives.

For a load balancer or a monitor: no sign-in, JSON, 200 when both hold, 503 (saying which
failed) when either does not. A worker is alive while its reporter beats (core.jobs.Reporter,
every few seconds) within JOB_WORKER_STALE_AFTER.
"""
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Job, JobStatus, JobWorker


@never_cache
@require_GET
def health(request):
    """The database's answer time, the live workers and the waiting jobs; 503 if one is missing."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database_ms = round((time.perf_counter() - started) * 1000, 1)
        now = timezone.now()
        workers = JobWorker.objects.filter(beat_at__gte=now - settings.JOB_WORKER_STALE_AFTER).count()
        waiting = Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at").values_list("created_at", flat=True)
        queued = waiting.count()
        oldest = waiting.first()
    except DatabaseError:
        return JsonResponse({"ok": False, "database": False, "workers": None,
                             "message": "Không kết nối được cơ sở dữ liệu."}, status=503)
    problems = [] if workers else ["Không có tiến trình nền nào đang chạy (manage.py db_worker)."]
    return JsonResponse({
        "ok": not problems, "database": True, "database_ms": database_ms, "workers": workers,
        "jobs_queued": queued, "oldest_queued_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "message": " ".join(problems) or "Cơ sở dữ liệu và tiến trình nền đều hoạt động.",
    }, status=200 if not problems else 503, json_dumps_params={"ensure_ascii": False})
