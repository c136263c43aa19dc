"""Read an uploaded workbook into typed rows, collecting every cell error on the way."""
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.vntext import fold
from core.xlsx import xlsx_problem

from .cells import CellError, convert, is_blank
from .spec import BOOL_DEFAULTS, SHEETS, Column, Sheet

HEADER_SEARCH_ROWS = 10  # a title or a merged banner may sit above the header row


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
            where.append(f"Sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column} ({self.header})" if self.header else f"cột {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Row:
    """One data row: converted values by column key, and where each column sits."""

    sheet: Sheet
    number: int
    values: dict
    letters: dict[str, str]

    def problem(self, key: str, message: str) -> Problem:
        """A problem located at this row and the column of `key`."""
        column = self.sheet.column(key)
        return Problem(self.sheet.title, self.number, self.letters.get(key, ""), column.header, message)


@dataclass
class ParsedWorkbook:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # sheet keys found in the file


def _header_key(text) -> str:
    return fold(str(text or "")).rstrip("* ").removesuffix("(bat buoc)").strip()


def _find_header(ws, sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row number and the column index of each known header, if one is found."""
    wanted = {_header_key(c.header): c.key for c in sheet.columns}
    required = {c.key for c in sheet.columns if c.required}
    for row_number, row in enumerate(
        ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        found: dict[str, int] = {}
        for index, value in enumerate(row, start=1):
            key = wanted.get(_header_key(value))
            if key and key not in found:
                found[key] = index
        if required <= set(found):
            return row_number, found
    return None


def _read_sheet(ws, sheet: Sheet, parsed: ParsedWorkbook) -> None:
    located = _find_header(ws, sheet)
    if located is None:
        missing = ", ".join(f"'{c.header}'" for c in sheet.columns if c.required)
        parsed.problems.append(Problem(
            sheet.title, message=f"không tìm thấy dòng tiêu đề có đủ các cột bắt buộc {missing}"
        ))
        return
    header_row, positions = located
    letters = {key: get_column_letter(index) for key, index in positions.items()}
    rows = parsed.rows.setdefault(sheet.key, [])
    for number, cells in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        raw = {key: cells[index - 1] if index - 1 < len(cells) else None for key, index in positions.items()}
        if all(is_blank(v) for v in raw.values()):
            continue  # trailing or spacer rows
        row = Row(sheet, number, {}, letters)
        for column in sheet.columns:
            row.values[column.key] = _cell(row, column, raw.get(column.key), parsed)
        rows.append(row)


def _cell(row: Row, column: Column, value, parsed: ParsedWorkbook):
    if is_blank(value):
        if column.required:
            parsed.problems.append(row.problem(column.key, "bắt buộc, không được để trống"))
        return BOOL_DEFAULTS.get((row.sheet.key, column.key))
    try:
        return convert(column, value)
    except CellError as exc:
        parsed.problems.append(row.problem(column.key, str(exc)))
        return None


def read_workbook(content: bytes) -> ParsedWorkbook:
    """Parse every known sheet of the workbook; unknown sheets (the instructions) are ignored."""
    parsed = ParsedWorkbook()
    refused = xlsx_problem(content)
    if refused:
        parsed.problems.append(Problem(message=refused))
        return parsed
    try:
        wb = load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        parsed.problems.append(Problem(message=f"Tệp không phải bảng tính Excel (.xlsx) hợp lệ ({exc.__class__.__name__})."))
        return parsed
    by_title = {fold(ws.title): ws for ws in wb.worksheets}
    for sheet in SHEETS:
        ws = by_title.get(fold(sheet.title))
        if ws is None:
            continue
        parsed.present.add(sheet.key)
        _read_sheet(ws, sheet, parsed)
    if not parsed.present:
        names = ", ".join(f"'{s.title}'" for s in SHEETS)
        parsed.problems.append(Problem(message=f"Tệp không có sheet nào trong số: {names}."))
    return parsed
