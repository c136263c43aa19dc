"""Trial pages (chấm thử, thử tỷ lệ, kiểm phiếu): form input → engine input → rows to show.

Nothing here touches the database. The views load a framework (`appraisal.queries`), these
functions turn what staff typed into the engine's dataclasses (`appraisal.rules`), and turn
what the engine answers into plain rows for the templates, so a user sees *why* a level is
what it is, with the source of every rule [issue 3; STYLE].
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from appraisal.rules import (
    BallotOutcome,
    BallotTally,
    CriterionEntry,
    CriterionLevel,
    CriterionSpec,
    Facts,
    Flag,
    FrameworkSpec,
    GroupSpec,
    Level,
    QuotaCandidate,
    QuotaOutcome,
    QuotaSettings,
    RatingInputError,
    RatingResult,
    Reason,
    ScoringKind,
    SubjectType,
    SubjectVotes,
    apply_quota,
    condition_codes,
    count_ballots,
    rate,
    score_qualitative,
    score_quantitative,
)
from appraisal.rules._text import fmt_number, fmt_percent, fmt_ratio
from core.vntext import fold, nfc
from core.xlsx import xlsx_problem

from . import queries
from .models import Framework
from .services import frameworks as services

# ---------------------------------------------------------------- loading the framework


@dataclass(frozen=True)
class LoadedFramework:
    """The engine spec of a framework, or the problems that keep it from being tried."""

    spec: FrameworkSpec | None
    problems: tuple[str, ...]


def load_spec(framework: Framework) -> LoadedFramework:
    """Build the engine spec from a framework loaded with its tree; problems if it is not valid."""
    settings = queries.settings_of(framework)
    rows = queries.criterion_rows(framework)
    problems = services.check_framework(settings, rows, queries.cap_rows(framework))
    if problems:
        return LoadedFramework(None, tuple(problems))
    return LoadedFramework(queries.spec_from_rows(settings, rows, queries.cap_rows(framework)), ())


def quota_settings(framework: Framework) -> QuotaSettings:
    """The framework's quota settings (share, base level, rounding, small groups) [002 §4.1]."""
    return queries.spec_from_rows(queries.settings_of(framework), [], []).quota


# ---------------------------------------------------------------- facts the conditions need


@dataclass(frozen=True)
class FactField:
    """One input of the "facts" part of the trial form: a `Facts` field (or the quarters)."""

    name: str
    label: str
    kind: str  # count, bool, pct, level, discipline, org_kind, quarters
    section: str
    help: str = ""


TASKS = "Nhiệm vụ được giao"
CONDUCT = "Kỷ luật, phẩm chất"
COLLECTIVE = "Người đứng đầu và tập thể"
QUARTERS = "Kết quả các quý trong năm"
SUBORDINATES = "Tổ chức trực thuộc, đảng viên"
ORGANISATION = "Tổ chức đảng, cấp ủy"

