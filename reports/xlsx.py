"""Every table of the documents as XLSX (openpyxl): Vietnamese headers, widths, number formats,
print area and titles on A4, so the sheet prints the way the table does.

Counts are whole numbers (format `#,##0`), shares are fractions shown as `0.0%`, so a user can
sum and chart them; the figures are those of the document (one `YearEndFigures`).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.xlsx import keep_as_text
from vnformat import XLSX_COUNT, XLSX_PERCENT

from .build import SECTION_LABELS, section_tallies
from .figures import LEVEL_FIELDS, LEVEL_LABELS, Tally, YearEndFigures, total_of

COUNT = XLSX_COUNT
SHARE = XLSX_PERCENT
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FONT = Font(name="Times New Roman", bold=True, size=12)
BODY_FONT = Font(name="Times New Roman", size=12)
TITLE_FONT = Font(name="Times New Roman", bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    format: str = ""  # COUNT, SHARE or "" for text


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def write_table(ws: Worksheet, *, title: str, subtitle: str = "", columns: Sequence[Column], rows: Sequence[Sequence],
                total: Sequence | None = None, landscape: bool = True, bold_rows: frozenset[int] = frozenset()) -> None:
    """A titled table with borders, widths, number formats, print area and repeated header row;
    the total row and the rows numbered in `bold_rows` (subtotals, 0-based in `rows`) in bold."""
    ncols = len(columns)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 36
    header_row = 3
    if subtitle:
        ws.merge_cells(f"A2:{last}2")
        ws["A2"] = subtitle
        ws["A2"].font = Font(name="Times New Roman", italic=True, size=12)
        ws["A2"].alignment = CENTER
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=i, value=col.header)
        cell.font, cell.alignment, cell.border = HEAD_FONT, CENTER, BORDER
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[header_row].height = 45
    data = list(rows) + ([total] if total is not None else [])
    for r, values in enumerate(data, start=header_row + 1):
        for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=r, column=i, value=value)
            cell.border = BORDER
            bold = (total is not None and r == header_row + len(data)) or (r - header_row - 1) in bold_rows
            cell.font = HEAD_FONT if bold else BODY_FONT
            if col.format:
                cell.number_format = col.format
            else:
                cell.alignment = WRAP
    end = header_row + len(data)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_area = f"A1:{last}{max(end, header_row)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
    keep_as_text(ws, min_row=header_row + 1)


LEVEL_COLUMNS = (
    Column("Tổng số", 10, COUNT), Column("Được xếp loại", 11, COUNT),
    Column("HTXSNV", 10, COUNT), Column("Tỷ lệ HTXSNV (trên số HTTNV trở lên)", 14, SHARE),
    Column("HTTNV", 10, COUNT), Column("HTTNV trở lên", 11, COUNT), Column("Tỷ lệ HTTNV trở lên", 12, SHARE),
    Column("HTNV", 10, COUNT), Column("Tỷ lệ HTNV", 10, SHARE),
    Column("KHTNV", 10, COUNT), Column("Tỷ lệ KHTNV", 10, SHARE),
    Column("Không xếp loại", 11, COUNT), Column("Chưa có quyết định", 11, COUNT),
)


def level_values(t: Tally) -> list:
    """The cells of LEVEL_COLUMNS for one tally."""
    return [
        t.total, t.rated, t.excellent, _share(t.excellent, t.good_or_above), t.good, t.good_or_above,
        _share(t.good_or_above, t.rated), t.passing, _share(t.passing, t.rated), t.failing, _share(t.failing, t.rated),
        t.not_rated_total, t.pending,
    ]


@dataclass(frozen=True)
class Subtotal:
    """A row that adds up the rows above it, as a sentence of the report prints the sum (bold, no number)."""

    label: str
    tally: Tally


def _level_sheet(wb: Workbook, name: str, title: str, first: str, rows: Sequence[tuple[str, Tally] | Subtotal],
                 total: Tally | None):
    """One row per group (numbered), subtotals where the report prints a sum of groups, the total."""
    ws = wb.create_sheet(name)
    columns = (Column("STT", 6), Column(first, 42), *LEVEL_COLUMNS)
    body, bold, number = [], set(), 0
    for row in rows:
        if isinstance(row, Subtotal):
            bold.add(len(body))
            body.append(["", row.label, *level_values(row.tally)])
        else:
            number += 1
            body.append([number, row[0], *level_values(row[1])])
    total_row = ["", "Tổng cộng", *level_values(total)] if total is not None else None
    write_table(ws, title=title, columns=columns, rows=body, total=total_row, bold_rows=frozenset(bold))
    return ws


def year_end_workbook(figures: YearEndFigures, *, reference: str = "") -> bytes:
    """The year-end report's tables: summary, one sheet per subject type, quarters, communes, quota flags.

    Every figure the PDF prints is a cell, sums of groups included: collectives and committees together
    (4.3), each management tier of leaders (4.3, fn 4), each quarter and each tier within it (6).
    A subject type nobody is rated in gets no row and no sheet.
    """
    wb = Workbook()
    wb.remove(wb.active)
    y = figures.year
    tallies = section_tallies(figures)
    summary: list = [(SECTION_LABELS[k], t) for k, t in tallies.items() if t.total]
    both = tallies["collectives"] + tallies["committees"]
    if tallies["collectives"].total and tallies["committees"].total:
        summary.append(Subtotal("Tập thể lãnh đạo, quản lý và tập thể cấp ủy (cộng)", both))
    _level_sheet(wb, "Tổng hợp", f"KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM {y} — {figures.scope.upper()}", "Đối tượng",
                 summary, None)
    for key, sheet, first in (("organisations", "Tổ chức đảng", "Loại tổ chức đảng"),
                              ("committees", "Cấp ủy", "Tập thể cấp ủy"),
                              ("collectives", "Tập thể lãnh đạo", "Khối")):
        section = getattr(figures, key)
        if section.tally.total:
            _level_sheet(wb, sheet, f"{SECTION_LABELS[key].upper()} — NĂM {y}", first,
                         [(_capital(g.label), g.tally) for g in section.groups], section.tally)
    if figures.leaders.total:
        _level_sheet(wb, "Cán bộ", f"CÁN BỘ LÃNH ĐẠO, QUẢN LÝ — NĂM {y}", "Diện quản lý — nhóm chức danh",
                     _tier_rows(figures.leader_tiers), figures.leaders)
    if figures.members.total:
        _members_sheet(wb, figures)
    if figures.quarters:
        _quarters_sheet(wb, figures)
    if figures.is_rollup:
        _communes_sheet(wb, figures)
    _flags_sheet(wb, figures)
    wb.properties.title = f"Báo cáo {reference} năm {y}".strip()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _members_sheet(wb: Workbook, figures: YearEndFigures) -> None:
    m = figures.members
    ws = wb.create_sheet("Đảng viên")
    rows = [["Tổng số đảng viên tại thời điểm đánh giá", m.total, None],
            ["Tham gia đánh giá, xếp loại", m.rated, _share(m.rated, m.total)],
            ["Không tham gia đánh giá", m.not_rated_total, _share(m.not_rated_total, m.total)]]
    rows += [[f"   — {r.label}", r.count, _share(r.count, m.total)] for r in m.not_rated]
    rows += [["Hoàn thành tốt nhiệm vụ trở lên", m.good_or_above, _share(m.good_or_above, m.rated)],
             [f"   trong đó {LEVEL_LABELS['excellent'].lower()}", m.excellent, _share(m.excellent, m.good_or_above)]]
    rows += [[LEVEL_LABELS[n], m.level(n), _share(m.level(n), m.rated)] for n in LEVEL_FIELDS]
    write_table(ws, title=f"XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {figures.year}",
                columns=(Column("Nội dung", 52), Column("Số lượng", 12, COUNT), Column("Tỷ lệ", 10, SHARE)),
                rows=rows, landscape=False)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tier_rows(tiers) -> list:
    """Each tier's position groups, then the tier's subtotal: the sum its sentence prints [000 §4.3, §6]."""
    rows: list = []
    for s in tiers:
        rows += [(f"{_capital(s.label)} — {g.label}", g.tally) for g in s.groups]
        rows.append(Subtotal(f"Cộng cán bộ {s.label}", s.tally))
    return rows


def _quarters_sheet(wb: Workbook, figures: YearEndFigures) -> None:
    """Each quarter's groups by tier, each tier's subtotal and the quarter's subtotal, as section 6 prints them."""
    ws = wb.create_sheet("Hằng quý")
    columns = (Column("Quý", 12), Column("Diện quản lý", 34), Column("Nhóm chức danh", 42), *LEVEL_COLUMNS)
    rows, bold = [], set()
    for q in figures.quarters:
        if not any(s.tally.total for s in q.tiers):
            continue
        when = f"{q.quarter}/{q.year}"
        for s in q.tiers:
            rows += [[when, s.label, g.label, *level_values(g.tally)] for g in s.groups]
            bold.add(len(rows))
            rows.append([when, s.label, f"Cộng cán bộ {s.label}", *level_values(s.tally)])
        bold.add(len(rows))
        rows.append([when, "", f"Cộng quý {q.quarter}/{q.year}", *level_values(total_of(s.tally for s in q.tiers))])
    write_table(ws, title="ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ LÃNH ĐẠO, QUẢN LÝ HẰNG QUÝ", columns=columns, rows=rows,
                bold_rows=frozenset(bold))


