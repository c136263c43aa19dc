"""Write the template workbook and the export, in the format the importer reads back.

openpyxl's write-only mode: rows are streamed to disk as they come, so an export of a province
(90 000 members) needs memory for a row, not for the workbook.
"""
import datetime as dt
import io
from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.xlsx import FORMULA_STARTS
from vnformat import XLSX_DATE

from .spec import (
    BOOL,
    DATE,
    ENUM,
    EXAMPLE_RECORDS,
    INSTRUCTIONS_TITLE,
    NO,
    SHEETS,
    TEXT,
    YES,
    Column,
    Sheet,
)

DATE_FORMAT = XLSX_DATE
LISTS_TITLE = "Danh mục"
MAX_VALIDATED_ROW = 5000
HEADER_FILL = PatternFill("solid", fgColor="EEF0F2")
REQUIRED_FONT = Font(bold=True, color="9B1C1C")
HEADER_FONT = Font(bold=True)
EXAMPLE_FONT = Font(italic=True, color="6B7280")
Progress = Callable[..., None]


def _instructions(wb: Workbook, with_examples: bool) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_TITLE)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 70
    lines = [
        ("HƯỚNG DẪN NHẬP DỮ LIỆU", "", ""),
        ("", "", ""),
        ("• Mỗi trang tính một loại dữ liệu; dòng 1 là tiêu đề, dữ liệu từ dòng 2. Tiêu đề màu đỏ là cột bắt buộc.", "", ""),
        ("• Ngày ghi dạng dd/mm/yyyy (ví dụ 19/05/2010) hoặc ô kiểu ngày của Excel.", "", ""),
        ("• Loại, giới tính, tình trạng, vai trò... chọn đúng nhãn trong danh sách thả xuống.", "", ""),
        ("• Có/Không: ghi 'Có' hoặc 'Không'; để trống lấy giá trị mặc định ghi trong cột Ghi chú.", "", ""),
        ("• Mã và số thẻ là khóa: dòng có mã đã có trong hệ thống thì cập nhật, chưa có thì thêm mới.", "", ""),
        ("• Tệp có lỗi ở bất kỳ dòng nào thì không dữ liệu nào được ghi; hệ thống liệt kê mọi lỗi.", "", ""),
        ("• Không xóa dữ liệu: dòng không có trong tệp được giữ nguyên trong hệ thống.", "", ""),
        (
            "• Dòng chữ nghiêng màu xám (mã bắt đầu bằng 'VD-') là ví dụ: để nguyên thì hệ thống bỏ qua, "
            "có thể xóa đi rồi nhập dữ liệu thật." if with_examples else "", "", "",
        ),
        ("Trang tính", "Cột", "Ghi chú"),
    ]
    bold = Font(bold=True, size=14)
    for number, row in enumerate(lines, start=1):
        if number == 1:
            ws.append([_styled(ws, row[0], font=bold)])
        elif number == len(lines):
            ws.append([_styled(ws, v, font=HEADER_FONT, fill=HEADER_FILL) for v in row])
        else:
            ws.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in SHEETS:
        for i, column in enumerate(sheet.columns):
            note = column.note
            if column.kind == ENUM:
                note = (note + " " if note else "") + "Nhận: " + "; ".join(column.labels()) + "."
            if column.kind == DATE:
                note = (note + " " if note else "") + "Ngày dd/mm/yyyy."
            required = " (bắt buộc)" if column.required else ""
            ws.append([sheet.title if i == 0 else "", column.header + required, _styled(ws, note, alignment=wrap)])


def _list_key(column: Column) -> tuple[str, str]:
    return (column.kind, column.choices.__name__ if column.choices else "bool")


