"""Render documents to HTML markup, PDF and XLSX from their laid-out structures."""
from __future__ import annotations

from django.template.loader import render_to_string

from .documents import YearEndDocument
from .pdf import html_to_pdf, print_html


def year_end_markup(doc: YearEndDocument) -> str:
    """The document's markup (the <article>), as the preview page and the PDF show it."""
    return render_to_string("reports/_year_end_document.html", {"doc": doc})


def year_end_pdf(doc: YearEndDocument, *, proof=None, attachments: tuple[tuple[str, bytes], ...] = ()) -> bytes:
    return html_to_pdf(print_html(year_end_markup(doc), title=f"Báo cáo năm {doc.figures.year}", proof=proof),
                       attachments=attachments)