FACT_FIELDS: tuple[FactField, ...] = (
    FactField("tasks_assigned", "Số nhiệm vụ được giao", "count", TASKS),
    FactField("tasks_done", "Số nhiệm vụ hoàn thành", "count", TASKS),
    FactField("tasks_force_majeure", "Số nhiệm vụ không hoàn thành do bất khả kháng (đã được xác nhận)", "count", TASKS),
    FactField("tasks_on_time", "Số nhiệm vụ đúng tiến độ, bảo đảm chất lượng", "count", TASKS,
              "Để trống: bằng số nhiệm vụ hoàn thành."),
    FactField("tasks_exceeded", "Số nhiệm vụ hoàn thành vượt mức", "count", TASKS),
    FactField("outstanding", "Có kết quả nổi trội, vượt mức yêu cầu (điển hình để học tập)", "bool", TASKS),
    FactField("discipline", "Hình thức kỷ luật", "discipline", CONDUCT),
    FactField("discipline_self_remedied", "Kỷ luật: đã tự phát hiện và khắc phục xong hậu quả", "bool", CONDUCT),
    FactField("degradation", "Bị kết luận suy thoái, “tự diễn biến”, “tự chuyển hóa”", "bool", CONDUCT),
    FactField("managed_corruption", "Trong phạm vi quản lý trực tiếp xảy ra tham nhũng, lãng phí, tiêu cực bị xử lý kỷ luật", "bool", CONDUCT),
    FactField("managed_corruption_excused", "Vụ việc: không thể biết hoặc đã thực hiện các biện pháp phòng ngừa", "bool", CONDUCT),
    FactField("managed_corruption_remedied", "Vụ việc: đã chủ động phát hiện, xử lý, khắc phục", "bool", CONDUCT),
    FactField("low_confidence_votes", "Số phiếu tín nhiệm thấp", "count", CONDUCT),
    FactField("confidence_votes_cast", "Tổng số phiếu lấy tín nhiệm", "count", CONDUCT),
    FactField("is_head", "Là người đứng đầu tập thể", "bool", COLLECTIVE),
    FactField("in_collective", "Là cấp phó, thành viên tập thể lãnh đạo, quản lý", "bool", COLLECTIVE),
    FactField("collective_level", "Mức xếp loại của tập thể do mình đứng đầu", "level", COLLECTIVE),
    FactField("collective_targets_pct", "Tỷ lệ chỉ tiêu, nhiệm vụ tập thể hoàn thành (%)", "pct", COLLECTIVE),
    FactField("quarter_levels", "Mức xếp loại từng quý", "quarters", QUARTERS),
    FactField("org_kind", "Loại tổ chức cơ sở đảng", "org_kind", SUBORDINATES),
    FactField("sub_total", "Tổng số tổ chức trực thuộc (đảng bộ cơ sở) hoặc đảng viên (chi bộ cơ sở)", "count", SUBORDINATES),
    FactField("sub_pass_or_above", "Số xếp loại Hoàn thành nhiệm vụ trở lên", "count", SUBORDINATES),
    FactField("sub_good_or_above", "Số xếp loại Hoàn thành tốt nhiệm vụ trở lên", "count", SUBORDINATES),
    FactField("sub_disciplined", "Số bị kỷ luật", "count", SUBORDINATES),
    FactField("leadership_level", "Mức xếp loại tập thể lãnh đạo đơn vị, đoàn thể cùng cấp", "level", ORGANISATION),
    FactField("committee_member_discipline", "Cấp ủy viên bị kỷ luật (hình thức cao nhất)", "discipline", ORGANISATION),
    FactField("committee_member_discipline_remedied", "Cấp ủy viên bị kỷ luật: đã tự phát hiện, khắc phục", "bool", ORGANISATION),
    FactField("sub_unit_violation", "Đơn vị trực thuộc có tham nhũng, tiêu cực, vi phạm bị xử lý kỷ luật", "bool", ORGANISATION),
    FactField("sub_unit_violation_remedied", "Vi phạm ở đơn vị trực thuộc: đã tự phát hiện, khắc phục", "bool", ORGANISATION),
    FactField("targets_pct", "Tỷ lệ chỉ tiêu, nhiệm vụ được giao đã hoàn thành (%)", "pct", ORGANISATION),
    FactField("main_targets_missed", "Có chỉ tiêu chủ yếu không đạt 100% (không do bất khả kháng)", "bool", ORGANISATION),
    FactField("org_disciplined", "Tổ chức đảng bị xử lý kỷ luật", "bool", ORGANISATION),
    FactField("committee_disciplined", "Tập thể cấp ủy bị xử lý kỷ luật", "bool", ORGANISATION),
    FactField("committee_discipline_remedied", "Tập thể bị kỷ luật: đã tự phát hiện, khắc phục", "bool", ORGANISATION),
    FactField("organisation_level", "Mức xếp loại của tổ chức đảng (cấp ủy không cao hơn)", "level", ORGANISATION),
    FactField("disunity", "Bị kết luận mất đoàn kết nội bộ", "bool", ORGANISATION),
    FactField("degraded_member", "Có thành viên bị kết luận suy thoái, “tự diễn biến”, “tự chuyển hóa”", "bool", ORGANISATION),
)
FACT_BY_NAME = {f.name: f for f in FACT_FIELDS}

