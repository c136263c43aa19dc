"""Trial pages (chấm thử, thử tỷ lệ, kiểm phiếu): form input → engine input → the engine's workings.

Nothing here touches the database or decides anything. The views load a framework
(`appraisal.frameworks.selectors`), these functions turn what staff typed into the engine's dataclasses
(`appraisal.rules`), and pair what the engine answers — its outcome *and its workings*: points
and how, caps with reasons, the quota arithmetic and places, the ballot steps — with the names
and lines staff typed, for the templates. The pages never redo a sum the engine did [issue 8].
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from appraisal.frameworks import selectors as queries
from appraisal.models import Framework
from appraisal.rules import (
    BallotLevel,
    BallotOutcome,
    BallotTally,
    CompiledFramework,
    CriterionEntry,
    CriterionSpec,
    Facts,
    FrameworkError,
    GroupSpec,
    Level,
    QuotaCandidate,
    QuotaOutcome,
    QuotaPlace,
    QuotaSettings,
    RatingResult,
    RatingWorkings,
    ScoringKind,
    SubjectType,
    SubjectVotes,
    apply_quota,
    compile_framework,
    condition_codes,
    count_ballots,
    quota_settings,
    rate,
)
from appraisal.rules.reasons import MessagesError
from core.vntext import fold, nfc
from core.xlsx import UnreadableWorkbook, open_workbook
from vnformat import fmt_number

# ---------------------------------------------------------------- loading the framework


@dataclass(frozen=True)
class LoadedFramework:
    """The compiled framework, or the problems that keep it from being tried."""

    framework: CompiledFramework | None
    problems: tuple[str, ...]


def load_framework(framework: Framework) -> LoadedFramework:
    """Compile a framework loaded with its tree; the engine's problems if it is not valid."""
    try:
        return LoadedFramework(compile_framework(queries.framework_spec_of(framework)), ())
    except FrameworkError as exc:
        return LoadedFramework(None, tuple(exc.messages))


def framework_quota(framework: Framework) -> tuple[QuotaSettings | None, tuple[str, ...]]:
    """The framework's quota settings (share, base level, rounding, small groups) [002 §4.1], or the engine's problems."""
    try:
        return quota_settings(queries.settings_of(framework)), ()
    except FrameworkError as exc:
        return None, tuple(exc.messages)


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
    FactField("collective_level", "Mức xếp loại của tập thể do mình đứng đầu", "level", COLLECTIVE,
              "Để trống: tập thể chưa được xếp loại (cán bộ hằng năm là người đứng đầu thì phải chờ)."),
    FactField("collective_targets_pct", "Tỷ lệ chỉ tiêu, nhiệm vụ tập thể hoàn thành (%)", "pct", COLLECTIVE),
    FactField("quarter_levels", "Mức xếp loại từng quý", "quarters", QUARTERS),
    FactField("previous_quarter_level", "Mức xếp loại quý liền trước (quý IV năm trước nếu xếp loại cả năm)", "level",
              QUARTERS, "Để xét hai quý liên tiếp Không hoàn thành nhiệm vụ, kể cả khi nối sang năm trước."),
    FactField("org_kind", "Loại tổ chức cơ sở đảng", "org_kind", SUBORDINATES),
    FactField("sub_total", "Tổng số tổ chức trực thuộc (đảng bộ cơ sở) hoặc đảng viên (chi bộ cơ sở)", "count", SUBORDINATES),
    FactField("sub_pass_or_above", "Số xếp loại Hoàn thành nhiệm vụ trở lên", "count", SUBORDINATES),
    FactField("sub_good_or_above", "Số xếp loại Hoàn thành tốt nhiệm vụ trở lên", "count", SUBORDINATES),
    FactField("sub_disciplined", "Số bị kỷ luật", "count", SUBORDINATES),
    FactField("sub_unrated", "Số còn chưa được xếp loại", "count", SUBORDINATES,
              "Khác 0: tổ chức cơ sở đảng phải chờ xếp loại xong các đảng viên, tổ chức trực thuộc."),
    FactField("leadership_level", "Mức xếp loại tập thể lãnh đạo đơn vị, đoàn thể cùng cấp", "level", ORGANISATION),
    FactField("leadership_unrated", "Số tập thể lãnh đạo, đoàn thể cùng cấp chưa được xếp loại", "count", ORGANISATION),
    FactField("committee_member_discipline", "Cấp ủy viên bị kỷ luật (hình thức cao nhất)", "discipline", ORGANISATION),
    FactField("committee_member_discipline_remedied", "Cấp ủy viên bị kỷ luật: đã tự phát hiện, khắc phục", "bool", ORGANISATION),
    FactField("sub_unit_violation", "Đơn vị trực thuộc có tham nhũng, tiêu cực, vi phạm bị xử lý kỷ luật", "bool", ORGANISATION),
    FactField("sub_unit_violation_remedied", "Vi phạm ở đơn vị trực thuộc: đã tự phát hiện, khắc phục", "bool", ORGANISATION),
    FactField("targets_pct", "Tỷ lệ chỉ tiêu, nhiệm vụ được giao đã hoàn thành (%)", "pct", ORGANISATION),
    FactField("main_targets_missed", "Có chỉ tiêu chủ yếu không đạt 100% (không do bất khả kháng)", "bool", ORGANISATION),
    FactField("org_disciplined", "Tổ chức đảng bị xử lý kỷ luật", "bool", ORGANISATION),
    FactField("committee_disciplined", "Tập thể cấp ủy bị xử lý kỷ luật", "bool", ORGANISATION),
    FactField("committee_discipline_remedied", "Tập thể bị kỷ luật: đã tự phát hiện, khắc phục", "bool", ORGANISATION),
    FactField("organisation_level", "Mức xếp loại của tổ chức đảng (cấp ủy không cao hơn)", "level", ORGANISATION,
              "Để trống: tổ chức đảng chưa được xếp loại, cấp ủy phải chờ."),
    FactField("disunity", "Bị kết luận mất đoàn kết nội bộ", "bool", ORGANISATION),
    FactField("degraded_member", "Có thành viên bị kết luận suy thoái, “tự diễn biến”, “tự chuyển hóa”", "bool", ORGANISATION),
)
FACT_BY_NAME = {f.name: f for f in FACT_FIELDS}

