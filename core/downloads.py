"""Files offered for download: one way to build the response and its Content-Disposition.

Django builds the header (`content_disposition_header`, as `FileResponse` does). A Vietnamese
name ("quyet-dinh-50-QĐ-ĐU.pdf") is sent twice: an ASCII fallback in `filename=` for clients that
read only that, and the exact name in `filename*=utf-8''…` (RFC 6266), which Chromium, Firefox
and Safari save under. A header written by hand with a non-ASCII name came out MIME-encoded
(`=?utf-8?b?…?=`), which browsers do not read: the file downloaded as "download" or not at all.
"""
from __future__ import annotations

import io
import mimetypes
import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

_NOT_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ascii_name(filename: str) -> str:
    """The file name without marks, in ASCII: "Quyết định 50-QĐ/ĐU.pdf" → "Quyet-dinh-50-QD-DU.pdf"."""
    decomposed = unicodedata.normalize("NFD", filename.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _NOT_SAFE.sub("-", plain).strip("-.")
    return re.sub(r"-{2,}", "-", plain) or "tep"


def attachment_header(filename: str) -> str:
    """The Content-Disposition of a download: the ASCII name, and the exact one when it differs."""
    fallback = ascii_name(filename)
    header = content_disposition_header(True, fallback)
    if fallback != filename:
        # Django's own encoding of a name it cannot quote (RFC 5987), whatever the name holds.
        header += f"; filename*=utf-8''{quote(filename)}"
    return header


def file_download(content: bytes | io.IOBase, filename: str, content_type: str | None = None) -> HttpResponse:
    """A response that downloads `content` as `filename`: bytes made in the request, or an open
    binary file (a stored PDF, a job's file), which `FileResponse` streams."""
    kind = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=kind)
    else:
        response = FileResponse(content, as_attachment=True, filename=filename, content_type=kind)
    response["Content-Disposition"] = attachment_header(filename)
    return response