# Which facts each condition of the engine reads (see appraisal/rules/conditions.py). A test
# checks that every code `condition_codes()` returns is listed, so a new condition cannot be
# forgotten here. Conditions on criterion levels read the scores alone.
CONDITION_FACTS: dict[str, tuple[str, ...]] = {
    "tasks_incomplete": ("tasks_assigned", "tasks_done", "tasks_force_majeure"),
    "exceeded_below_share": ("tasks_assigned", "tasks_force_majeure", "tasks_exceeded"),
    "tasks_not_on_time": ("tasks_assigned", "tasks_done", "tasks_force_majeure", "tasks_on_time"),
    "not_outstanding": ("outstanding",),
    "disciplined": ("discipline",),
    "disciplined_in_year": ("discipline", "discipline_self_remedied"),
    "degradation": ("degradation",),
    "managed_corruption": ("managed_corruption", "managed_corruption_excused", "managed_corruption_remedied"),
    "head_above_collective": ("is_head", "collective_level"),
    "collective_below_70_head": ("is_head", "collective_targets_pct"),
    "collective_below_70_member": ("in_collective", "collective_targets_pct"),
    "quarter_failed": ("quarter_levels",),
    "low_confidence_over_half": ("low_confidence_votes", "confidence_votes_cast"),
    "members_not_all_pass": ("org_kind", "sub_total", "sub_pass_or_above"),
    "suborgs_not_all_pass": ("org_kind", "sub_total", "sub_pass_or_above"),
    "sub_good_below_80": ("org_kind", "sub_total", "sub_good_or_above"),
    "sub_good_below_50": ("org_kind", "sub_total", "sub_good_or_above"),
    "sub_disciplined_over_20": ("org_kind", "sub_total", "sub_disciplined"),
    "leadership_below_good": ("leadership_level",),
    "leadership_below_pass": ("leadership_level",),
    "committee_member_disciplined": ("committee_member_discipline", "committee_member_discipline_remedied"),
    "committee_member_disciplined_remedied": ("committee_member_discipline", "committee_member_discipline_remedied"),
    "sub_unit_violation": ("sub_unit_violation", "sub_unit_violation_remedied"),
    "targets_below_half": ("targets_pct",),
    "main_targets_missed": ("main_targets_missed",),
    "org_disciplined": ("org_disciplined", "committee_disciplined"),
    "above_organisation": ("organisation_level",),
    "disunity_or_degraded": ("disunity", "degraded_member"),
    "committee_disciplined": ("committee_disciplined", "committee_discipline_remedied"),
    "committee_disciplined_remedied": ("committee_disciplined", "committee_discipline_remedied"),
    "member_disciplined_warning": ("committee_member_discipline",),
    "criteria_below_good": (),
    "criteria_below_average": (),
    "criteria_poor": (),
    "key_below_excellent": (),
    "key_below_good": (),
    "short_over_share": (),
    "key_not_completed_over_half": (),
}
# Conditions that read a mark on each criterion rather than a fact: the mark's input name.
CRITERION_MARKS: dict[str, str] = {"short_over_share": "short", "key_not_completed_over_half": "not_done"}


def fact_fields(subject_type: SubjectType) -> tuple[FactField, ...]:
    """The facts the engine's conditions for this subject type read, in form order [DOMAIN §6]."""
    wanted = {name for code in condition_codes(subject_type) for name in CONDITION_FACTS[code]}
    return tuple(f for f in FACT_FIELDS if f.name in wanted)


def criterion_marks(subject_type: SubjectType) -> frozenset[str]:
    """Per-criterion marks ("not completed", "short on quality or timing") the conditions read."""
    codes = condition_codes(subject_type)
    return frozenset(mark for code, mark in CRITERION_MARKS.items() if code in codes)


def facts_from(values: dict, subject_type: SubjectType) -> Facts:
    """Build `Facts` from cleaned form values; facts not asked for keep their neutral default."""
    kwargs = {}
    for f in fact_fields(subject_type):
        value = values.get(f.name)
        if f.kind == "quarters":
            kwargs[f.name] = tuple(level for level in value or () if level is not None)
        elif value is not None:
            kwargs[f.name] = value
    return Facts(**kwargs)


