"""Long work of the rating process as background jobs (core.jobs): opening a period."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from appraisal.process.periods.services import period_open
from core.bulk import refresh_statistics
from core.jobs import JobContext, JobFailed, job_task
from vnformat import fmt_number

from .models import Exclusion, Period, Rating, SubjectType

OPEN_KIND = "period.open"
# An opening that writes this many ratings refreshes the table's statistics afterwards.
ANALYZE_AFTER_ROWS = 10_000


@job_task(retryable=True)
def open_period_job(job: JobContext, *, period_id: int) -> dict:
    """Open a period (or open it again): a rating for every subject, the excluded with reasons."""
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise JobFailed("Không tìm thấy kỳ đánh giá.")
    try:
        result = period_open(actor=job.actor, period=period, progress=job.progress)
    except PermissionDenied as exc:
        raise JobFailed("Tài khoản không còn quyền mở kỳ đánh giá.") from exc
    except ValidationError as exc:
        raise JobFailed(f"Không mở được kỳ đánh giá {period}.", problems=exc.messages) from exc
    if result.total >= ANALYZE_AFTER_ROWS:
        refresh_statistics(Rating)
    rows = [[SubjectType(t).label, n] for t, n in result.created.items()]
    rows += [[f"— không xếp loại: {Exclusion(code).label}", n] for code, n in result.excluded.items()]
    return {
        "message": f"Đã mở kỳ đánh giá {period}: thêm {fmt_number(result.total)} phiếu xếp loại.",
        "table": {"head": ["Đối tượng", "Số phiếu"], "rows": rows},
        "links": [{"label": f"Xem kỳ đánh giá {period}", "url": reverse("appraisal:period_detail", args=[period.pk])}],
    }