# Which facts each condition of the engine reads (see appraisal/rules/conditions.py), with the
# counts that say a level it reads is not known yet. A test checks that every code
# `condition_codes()` returns is listed, so a new condition cannot be forgotten here.
# Conditions on criterion levels read the scores alone.
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
    "quarter_failed": ("quarter_levels", "previous_quarter_level"),
    "low_confidence_over_half": ("low_confidence_votes", "confidence_votes_cast"),
    "members_not_all_pass": ("org_kind", "sub_total", "sub_pass_or_above", "sub_unrated"),
    "suborgs_not_all_pass": ("org_kind", "sub_total", "sub_pass_or_above", "sub_unrated"),
    "sub_good_below_80": ("org_kind", "sub_total", "sub_good_or_above"),
    "sub_good_below_50": ("org_kind", "sub_total", "sub_good_or_above"),
    "sub_disciplined_over_20": ("org_kind", "sub_total", "sub_disciplined"),
    "leadership_below_good": ("leadership_level", "leadership_unrated"),
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
# Facts a subject type reads besides its conditions: a quarterly leader's previous quarter (two
# consecutive KHTNV quarters are flagged, across a year too) [002 §8.2].
SUBJECT_FACTS: dict[SubjectType, tuple[str, ...]] = {SubjectType.LEADER_QUARTERLY: ("previous_quarter_level",)}
# Conditions that read a mark on each criterion rather than a fact: the mark's input name.
CRITERION_MARKS: dict[str, str] = {"short_over_share": "short", "key_not_completed_over_half": "not_done"}


def fact_fields(subject_type: SubjectType) -> tuple[FactField, ...]:
    """The facts the engine's conditions for this subject type read, in form order [DOMAIN §6]."""
    wanted = {name for code in condition_codes(subject_type) for name in CONDITION_FACTS[code]}
    wanted.update(SUBJECT_FACTS.get(subject_type, ()))
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
            kwargs[f.name] = tuple(value or ())
        elif value is not None:
            kwargs[f.name] = value
    return Facts(**kwargs)


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


