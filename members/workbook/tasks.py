"""Workbook imports (after the preview) and exports as background jobs (core.jobs)."""
import tempfile

from django.core.files import File
from django.urls import reverse

from core.jobs import JobContext, JobFailed, job_task
from core.models import Role
from core.scope import scope_for
from core.vntext import thousands

from .export import write_export
from .services import SUMMARY_HEAD, import_workbook
from .spec import SHEETS_BY_KEY
from .uploads import discard_upload, load_upload

IMPORT_KIND = "workbook.import"
EXPORT_KIND = "workbook.export"
EXPORT_ROLES = (Role.STAFF, Role.STANDING)


@job_task
def import_job(job: JobContext, *, token: str, digest: str, filename: str) -> dict:
    """Apply a previewed workbook, all or nothing, if the data it changes has not moved since."""
    user_id = job.actor.pk if job.actor else 0
    content = load_upload(user_id=user_id, token=token)
    if content is None:
        raise JobFailed("Không tìm thấy tệp đã xem trước (đã hết hạn hoặc đã nhập). Hãy tải tệp lên lại.")
    try:
        result = import_workbook(
            actor=job.actor, content=content, expected_digest=digest, filename=filename, progress=job.progress,
        )
    finally:
        discard_upload(user_id=user_id, token=token)
    if not result.applied:
        raise JobFailed(
            f"Không nhập được tệp {filename}: không dữ liệu nào được ghi.",
            problems=[str(p) for p in result.problems],
        )
    return {
        "message": f"Đã nhập tệp {filename}: {thousands(result.changed)} thay đổi.",
        "table": {"head": list(SUMMARY_HEAD), "rows": [list(row) for row in result.summary_rows()]},
        "links": [{"label": "Nhập tệp khác", "url": reverse("workbook:import")}],
    }


@job_task
def export_job(job: JobContext, *, filename: str) -> dict:
    """Write the data the user may see to a workbook they download from the job's page."""
    scope = scope_for(job.actor)
    if not scope.has_role(*EXPORT_ROLES):
        raise JobFailed("Tài khoản không còn quyền xuất dữ liệu.")
    with tempfile.TemporaryFile() as tmp:
        counts = write_export(tmp, scope, progress=job.progress)
        job.progress(step="Đang lưu tệp")
        tmp.seek(0)
        job.attach_file(File(tmp), filename)
    return {
        "message": f"Đã xuất {thousands(counts['members'])} đảng viên, {thousands(counts['orgs'])} tổ chức đảng.",
        "table": {
            "head": ["Trang tính", "Số dòng"],
            "rows": [[SHEETS_BY_KEY[key].title, n] for key, n in counts.items()],
        },
    }
