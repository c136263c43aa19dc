"""Read an uploaded workbook into typed rows, collecting every cell error on the way.

The file is streamed (openpyxl's read-only mode): a row is converted and dropped before the
next is read, and only the columns the format knows are ever materialised. Before a sheet is
read its declared extent is checked against the format's limits, and while it is read its
actual extent is, so a small file claiming a cell at XFD1048576 is refused, not expanded. Any
failure of the file itself (a broken zip, broken XML, a missing part) becomes one Vietnamese
problem naming the file and, where known, the sheet and row: an upload never ends in a 500.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from core.vntext import fold
from core.xlsx import UnreadableWorkbook, open_workbook, unreadable_reason
from vnformat import fmt_number

from .cells import CellError, converter
from .spec import (
    BOOL_DEFAULTS,
    MAX_COLUMNS,
    MAX_PART_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    SHEETS,
    Column,
    Sheet,
)
from .writer import example_rows

HEADER_SEARCH_ROWS = 10  # a title or a merged banner may sit above the header row
Progress = Callable[..., None]  # progress(done, total, step), as core.jobs.JobContext.progress


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, located as precisely as possible."""

    sheet: str = ""
    row: int | None = None
    column: str = ""  # letter
    header: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"Trang tính '{self.sheet}'")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column} ({self.header})" if self.header else f"cột {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(slots=True)
class Row:
    """One data row: converted values by column key, and where each column sits."""

    sheet: Sheet
    number: int
    values: dict
    letters: dict[str, str]
    unreadable: set[str] = field(default_factory=set)  # keys whose cell was blank though required, or unreadable

    def problem(self, key: str, message: str) -> Problem:
        """A problem located at this row and the column of `key`."""
        header = next((c.header for c in self.sheet.columns if c.key == key), "")
        return Problem(self.sheet.title, self.number, self.letters.get(key, ""), header, message)


@dataclass
class ParsedWorkbook:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # sheet keys found in the file
    examples: int = 0  # rows equal to the template's examples, skipped


def _header_key(text) -> str:
    return fold(str(text or "")).rstrip("* ").removesuffix("(bat buoc)").strip()


def _find_header(ws, sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row number and the column index of each known header, if one is found."""
    wanted = {_header_key(c.header): c.key for c in sheet.columns}
    required = {c.key for c in sheet.columns if c.required}
    rows = ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)
    for row_number, row in enumerate(rows, start=1):
        found: dict[str, int] = {}
        for index, value in enumerate(row, start=1):
            key = wanted.get(_header_key(value)) if value is not None else None
            if key and key not in found:
                found[key] = index
        if required <= set(found):
            return row_number, found
    return None


class _Reader:
    """Reads the known sheets of one open workbook, reporting progress as rows go by."""

    def __init__(self, wb, parsed: ParsedWorkbook, progress: Progress | None):
        self.wb = wb
        self.parsed = parsed
        self.progress = progress
        self.done = 0
        self.total: int | None = 0  # rows the sheets declare; None when one does not say
        self.sheet: Sheet | None = None  # where the reader is, for a failure's message
        self.row: int | None = None

    def read(self) -> None:
        by_title = {fold(ws.title): ws for ws in self.wb.worksheets}
        found = [(sheet, by_title[fold(sheet.title)]) for sheet in SHEETS if fold(sheet.title) in by_title]
        if not found:
            names = ", ".join(f"'{s.title}'" for s in SHEETS)
            self.parsed.problems.append(Problem(message=f"Tệp không có trang tính nào trong số: {names}."))
            return
        readable = []
        for sheet, ws in found:
            self.parsed.present.add(sheet.key)
            too_big = _declared_extent_problem(ws, sheet)
            if too_big:
                self.parsed.problems.append(too_big)
            else:
                readable.append((sheet, ws))
                if ws.max_row is None or self.total is None:
                    self.total = None  # openpyxl's own writer, for one, declares no extent
                else:
                    self.total += max(ws.max_row - 1, 0)
        if len(readable) < len(found):
            return  # a sheet beyond the limits: nothing else is worth reading
        for sheet, ws in readable:
            self.sheet, self.row = sheet, None
            ws.reset_dimensions()  # read what is there, not what the file claims
            self._sheet(ws, sheet)
        self.sheet = None

    def _tick(self, sheet: Sheet) -> None:
        if self.progress is not None:
            total = None if self.total is None else max(self.total, self.done)
            self.progress(self.done, total, f"Đang đọc trang tính '{sheet.title}'")

    def _sheet(self, ws, sheet: Sheet) -> None:
        parsed = self.parsed
        located = _find_header(ws, sheet)
        if located is None:
            missing = ", ".join(f"'{c.header}'" for c in sheet.columns if c.required)
            parsed.problems.append(Problem(
                sheet.title, message=f"không tìm thấy dòng tiêu đề có đủ các cột bắt buộc {missing}"
            ))
            return
        header_row, positions = located
        letters = {key: get_column_letter(index) for key, index in positions.items()}
        # (column, index in the row tuple or None, converter), in the sheet's order.
        layout = [
            (column, positions[column.key] - 1 if column.key in positions else None, converter(column))
            for column in sheet.columns
        ]
        indexes = [index for _column, index, _convert in layout]
        width = max(positions.values())
        examples = example_rows(sheet)
        rows = parsed.rows.setdefault(sheet.key, [])
        last = header_row + MAX_ROWS
        self._tick(sheet)
        cells_of = ws.iter_rows(min_row=header_row + 1, max_col=width, values_only=True)
        for number, cells in enumerate(cells_of, start=header_row + 1):
            self.row = number
            if number > last:  # even a blank row: it stands for a row further down
                parsed.problems.append(Problem(
                    sheet.title, number,
                    message=f"trang tính có quá {fmt_number(MAX_ROWS)} dòng dữ liệu (giới hạn của mẫu nhập); hãy chia thành nhiều tệp",
                ))
                return
            raw = [cells[i] if i is not None else None for i in indexes]
            if all(v is None or (type(v) is str and not v.strip()) for v in raw):
                continue  # trailing or spacer rows
            self.done += 1
            if self.done % 1000 == 0:
                self._tick(sheet)
            if examples and tuple(raw) in examples:
                parsed.examples += 1
                continue
            row = Row(sheet, number, {}, letters)
            values = row.values
            for (column, _index, convert), value in zip(layout, raw, strict=True):
                if value is None or (type(value) is str and not value.strip()):
                    values[column.key] = _blank(row, column, parsed)
                    continue
                try:
                    values[column.key] = convert(value)
                except CellError as exc:
                    parsed.problems.append(row.problem(column.key, str(exc)))
                    row.unreadable.add(column.key)
                    values[column.key] = None
            rows.append(row)
        self.row = None
        self._tick(sheet)


def _declared_extent_problem(ws, sheet: Sheet) -> Problem | None:
    """A problem if the sheet says it spans more rows or columns than the format allows."""
    max_row, max_col = ws.max_row or 0, ws.max_column or 0
    if max_row <= MAX_ROWS + HEADER_SEARCH_ROWS and max_col <= MAX_COLUMNS:
        return None
    extent = f"{get_column_letter(max(max_col, 1))}{max_row}" if max_col <= 18278 else f"{max_row} dòng × {max_col} cột"
    return Problem(sheet.title, message=(
        f"trang tính khai báo vùng dữ liệu tới ô {extent} ({fmt_number(max_row)} dòng, {fmt_number(max_col)} cột), "
        f"vượt giới hạn của mẫu nhập ({fmt_number(MAX_ROWS)} dòng dữ liệu, {MAX_COLUMNS} cột). "
        "Hãy xóa các dòng, cột thừa (hoặc chép dữ liệu sang tệp mới) rồi tải lên lại"
    ))


def _blank(row: Row, column: Column, parsed: ParsedWorkbook):
    """The value of a blank cell: a required one is a problem; booleans take their default."""
    if column.required:
        parsed.problems.append(row.problem(column.key, "bắt buộc, không được để trống"))
        row.unreadable.add(column.key)
    return BOOL_DEFAULTS.get((row.sheet.key, column.key))


def read_workbook(content: bytes, *, filename: str = "", progress: Progress | None = None) -> ParsedWorkbook:
    """Parse every known sheet of the workbook; unknown sheets (the instructions) are ignored.

    `filename` names the file in problems about the file itself; `progress(done, total, step)`
    is told how many data rows have been read.
    """
    parsed = ParsedWorkbook()
    reader = None
    try:
        with open_workbook(content, name=filename, max_unpacked=MAX_UNPACKED_BYTES, max_part=MAX_PART_BYTES) as wb:
            reader = _Reader(wb, parsed, progress)
            reader.read()
    except UnreadableWorkbook as exc:
        parsed.rows.clear()
        parsed.problems.append(_broken(filename, reader, exc))
    return parsed


def _broken(filename: str, reader: _Reader | None, exc: UnreadableWorkbook) -> Problem:
    """The problem of a file that was refused or broke while being read: where, if known, and why."""
    label = f"tệp '{filename}'" if filename else "tệp"
    sheet = reader.sheet if reader else None
    if sheet is None or exc.__cause__ is None:
        return Problem(message=exc.message)
    reason = unreadable_reason(exc.__cause__)
    where = f"sau dòng {reader.row}" if reader.row else "từ đầu trang tính"
    return Problem(sheet.title, message=f"{label} bị hỏng {where}, không đọc tiếp được: {reason}")
