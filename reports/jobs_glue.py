"""Long documents as background jobs (the job API of core/jobs.py, when it is there).

A document of more than LONG_ROWS rows (a province roll-up, summary sheets of hundreds of
members) is rendered by the worker; the page that asked shows the job's progress.
"""
from __future__ import annotations

LONG_ROWS = 300


def jobs_available() -> bool:
    try:
        import core.jobs  # noqa: F401
    except ImportError:
        return False
    return True


def is_long(rows: int) -> bool:
    """Whether a document of `rows` rows should render in the background."""
    return rows > LONG_ROWS and jobs_available()


def start_pdf_job(request, *, kind: str, year: int, params: dict, title: str):
    raise NotImplementedError
