"""The grid as an XLSX workbook, for secretaries who prefer Excel: download, fill in, upload.

One sheet "Chấm điểm": a header row of criterion codes (with their maxima), one row per member
with the rating's id and version in the last two columns (the upload finds each rating by
them, and refuses a stale one like the page does). Reading is streaming (read-only mode) and
bounded; every problem names the sheet, the row and the column; nothing is saved unless the
whole file is right (the scoring service checks every value, as for the page).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from appraisal.process.grid.build import GRID_TASKS, TASK_SHORT, Section, read_row
from appraisal.scoring.services import ScoreInput
from core.xlsx import UnreadableWorkbook, keep_as_text, open_workbook

SHEET = "Chấm điểm"
HEADER_ROW = 4
FIRST_ROW = 5
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 200
ID_HEADER, VERSION_HEADER, NAME_HEADER, CARD_HEADER, OUTSTANDING_HEADER = (
    "Mã phiếu (không sửa)", "Phiên bản (không sửa)", "Họ và tên", "Số thẻ đảng viên", "Nổi bật (x)",
)
INSTRUCTIONS = (
    "Nhập điểm (dấu phẩy hoặc dấu chấm thập phân, tối đa hai chữ số), hoặc mức Xuất sắc / Tốt / Trung bình / "
    "Kém với tiêu chí định tính, hoặc kết quả/kế hoạch (ví dụ 45/50) với tiêu chí định lượng. "
    "Cột «Nổi bật»: ghi x nếu có thành tích nổi bật. Không sửa hai cột cuối."
)


def write(period, cell, sections: list[Section]) -> bytes:
    """The workbook of the grid as the page shows it now."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = f"BẢNG CHẤM ĐIỂM — {cell.name.upper()} — {str(period).upper()}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = INSTRUCTIONS
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    row_no = HEADER_ROW
    for section in sections:
        headers = ["STT", NAME_HEADER, CARD_HEADER]
        headers += [f"{c.code} (tối đa {c.max_text})" for c in section.columns]
        headers += [TASK_SHORT[name] for name in GRID_TASKS] + [OUTSTANDING_HEADER, ID_HEADER, VERSION_HEADER]
        for col, text in enumerate(headers, start=1):
            c = ws.cell(row=row_no, column=col, value=text)
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="E9EDF1")
            c.alignment = Alignment(wrap_text=True, vertical="top")
        for number, row in enumerate(section.rows, start=1):
            r = row_no + number
            member = row.rating.member
            values = [number, member.full_name, member.card_number]
            values += [cell_.value for cell_ in row.cells]
            values += [t.value for t in row.tasks] + ["x" if row.outstanding else "", row.pk, row.version]
            for col, value in enumerate(values, start=1):
                ws.cell(row=r, column=col, value=value)
        row_no += len(section.rows) + 2
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=12)
    ws.row_dimensions[2].height = 48
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 14
    for col in range(4, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = 10
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=4)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    keep_as_text(ws, min_row=FIRST_ROW)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ReadResult:
    items: list[ScoreInput] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    places: dict = field(default_factory=dict)  # (rating pk, field) → "dòng 7, cột E"

    def where(self, key, message: str) -> str:
        place = self.places.get(key)
        return f"Trang tính «{SHEET}», {place}: {message}" if place else message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read(upload, sections: list[Section]) -> ReadResult:
    """Read an uploaded grid workbook into the scoring service's inputs, or say what is wrong."""
    result = ReadResult()
    name = getattr(upload, "name", "")
    if getattr(upload, "size", 0) > MAX_BYTES:
        result.problems.append(f"Tệp '{name}' lớn quá {MAX_BYTES // (1024 * 1024)} MB.")
        return result
    try:
        with open_workbook(upload.read(), name=name) as wb:
            if SHEET not in wb.sheetnames:
                result.problems.append(f"Tệp '{name}' không có trang tính «{SHEET}» (hãy dùng tệp tải về từ trang chấm điểm).")
                return result
            ws = wb[SHEET]
            max_row, max_col = ws.max_row or 0, ws.max_column or 0
            if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
                result.problems.append(f"Trang tính «{SHEET}» quá lớn ({max_row} dòng × {max_col} cột).")
                return result
            _read_rows(ws, sections, result)
    except UnreadableWorkbook as exc:
        result.items.clear()
        result.problems.append(exc.message)
    return result


def _read_rows(ws, sections: list[Section], result: ReadResult) -> None:
    rows = {row.pk: (row, section) for section in sections for row in section.rows}
    header: list[str] | None = None
    seen = set()
    for number, values in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:  # blank rows up to a far cell, in a sheet that declares no extent
            result.problems.append(f"Trang tính «{SHEET}» có dữ liệu quá dòng {MAX_ROWS}; hãy dùng tệp tải về từ trang chấm điểm.")
            return
        texts = [_text(v) for v in values]
        if ID_HEADER in texts:
            header = texts
            continue
        if header is None or not any(texts):
            continue
        record = dict(zip(header, texts, strict=False))
        where = f"dòng {number}"
        pk_text = record.get(ID_HEADER, "")
        if not (pk_text.isascii() and pk_text.isdigit()) or int(pk_text) not in rows:  # "²".isdigit()
            result.problems.append(f"Trang tính «{SHEET}», {where}: mã phiếu «{pk_text}» không thuộc bảng chấm điểm này.")
            continue
        row, section = rows[int(pk_text)]
        if row.pk in seen:
            result.problems.append(f"Trang tính «{SHEET}», {where}: phiếu của {record.get(NAME_HEADER)} xuất hiện hai lần.")
            continue
        seen.add(row.pk)
        if record.get(CARD_HEADER, "") != row.rating.member.card_number:
            result.problems.append(
                f"Trang tính «{SHEET}», {where}: số thẻ «{record.get(CARD_HEADER)}» không khớp với "
                f"{row.rating.member.full_name} ({row.rating.member.card_number})."
            )
            continue
        if not row.editable:
            continue
        data = {f"ver-{row.pk}": record.get(VERSION_HEADER, ""), f"o-{row.pk}": "1" if record.get(OUTSTANDING_HEADER, "").lower() == "x" else ""}
        for column in section.columns:
            head = f"{column.code} (tối đa {column.max_text})"
            data[f"v-{row.pk}-{column.code}"] = record.get(head, "")
            result.places[(row.pk, column.code)] = f"{where}, cột {_letter(header, head)} (tiêu chí {column.code})"
        for name in GRID_TASKS:
            data[f"t-{row.pk}-{name}"] = record.get(TASK_SHORT[name], "")
            result.places[(row.pk, name)] = f"{where}, cột {_letter(header, TASK_SHORT[name])} ({TASK_SHORT[name]})"
        result.items.append(read_row(row.rating, data, section.columns))
    if header is None:
        result.problems.append(f"Trang tính «{SHEET}» không có dòng tiêu đề (cột «{ID_HEADER}»).")
        return
    missing = [f"{c.code} (tối đa {c.max_text})" for s in sections for c in s.columns if f"{c.code} (tối đa {c.max_text})" not in header]
    if missing:
        result.problems.append(f"Trang tính «{SHEET}», dòng tiêu đề: thiếu cột {', '.join(missing)}.")


def _letter(header: list[str], head: str) -> str:
    try:
        return get_column_letter(header.index(head) + 1)
    except ValueError:
        return "?"