def check_facts(values: dict) -> list[tuple[str, str]]:
    """Counts that contradict each other, as (field name, Vietnamese message) pairs."""
    errors = []

    def more(small: str, big: str, message: str) -> None:
        a, b = values.get(small), values.get(big)
        if a is not None and b is not None and a > b:
            errors.append((small, message.format(a=a, b=b)))

    assigned, done, excused = (values.get(k) for k in ("tasks_assigned", "tasks_done", "tasks_force_majeure"))
    if None not in (assigned, done, excused) and done + excused > assigned:
        errors.append((
            "tasks_done",
            f"Số nhiệm vụ hoàn thành ({done}) cộng số bất khả kháng ({excused}) vượt số nhiệm vụ được giao ({assigned}).",
        ))
    more("tasks_on_time", "tasks_done", "Số nhiệm vụ đúng tiến độ ({a}) vượt số nhiệm vụ hoàn thành ({b}).")
    more("tasks_exceeded", "tasks_done", "Số nhiệm vụ vượt mức ({a}) vượt số nhiệm vụ hoàn thành ({b}).")
    more("low_confidence_votes", "confidence_votes_cast", "Số phiếu tín nhiệm thấp ({a}) vượt tổng số phiếu ({b}).")
    more("sub_pass_or_above", "sub_total", "Số xếp loại Hoàn thành nhiệm vụ trở lên ({a}) vượt tổng số ({b}).")
    more("sub_good_or_above", "sub_pass_or_above",
         "Số xếp loại Hoàn thành tốt nhiệm vụ trở lên ({a}) vượt số Hoàn thành nhiệm vụ trở lên ({b}).")
    more("sub_disciplined", "sub_total", "Số bị kỷ luật ({a}) vượt tổng số ({b}).")
    return errors


# ---------------------------------------------------------------- criteria


@dataclass(frozen=True)
class SheetLine:
    """A group or criterion of the framework in tree order, with its depth."""

    depth: int
    node: GroupSpec | CriterionSpec
    index: int | None  # position among the criteria (None for a group)

    @property
    def is_group(self) -> bool:
        return self.index is None

    @property
    def max_points_text(self) -> str:
        return fmt_number(self.node.max_points)


def sheet_lines(spec: FrameworkSpec) -> list[SheetLine]:
    """The framework's groups and criteria depth-first; criteria numbered in framework order."""
    lines: list[SheetLine] = []
    counter = iter(range(len(spec.criteria())))

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, GroupSpec):
                lines.append(SheetLine(depth, node, None))
                walk(node.children, depth + 1)
            else:
                lines.append(SheetLine(depth, node, next(counter)))

    walk(spec.groups, 0)
    return lines


def criterion_entry(criterion: CriterionSpec, values: dict) -> tuple[CriterionEntry | None, list[tuple[str, str]]]:
    """Turn one criterion's cleaned inputs into an engine entry, or (field, message) errors naming its code.

    Quantitative: achieved ≥ 0 and plan > 0. Qualitative: a level and/or points, the points
    inside the level's band [003 C.I.1.4]; the engine's own checks word the message.
    """
    code = criterion.code
    marks = {"completed": not values.get("not_done", False), "short": bool(values.get("short", False))}
    if criterion.kind is ScoringKind.QUANTITATIVE:
        achieved, plan = values.get("achieved"), values.get("plan")
        errors = []
        if achieved is None:
            errors.append(("achieved", f"Tiêu chí «{code}»: chưa nhập kết quả đạt được."))
        if plan is None:
            errors.append(("plan", f"Tiêu chí «{code}»: chưa nhập kế hoạch (chỉ tiêu)."))
        if errors:
            return None, errors
        if achieved < 0:
            return None, [("achieved", f"Tiêu chí «{code}»: kết quả đạt được không được âm.")]
        try:
            score_quantitative(achieved, plan, criterion.max_points)
        except RatingInputError as exc:
            return None, [("plan", _with_code(code, exc))]
        return CriterionEntry(code, achieved=achieved, plan=plan, **marks), []
    level, points = values.get("level"), values.get("points")
    if level is None and points is None:
        return None, [("level", f"Tiêu chí «{code}»: cần chọn mức đánh giá hoặc nhập điểm.")]
    if points is not None and not (0 <= points <= criterion.max_points):
        return None, [(
            "points",
            f"Tiêu chí «{code}»: điểm {fmt_number(points)} phải từ 0 đến {fmt_number(criterion.max_points)}.",
        )]
    if level is not None and points is not None:
        try:
            score_qualitative(level, criterion.max_points, points)
        except RatingInputError as exc:
            return None, [("points", _with_code(code, exc))]
    return CriterionEntry(code, level=level, points=points, **marks), []


