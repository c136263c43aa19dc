"""Export a criteria framework to XLSX and read one back, with Vietnamese row/column errors.

Three sheets: «Thông tin» (settings), «Tiêu chí» (one row per group or criterion, parent by
code) and «Điều kiện» (condition caps). Everything a person reads is Vietnamese: settings by
their names, conditions by their names, reason templates with words for their figures
("[số vượt mức]"); reading accepts those (and the codes of older files). Reading only parses
and checks cells; the service `framework_import` checks the framework as a whole with the
engine's one validator and writes it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import FieldDoesNotExist
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from appraisal.frameworks.selectors import cap_rows, criterion_rows, settings_of
from appraisal.models import (
    AxisWeight,
    ConditionCap,
    Criterion,
    CriterionKind,
    Framework,
    LevelCode,
    Rounding,
    SubjectType,
)
from appraisal.rules import (
    CONDITION_NAMES,
    SETTING_LABELS,
    SETTINGS_FIELDS,
    CapRow,
    CriterionRow,
    FrameworkSettings,
    condition_name,
    template_from_words,
    words_from_template,
)
from core.vntext import fold, nfc
from core.xlsx import UnreadableWorkbook, keep_as_text, open_workbook

# Read whole (not read-only: the three sheets are cross-checked), where openpyxl holds some 50
# times the XML in memory; a framework's export unpacks to well under 1 MB.
MAX_UNPACKED_BYTES = 8 * 1024 * 1024
SETTINGS_SHEET = "Thông tin"
CRITERIA_SHEET = "Tiêu chí"
CAPS_SHEET = "Điều kiện"
CRITERIA_COLUMNS = (
    "Mã", "Mã nhóm cha", "Nội dung", "Hướng dẫn chấm", "Điểm tối đa", "Loại",
    "Trọng tâm", "Trục kết quả", "Vai trò trục",
)
CAPS_COLUMNS = ("Điều kiện", "Mức cao nhất", "Hạ thêm một mức", "Lý do", "Căn cứ", "Áp dụng")
YES, NO = "Có", "Không"
KIND_BY_LABEL = {label.lower(): value for value, label in CriterionKind.choices}
WEIGHT_BY_LABEL = {label.lower(): value for value, label in AxisWeight.choices}
# A setting is named by its Vietnamese label (older files: by its field name).
SETTING_BY_NAME = {fold(SETTING_LABELS[n]): n for n in SETTINGS_FIELDS} | {n: n for n in SETTINGS_FIELDS}
SETTING_HINTS = {
    "exceeded_share": "0,5 là 50%; 0 là không xét",
    "short_share_max": "0,2 là 20%",
    "quota_share": "0,2 là 20%",
    "quota_base_level": "HTXSNV, HTTNV, HTNV hoặc KHTNV",
}
# A condition is named by its Vietnamese name (older files: by its code).
CONDITION_BY_NAME = {fold(name): code for code, name in CONDITION_NAMES.items()} | {c: c for c in CONDITION_NAMES}
DECIMAL_SETTINGS = {
    "threshold_excellent", "threshold_good", "threshold_pass", "exceeded_share",
    "short_share_max", "quota_share",
}


@dataclass
class ParsedFramework:
    """What an XLSX file holds, or the errors that stop it from being imported."""

    settings: FrameworkSettings | None = None
    rows: list[CriterionRow] = field(default_factory=list)
    caps: list[CapRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- export


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool):
        return YES if value else NO
    return value


def export_framework(framework: Framework) -> bytes:
    """Write the framework's settings, criteria and caps to an XLSX workbook."""
    wb = Workbook()
    info = wb.active
    info.title = SETTINGS_SHEET
    info.append(["Thông số", "Ghi chú", "Giá trị"])
    settings = settings_of(framework)
    for name in SETTINGS_FIELDS:
        info.append([SETTING_LABELS[name], SETTING_HINTS.get(name), _setting_cell(name, getattr(settings, name))])

    crit = wb.create_sheet(CRITERIA_SHEET)
    crit.append(list(CRITERIA_COLUMNS))
    for row in criterion_rows(framework):
        crit.append([
            row.code, row.parent_code or None, row.title, row.guidance or None, _plain(row.max_points),
            CriterionKind(row.kind).label, YES if row.is_key else NO, row.axis,
            AxisWeight(row.axis_weight).label if row.axis_weight else None,
        ])

    caps = wb.create_sheet(CAPS_SHEET)
    caps.append(list(CAPS_COLUMNS))
    for cap in cap_rows(framework):
        caps.append([
            condition_name(cap.condition), cap.max_level or None, YES if cap.step_down else NO,
            words_from_template(cap.reason), cap.source or None, YES if cap.enabled else NO,
        ])

    for sheet, widths in ((info, (40, 30, 60)), (crit, (8, 10, 70, 50, 10, 12, 10, 10, 18)), (caps, (50, 12, 10, 70, 24, 10))):
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        keep_as_text(sheet, min_row=2)
    for cells in crit.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _setting_cell(name: str, value):
    """A setting as its cell shows it: the subject type and the rounding by their Vietnamese names."""
    if name == "subject_type":
        return SubjectType(value).label
    if name == "quota_rounding":
        return Rounding(value).label
    return _plain(value)


