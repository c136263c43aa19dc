"""HTML to PDF with WeasyPrint: the print stylesheet from static/, system fonts, nothing fetched."""
from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class FetchRefused(ValueError):
    """A document asked for an outside resource; documents are self-contained."""


def _no_fetch(url: str, *args, **kwargs):
    raise FetchRefused(f"Tài liệu không được tải tài nguyên bên ngoài: {url[:80]}")


@cache
def print_css_text() -> str:
    """The print stylesheet (static/css/print.css), read once."""
    path = finders.find("css/print.css")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def print_html(body: str, *, title: str) -> str:
    """A whole HTML page around a document's markup, as WeasyPrint renders it."""
    return render_to_string("reports/print.html", {"body": mark_safe(body), "title": title})  # noqa: S308


def html_to_pdf(html: str) -> bytes:
    """Render self-contained HTML to PDF bytes (A4, Liberation Serif, the print stylesheet)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(string=print_css_text(), font_config=fonts, url_fetcher=_no_fetch)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[css], font_config=fonts)
