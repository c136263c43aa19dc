"""PDFs are rendered from what the app holds: nothing is fetched from the network at run time."""
import subprocess

from reports.pdf import html_to_pdf, page_to_pdf


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_a_document_asking_for_outside_resources_renders_without_them():
    """An image or stylesheet from the internet is refused; the document still renders with the system fonts."""
    html = ('<html><head><link rel="stylesheet" href="https://cdn.example.com/x.css"></head><body>'
            '<article class="doc"><p>Đảng bộ xã Bình Lư</p><img src="http://example.com/logo.png"></article></body></html>')
    assert "Đảng bộ xã Bình Lư" in _text(html_to_pdf(html))


def test_a_print_page_gets_only_its_own_static_stylesheet():
    """A print-ready page's /static/ stylesheet is read from disk; any other URL is refused."""
    html = ('<html><head><link rel="stylesheet" href="/static/css/app.css">'
            '<link rel="stylesheet" href="https://fonts.example.com/font.css"></head>'
            '<body class="print-page"><main class="document"><h1 class="doc-title">BIÊN BẢN KIỂM PHIẾU</h1></main></body></html>')
    pdf = page_to_pdf(html)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "BIÊN BẢN KIỂM PHIẾU" in _text(pdf)
    assert "Liberation-Serif" in fonts or "LiberationSerif" in fonts  # app.css's print font, so it was applied
