"""The year-end report of a commune with seed 000's own counts: the sentences, footnotes and
figures it must print, in the document, in the PDF (pdftotext) and in the XLSX read back.

Seed 000 is internally inconsistent in two places; the dataset follows its footnotes (12 collectives
HTXSNV: 5 by block + 7 committees, where its sentence says 07; 11 leaders HTXSNV by fn 4, where its
sentence says 10). Its truncated percentages are printed rounded half up: 2/11 → 18,2% (seed 18,1%),
1/6 → 16,7% (seed 16,6%), 9/44 → 20,5% (seed 20,4%), 12/61 → 19,7% (seed 19,6%).
"""
import io
import re
import subprocess

import pytest
from django.utils.html import strip_tags
from openpyxl import load_workbook

from reports.compute import year_end_figures
from reports.data import report_scope
from reports.documents import new_report, year_end_document
from reports.render import year_end_markup, year_end_pdf
from reports.xlsx import year_end_workbook
from tests.reports.builders import build_seed000

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    """Text with every run of blanks (line ends included) made one space."""
    return " ".join(text.split())


@pytest.fixture
def seed(db):
    return build_seed000()


@pytest.fixture
def document(seed):
    scope = report_scope(seed.root)
    report = new_report(scope, 2025)
    report.quarters = "1/2026, 2/2026"
    report.signer_name = "Tạ Thị Dung"
    figures = year_end_figures(scope, 2025, report.quarters)
    return year_end_document(report, figures)


