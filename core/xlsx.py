"""Look at an uploaded XLSX file before openpyxl opens it: a zip bomb is refused unread.

An XLSX file is a zip archive. A few hundred kilobytes can unpack to gigabytes, which openpyxl
would read into memory; the sizes the archive declares bound what reading it can produce
(Python's zipfile stops at the declared size), so they are checked first.
"""
import io
import zipfile

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a workbook of 10 000 members unpacks to a few MB
MAX_ENTRIES = 2000


def xlsx_problem(content: bytes) -> str | None:
    """Why `content` must not be opened as a workbook (in Vietnamese), or None if it may be.

    Only the size is judged here; a file that is not a zip archive is left to the reader.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return None  # not a zip at all: openpyxl refuses it at once, and each reader says so its way
    if len(entries) > MAX_ENTRIES:
        return f"Tệp không phải bảng tính Excel (.xlsx) hợp lệ: có {len(entries)} thành phần (tối đa {MAX_ENTRIES})."
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        return (
            f"Tệp bị từ chối: khi giải nén lớn tới {unpacked // (1024 * 1024)} MB "
            f"(tối đa {MAX_UNPACKED_BYTES // (1024 * 1024)} MB). Hãy kiểm tra lại tệp hoặc chia nhỏ tệp."
        )
    return None


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