COMMUNE_COLUMNS = (
    ("organisations", "Tổ chức đảng"), ("committees", "Tập thể cấp ủy"),
    ("collectives", "Tập thể lãnh đạo, quản lý"), ("leaders", "Cán bộ lãnh đạo, quản lý"), ("members", "Đảng viên"),
)


def _communes_sheet(wb: Workbook, figures: YearEndFigures) -> None:
    ws = wb.create_sheet("Theo xã")
    columns = [Column("STT", 6), Column("Mã", 12), Column("Đảng bộ", 34)]
    for _, label in COMMUNE_COLUMNS:
        columns += [Column(f"{label}: xếp loại", 11, COUNT), Column(f"{label}: HTTNV trở lên", 11, COUNT),
                    Column(f"{label}: HTXSNV", 11, COUNT)]
    columns.append(Column("Đảng viên: tổng số", 11, COUNT))
    rows = []
    for i, c in enumerate(figures.communes, start=1):
        row = [i, c.key, c.name]
        for key, _ in COMMUNE_COLUMNS:
            t = getattr(c, key)
            row += [t.rated, t.good_or_above, t.excellent]
        rows.append(row + [c.members.total])
    totals = section_tallies(figures)
    total = ["", "", "Tổng cộng"]
    for key, _ in COMMUNE_COLUMNS:
        total += [totals[key].rated, totals[key].good_or_above, totals[key].excellent]
    total.append(totals["members"].total)
    write_table(ws, title=f"KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM {figures.year} THEO TỪNG ĐẢNG BỘ", columns=columns,
                rows=rows, total=total)


def _flags_sheet(wb: Workbook, figures: YearEndFigures) -> None:
    ws = wb.create_sheet("Vượt tỷ lệ")
    rows = [[f.section, f.group, f.excellent, f.base, f.allowed] for f in figures.quota_flags]
    write_table(ws, title="NHÓM CÓ SỐ HOÀN THÀNH XUẤT SẮC NHIỆM VỤ VƯỢT TỶ LỆ", columns=(
        Column("Đối tượng", 30), Column("Nhóm", 50), Column("Số HTXSNV", 12, COUNT),
        Column("Số HTTNV trở lên", 14, COUNT), Column("Số HTXSNV được phép", 14, COUNT),
    ), rows=rows, landscape=False)


def single_table_workbook(*, sheet: str, title: str, subtitle: str = "", columns: Sequence[Column],
                          rows: Sequence[Sequence], total: Sequence | None = None, landscape: bool = True) -> bytes:
    """A workbook holding one table (summary sheets, multi-year tables, lists)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    write_table(ws, title=title, subtitle=subtitle, columns=columns, rows=rows, total=total, landscape=landscape)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