SENTENCES = [
    # 4.1 subjects
    "Cấp ủy các cấp đã hoàn thành đánh giá 33/33 tập thể cấp ủy, đạt 100% (09/09 tập thể đảng ủy, chi ủy cơ sở và "
    "24/24 tập thể chi ủy trực thuộc).",
    "Đối với tập thể lãnh đạo, quản lý 24/24 tập thể đã được tiến hành đánh giá, đạt tỷ lệ 100%.",
    "Đối với đảng viên, tổng số đảng viên tại thời điểm đánh giá là 882 đồng chí; có 808 đồng chí đã tham gia đánh giá, "
    "xếp loại, đạt tỷ lệ 91,6%; số lượng không tham gia đánh giá là 74 đồng chí, chiếm 8,4%; lý do: miễn công tác và "
    "sinh hoạt đảng 60 đồng chí; mới kết nạp dưới 06 tháng 14 đồng chí.",
    # 4.3 organisations
    "Đối với tổ chức cơ sở đảng: 10/10 đơn vị hoàn thành tốt nhiệm vụ trở lên, đạt 100%; trong đó có 02 đơn vị hoàn "
    "thành xuất sắc nhiệm vụ, chiếm 20%.",
    "Đối với chi bộ thuộc Đảng ủy xã: 44/44 chi bộ hoàn thành tốt nhiệm vụ trở lên, đạt 100%; trong đó có 09 chi bộ "
    "hoàn thành xuất sắc nhiệm vụ, chiếm 20,5%.",
    "Đối với chi bộ thuộc Đảng ủy cơ sở: 18/18 chi bộ hoàn thành tốt nhiệm vụ trở lên, đạt 100%; trong đó có 04 chi bộ "
    "hoàn thành xuất sắc nhiệm vụ, chiếm 22,2%.",
    # 4.3 collectives and committees, fn 3
    "Tổng số có 24/24 cơ quan, đơn vị và 33/33 tập thể cấp ủy được đánh giá, xếp loại đều đạt mức hoàn thành tốt nhiệm "
    "vụ trở lên, trong đó có 12 tập thể hoàn thành xuất sắc nhiệm vụ, chiếm 21,1%",
    "+ Khối cơ quan tham mưu, giúp việc Đảng ủy: 03 tập thể (có 01 đơn vị xuất sắc, chiếm 33,3%).",
    "+ Khối MTTQ và các tổ chức chính trị - xã hội: 05 tập thể (có 01 đơn vị xuất sắc, chiếm 20%).",
    "+ Khối cơ quan trực thuộc HĐND, UBND xã: 06 tập thể (có 01 đơn vị xuất sắc, chiếm 16,7%).",
    "+ Khối đơn vị sự nghiệp xã: 02 tập thể (đều hoàn thành tốt nhiệm vụ, không có đơn vị xuất sắc).",
    "+ Khối đơn vị sự nghiệp giáo dục: 08 tập thể (có 02 đơn vị xuất sắc, chiếm 25%).",
    "- Đối với tập thể cấp ủy: Đã hoàn thành đánh giá 33/33, đạt 100% cấp ủy, kết quả cụ thể:",
    "+ Tập thể đảng ủy, chi ủy cơ sở: Tổng số 09/09 tập thể được đánh giá hoàn thành tốt nhiệm vụ trở lên (có 02 tập "
    "thể xuất sắc, chiếm 22,2%).",
    "+ Tập thể chi ủy trực thuộc: Tổng số 24/24 tập thể được đánh giá hoàn thành tốt nhiệm vụ trở lên (có 05 tập thể "
    "xuất sắc, chiếm 20,8%).",
    # 4.3 leaders, fn 4
    "Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý có 03/03 đồng chí được đánh giá, xếp loại; trong đó, hoàn thành tốt "
    "nhiệm vụ trở lên 03 người, chiếm 100% (không có người hoàn thành xuất sắc nhiệm vụ)",
    "Cán bộ diện Ban Thường vụ Đảng ủy quản lý có 58/58 đồng chí được đánh giá, xếp loại; trong đó, hoàn thành tốt "
    "nhiệm vụ trở lên 57 người, chiếm 98,3% (gồm 11 người hoàn thành xuất sắc nhiệm vụ, chiếm 19,3%); không hoàn thành "
    "nhiệm vụ 01 người, chiếm 1,7%",
    "+ Đối với Ủy viên Ban Thường vụ Đảng ủy: 08/08 đồng chí hoàn thành tốt nhiệm vụ trở lên, trong đó có 02 đồng chí "
    "hoàn thành xuất sắc nhiệm vụ, chiếm 25%.",
    "+ Đối với Trưởng các phòng, ban và tương đương: 11/11 đồng chí hoàn thành tốt nhiệm vụ trở lên, trong đó có 02 "
    "đồng chí hoàn thành xuất sắc nhiệm vụ, chiếm 18,2%.",
    "+ Đối với Phó các phòng, ban và tương đương: Tổng số 15 đồng chí. Hoàn thành tốt nhiệm vụ trở lên: 14 đồng chí, "
    "chiếm 93,3%, trong đó có 03 đồng chí hoàn thành xuất sắc nhiệm vụ, chiếm 21,4%. Không hoàn thành nhiệm vụ: 01 "
    "đồng chí, chiếm 6,7%.",
    "+ Đối với Phó Hiệu trưởng các đơn vị trường học: 16/16 đồng chí hoàn thành tốt nhiệm vụ trở lên, trong đó có 02 "
    "đồng chí hoàn thành xuất sắc nhiệm vụ, chiếm 12,5%.",
    # 4.3 members
    "+ Xếp loại chất lượng đảng viên: Tổng số đảng viên tại thời điểm đánh giá là 882 đồng chí. Trong đó, có 808 đồng "
    "chí tham gia đánh giá, xếp loại, đạt 91,6%; 74 đồng chí không tham gia đánh giá, chiếm 8,4% (miễn công tác và sinh "
    "hoạt đảng 60 đồng chí; mới kết nạp dưới 06 tháng 14 đồng chí). Kết quả: Hoàn thành tốt nhiệm vụ trở lên 803/808, "
    "chiếm 99,4%; trong đó 139 hoàn thành xuất sắc nhiệm vụ, chiếm 17,3%; hoàn thành nhiệm vụ 04/808, chiếm 0,5%; "
    "không hoàn thành nhiệm vụ 01/808, chiếm 0,1%.",
    # 6 quarterly, fn 5–6
    "Trong quý I, II/2026, đã có 06 lượt cán bộ diện Ban Thường vụ Tỉnh ủy quản lý, 120 lượt cán bộ diện Ban Thường "
    "vụ Đảng ủy quản lý được tiến hành đánh giá, xếp loại.",
    "- Trong quý I/2026: Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý có 03/03 đồng chí được đánh giá, xếp loại; trong "
    "đó, hoàn thành tốt nhiệm vụ trở lên 03 người, chiếm 100% (gồm 02 người hoàn thành xuất sắc nhiệm vụ, chiếm 66,7%).",
    "Cán bộ diện Ban Thường vụ Đảng ủy quản lý có 59/59 đồng chí được đánh giá, xếp loại; trong đó, hoàn thành tốt "
    "nhiệm vụ trở lên 59 người, chiếm 100% (gồm 10 người hoàn thành xuất sắc nhiệm vụ, chiếm 16,9%)",
    "+ Ủy viên Ban Thường vụ Đảng ủy 08 đồng chí, trong đó: Hoàn thành xuất sắc nhiệm vụ 02, hoàn thành tốt nhiệm vụ 06.",
    "+ Trưởng, phó các cơ quan, đơn vị và tương đương 51 đồng chí, trong đó: Hoàn thành xuất sắc nhiệm vụ 08, hoàn "
    "thành tốt nhiệm vụ 43.",
    "Cán bộ diện Ban Thường vụ Đảng ủy quản lý có 61/61 đồng chí được đánh giá, xếp loại; trong đó, hoàn thành tốt "
    "nhiệm vụ trở lên 61 người, chiếm 100% (gồm 12 người hoàn thành xuất sắc nhiệm vụ, chiếm 19,7%)",
    "+ Trưởng, phó các cơ quan, đơn vị và tương đương 52 đồng chí, trong đó: Hoàn thành xuất sắc nhiệm vụ 10, hoàn "
    "thành tốt nhiệm vụ 42.",
]


