"""Long documents as background jobs (core.jobs): a roll-up over several communes, summary sheets
of more than LONG_ROWS rows. The page that asked redirects to the job's page (progress, then the file)."""
from __future__ import annotations

from django.shortcuts import redirect

from core.jobs import start_job

LONG_ROWS = 300


def is_long(rows: int) -> bool:
    """Whether a list of `rows` rows is long enough to render in the background."""
    return rows > LONG_ROWS


def start_document_job(request, *, kind: str, title: str, year: int, fmt: str, filename: str, **params):
    """Queue the rendering of a document and send the user to the job's page."""
    from .tasks import render_document_job

    job = start_job(actor=request.user, kind=f"report.{kind}", title=title, task=render_document_job,
                    document=kind, year=year, fmt=fmt, filename=filename, **params)
    return redirect(job)
