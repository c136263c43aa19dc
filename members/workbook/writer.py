"""Write the template workbook and the export, in the format the importer reads back."""
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.xlsx import keep_as_text

from .spec import BOOL, DATE, ENUM, INSTRUCTIONS_TITLE, SHEETS, TEXT, YES, Sheet

DATE_FORMAT = "DD/MM/YYYY"
LISTS_TITLE = "Danh mục"
MAX_VALIDATED_ROW = 5000
HEADER_FILL = PatternFill("solid", fgColor="EEF0F2")
REQUIRED_FONT = Font(bold=True, color="9B1C1C")
HEADER_FONT = Font(bold=True)


def _instructions(wb: Workbook) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS_TITLE
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 70
    lines = [
        ("HƯỚNG DẪN NHẬP DỮ LIỆU", "", ""),
        ("", "", ""),
        ("• Mỗi sheet một loại dữ liệu; dòng 1 là tiêu đề, dữ liệu từ dòng 2. Tiêu đề màu đỏ là cột bắt buộc.", "", ""),
        ("• Ngày ghi dạng dd/mm/yyyy (ví dụ 19/05/2010) hoặc ô kiểu ngày của Excel.", "", ""),
        ("• Loại, giới tính, tình trạng, vai trò... chọn đúng nhãn trong danh sách thả xuống.", "", ""),
        ("• Có/Không: ghi 'Có' hoặc 'Không'; để trống lấy giá trị mặc định ghi trong cột Ghi chú.", "", ""),
        ("• Mã và số thẻ là khóa: dòng có mã đã có trong hệ thống thì cập nhật, chưa có thì thêm mới.", "", ""),
        ("• Tệp có lỗi ở bất kỳ dòng nào thì không dữ liệu nào được ghi; hệ thống liệt kê mọi lỗi.", "", ""),
        ("• Không xóa dữ liệu: dòng không có trong tệp được giữ nguyên trong hệ thống.", "", ""),
        ("", "", ""),
        ("Sheet", "Cột", "Ghi chú"),
    ]
    for sheet in SHEETS:
        for i, column in enumerate(sheet.columns):
            note = column.note
            if column.kind == ENUM:
                note = (note + " " if note else "") + "Nhận: " + "; ".join(column.labels()) + "."
            if column.kind == DATE:
                note = (note + " " if note else "") + "Ngày dd/mm/yyyy."
            required = " (bắt buộc)" if column.required else ""
            lines.append((sheet.title if i == 0 else "", column.header + required, note))
    for row in lines:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[11]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for row in ws.iter_rows(min_row=12):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")


def _lists(wb: Workbook) -> dict[tuple[str, str], str]:
    """A hidden sheet with the accepted labels; returns the range each list occupies."""
    ws = wb.create_sheet(LISTS_TITLE)
    ranges: dict[tuple[str, str], str] = {}
    col = 0
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.kind not in (ENUM, BOOL):
                continue
            labels = column.labels()
            key = (column.kind, column.choices.__name__ if column.choices else "bool")
            if key in ranges:
                continue
            col += 1
            letter = get_column_letter(col)
            ws.cell(row=1, column=col, value=key[1])
            for r, label in enumerate(labels, start=2):
                ws.cell(row=r, column=col, value=label)
            ranges[key] = f"{quote_sheetname(LISTS_TITLE)}!${letter}$2:${letter}${len(labels) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _data_sheet(wb: Workbook, sheet: Sheet, rows: list[list], ranges: dict) -> None:
    ws = wb.create_sheet(sheet.title)
    ws.append([c.header for c in sheet.columns])
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    for values in rows:
        ws.append(values)
    keep_as_text(ws, min_row=2)
    last = max(MAX_VALIDATED_ROW, len(rows) + 1)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        if column.kind in (ENUM, BOOL):
            key = (column.kind, column.choices.__name__ if column.choices else "bool")
            dv = DataValidation(
                type="list", formula1=ranges[key], allow_blank=not column.required,
                showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                error="Chọn một giá trị trong danh sách.",
            )
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
        elif column.kind == DATE:
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
        elif column.kind == TEXT:
            # Codes and card numbers stay text, keeping leading zeros when typed.
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index):
                cell.number_format = "@"


def cell_value(column, value):
    """A stored value as the workbook writes it: labels for choices, Có/Không, real dates."""
    if value is None or value == "":
        return None
    if column.kind == ENUM:
        return str(column.choices(value).label)
    if column.kind == BOOL:
        return YES if value else "Không"
    if column.kind == DATE and isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def build_workbook(data: dict[str, list[dict]] | None = None) -> bytes:
    """The workbook with the instructions, one sheet per kind of data, and the rows given.

    `data` maps sheet key → list of {column key: stored value}; None gives the empty template.
    """
    wb = Workbook()
    _instructions(wb)
    ranges = _lists(wb)
    for sheet in SHEETS:
        rows = [[cell_value(c, record.get(c.key)) for c in sheet.columns] for record in (data or {}).get(sheet.key, [])]
        _data_sheet(wb, sheet, rows, ranges)
    wb.move_sheet(LISTS_TITLE, offset=len(SHEETS))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