def sheet_lines(cf: CompiledFramework) -> list[SheetLine]:
    """The framework's groups and criteria depth-first; criteria numbered in framework order."""
    lines: list[SheetLine] = []
    counter = iter(range(len(cf.criteria)))

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, GroupSpec):
                lines.append(SheetLine(depth, node, None))
                walk(node.children, depth + 1)
            else:
                lines.append(SheetLine(depth, node, next(counter)))

    walk(cf.spec.groups, 0)
    return lines


def criterion_entry(criterion: CriterionSpec, values: dict) -> tuple[CriterionEntry | None, list[tuple[str, str]]]:
    """Turn one criterion's cleaned inputs into an engine entry, or (field, message) for an input left empty.

    Quantitative: achieved and plan; qualitative: a level and/or points [003 C.I.1.4]. Whether
    the figures are acceptable (range, band, decimals, plan above 0) is the engine's to say,
    when it scores: see `engine_errors`.
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
        return CriterionEntry(code, achieved=achieved, plan=plan, **marks), []
    level, points = values.get("level"), values.get("points")
    if level is None and points is None:
        return None, [("level", f"Tiêu chí «{code}»: cần chọn mức đánh giá hoặc nhập điểm.")]
    return CriterionEntry(code, level=level, points=points, **marks), []


_CRITERION_MESSAGE = re.compile(r"^Tiêu chí «(?P<code>[^»]*)»")


def engine_errors(messages: list[str]) -> dict[str, list[str]]:
    """Group the engine's scoring messages by the criterion each names ("" for the others)."""
    grouped: dict[str, list[str]] = {}
    for message in messages:
        match = _CRITERION_MESSAGE.match(message)
        grouped.setdefault(match["code"] if match else "", []).append(message)
    return grouped


def run_trial(cf: CompiledFramework, entries: Iterable[CriterionEntry], facts: Facts) -> RatingResult:
    """Rate one imaginary subject; nothing is saved [DOMAIN §5–6]."""
    return rate(cf, "chấm thử", tuple(entries), facts)


def workings_of(result: RatingResult | None) -> RatingWorkings | None:
    """The engine's workings of a trial rating, for the page (None before a run)."""
    return None if result is None else result.workings()


def workings_by_index(workings: RatingWorkings | None) -> dict:
    """The engine's working of each criterion, by its position in the framework."""
    return {} if workings is None else dict(enumerate(workings.criteria))


# ---------------------------------------------------------------- reading tables of subjects


class TableError(MessagesError):
    """Rows that cannot be read; `messages` name the row and the column."""


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
MAX_LINES = MAX_ROWS + 200  # a workbook's rows, blank ones among them included
MAX_COLUMNS = 32  # a trial table has at most a dozen columns; cells beyond are never read
_SPLIT = re.compile(r"\t|;")


def split_lines(text: str) -> list[tuple[int, list[str]]]:
    """Pasted text as (line number, cells): cells split on tabs (from Excel) or semicolons."""
    rows = []
    for number, line in enumerate(nfc(text).splitlines(), start=1):
        if line.strip():
            rows.append((number, [cell.strip() for cell in _SPLIT.split(line)]))
    return rows


def xlsx_rows(content: bytes, *, name: str = "") -> list[tuple[int, list[str]]]:
    """The first sheet of an XLSX file as (row number, cells); a header row is left to the caller.
    `name` is the uploaded file's, for the message of a file that cannot be read."""

    rows, too_long = [], ""
    try:
        with open_workbook(content, name=name) as workbook:
            sheet = workbook.worksheets[0]
            declared = sheet.max_row or 0
            if declared > MAX_LINES:  # refused by its <dimension>, before a row is read
                too_long = f"Trang tính «{sheet.title}» khai báo {declared} dòng"
            else:
                for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
                    if number > MAX_LINES:  # blank rows up to a far cell, without a <dimension>
                        too_long = f"Trang tính «{sheet.title}» có dữ liệu quá dòng {MAX_LINES}"
                        break
                    cells = ["" if v is None else _cell_text(v) for v in row]
                    if any(cells):
                        rows.append((number, cells))
    except UnreadableWorkbook as exc:
        raise TableError([exc.message]) from exc
    if too_long:
        raise TableError([f"{too_long}, quá giới hạn {MAX_ROWS} dòng của một lần chạy thử. Hãy xoá các dòng thừa."])
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