# ---------------------------------------------------------------- import


def _field(model, name: str):
    """The model's field `name`, or None if the model has no such field."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class _Cells:
    """Reads typed values from one sheet row, collecting errors that name sheet, row and column."""

    def __init__(self, sheet: str, row: int, errors: list[str], headers: tuple[str, ...]):
        self.sheet, self.row, self.errors, self.headers = sheet, row, errors, headers

    @property
    def where(self) -> str:
        return f"Trang «{self.sheet}», dòng {self.row}"

    def error(self, col: int, message: str) -> None:
        letter = get_column_letter(col + 1)
        self.errors.append(f"{self.where}, cột {letter} ({self.headers[col]}): {message}")

    def text(self, values, col: int, required: bool = False, limit_of=None) -> str:
        """The cell as text; `limit_of` is the model field it is stored in, whose length it may not pass."""
        value = values[col] if col < len(values) else None
        text = "" if value is None else nfc(str(value)).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if required and not text:
            self.error(col, "chưa nhập.")
        limit = getattr(limit_of, "max_length", None)
        if limit and len(text) > limit:
            self.error(col, f"dài {len(text)} ký tự, tối đa {limit} ký tự.")
        return text

    def decimal(self, values, col: int) -> Decimal | None:
        text = self.text(values, col)
        if not text:
            self.error(col, "chưa nhập.")
            return None
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            self.error(col, f"«{text}» không phải là số.")
            return None

    def boolean(self, values, col: int, default: bool = False) -> bool:
        text = self.text(values, col).lower()
        if not text:
            return default
        if text in ("có", "x", "1", "true", "yes"):
            return True
        if text in ("không", "0", "false", "no"):
            return False
        self.error(col, f"«{text}» phải là «{YES}» hoặc «{NO}».")
        return default

    def choice(self, values, col: int, mapping: dict[str, str], allowed: str) -> str:
        text = self.text(values, col)
        if not text:
            return ""
        found = mapping.get(text.lower())
        if found is None:
            self.error(col, f"«{text}» không hợp lệ; chọn một trong: {allowed}.")
            return ""
        return found


def _sheet(wb, name: str, errors: list[str]):
    if name not in wb.sheetnames:
        errors.append(f"Tệp thiếu trang «{name}».")
        return None
    return wb[name]


def _rows(sheet):
    for index, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if any(v not in (None, "") for v in values):
            yield index, values


def read_framework(data: bytes, *, name: str = "") -> ParsedFramework:
    """Parse an XLSX workbook exported by `export_framework` (or filled in by hand); `name` is the
    uploaded file's, for the message of a file that cannot be read."""
    parsed = ParsedFramework()
    try:
        with open_workbook(data, name=name, read_only=False, max_unpacked=MAX_UNPACKED_BYTES) as wb:
            info = _sheet(wb, SETTINGS_SHEET, parsed.errors)
            crit = _sheet(wb, CRITERIA_SHEET, parsed.errors)
            caps = _sheet(wb, CAPS_SHEET, parsed.errors)
            if parsed.errors:
                return parsed
    except UnreadableWorkbook as exc:
        parsed.errors.append(exc.message)
        return parsed
    parsed.settings = _read_settings(info, parsed.errors)
    parsed.rows = _read_criteria(crit, parsed.errors)
    parsed.caps = _read_caps(caps, parsed.errors)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(f"Trang «{CRITERIA_SHEET}» chưa có tiêu chí nào.")
    return parsed