def _with_code(code: str, exc: RatingInputError) -> str:
    message = "; ".join(exc.messages)
    return f"Tiêu chí «{code}»: {message[:1].lower()}{message[1:]}"


def run_trial(spec: FrameworkSpec, entries: Iterable[CriterionEntry], facts: Facts) -> RatingResult:
    """Rate one imaginary subject; nothing is saved [DOMAIN §5–6]."""
    return rate(spec, "chấm thử", tuple(entries), facts)


@dataclass(frozen=True)
class CriterionOutcome:
    """The points and level the engine gave one criterion."""

    points: Decimal
    level: CriterionLevel

    @property
    def points_text(self) -> str:
        return fmt_number(self.points)


@dataclass(frozen=True)
class RatingExplained:
    """A rating result as the page shows it: numbers written the Vietnamese way [DOMAIN §10a]."""

    total: Decimal
    total_text: str
    score_level: Level
    level: Level
    lowered: bool
    reasons: tuple[Reason, ...]
    flags: tuple[Flag, ...]


def explain_rating(result: RatingResult | None) -> RatingExplained | None:
    """A result for display: total "97,5" (not "97.50"), both levels, every reason and flag."""
    if result is None:
        return None
    return RatingExplained(
        result.total, fmt_number(result.total), result.score_level, result.level, result.lowered,
        result.reasons, result.flags,
    )


def outcomes_by_index(result: RatingResult | None) -> dict[int, CriterionOutcome]:
    """The engine's points and level of each criterion, by its position in the framework."""
    if result is None:
        return {}
    return {i: CriterionOutcome(c.points, c.level) for i, c in enumerate(result.criteria)}


# ---------------------------------------------------------------- reading tables of subjects


class TableError(ValueError):
    """Rows that cannot be read; `messages` name the row and the column."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Column:
    title: str
    kind: str  # text, level, decimal, count
    required: bool = True
    maximum: int | None = None


@dataclass(frozen=True)
class TableRow:
    where: str  # "Dòng 3"
    values: tuple


MAX_ROWS = 2000
_SPLIT = re.compile(r"\t|;")


def split_lines(text: str) -> list[tuple[int, list[str]]]:
    """Pasted text as (line number, cells): cells split on tabs (from Excel) or semicolons."""
    rows = []
    for number, line in enumerate(nfc(text).splitlines(), start=1):
        if line.strip():
            rows.append((number, [cell.strip() for cell in _SPLIT.split(line)]))
    return rows


def xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet of an XLSX file as (row number, cells); a header row is left to the caller."""
    from openpyxl import load_workbook

    refused = xlsx_problem(content)
    if refused:
        raise TableError([refused])
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(["Không đọc được tệp: đây không phải tệp Excel .xlsx hợp lệ."]) from exc
    rows = []
    for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
        cells = ["" if v is None else _cell_text(v) for v in row]
        if any(cells):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            break
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return nfc(str(value))


def parse_table(
    rows: list[tuple[int, list[str]]], columns: tuple[Column, ...], *, where: str = "Dòng", letters: bool = False
) -> list[TableRow]:
    """Check and convert every row; raise TableError naming each bad row and column.

    A first row whose first typed column does not read (a header such as "Họ và tên; Mức…")
    is skipped. Column names are numbers for pasted text, letters for a workbook.
    """
    if len(rows) > MAX_ROWS:
        raise TableError([f"Quá nhiều dòng (tối đa {MAX_ROWS})."])
    if rows and _is_header(rows[0][1], columns):
        rows = rows[1:]
    errors: list[str] = []
    parsed: list[TableRow] = []
    seen: dict[str, str] = {}
    for number, cells in rows:
        label = f"{where} {number}"
        if len(cells) > len(columns) and any(cells[len(columns):]):
            errors.append(f"{label}: có {len(cells)} cột, chỉ cần {len(columns)} ({_titles(columns)}).")
            continue
        values, row_errors = [], []
        for position, column in enumerate(columns):
            raw = cells[position] if position < len(cells) else ""
            name = f"cột {_column_name(position, letters)} ({column.title})"
            try:
                values.append(_convert(raw, column))
            except ValueError as exc:
                row_errors.append(f"{label}, {name}: {exc}")
        if not row_errors:
            key = fold(values[0])
            if key in seen:
                row_errors.append(f"{label}, cột {_column_name(0, letters)} ({columns[0].title}): «{values[0]}» trùng với {seen[key]}.")
            seen[key] = label
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(TableRow(label, tuple(values)))
    if errors:
        raise TableError(errors)
    if not parsed:
        raise TableError(["Chưa có dòng nào: mỗi dòng một đối tượng."])
    return parsed


