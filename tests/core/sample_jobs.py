"""Jobs the job machinery's tests run (importable by path, as the worker imports tasks)."""
import os
import time
import uuid

from django.db import transaction

from core.jobs import JobContext, JobFailed, job_task
from orgs.models import Block


@job_task(retryable=True)
def count_job(job: JobContext, *, rows: int) -> dict:
    """Count rows, reporting each; record what the job saw of itself."""
    job.progress(0, rows, "Đang đếm")
    for done in range(1, rows + 1):
        job.progress(done)
    return {"message": f"Đã đếm {rows} dòng.", "table": {"head": ["Việc", "Số"], "rows": [["Đếm", rows]]}}


@job_task
def refusing_job(job: JobContext, *, code: str) -> dict:
    """Write a block, then refuse with a reason: the block must not remain."""
    with transaction.atomic():
        Block.objects.create(code=code, name="Khối ghi dở")
        raise JobFailed("Dữ liệu không hợp lệ.", problems=["Dòng 2: thiếu tên."])


@job_task
def crashing_job(job: JobContext, *, code: str) -> dict:
    """Write a block, then fail unexpectedly: the block must not remain."""
    with transaction.atomic():
        Block.objects.create(code=code, name="Khối ghi dở")
        return {"message": str(1 // 0)}


@job_task
def file_job(job: JobContext, *, text: str) -> dict:
    """Keep a small file for download."""
    job.attach_file(text.encode(), "ket-qua.txt")
    return {"message": "Đã tạo tệp."}


@job_task
def waiting_job(job: JobContext, *, flag: str, rows: int = 10) -> dict:
    """Report half the rows done, then wait for `flag` (a file) to exist before finishing."""
    return _wait_for_flag(job, flag, rows)


def _wait_for_flag(job: JobContext, flag: str, rows: int) -> dict:
    job.progress(rows // 2, rows, "Đang chờ tín hiệu")
    deadline = time.monotonic() + 90
    while not os.path.exists(flag):
        if time.monotonic() > deadline:
            raise JobFailed("Không nhận được tín hiệu.")
        time.sleep(0.05)
    job.progress(rows)
    return {"message": "Đã nhận tín hiệu."}


@job_task
def tally_job(job: JobContext, *, label: str) -> dict:
    """Record this run of the job (a block named after the job; its code unique to the run)."""
    Block.objects.create(code=f"R-{uuid.uuid4().hex[:24]}", name=f"lần chạy của công việc {job.job.pk}")
    return {"message": f"Đã chạy {label}."}


@job_task(retryable=True)
def waiting_safe_job(job: JobContext, *, flag: str, rows: int = 10) -> dict:
    """As `waiting_job`, but safe to run again (nothing written): its worker gone, it is queued again."""
    return _wait_for_flag(job, flag, rows)
