"""What the benchmark commands measure against: openpyxl's own read of a file, a timer, and
rounds that keep each figure's fastest."""
import io
import time

from django.db import transaction
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


def fastest_rounds(rounds: int, one_round) -> dict[str, float]:
    """Each figure's fastest over `rounds` calls of `one_round` (seconds by name).

    A round takes every measure once, so load from other processes on the machine falls on all of
    them alike. Each round is rolled back (the commit is not timed): the database is left as it was.
    """
    best: dict[str, float] = {}
    for _ in range(rounds):
        with transaction.atomic():
            for name, seconds in one_round().items():
                best[name] = min(seconds, best.get(name, seconds))
            transaction.set_rollback(True)
    return best
