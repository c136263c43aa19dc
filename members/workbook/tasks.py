"""Workbook imports (after the preview) and exports as background jobs (core.jobs)."""
import tempfile

from django.core.files import File
from django.urls import reverse

from core.jobs import JobContext, JobFailed, job_task
from core.models import Role
from core.scope import scope_for
from vnformat import fmt_number

from .export import write_export
from .services import SUMMARY_HEAD, import_workbook
from .spec import SHEETS_BY_KEY
from .uploads import discard_upload, load_upload

IMPORT_KIND = "workbook.import"
EXPORT_KIND = "workbook.export"
EXPORT_ROLES = (Role.STAFF, Role.STANDING)


CHECK_KIND = "workbook.check"
SHOWN_PROBLEMS = 500  # a page lists this many problems of a file; the count says how many more


def _problems(problems) -> list[str]:
    shown = [str(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"… và {fmt_number(len(problems) - SHOWN_PROBLEMS)} lỗi khác (sửa các lỗi trên rồi tải lên lại).")
    return shown


def _summary(result) -> dict:
    return {"head": list(SUMMARY_HEAD), "rows": [list(row) for row in result.summary_rows()]}


@job_task(retryable=True)
def check_job(job: JobContext, *, token: str, filename: str) -> dict:
    """Check an uploaded workbook too large to check within a web request: the preview, as a job.

    Its page shows what the import would change and a button confirming it (import_job).
    """
    user_id = job.actor.pk if job.actor else 0
    content = load_upload(user_id=user_id, token=token)
    if content is None:
        raise JobFailed("Không tìm thấy tệp đã tải lên (đã hết hạn). Hãy tải tệp lên lại.")
    result = import_workbook(actor=job.actor, content=content, dry_run=True, filename=filename, progress=job.progress)
    if not result.ok:
        discard_upload(user_id=user_id, token=token)
        raise JobFailed(
            f"Tệp {filename} có {fmt_number(len(result.problems))} lỗi; không dữ liệu nào được ghi. "
            "Hãy sửa tệp rồi tải lên lại.",
            problems=_problems(result.problems),
        )
    if not result.changed:
        discard_upload(user_id=user_id, token=token)
        return {"message": f"Tệp {filename} không có thay đổi nào so với dữ liệu hiện có.", "table": _summary(result)}
    return {
        "message": f"Tệp {filename} hợp lệ: {fmt_number(result.changed)} thay đổi sẽ được ghi khi đồng chí xác nhận.",
        "table": _summary(result),
        "pending": {"token": token, "digest": result.digest, "filename": filename},
        "actions": [{
            "url": reverse("workbook:import"), "label": f"Xác nhận nhập {fmt_number(result.changed)} thay đổi",
            "fields": {"preview": job.job.pk},
        }],
    }


@job_task(retryable=True)
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
            problems=_problems(result.problems),
        )
    return {
        "message": f"Đã nhập tệp {filename}: {fmt_number(result.changed)} thay đổi.",
        "table": _summary(result),
        "links": [{"label": "Nhập tệp khác", "url": reverse("workbook:import")}],
    }


@job_task(retryable=True)
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
        "message": f"Đã xuất {fmt_number(counts['members'])} đảng viên, {fmt_number(counts['orgs'])} tổ chức đảng.",
        "table": {
            "head": ["Trang tính", "Số dòng"],
            "rows": [[SHEETS_BY_KEY[key].title, n] for key, n in counts.items()],
        },
    }