def _read_settings(sheet, errors: list[str]) -> FrameworkSettings | None:
    headers = ("Thông số", "Ghi chú", "Giá trị")
    values: dict[str, object] = {}
    before = len(errors)
    subject_by = {v: v for v in SubjectType.values} | {label.lower(): v for v, label in SubjectType.choices}
    level_by = {v.lower(): v for v in LevelCode.values}
    rounding_by = {v.lower(): v for v in Rounding.values} | {label.lower(): v for v, label in Rounding.choices}
    for index, row in _rows(sheet):
        cells = _Cells(SETTINGS_SHEET, index, errors, headers)
        label = cells.text(row, 0)
        name = SETTING_BY_NAME.get(fold(label)) or SETTING_BY_NAME.get(label)
        if name is None:
            cells.error(0, f"thông số «{label}» không có trong khung tiêu chí.")
            continue
        if name in DECIMAL_SETTINGS:
            values[name] = cells.decimal(row, 2)
        elif name in ("year", "small_group_size"):
            number = cells.decimal(row, 2)
            if number is not None and number != number.to_integral_value():
                cells.error(2, "phải là số nguyên.")
            values[name] = int(number) if number is not None else None
        elif name == "small_group_requires_all":
            values[name] = cells.boolean(row, 2, default=True)
        elif name == "subject_type":
            values[name] = cells.choice(row, 2, subject_by, ", ".join(SubjectType.labels))
        elif name == "quota_base_level":
            values[name] = cells.choice(row, 2, level_by, ", ".join(LevelCode.values))
        elif name == "quota_rounding":
            values[name] = cells.choice(row, 2, rounding_by, ", ".join(Rounding.labels))
        else:
            values[name] = cells.text(row, 2, required=name in ("code", "name"), limit_of=_field(Framework, name))
    missing = [SETTING_LABELS[n] for n in SETTINGS_FIELDS if n not in values]
    if missing:
        errors.append(f"Trang «{SETTINGS_SHEET}» thiếu thông số: {', '.join(missing)}.")
    if len(errors) > before:
        return None
    return FrameworkSettings(**values)


def _read_criteria(sheet, errors: list[str]) -> list[CriterionRow]:
    rows = []
    kinds = ", ".join(CriterionKind.labels)
    weights = ", ".join(AxisWeight.labels)
    kind_by = KIND_BY_LABEL | {v: v for v in CriterionKind.values}
    weight_by = WEIGHT_BY_LABEL | {v: v for v in AxisWeight.values}
    for index, values in _rows(sheet):
        cells = _Cells(CRITERIA_SHEET, index, errors, CRITERIA_COLUMNS)
        before = len(errors)
        code = cells.text(values, 0, required=True, limit_of=_field(Criterion, "code"))
        parent = cells.text(values, 1)
        title = cells.text(values, 2, required=True, limit_of=_field(Criterion, "title"))
        guidance = cells.text(values, 3)
        points = cells.decimal(values, 4)
        kind = cells.choice(values, 5, kind_by, kinds)
        if not kind and not cells.text(values, 5):
            cells.error(5, f"chưa nhập; chọn một trong: {kinds}.")
        key = cells.boolean(values, 6)
        axis_text = cells.text(values, 7)
        axis = None
        if axis_text:
            if axis_text in {"1", "2", "3", "4", "5", "6"}:
                axis = int(axis_text)
            else:
                cells.error(7, f"«{axis_text}» phải là số từ 1 đến 6.")
        weight = cells.choice(values, 8, weight_by, weights)
        if len(errors) == before:
            rows.append(CriterionRow(
                code=code, parent_code=parent, title=title, guidance=guidance, max_points=points,
                kind=kind, is_key=key, axis=axis, axis_weight=weight, where=cells.where,
            ))
    return rows


def _read_caps(sheet, errors: list[str]) -> list[CapRow]:
    caps = []
    level_by = {v.lower(): v for v in LevelCode.values}
    for index, values in _rows(sheet):
        cells = _Cells(CAPS_SHEET, index, errors, CAPS_COLUMNS)
        before = len(errors)
        named = cells.text(values, 0, required=True)
        condition = CONDITION_BY_NAME.get(fold(named)) or CONDITION_BY_NAME.get(named)
        if named and condition is None:
            cells.error(0, f"«{named}» không phải là tên một điều kiện hạ mức.")
        level = cells.choice(values, 1, level_by, ", ".join(LevelCode.values))
        step_down = cells.boolean(values, 2)
        reason = template_from_words(cells.text(values, 3, required=True))
        source = cells.text(values, 4, limit_of=_field(ConditionCap, "source"))
        enabled = cells.boolean(values, 5, default=True)
        if len(errors) == before:
            caps.append(CapRow(
                condition=condition, max_level=level, step_down=step_down, reason=reason,
                source=source, enabled=enabled, where=cells.where,
            ))
    return caps
