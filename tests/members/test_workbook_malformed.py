"""Malformed workbooks: each gets a Vietnamese message naming the file, sheet, row and column where
there is one, changes nothing, and never ends in a 500 (each of these was a 500 on upload)."""
import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry, Role
from members.models import Member
from members.workbook.services import import_workbook
from members.workbook.writer import build_workbook
from orgs.models import PartyOrganization
from tests.factories import user_with_role
from tests.members.test_workbook_samples import edited, sample_data

pytestmark = pytest.mark.django_db
NAME = "du-lieu.xlsx"
SAVE_AGAIN = "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx."
MEMBERS_PART = "xl/worksheets/sheet5.xml"  # 'Đảng viên' in the workbook the app writes
ENGLISH_CLASS = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception|File)\b")


def _sample() -> bytes:
    return build_workbook(sample_data())


def _rezip(content: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The archive with some parts replaced (bytes) or left out (None)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in parts:
                if parts[info.filename] is not None:
                    target.writestr(info.filename, parts[info.filename])
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def _member_sheet(content: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(content)).read(MEMBERS_PART)


def _refused(content: bytes, client) -> list[str]:
    """Upload the file as staff: the preview page (not a 500) lists the problems; nothing is written."""
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    audit_before = AuditEntry.objects.count()
    response = client.post(reverse("workbook:import"), {"file": SimpleUploadedFile(NAME, content)})
    assert response.status_code == 200
    assert "token" not in response.context
    problems = [str(p) for p in response.context["result"].problems]
    assert problems
    assert not PartyOrganization.objects.exists() and not Member.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    for message in problems:
        assert not ENGLISH_CLASS.search(message), message
    return problems


def test_the_part_these_tests_damage_is_the_members_sheet():
    """The undamaged sample reads, and MEMBERS_PART holds its members."""
    assert b"00012345" in _member_sheet(_sample())
    assert import_workbook(actor=None, content=_sample(), dry_run=True).ok


def test_a_cell_at_xfd1048576_is_refused_before_loading(client):
    """A 17 KB file claiming a cell at XFD1048576: refused by its declared extent, in little memory."""
    content = edited(_sample(), {"Đảng viên": {"XFD1048576": "x"}})
    assert len(content) < 40_000

    tracemalloc.start()
    try:
        problems = _refused(content, client)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert problems == [
        "Trang tính 'Đảng viên': trang tính khai báo vùng dữ liệu tới ô XFD1048576 (1.048.576 dòng, 16.384 cột), "
        "vượt giới hạn của mẫu nhập (200.000 dòng dữ liệu, 64 cột). "
        "Hãy xóa các dòng, cột thừa (hoặc chép dữ liệu sang tệp mới) rồi tải lên lại"
    ]
    assert peak < 50 * 1024 * 1024


def test_a_far_cell_without_a_declared_extent_is_refused_by_the_actual_extent(client):
    """The same cell with the sheet's <dimension> removed: reading stops at the row limit."""
    sheet = _member_sheet(_sample())
    sheet = re.sub(rb"<dimension [^>]*/>", b"", sheet)
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')

    problems = _refused(_rezip(_sample(), {MEMBERS_PART: sheet}), client)

    assert problems == [
        "Trang tính 'Đảng viên', dòng 200002: trang tính có quá 200.000 dòng dữ liệu "
        "(giới hạn của mẫu nhập); hãy chia thành nhiều tệp"
    ]


@pytest.mark.parametrize("offset", [0.3, 0.5, 0.7, 0.9])
def test_a_byte_flipped_zip_is_a_clear_error(client, offset):
    """Damaged compressed data (zlib.error, a bad CRC) names the file; nothing is written."""
    content = bytearray(_sample())
    start = content.index(MEMBERS_PART.encode()) + len(MEMBERS_PART)
    position = start + int(1000 * offset)
    for i in range(position, position + 8):
        content[i] ^= 0xFF

    problems = _refused(bytes(content), client)

    assert problems == [f"Tệp '{NAME}' không đọc được như bảng tính Excel (.xlsx): tệp nén bị hỏng, không giải nén được. {SAVE_AGAIN}"]


def test_invalid_xml_names_the_file_sheet_and_row(client):
    """XML cut short (a ParseError) after the sheet's last good row: where it broke, and why."""
    broken = _member_sheet(_sample())[:-200]

    problems = _refused(_rezip(_sample(), {MEMBERS_PART: broken}), client)

    assert problems == [
        f"Trang tính 'Đảng viên': tệp '{NAME}' bị hỏng sau dòng 5, không đọc tiếp được: "
        "nội dung XML bên trong bị hỏng hoặc có khai báo không được phép"
    ]


EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("part", [MEMBERS_PART, "xl/workbook.xml", "xl/styles.xml"])
@pytest.mark.parametrize("xml", [EXTERNAL_ENTITY, LAUGHS], ids=["external-entity", "entity-expansion"])
def test_entities_are_refused_unread(client, part, xml):
    """An external entity or an entity bomb, in any part: refused before an XML parser sees it."""
    problems = _refused(_rezip(_sample(), {part: xml}), client)

    assert problems == [
        f"Tệp '{NAME}' bị từ chối: phần '{part}' có khai báo DTD hoặc thực thể XML, "
        "điều mà tệp Excel không bao giờ có (có thể là tệp độc hại)."
    ]


def test_a_workbook_without_styles_is_read_dates_from_their_serial_numbers():
    """No styles.xml (an IndexError when openpyxl loads it whole): the streaming reader reads it."""
    result = import_workbook(actor=None, content=_rezip(_sample(), {"xl/styles.xml": None}), dry_run=True)

    assert result.ok and result.counts["members"]["create"] == 4


def test_a_workbook_with_broken_styles_is_a_clear_error(client):
    problems = _refused(_rezip(_sample(), {"xl/styles.xml": b"<styleSheet><numFmts count="}), client)

    assert problems == [
        f"Tệp '{NAME}' không đọc được như bảng tính Excel (.xlsx): "
        f"nội dung XML bên trong bị hỏng hoặc có khai báo không được phép. {SAVE_AGAIN}"
    ]


def test_not_a_zip_says_so_in_vietnamese_only(client):
    """Formerly "…hợp lệ (BadZipFile)": no English class name in the message."""
    problems = _refused(b"PK\x03\x04" + b"\x00" * 100, client)

    assert problems == [
        f"Tệp '{NAME}' không đọc được như bảng tính Excel (.xlsx): tệp nén bị hỏng, không giải nén được. {SAVE_AGAIN}"
    ]


@pytest.mark.parametrize("value", [10**20, "100000000000000000000", "1e309", 1e308, "-1", "1,5", "NaN", "inf"])
def test_a_huge_or_odd_order_is_refused_at_the_preview(client, value):
    """'Thứ tự' beyond the database's integer (10^20, 1e309) fails on the preview, not on confirm."""
    problems = _refused(edited(_sample(), {"Tổ chức đảng": {"G3": value}}), client)

    assert len(problems) == 1
    assert problems[0].startswith("Trang tính 'Tổ chức đảng', dòng 3, cột G (Thứ tự): ")
