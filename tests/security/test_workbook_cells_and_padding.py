"""Issue 15's last workbook findings: a TRUE/FALSE cell stored as "Có" in a name, and a sheet of
megabytes of blanks read to the end. A text column takes text or a number, nothing else; a sheet
whose XML is far larger than its rows is refused before any row is parsed."""
import datetime as dt
import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.xlsx import SHEET_BASE_BYTES, SHEET_BYTES_PER_ROW, xlsx_problem
from members.models import Member
from members.workbook.cells import CellError, convert, converter, to_plain_text
from members.workbook.services import import_workbook
from members.workbook.spec import MEMBERS, TEXT
from members.workbook.writer import build_workbook
from reports.models import ImportedResult
from reports.results_import import RESULT_COLUMNS, run_import
from tests.members.test_workbook_samples import sample_data

MEMBERS_PART = "xl/worksheets/sheet5.xml"  # 'Đảng viên' in the workbook the app writes


def _sample_with(cell_value) -> bytes:
    """The members sample with the first member's «Họ và tên» replaced by `cell_value`."""
    book = load_workbook(io.BytesIO(build_workbook(sample_data())))
    sheet = book["Đảng viên"]
    header_row = next(r for r in sheet.iter_rows() if any(c.value == "Họ và tên" for c in r))
    column = next(c.column for c in header_row if c.value == "Họ và tên")
    target = next(r for r in sheet.iter_rows(min_row=header_row[0].row + 1) if r[column - 1].value)
    target[column - 1].value = cell_value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), target[0].row


def _rezip(content: bytes, part: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == part else source.read(info))
    return out.getvalue()


def test_the_boolean_cell_is_written_as_a_boolean():
    """The file these tests build holds a real t="b" cell, as the security run's did."""
    content, _row = _sample_with(True)
    assert b't="b"' in zipfile.ZipFile(io.BytesIO(content)).read(MEMBERS_PART)


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "why"), [
    (True, "là ô Đúng/Sai (TRUE)"),
    (False, "là ô Đúng/Sai (FALSE)"),
    (dt.datetime(2024, 5, 1), "là ô ngày giờ"),
])
def test_a_name_that_is_not_text_is_refused_at_its_cell(value, why):
    """The row and the column are named; no member is written (formerly stored as "Có")."""
    content, row = _sample_with(value)
    result = import_workbook(actor=None, content=content, dry_run=False)
    messages = [str(p) for p in result.problems]
    assert any(f"dòng {row}" in m and "Họ và tên" in m and why in m for m in messages), messages
    assert not Member.objects.exists()


def test_a_card_number_written_as_a_number_is_still_text():
    """A number in a text column is the number written as text (no ".0"): «Số thẻ đảng viên» 12345678."""
    card = next(c for c in MEMBERS.columns if c.key == "card_number")
    assert card.kind == TEXT
    assert converter(card)(12345678.0) == convert(card, 12345678.0) == "12345678"
    with pytest.raises(CellError, match="Đúng/Sai"):
        converter(card)(True)


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                 st.booleans(), st.dates(), st.datetimes(), st.times()))
def test_a_text_cell_is_text_or_a_number_and_nothing_else(value):
    if isinstance(value, (bool, dt.date, dt.time)):
        with pytest.raises(CellError):
            to_plain_text(value)
    else:
        assert isinstance(to_plain_text(value), str)


