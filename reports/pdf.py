"""HTML to PDF with WeasyPrint: the print stylesheet from static/, system fonts, nothing fetched."""
from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class FetchRefused(ValueError):
    """A document asked for an outside resource; documents are self-contained."""


@cache
def _fetchers():
    """WeasyPrint's URL fetchers: one refusing everything, one serving only our static files."""
    from urllib.parse import urlparse

    from django.conf import settings
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NoFetch(URLFetcher):
        def fetch(self, url, headers=None):
            raise FetchRefused(f"Tài liệu không được tải tài nguyên bên ngoài: {url[:80]}")

    class StaticOnly(NoFetch):
        """A page's own stylesheet, read from the static files on disk; nothing from the network."""

        def fetch(self, url, headers=None):
            path = urlparse(url).path
            prefix = "/" + settings.STATIC_URL.lstrip("/")
            found = finders.find(path[len(prefix):]) if path.startswith(prefix) else None
            if not found:
                return super().fetch(url, headers)
            with open(found, "rb") as handle:
                body = handle.read()
            kind = "text/css" if found.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    return NoFetch(), StaticOnly()


@cache
def print_css_text() -> str:
    """The print stylesheet (static/css/print.css), read once."""
    path = finders.find("css/print.css")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def print_html(body: str, *, title: str, proof=None) -> str:
    """A whole HTML page around a document's markup, as WeasyPrint renders it; an issued document
    ends with its verification code and QR (`proof`, core.issued.ProofFooter)."""
    return render_to_string("reports/print.html", {"body": mark_safe(body), "title": title, "proof": proof})  # noqa: S308


def html_to_pdf(html: str, *, attachments: tuple[tuple[str, bytes], ...] = ()) -> bytes:
    """Render self-contained HTML to PDF bytes (A4, Liberation Serif, the print stylesheet); files
    (name, content) are embedded in the PDF (an issued report's figures: reports.package)."""
    import io

    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    no_fetch, _ = _fetchers()
    fonts = FontConfiguration()
    css = CSS(string=print_css_text(), font_config=fonts, url_fetcher=no_fetch)
    files = [Attachment(file_obj=io.BytesIO(content), name=name, url_fetcher=no_fetch) for name, content in attachments]
    return HTML(string=html, url_fetcher=no_fetch).write_pdf(stylesheets=[css], font_config=fonts,
                                                             attachments=files or None)


def page_to_pdf(html: str) -> bytes:
    """Render a print-ready page of the app (its own stylesheet, served from static files) to PDF."""
    from weasyprint import HTML

    _, static_only = _fetchers()
    return HTML(string=html, base_url="http://localhost/", url_fetcher=static_only).write_pdf()