def quota_candidates(rows: list[TableRow]) -> list[QuotaCandidate]:
    """Rows of (name, level, score, votes, HTXSNV quarters) as the engine's candidates."""
    return [QuotaCandidate(name, level, score, votes, quarters) for name, level, score, votes, quarters in rows_values(rows)]


def rows_values(rows: list[TableRow]) -> list[tuple]:
    return [row.values for row in rows]


@dataclass(frozen=True)
class QuotaLine:
    """One subject of the group as typed, beside the place the engine gave it (None: not a candidate)."""

    where: str
    candidate: QuotaCandidate
    place: QuotaPlace | None

    @property
    def name(self) -> str:
        return str(self.candidate.subject_id)

    @property
    def score_text(self) -> str:
        return fmt_number(self.candidate.score)

    @property
    def status(self) -> str:
        return self.place.status if self.place else "unchanged"

    @property
    def result(self) -> Level | None:
        return self.place.level if self.place else self.candidate.level

    @property
    def note(self) -> str:
        return self.place.note if self.place else "Không thuộc diện xét tỷ lệ."


@dataclass(frozen=True)
class QuotaExplained:
    """The engine's quota outcome (arithmetic, places) with the subjects' lines in rank order."""

    outcome: QuotaOutcome
    lines: tuple[QuotaLine, ...]

    @property
    def tie_names(self) -> str:
        return "; ".join(str(i) for i in self.outcome.tie.subject_ids) if self.outcome.tie else ""


def explain_quota(candidates: list[QuotaCandidate], where: dict, outcome: QuotaOutcome) -> QuotaExplained:
    """Pair the engine's places with the lines typed: candidates in rank order, the others after."""
    by_id = {c.subject_id: c for c in candidates}
    placed = {p.subject_id for p in outcome.places}
    lines = [QuotaLine(where.get(p.subject_id, ""), by_id[p.subject_id], p) for p in outcome.places]
    lines += [QuotaLine(where.get(c.subject_id, ""), c, None) for c in candidates if c.subject_id not in placed]
    return QuotaExplained(outcome, tuple(lines))


def quota_trial(rows: list[TableRow], settings: QuotaSettings, *, by_quarters: bool) -> QuotaExplained:
    """Run the engine's quota over typed or uploaded rows; nothing is saved [002 §4.1; 003 C.IV.10–11]."""
    candidates = quota_candidates(rows)
    outcome = apply_quota(candidates, settings, by_quarters=by_quarters)
    return explain_quota(candidates, {r.values[0]: r.where for r in rows}, outcome)


# ---------------------------------------------------------------- ballot trial


@dataclass(frozen=True)
class BallotLine:
    """One subject's votes as typed, the level the count reached with its steps, and the level after the quota."""

    where: str
    votes: SubjectVotes
    reached: BallotLevel
    final: Level | None
    note: str

    @property
    def name(self) -> str:
        return str(self.votes.subject_id)


@dataclass(frozen=True)
class BallotExplained:
    tally: BallotTally
    lines: tuple[BallotLine, ...]
    quota: QuotaExplained
    outcome: BallotOutcome = field(repr=False)


def ballot_trial(tally: BallotTally, rows: list[TableRow], settings: QuotaSettings) -> BallotExplained:
    """Count the ballots with the engine: each subject's level with its steps, then HTXSNV by votes within the quota [003 C.IV.11].

    Raises RatingInputError with the engine's Vietnamese messages when the tally does not add up.
    """
    votes = [SubjectVotes(name, e, g, p, f) for name, e, g, p, f in rows_values(rows)]
    outcome = count_ballots(tally, votes, settings)
    where = {r.values[0]: r.where for r in rows}
    candidates = [
        QuotaCandidate(r.subject_id, r.level, votes=v.excellent) for r, v in zip(outcome.reached, votes, strict=True)
    ]
    quota = explain_quota(candidates, where, outcome.quota)
    notes = {line.name: line.note for line in quota.lines}
    lines = tuple(
        BallotLine(where[v.subject_id], v, r, outcome.final_level(v.subject_id), notes[str(v.subject_id)])
        for r, v in zip(outcome.reached, votes, strict=True)
    )
    return BallotExplained(tally, lines, quota, outcome)