def test_the_document_prints_seed_000s_sentences_with_consistent_figures(document):
    """The laid-out report (what the page and the PDF render) says each of seed 000's statistics sentences."""
    text = flat(strip_tags(year_end_markup(document)).replace("&amp;", "&"))
    missing = [s for s in SENTENCES if s not in text]
    assert not missing, missing


def test_the_document_does_not_print_seed_000s_inconsistent_figures(document):
    """Where seed 000 contradicts its own footnotes (07 collectives, 10 leaders), the report prints the sum."""
    text = flat(strip_tags(year_end_markup(document)))
    assert "trong đó có 07 tập thể hoàn thành xuất sắc nhiệm vụ" not in text
    assert "gồm 10 người hoàn thành xuất sắc nhiệm vụ, chiếm 17,5%" not in text
    assert "chiếm 18,1%" not in text and "chiếm 16,6%" not in text


def pdf_text(pdf: bytes, *options: str) -> str:
    result = subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.fixture
def pdf(document):
    return year_end_pdf(document)


PDF_PHRASES = [
    "BÁO CÁO",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG ỦY XÃ BÌNH LƯ",
    "Số -BC/ĐU",
    "Hoàn thành tốt nhiệm vụ trở lên 803/808, chiếm 99,4%",
    "139 hoàn thành xuất sắc nhiệm vụ, chiếm 17,3%",
    "có 808 đồng chí tham gia đánh giá, xếp loại, đạt 91,6%",
    "74 đồng chí không tham gia đánh giá, chiếm 8,4%",
    "trong đó có 09 chi bộ hoàn thành xuất sắc nhiệm vụ, chiếm 20,5%",
    "trong đó có 12 tập thể hoàn thành xuất sắc nhiệm vụ, chiếm 21,1%",
    # the footnotes, at the foot of their pages
    "+ Khối cơ quan trực thuộc HĐND, UBND xã: 06 tập thể (có 01 đơn vị xuất sắc, chiếm 16,7%).",
    "+ Đối với Trưởng các phòng, ban và tương đương: 11/11 đồng chí hoàn thành tốt nhiệm vụ trở lên",
    "đồng chí hoàn thành xuất sắc nhiệm vụ, chiếm 18,2%",
    "+ Ủy viên Ban Thường vụ Đảng ủy 08 đồng chí, trong đó: Hoàn thành xuất sắc nhiệm vụ 02, hoàn thành tốt nhiệm vụ 06.",
    "Nơi nhận:",
    "T/M BAN THƯỜNG VỤ",
    "PHÓ BÍ THƯ",
    "Tạ Thị Dung",
]


def test_the_pdf_text_holds_the_figures_and_the_footnotes(pdf):
    """pdftotext of the PDF finds the counts, "chiếm 17,3%", the footnotes and the signature block."""
    text = flat(pdf_text(pdf))
    missing = [p for p in PDF_PHRASES if p not in text]
    assert not missing, missing


def test_the_annex_table_prints_the_shares_the_text_prints(pdf):
    """The summary table's HTXSNV share of members is the text's 17,3% (of HTTNV or above), never 139/808."""
    text = flat(pdf_text(pdf))
    assert "PHỤ LỤC" in text
    assert text.count("17,3%") >= 2 and "17,2%" not in text


def test_the_pdf_puts_the_header_blocks_side_by_side(pdf):
    """In the page's layout, the issuing body and the party's name share the first line (two columns)."""
    first_lines = [line for line in pdf_text(pdf, "-layout", "-l", "1").splitlines() if line.strip()][:4]
    assert any("ĐẢNG ỦY XÃ BÌNH LƯ" in line and "ĐẢNG CỘNG SẢN VIỆT NAM" in line for line in first_lines), first_lines
    assert any("Số -BC/ĐU" in line and "Bình Lư, ngày" in line for line in first_lines), first_lines


