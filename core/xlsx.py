"""Look at an uploaded XLSX file before openpyxl opens it: a zip bomb is refused unread.

An XLSX file is a zip archive. A few hundred kilobytes can unpack to gigabytes, which openpyxl
would read into memory; the sizes the archive declares bound what reading it can produce
(Python's zipfile stops at the declared size), so they are checked first. Its parts are XML,
which never needs a document type declaration: one that declares entities (an entity bomb, an
external entity) is refused before any XML parser sees it.
"""
import io
import zipfile
import zlib

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a workbook of 10 000 members unpacks to a few MB
MAX_ENTRIES = 2000
PROLOG_BYTES = 64 * 1024  # a DOCTYPE can only come before the root element


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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error):
        return None  # not a zip, or a broken one: the reader says so in its own words
    return None


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
    if isinstance(exc, SyntaxError):  # xml.etree's ParseError, and lxml's when openpyxl uses lxml
        return "nội dung XML bên trong bị hỏng hoặc có khai báo không được phép"
    if isinstance(exc, (KeyError, IndexError)):
        return "thiếu hoặc hỏng một thành phần bắt buộc của bảng tính (ví dụ phần định dạng ô)"
    return "cấu trúc bên trong không đúng của bảng tính Excel hoặc đã bị hỏng"


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
