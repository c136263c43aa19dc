"""Look at an uploaded XLSX file before openpyxl opens it: a zip bomb is refused unread.

An XLSX file is a zip archive. A few hundred kilobytes can unpack to gigabytes, which openpyxl
would read into memory; the sizes the archive declares bound what reading it can produce
(Python's zipfile stops at the declared size), so they are checked first. Its parts are XML,
which never needs a document type declaration: one that declares entities (an entity bomb, an
external entity) is refused before any XML parser sees it. A part packed in a way Python cannot
unpack (a flipped bit announcing another compression method or zip version 8.4) is refused
too, and a sheet far larger than its rows (megabytes of blanks) before any row is parsed.

`open_workbook` is the one reader of uploaded workbooks: every import opens its file with it,
and whatever breaks in the archive or the XML, at opening or while the rows are read, comes out
as `UnreadableWorkbook` carrying one Vietnamese message that names the file.
"""
import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree import ElementTree

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a workbook of 10 000 members unpacks to a few MB
MAX_ENTRIES = 2000
PROLOG_BYTES = 64 * 1024  # a DOCTYPE can only come before the root element
# Methods Python's zipfile unpacks (Excel and LibreOffice write only the first two).
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# A sheet's XML beyond SHEET_BASE_BYTES must hold at least one row per SHEET_BYTES_PER_ROW: the
# widest row an import reads (64 columns of 255 Vietnamese characters) is about 50 KB.
SHEET_BASE_BYTES = 1024 * 1024
SHEET_BYTES_PER_ROW = 64 * 1024
_ROW_TAGS = (b"<row", b":row")  # <row …> or a prefixed <x:row …>


class UnreadableWorkbook(Exception):
    """An uploaded file that cannot be read as a workbook; the message (Vietnamese) names the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message



def xlsx_problem(
    content: bytes, *, max_unpacked: int = MAX_UNPACKED_BYTES, max_part: int | None = None, name: str = "",
) -> str | None:
    """Why `content` must not be opened as a workbook (in Vietnamese), or None if it may be.

    The sizes are judged (the whole archive, and each part if `max_part` is given), and every
    XML part's prolog is read for a DTD. A file that is not a zip archive at all is left to the
    reader; `name` is the uploaded file's name, for the message.
    """
    label = f"Tệp '{name}'" if name else "Tệp"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                return f"{label} không phải bảng tính Excel (.xlsx) hợp lệ: có {len(entries)} thành phần (tối đa {MAX_ENTRIES})."
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > max_unpacked:
                return (
                    f"{label} bị từ chối: khi giải nén lớn tới {_mb(unpacked)} MB "
                    f"(tối đa {_mb(max_unpacked)} MB). Hãy kiểm tra lại tệp hoặc chia nhỏ tệp."
                )
            for entry in entries:
                if entry.compress_type not in READABLE_METHODS:
                    return (
                        f"{label} không phải bảng tính Excel (.xlsx) hợp lệ: phần '{entry.filename}' "
                        f"được nén theo cách không hỗ trợ (mã {entry.compress_type}), có thể tệp đã bị hỏng."
                    )
                if max_part is not None and entry.file_size > max_part:
                    return (
                        f"{label} bị từ chối: thành phần '{entry.filename}' khi giải nén lớn tới "
                        f"{_mb(entry.file_size)} MB (tối đa {_mb(max_part)} MB). Hãy chia nhỏ tệp."
                    )
                if entry.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, entry):
                    return (
                        f"{label} bị từ chối: phần '{entry.filename}' có khai báo DTD hoặc thực thể XML, "
                        "điều mà tệp Excel không bao giờ có (có thể là tệp độc hại)."
                    )
            return _oversized_sheet(archive, label)
    except NotImplementedError:  # zipfile: a zip version or a method it cannot unpack
        return f"{label} không phải bảng tính Excel (.xlsx) hợp lệ: tệp nén dùng phiên bản hoặc cách nén không hỗ trợ, có thể đã bị hỏng."
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error, SyntaxError, KeyError):
        return None  # not a zip, or a broken one: the reader says so in its own words


def _oversized_sheet(archive: zipfile.ZipFile, label: str) -> str | None:
    """Why a sheet is refused for holding far more XML than rows (megabytes of blanks), or None.

    Only the sheets over SHEET_BASE_BYTES are looked at; their rows are counted in the raw bytes,
    without parsing, and the count stops as soon as the size is covered.
    """
    for entry in archive.infolist():
        if not entry.filename.startswith("xl/worksheets/") or entry.file_size <= SHEET_BASE_BYTES:
            continue
        needed = (entry.file_size - SHEET_BASE_BYTES) // SHEET_BYTES_PER_ROW + 1
        if _count_rows(archive, entry, needed) < needed:
            return (
                f"{label} bị từ chối: trang tính «{_sheet_title(archive, entry.filename)}» có "
                f"{_mb(entry.file_size)} MB nội dung mà quá ít dòng dữ liệu (tối đa "
                f"{SHEET_BYTES_PER_ROW // 1024} KB cho mỗi dòng). Hãy xoá phần thừa hoặc lưu lại tệp bằng Excel."
            )
    return None


def _count_rows(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, enough: int) -> int:
    """How many row tags the part holds, counting no further than `enough`."""
    count, tail = 0, b""
    with archive.open(entry) as part:
        while chunk := part.read(1024 * 1024):
            data = tail + chunk
            count += sum(data.count(tag) for tag in _ROW_TAGS)
            if count >= enough:
                return count
            tail = data[-3:]  # a tag cut by the chunk's end is counted with the next one
            count -= sum(tail.count(tag) for tag in _ROW_TAGS)
    return count


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_title(archive: zipfile.ZipFile, part: str) -> str:
    """The title the workbook gives the sheet stored in `part` (or the part's name)."""
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {
            rel.get("Id"): posixpath.normpath(posixpath.join("xl", rel.get("Target", "").lstrip("/").removeprefix("xl/")))
            for rel in rels
        }
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        for sheet in book.iter():
            if sheet.tag.endswith("}sheet") and targets.get(sheet.get(_NS_REL)) == part:
                return sheet.get("name", part)
    except (KeyError, SyntaxError, ValueError, OSError, zipfile.BadZipFile, zlib.error, NotImplementedError):
        pass
    return part


def _mb(size: int) -> str:
    return f"{-(-size // (1024 * 1024))}"


def _declares_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Whether the part's prolog holds a <!DOCTYPE (in UTF-8 or UTF-16)."""
    with archive.open(entry) as part:
        head = part.read(PROLOG_BYTES)
    return b"<!DOCTYPE" in head.upper() or b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E" in head.upper()


def unreadable_reason(exc: BaseException) -> str:
    """Why a workbook could not be read, in Vietnamese, from the exception reading it raised."""
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError, zipfile.LargeZipFile)):
        return "tệp nén bị hỏng, không giải nén được"
    if isinstance(exc, NotImplementedError):
        return "tệp nén dùng phiên bản hoặc cách nén không hỗ trợ (tệp có thể đã bị hỏng)"
    if isinstance(exc, SyntaxError):  # xml.etree's ParseError, and lxml's when openpyxl uses lxml
        return "nội dung XML bên trong bị hỏng hoặc có khai báo không được phép"
    if isinstance(exc, (KeyError, IndexError)):
        return "thiếu hoặc hỏng một thành phần bắt buộc của bảng tính (ví dụ phần định dạng ô)"
    return "cấu trúc bên trong không đúng của bảng tính Excel hoặc đã bị hỏng"