def _titles(columns) -> str:
    return "; ".join(c.title for c in columns)


def _column_name(position: int, letters: bool) -> str:
    return chr(ord("A") + position) if letters else str(position + 1)


def _is_header(cells: list[str], columns: tuple[Column, ...]) -> bool:
    for position, column in enumerate(columns):
        if column.kind == "text":
            continue
        raw = cells[position] if position < len(cells) else ""
        try:
            _convert(raw, column)
        except ValueError:
            return bool(re.search(r"[^\d\s,.\-]", raw))  # words, not a mistyped number
        return False
    return False


_LEVEL_WORDS = {fold(level.label): level for level in Level} | {fold(level.code): level for level in Level}


def parse_level(raw: str) -> Level:
    """A level from its code ("HTTNV") or its words, with or without tones and capitals."""
    level = _LEVEL_WORDS.get(fold(raw))
    if level is None:
        raise ValueError(f"«{raw}» không phải mức xếp loại (HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ).")
    return level


def parse_decimal(raw: str) -> Decimal:
    """A number typed the Vietnamese way ("8,5") or from a spreadsheet ("8.5")."""
    text = raw.replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"«{raw}» không phải là số.") from None
    if not value.is_finite():
        raise ValueError(f"«{raw}» không phải là số.")
    return value


def _convert(raw: str, column: Column):
    if not raw:
        if column.required:
            raise ValueError("chưa nhập.")
        return "" if column.kind == "text" else 0
    if column.kind == "text":
        return raw
    if column.kind == "level":
        return parse_level(raw)
    value = parse_decimal(raw)
    if value < 0:
        raise ValueError(f"«{raw}» không được âm.")
    if column.maximum is not None and value > column.maximum:
        raise ValueError(f"«{raw}» vượt quá {column.maximum}.")
    if column.kind == "count":
        if value != value.to_integral_value():
            raise ValueError(f"«{raw}» phải là số nguyên.")
        return int(value)
    return value


# ---------------------------------------------------------------- quota trial


QUOTA_COLUMNS = (
    Column("Tên đối tượng", "text"),
    Column("Mức xếp loại", "level"),
    Column("Điểm", "decimal"),
    Column("Số phiếu", "count", required=False),
    Column("Số quý HTXSNV", "count", required=False, maximum=4),
)
BALLOT_COLUMNS = (
    Column("Tên đối tượng", "text"),
    Column("Phiếu HTXSNV", "count", required=False),
    Column("Phiếu HTTNV", "count", required=False),
    Column("Phiếu HTNV", "count", required=False),
    Column("Phiếu KHTNV", "count", required=False),
)
_ROUNDING_WORDS = {"ROUND_HALF_UP": "làm tròn 0,5 lên", "ROUND_DOWN": "làm tròn xuống", "ROUND_UP": "làm tròn lên"}


def quota_candidates(rows: list[TableRow]) -> list[QuotaCandidate]:
    """Rows of (name, level, score, votes, HTXSNV quarters) as the engine's candidates."""
    return [QuotaCandidate(name, level, score, votes, quarters) for name, level, score, votes, quarters in rows_values(rows)]


def rows_values(rows: list[TableRow]) -> list[tuple]:
    return [row.values for row in rows]