def _lists(wb: Workbook) -> dict[tuple[str, str], str]:
    """A hidden sheet with the accepted labels, headed in Vietnamese; the range of each list."""
    columns: dict[tuple[str, str], Column] = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.kind in (ENUM, BOOL):
                columns.setdefault(_list_key(column), column)
    ws = wb.create_sheet(LISTS_TITLE)
    ws.sheet_state = "hidden"
    keys = list(columns)
    labels = [columns[k].labels() for k in keys]
    ws.append([f"{YES}/{NO}" if columns[k].kind == BOOL else columns[k].header for k in keys])
    for r in range(max(len(x) for x in labels)):
        ws.append([x[r] if r < len(x) else None for x in labels])
    ranges = {}
    for col, (key, values) in enumerate(zip(keys, labels, strict=True), start=1):
        letter = get_column_letter(col)
        ranges[key] = f"{quote_sheetname(LISTS_TITLE)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _styled(ws, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def _value(ws, column: Column, value, font=None):
    """A stored value as a cell: labels for choices, Có/Không, real dates, text kept as text."""
    value = cell_value(column, value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A name like "=HYPERLINK(…)" stays that text, never a formula run when the file is
        # opened (formula injection); the quote prefix keeps it text when edited in Excel.
        cell = WriteOnlyCell(ws, value=None)
        cell.value, cell.data_type, cell.quotePrefix = value, "s", True
    elif font is None:
        return value
    else:
        cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    return cell


def _data_sheet(wb: Workbook, sheet: Sheet, records: Iterable[dict], ranges: dict, examples: list[dict],
                tick: Callable[[], None]) -> None:
    ws = wb.create_sheet(sheet.title)
    for index, column in enumerate(sheet.columns, start=1):
        dim = ws.column_dimensions[get_column_letter(index)]
        dim.width = column.width
        if column.kind == TEXT:
            dim.number_format = "@"  # codes and card numbers typed later keep their leading zeros
        elif column.kind == DATE:
            dim.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    header_style = {"fill": HEADER_FILL, "alignment": Alignment(wrap_text=True, vertical="center")}
    ws.append([
        _styled(ws, c.header, font=REQUIRED_FONT if c.required else HEADER_FONT, **header_style)
        for c in sheet.columns
    ])
    written = 1
    for record in examples:
        ws.append([_value(ws, c, record.get(c.key), EXAMPLE_FONT) for c in sheet.columns])
        written += 1
    for record in records:
        ws.append([_value(ws, c, record.get(c.key)) for c in sheet.columns])
        written += 1
        tick()
    last = max(MAX_VALIDATED_ROW, written)
    for index, column in enumerate(sheet.columns, start=1):
        if column.kind not in (ENUM, BOOL):
            continue
        letter = get_column_letter(index)
        dv = DataValidation(
            type="list", formula1=ranges[_list_key(column)], allow_blank=not column.required,
            showErrorMessage=True, errorTitle="Giá trị không hợp lệ", error="Chọn một giá trị trong danh sách.",
        )
        dv.add(f"{letter}2:{letter}{last}")
        ws.data_validations.append(dv)


def cell_value(column, value):
    """A stored value as the workbook writes it: labels for choices, Có/Không, real dates."""
    if value is None or value == "":
        return None
    if column.kind == ENUM:
        return str(column.choices(value).label)
    if column.kind == BOOL:
        return YES if value else NO
    if column.kind == DATE and isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def example_rows(sheet: Sheet) -> set[tuple]:
    """The template's example rows of `sheet` as a reader sees them (cell values, in column order)."""
    return {tuple(cell_value(c, record.get(c.key)) for c in sheet.columns) for record in EXAMPLE_RECORDS.get(sheet.key, [])}


def write_workbook(
    target, data: dict[str, Iterable[dict]] | None = None, *, examples: bool = False,
    progress: Progress | None = None, total: int | None = None,
) -> None:
    """Write the instructions, one sheet per kind of data with the rows given, and the lists.

    `data` maps sheet key → iterable of {column key: stored value} (read lazily, sheet after
    sheet); None gives the empty template. `target` is a path or a binary file.
    `progress(done, total, step)` is told the rows written.
    """
    wb = Workbook(write_only=True)
    _instructions(wb, examples)
    ranges = _lists(wb)
    done = 0

    for sheet in SHEETS:
        def tick(sheet=sheet):
            nonlocal done
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done, total, f"Đang ghi trang tính '{sheet.title}'")

        if progress is not None:
            progress(done, total, f"Đang ghi trang tính '{sheet.title}'")
        records = (data or {}).get(sheet.key, ())
        _data_sheet(wb, sheet, records, ranges, EXAMPLE_RECORDS.get(sheet.key, []) if examples else [], tick)
    wb.move_sheet(LISTS_TITLE, offset=len(SHEETS))
    wb.save(target)


def build_workbook(data: dict[str, Iterable[dict]] | None = None, *, examples: bool = False) -> bytes:
    """The workbook as bytes (the template, a test's sample); exports write to a file instead."""
    buffer = io.BytesIO()
    write_workbook(buffer, data, examples=examples)
    return buffer.getvalue()