def unreadable_message(name: str, exc: BaseException) -> str:
    """The message of a workbook that broke while being opened or read, naming the file."""
    label = f"Tệp '{name}'" if name else "Tệp"
    return (
        f"{label} không đọc được như bảng tính Excel (.xlsx): {unreadable_reason(exc)}. "
        "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx."
    )


@contextmanager
def open_workbook(
    content: bytes, *, name: str = "", max_unpacked: int = MAX_UNPACKED_BYTES, max_part: int | None = None,
    read_only: bool = True,
) -> Iterator:
    """The uploaded workbook, opened (values, not formulas) once `xlsx_problem` lets it through.

    Raises UnreadableWorkbook for a refused file and for every failure of the archive or the XML
    raised while the workbook is opened or while the caller reads its rows inside the block; so
    the block reports its own refusals after it, not by raising inside it.
    """
    from openpyxl import load_workbook  # noqa: PLC0415 - only the imports need openpyxl

    refused = xlsx_problem(content, max_unpacked=max_unpacked, max_part=max_part, name=name)
    if refused:
        raise UnreadableWorkbook(refused)
    try:
        book = load_workbook(io.BytesIO(content), read_only=read_only, data_only=True)
    except Exception as exc:  # noqa: BLE001 - an untrusted file: whatever breaks is the file's fault
        raise UnreadableWorkbook(unreadable_message(name, exc)) from exc
    try:
        yield book
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # noqa: BLE001 - read lazily: zipfile, zlib, the XML parser, openpyxl's own
        raise UnreadableWorkbook(unreadable_message(name, exc)) from exc  # errors all mean a broken file
    finally:
        book.close()


FORMULA_STARTS = ("=", "+", "-", "@")


def keep_as_text(worksheet, *, min_row: int = 1) -> None:
    """Write every text cell that a spreadsheet would take for a formula as plain text.

    A member named “=HYPERLINK(…)” must come out of an export as that text, not as a formula
    that runs when a colleague opens the file (formula injection); the quote prefix keeps it
    text even when the cell is edited in Excel.
    """
    for row in worksheet.iter_rows(min_row=min_row):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
