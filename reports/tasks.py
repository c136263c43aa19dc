"""Long documents rendered by the background worker (core.jobs): a province roll-up, summary sheets
of hundreds of members. The job's page shows the steps, then offers the file."""
from __future__ import annotations

from core.jobs import JobContext, JobFailed, job_task
from orgs.models import PartyOrganization

from . import documents_cli

EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx"}


@job_task
def render_document_job(job: JobContext, *, document: str, year: int, fmt: str, quarter: int | None = None,
                        org_id: int | None = None, subject: str | None = None, years: int = 5,
                        filename: str = "") -> dict:
    """Render one document to a file kept on the job (its steps shown as progress)."""
    organization = None
    if org_id is not None:
        organization = PartyOrganization.objects.filter(pk=org_id).first()
        if organization is None:
            raise JobFailed("Tổ chức đảng của báo cáo không còn trong phần mềm.")
    try:
        content = documents_cli.render(document, year=year, quarter=quarter, organization=organization, subject=subject,
                                       years=years, fmt=fmt, progress=job.progress)
    except ValueError as exc:
        raise JobFailed(str(exc)) from exc
    job.attach_file(content, filename or f"{document}-{year}.{EXTENSIONS[fmt]}")
    return {"message": f"Đã tạo tệp {EXTENSIONS[fmt].upper()} ({len(content):,} byte).".replace(",", ".")}