@dataclass(frozen=True)
class QuotaLine:
    """One subject in the quota result: what was entered and what the quota does to it."""

    name: str
    where: str
    level: Level
    score: Decimal | None
    votes: int
    quarters: int
    rank: int | None
    status: str  # inside, tie, pushed, unchanged
    result: Level | None
    note: str

    @property
    def score_text(self) -> str:
        return fmt_number(self.score) if self.score is not None else ""


@dataclass(frozen=True)
class QuotaExplained:
    """The quota of a peer group with its arithmetic spelled out, and every subject's place."""

    outcome: QuotaOutcome
    arithmetic: str
    base_text: str
    lines: tuple[QuotaLine, ...]
    tie_text: str = ""
    tie_source: str = ""
    tie_names: str = ""
    source: str = ""
    ranking: str = ""


def describe_quota(settings: QuotaSettings) -> str:
    """The quota rule as the framework sets it, in one Vietnamese sentence [002 §4.1; 003 C.IV.10]."""
    level = settings.base_min_level.label
    small = f"tất cả từ {level} trở lên" if settings.small_group_requires_all else "có đối tượng đủ điều kiện"
    return (
        f"Tối đa {fmt_percent(settings.share)} số đối tượng xếp loại từ {level} trở lên trong nhóm đối tượng "
        f"tương đồng ({_ROUNDING_WORDS.get(settings.rounding, settings.rounding)}); nhóm dưới "
        f"{settings.small_group_size} đối tượng, {small}: được 01."
    )


def quota_arithmetic(base: int, group_size: int, settings: QuotaSettings) -> str:
    """Spell out the quota: "20% × 44 = 8,8 → 9 (làm tròn 0,5 lên)" [002 §4.1; 003 C.IV.10]."""
    product = settings.share * base
    rounded = int(product.to_integral_value(rounding=settings.rounding))
    text = (
        f"{fmt_percent(settings.share)} × {base} = {fmt_number(product)} → {rounded} "
        f"({_ROUNDING_WORDS.get(settings.rounding, settings.rounding)})"
    )
    small = 0 < group_size < settings.small_group_size and (
        base == group_size if settings.small_group_requires_all else True
    )
    if small and rounded < 1 and base > 0:
        condition = ""
        if settings.small_group_requires_all:
            condition = f", tất cả từ {settings.base_min_level.label} trở lên"
        text += f"; nhóm dưới {settings.small_group_size} đối tượng{condition}: được 1"
    return text


def explain_quota(
    candidates: list[QuotaCandidate], where: dict, settings: QuotaSettings, *, by_quarters: bool,
    outcome: QuotaOutcome | None = None, ranking: str = "",
) -> QuotaExplained:
    """Apply the quota (or explain `outcome` already computed) and describe each subject's place [003 C.IV.11]."""
    if outcome is None:
        outcome = apply_quota(candidates, settings, by_quarters=by_quarters)
    by_id = {c.subject_id: c for c in candidates}
    pushed = {p.subject_id: p.reason for p in outcome.pushed_down}
    tied = outcome.tie.subject_ids if outcome.tie else ()
    lines = []
    order = [*outcome.inside, *tied, *pushed]
    for rank, subject_id in enumerate(order, start=1):
        c = by_id[subject_id]
        if subject_id in pushed:
            reason = pushed[subject_id]
            status, result, note = "pushed", Level.GOOD, f"Hạ xuống {reason.cap.label}: {reason.text} {reason.source}"
        elif subject_id in tied:
            status, result, note = "tie", None, "Bằng nhau tại ngưỡng cắt: cấp ủy xem xét, quyết định."
        else:
            status, result, note = "inside", Level.EXCELLENT, "Trong tỷ lệ, giữ mức Hoàn thành xuất sắc nhiệm vụ."
        lines.append(_quota_line(c, where, rank, status, result, note))
    ranked = set(order)
    for c in candidates:
        if c.subject_id not in ranked:
            lines.append(_quota_line(c, where, None, "unchanged", c.level, "Không thuộc diện xét tỷ lệ."))
    ranking = ranking or (
        "số quý Hoàn thành xuất sắc nhiệm vụ, rồi điểm, rồi số phiếu [002 §8.2]"
        if by_quarters else "điểm, rồi số phiếu [003 C.IV.11]"
    )
    return QuotaExplained(
        outcome=outcome,
        arithmetic=quota_arithmetic(outcome.base, outcome.group_size, settings),
        base_text=(
            f"{outcome.base}/{outcome.group_size} đối tượng xếp loại từ "
            f"{settings.base_min_level.label} trở lên"
        ),
        lines=tuple(lines),
        tie_text=outcome.tie.text if outcome.tie else "",
        tie_source=outcome.tie.source if outcome.tie else "",
        tie_names="; ".join(str(subject_id) for subject_id in tied),
        source=settings.source,
        ranking=ranking,
    )


