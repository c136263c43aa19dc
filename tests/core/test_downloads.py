"""Downloads: Django builds the Content-Disposition, with an ASCII fallback beside a Vietnamese name."""
import email.utils
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.downloads import ascii_name, attachment_header, file_download


@pytest.mark.parametrize(("name", "fallback"), [
    ("quyet-dinh-50-QĐ-ĐU.pdf", "quyet-dinh-50-QD-DU.pdf"),
    ("Biên bản kiểm phiếu.pdf", "Bien-ban-kiem-phieu.pdf"),
    ("bao-cao-2025.pdf", "bao-cao-2025.pdf"),
    ("Quyết định số 01/QĐ.xlsx", "Quyet-dinh-so-01-QD.xlsx"),
    ("ĐẢNG ỦY.pdf", "DANG-UY.pdf"),
    ("…", "tep"),
])
def test_the_fallback_name_is_the_name_without_marks(name, fallback):
    """Marks are dropped, đ/Đ become d/D, anything else outside [A-Za-z0-9._-] becomes one dash."""
    assert ascii_name(name) == fallback


def _filename_star(header: str) -> str:
    part = next(p for p in header.split("; ") if p.startswith("filename*="))
    return unquote(part.removeprefix("filename*=utf-8''"))


def test_a_vietnamese_name_is_sent_exactly_and_as_ascii():
    """`filename=` holds the ASCII fallback, `filename*=` (RFC 6266) the exact name; no MIME-encoded word."""
    header = attachment_header("quyet-dinh-50-QĐ-ĐU.pdf")
    assert header.startswith('attachment; filename="quyet-dinh-50-QD-DU.pdf"; ')
    assert _filename_star(header) == "quyet-dinh-50-QĐ-ĐU.pdf"
    assert "=?utf-8?" not in header
    header.encode("ascii")  # the whole header is ASCII, so no server or proxy re-encodes it


def test_an_ascii_name_is_sent_once():
    assert attachment_header("bao-cao-2025.pdf") == 'attachment; filename="bao-cao-2025.pdf"'


@given(st.text(min_size=1, max_size=60))
def test_any_name_gives_an_ascii_header_that_holds_it(name):
    """Whatever a document number holds, the header is ASCII and gives the name back."""
    header = attachment_header(name)
    header.encode("ascii")
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback and fallback == ascii_name(name)
    if "filename*=" in header:
        assert _filename_star(header) == name
    else:
        assert email.utils.unquote(f'"{fallback}"') == name


def test_bytes_download_with_the_type_and_the_header():
    response = file_download(b"%PDF-1.7", "Quyết định.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7"
    assert _filename_star(response["Content-Disposition"]) == "Quyết định.pdf"


def test_no_view_writes_the_header_by_hand():
    """Every download goes through core.downloads (a header written by hand broke Vietnamese names)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root)) for app in ("accounts", "appraisal", "core", "demo", "members", "orgs", "reports")
        for path in (root / app).rglob("*.py")
        if path.name != "downloads.py" and '["Content-Disposition"]' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