@pytest.mark.django_db
def test_the_results_import_refuses_a_boolean_name():
    book = Workbook()
    book.active.append([c.header for c in RESULT_COLUMNS])
    values = {"year": 2022, "subject": "Đảng viên", "org_code": "X", "name": True, "card": "1", "level": "HTTNV"}
    book.active.append([values.get(c.key) for c in RESULT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    outcome = run_import(content=out.getvalue(), kind="subjects", file_name="x.xlsx", commit=True)
    assert not outcome.ok
    assert any("là ô Đúng/Sai (TRUE)" in p for p in outcome.problems), outcome.problems
    assert not ImportedResult.objects.exists()


def _padded(blank_bytes: int) -> bytes:
    """The members sample with `blank_bytes` of whitespace inside its members sheet's XML."""
    content = build_workbook(sample_data())
    sheet = zipfile.ZipFile(io.BytesIO(content)).read(MEMBERS_PART)
    return _rezip(content, MEMBERS_PART, sheet.replace(b"</sheetData>", b" " * blank_bytes + b"</sheetData>"))


@pytest.mark.django_db
def test_a_sheet_of_blanks_is_refused_before_parsing_naming_sheet_and_size():
    """8 MB of blanks around a few rows (the run's file had 60 MB): refused, naming «Đảng viên» and 9 MB."""
    content = _padded(8 * 1024 * 1024)
    assert len(content) < 100_000  # blanks compress to almost nothing
    message = xlsx_problem(content, name="du-lieu.xlsx")
    assert message == (
        "Tệp 'du-lieu.xlsx' bị từ chối: trang tính «Đảng viên» có 9 MB nội dung mà quá ít dòng dữ liệu "
        "(tối đa 64 KB cho mỗi dòng). Hãy xoá phần thừa hoặc lưu lại tệp bằng Excel."
    )
    result = import_workbook(actor=None, content=content, filename="du-lieu.xlsx", dry_run=False)
    assert [str(p) for p in result.problems] == [message]
    assert not Member.objects.exists()


def test_a_little_padding_is_read_as_usual():
    """Under the base allowance (1 MB) a sheet is never counted; the sample reads."""
    assert xlsx_problem(_padded(SHEET_BASE_BYTES // 2)) is None


def test_a_large_sheet_with_rows_to_match_is_accepted():
    """3 MB of real rows (about 50 KB each, the widest an import reads) is not taken for padding."""
    book = Workbook()
    long_text = "Nguyễn Văn Ấn " * 3500  # about 50 KB of UTF-8 per row once written
    for i in range(60):
        book.active.append([f"{i:08d}", long_text])
    out = io.BytesIO()
    book.save(out)
    sheet_size = zipfile.ZipFile(io.BytesIO(out.getvalue())).getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_size > SHEET_BASE_BYTES + 20 * SHEET_BYTES_PER_ROW  # large enough for the rows to be counted
    assert xlsx_problem(out.getvalue()) is None


def test_rows_are_counted_across_chunk_boundaries():
    """Row tags cut by the 1 MB read chunks are neither lost nor counted twice."""
    from core.xlsx import _count_rows

    rows = b"".join(b'<row r="%d"><c/></row>' % i for i in range(1, 200_001))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + rows + b"</sheetData>")
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        entry = archive.getinfo("xl/worksheets/sheet1.xml")
        assert _count_rows(archive, entry, 10**9) == len(re.findall(rb"<row ", rows)) == 200_000


def _trial_book(*, far_cell: str | None = None, dimension: str | None = None) -> bytes:
    """A two-row trial table, with a cell far away and/or its <dimension> rewritten."""
    book = Workbook()
    book.active.title = "Chạy thử"
    book.active.append(["Họ và tên", "Mức"])
    book.active.append(["Nguyễn Văn An", "HTTNV"])
    if far_cell:
        book.active[far_cell] = "x"
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    if dimension is not None:
        sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
        sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', dimension.encode(), sheet)
        content = _rezip(content, "xl/worksheets/sheet1.xml", sheet)
    return content


def test_trial_table_declaring_a_million_rows_is_refused_before_reading():
    from appraisal.trial import run as trial

    content = _trial_book(dimension='<dimension ref="A1:B1048576"/>')
    with pytest.raises(trial.TableError) as caught:
        trial.xlsx_rows(content)
    assert caught.value.messages == [
        "Trang tính «Chạy thử» khai báo 1048576 dòng, quá giới hạn 2000 dòng của một lần chạy thử. Hãy xoá các dòng thừa."
    ]


def test_trial_table_with_a_far_cell_and_no_dimension_stops_at_the_line_limit():
    from appraisal.trial import run as trial

    content = _trial_book(far_cell="A1048576", dimension="")
    with pytest.raises(trial.TableError, match="«Chạy thử» có dữ liệu quá dòng 2200"):
        trial.xlsx_rows(content)


def test_trial_table_with_a_far_column_reads_only_its_columns():
    """A cell at XFD1 is never read (16 384 columns per row would be a slow loop); the rows are."""
    from appraisal.trial import run as trial

    rows = trial.xlsx_rows(_trial_book(far_cell="XFD1"))
    assert [cells[:2] for _n, cells in rows] == [["Họ và tên", "Mức"], ["Nguyễn Văn An", "HTTNV"]]
    assert all(len(cells) <= trial.MAX_COLUMNS for _n, cells in rows)


def _grid_upload(client, commune, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("appraisal:grid_upload", args=[commune.period.pk, commune.village.pk])
    return client.post(url, {"tep": SimpleUploadedFile("cham-diem.xlsx", content)})


@pytest.fixture
def grid(client, db):
    """The test commune's grid as its secretary downloads it."""
    from django.urls import reverse

    from tests.appraisal.workflow import build_commune, open_year

    commune = build_commune()
    open_year(commune)
    client.force_login(commune.users["secretary"])
    content = client.get(reverse("appraisal:grid_download", args=[commune.period.pk, commune.village.pk])).content
    return commune, content


def test_grid_upload_with_a_superscript_id_is_a_located_message(client, grid):
    """'²' passes str.isdigit() but not int(): the row is named, not taken for a broken file."""
    from appraisal.models import CriterionScore
    from appraisal.process.grid.xlsx import ID_HEADER, SHEET

    commune, content = grid
    book = load_workbook(io.BytesIO(content))
    sheet = book[SHEET]
    header_row = next(r for r in sheet.iter_rows() if any(c.value == ID_HEADER for c in r))
    column = next(c.column for c in header_row if c.value == ID_HEADER)
    sheet.cell(row=header_row[0].row + 1, column=column).value = "²"
    out = io.BytesIO()
    book.save(out)
    response = _grid_upload(client, commune, out.getvalue())
    assert response.status_code == 400
    assert f"dòng {header_row[0].row + 1}: mã phiếu «²» không thuộc bảng chấm điểm này" in response.content.decode()
    assert not CriterionScore.objects.exists()


def test_grid_upload_with_a_far_cell_and_no_dimension_stops_at_the_row_limit(client, grid):
    from appraisal.process.grid.xlsx import MAX_ROWS, SHEET

    commune, content = grid
    book = load_workbook(io.BytesIO(content))
    book[SHEET]["A1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(content))
    part = next(n for n in archive.namelist() if n.startswith("xl/worksheets/") and b"A1048576" in archive.read(n))
    content = _rezip(content, part, re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", archive.read(part)))
    response = _grid_upload(client, commune, content)
    assert response.status_code == 400
    assert f"Trang tính «{SHEET}» có dữ liệu quá dòng {MAX_ROWS}" in response.content.decode()