def test_the_pdf_is_a4_in_liberation_serif_with_a_bold_title(pdf):
    """A4 pages (595 × 842 pt), the body in Liberation Serif and the title in its bold face, fonts embedded."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert re.search(r"LiberationSerif\b|Liberation-Serif\s", fonts)
    assert "Liberation-Serif-Bold" in fonts or "LiberationSerif-Bold" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())


def test_the_xlsx_read_back_holds_the_same_figures(document):
    """The workbook of the report holds the counts the text prints (members 882 / 808 / 139 / 803 …)."""
    book = load_workbook(io.BytesIO(year_end_workbook(document.figures)), data_only=True)
    summary = {row[1]: row for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True) if row[1]}
    members = summary["Đảng viên"]
    assert members[2:6] == (882, 808, 139, pytest.approx(139 / 803))
    assert members[7] == 803 and members[13] == 74
    assert summary["Tổ chức đảng"][2:5] == (72, 72, 15)
    assert summary["Tập thể lãnh đạo, quản lý"][4] + summary["Tập thể cấp ủy"][4] == 12
    leaders = {row[1]: row for row in book["Cán bộ"].iter_rows(min_row=4, values_only=True) if row[1]}
    assert leaders["Tổng cộng"][2:5] == (61, 61, 11)
    trưởng = next(v for k, v in leaders.items() if "Trưởng các phòng" in k)
    assert trưởng[2:6] == (11, 11, 2, pytest.approx(2 / 11))
    blocks = {row[1]: row for row in book["Tập thể lãnh đạo"].iter_rows(min_row=4, values_only=True) if row[1]}
    assert blocks["Khối cơ quan trực thuộc HĐND, UBND xã"][4] == 1
    sheet = book["Tổng hợp"]
    assert sheet.print_area and str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet["C4"].number_format == "#,##0" and sheet["F4"].number_format == "0.0%"





def test_the_xlsx_holds_the_sums_the_pdf_prints(document):
    """The sums the sentences print are cells too (issue 14): collectives and committees together
    (24/24 and 33/33, 12 HTXSNV, 21,1%), the commune-tier leaders (58/58, 57 HTTNV or above, 11 HTXSNV),
    each quarter's tiers (59 with 10 HTXSNV; 61 with 12) and each quarter (62; 64)."""
    book = load_workbook(io.BytesIO(year_end_workbook(document.figures)), data_only=True)
    summary = {row[1]: row for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True) if row[1]}
    both = summary["Tập thể lãnh đạo, quản lý và tập thể cấp ủy (cộng)"]
    assert both[2:6] == (57, 57, 12, pytest.approx(12 / 57)) and both[7] == 57
    assert book["Tổng hợp"].cell(row=4 + list(summary).index("Tập thể lãnh đạo, quản lý và tập thể cấp ủy (cộng)"),
                                 column=2).font.bold
    leaders = {row[1]: row for row in book["Cán bộ"].iter_rows(min_row=4, values_only=True) if row[1]}
    commune_tier = leaders["Cộng cán bộ diện Ban Thường vụ Đảng ủy quản lý"]
    assert commune_tier[2:5] == (58, 58, 11) and commune_tier[7] == 57 and commune_tier[11] == 1
    assert leaders["Cộng cán bộ diện Ban Thường vụ Tỉnh ủy quản lý"][2:5] == (3, 3, 0)
    quarters = {(row[0], row[2]): row for row in book["Hằng quý"].iter_rows(min_row=4, values_only=True) if row[2]}
    assert quarters[("1/2026", "Cộng cán bộ diện Ban Thường vụ Đảng ủy quản lý")][4:6] == (59, 10)
    assert quarters[("2/2026", "Cộng cán bộ diện Ban Thường vụ Đảng ủy quản lý")][4:6] == (61, 12)
    assert quarters[("1/2026", "Cộng quý 1/2026")][4:6] == (62, 12)
    assert quarters[("2/2026", "Cộng quý 2/2026")][4:6] == (64, 14)


def test_long_footnotes_never_leave_pages_nearly_empty():
    """A report's footnotes run to a dozen lines each (seed 000 fn 3–4). The text fills each page
    and flows on; a footnote may follow its call to the next page. The markup is the demo
    commune's 2025 report as the app laid it out: with a line-by-line footnote policy, WeasyPrint
    moved the calling lines on page after page and printed it as three pages of one or two lines."""
    from pathlib import Path

    from pypdf import PdfReader

    from reports.pdf import html_to_pdf, print_html

    markup = (Path(__file__).parent / "data" / "demo_year_end_2025.html").read_text(encoding="utf-8")
    pdf = html_to_pdf(print_html(markup, title="Báo cáo năm 2025"))
    lines = []
    for number in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1):
        text = pdf_text(pdf, "-layout", "-f", str(number), "-l", str(number))
        lines.append(sum(1 for line in text.splitlines() if line.strip()))
        if "Nơi nhận:" in text:
            break
    assert all(count >= 20 for count in lines[:-1]), f"lines on each page up to the signature: {lines}"
    text = flat(pdf_text(pdf))
    assert "+ Khối cơ quan trực thuộc HĐND, UBND xã: 06 tập thể (có 01 đơn vị xuất sắc, chiếm 16,7%)." in text
