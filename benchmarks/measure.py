"""What the benchmark commands measure against: openpyxl's own read of a file, and a timer."""
import io
import time

from openpyxl import load_workbook


def parse_all(content: bytes) -> int:
    """Read every row of every sheet with openpyxl's read-only mode; the number of rows read.
    The floor an import of the same file is compared with."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    book.close()
    return count


def timed(func) -> tuple[float, object]:
    """(seconds on the wall clock, value) of one call."""
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value