def _quota_line(c: QuotaCandidate, where: dict, rank, status, result, note) -> QuotaLine:
    return QuotaLine(
        name=str(c.subject_id), where=where.get(c.subject_id, ""), level=c.level, score=c.score,
        votes=c.votes, quarters=c.excellent_quarters, rank=rank, status=status, result=result, note=note,
    )


def quota_trial(rows: list[TableRow], settings: QuotaSettings, *, by_quarters: bool) -> QuotaExplained:
    """Run the quota over typed or uploaded rows; nothing is saved [002 §4.1; 003 C.IV.10–11]."""
    candidates = quota_candidates(rows)
    return explain_quota(candidates, {r.values[0]: r.where for r in rows}, settings, by_quarters=by_quarters)


# ---------------------------------------------------------------- ballot trial


@dataclass(frozen=True)
class CascadeStep:
    """One step of the cascade: votes for a level plus the votes carried down from above."""

    level: Level
    own: int
    carried: int
    total: int
    share: str
    reached: bool


@dataclass(frozen=True)
class BallotLine:
    name: str
    where: str
    votes: SubjectVotes
    steps: tuple[CascadeStep, ...]
    reached: Level
    reason: str
    source: str
    final: Level | None
    note: str


@dataclass(frozen=True)
class BallotExplained:
    tally: BallotTally
    lines: tuple[BallotLine, ...]
    quota: QuotaExplained
    outcome: BallotOutcome = field(repr=False)


_CASCADE = ((Level.EXCELLENT, "excellent"), (Level.GOOD, "good"), (Level.PASS, "passing"))


def cascade(votes: SubjectVotes, valid: int) -> tuple[CascadeStep, ...]:
    """The steps the count goes through, top level first, until one has more than 50 % [003 C.IV.11].

    Shown to explain the engine's `ballot_level`; votes for a level that does not pass
    are carried to the next level down.
    """
    steps, carried = [], 0
    for level, attr in _CASCADE:
        own = getattr(votes, attr)
        total = carried + own
        reached = total * 2 > valid
        steps.append(CascadeStep(level, own, carried, total, fmt_ratio(total, valid), reached))
        if reached:
            break
        carried = total
    return tuple(steps)


def ballot_trial(tally: BallotTally, rows: list[TableRow], settings: QuotaSettings) -> BallotExplained:
    """Count the ballots: each subject's level by the cascade, then HTXSNV by votes within the quota [003 C.IV.11].

    Raises RatingInputError with the engine's Vietnamese messages when the tally does not add up.
    """
    votes = [SubjectVotes(name, e, g, p, f) for name, e, g, p, f in rows_values(rows)]
    outcome = count_ballots(tally, votes, settings)
    where = {r.values[0]: r.where for r in rows}
    quota = explain_quota(
        [QuotaCandidate(r.subject_id, r.level, votes=v.excellent) for r, v in zip(outcome.reached, votes, strict=True)],
        where, settings, by_quarters=False, outcome=outcome.quota,
        ranking="số phiếu Hoàn thành xuất sắc nhiệm vụ [003 C.IV.11]",
    )
    notes = {line.name: line for line in quota.lines}
    lines = tuple(
        BallotLine(
            name=str(v.subject_id), where=where[v.subject_id], votes=v, steps=cascade(v, tally.valid),
            reached=r.level, reason=r.reason.text, source=r.reason.source,
            final=outcome.final_level(v.subject_id), note=notes[str(v.subject_id)].note,
        )
        for r, v in zip(outcome.reached, votes, strict=True)
    )
    return BallotExplained(tally, lines, quota, outcome)
