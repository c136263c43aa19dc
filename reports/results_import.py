"""Import results decided outside the app from XLSX, with django-import-export's resources.

Two single-sheet formats (docs/import-format.md, "Nhập kết quả xếp loại"): one row per rated
subject (`ImportedResultResource`), or counts per level and subject type (`ImportedCountResource`).
The flow is import-export's: a dry run for the preview, then the same import for real on
confirmation — all or nothing: one bad row and nothing is written. Every row error names the row,
the column and what is wrong, in Vietnamese. Rows are checked by `check_result_row` /
`check_count_row`, the one place these rules live (the resources, the command and the admin call them).
"""
from __future__ import annotations

import gc
import io
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from import_export import fields, resources, widgets
from openpyxl.utils import get_column_letter

from appraisal import authority
from appraisal.models import Exclusion, LevelCode, PeriodKind, RatingStatus, SubjectType
from appraisal.selectors import live_ratings
from core.audit import AuditAction, record_change
from core.bulk import bulk_insert, update_rows
from core.scope import scope_for
from core.vntext import fold, nfc
from core.xlsx import UnreadableWorkbook, open_workbook
from members.models import PositionGroup, Tier
from members.workbook.cells import CellError, is_blank, to_date, to_int, to_plain_text, to_text
from members.workbook.spec import MAX_PART_BYTES, MAX_UNPACKED_BYTES
from orgs.models import Block, OrgKind, PartyOrganization, Unit
from vnformat import fmt_period

from .data import ORG_GROUP_LABELS
from .models import ImportBatch, ImportedCount, ImportedResult, ImportKind

MAX_ROWS = 200_000
PREVIEW_ROWS = 1000  # rows listed on the preview page; all are checked and counted
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10
YEARS = (1990, 2100)


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    required: bool = False
    note: str = ""


RESULT_COLUMNS = (
    Col("year", "Năm", True, "năm đánh giá, ví dụ 2022"),
    Col("quarter", "Quý", False, "1–4, chỉ với cán bộ lãnh đạo, quản lý đánh giá hằng quý; để trống là cả năm"),
    Col("subject", "Đối tượng", True, "Tổ chức đảng, Tập thể cấp ủy, Tập thể lãnh đạo, quản lý, Cán bộ lãnh đạo, quản lý, Đảng viên"),
    Col("org_code", "Mã tổ chức đảng", False, "tổ chức đảng được xếp loại; với cá nhân: chi bộ nơi sinh hoạt"),
    Col("unit_code", "Mã cơ quan, đơn vị", False, "bắt buộc với tập thể lãnh đạo, quản lý"),
    Col("name", "Họ và tên / Tên", False, "bắt buộc với cá nhân"),
    Col("card", "Số thẻ đảng viên", False, "bắt buộc với cá nhân"),
    Col("position", "Chức vụ", False, ""),
    Col("group", "Nhóm chức danh", False, "mã hoặc tên; bắt buộc với cán bộ lãnh đạo, quản lý"),
    Col("tier", "Diện quản lý", False, "Diện Ban Thường vụ Tỉnh ủy quản lý / Diện Ban Thường vụ Đảng ủy quản lý"),
    Col("level", "Mức xếp loại", False, "HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ; để trống nếu không xếp loại"),
    Col("not_rated", "Lý do không xếp loại", False, "bắt buộc khi để trống mức xếp loại"),
    Col("score", "Điểm", False, "0–100, tối đa hai chữ số thập phân"),
    Col("decision_number", "Số quyết định", False, ""),
    Col("decision_date", "Ngày quyết định", False, "dd/mm/yyyy"),
)
COUNT_COLUMNS = (
    Col("year", "Năm", True, ""),
    Col("quarter", "Quý", False, ""),
    Col("org_code", "Mã đảng bộ", True, "đảng bộ (xã) có số liệu"),
    Col("subject", "Đối tượng", True, ""),
    Col("group", "Nhóm", False, "loại tổ chức đảng / mã hoặc tên khối / mã hoặc tên nhóm chức danh"),
    Col("tier", "Diện quản lý", False, "với cán bộ lãnh đạo, quản lý"),
    Col("excellent", "HTXSNV", False, "số lượng"),
    Col("good", "HTTNV", False, "số lượng"),
    Col("passing", "HTNV", False, "số lượng"),
    Col("failing", "KHTNV", False, "số lượng"),
    Col("not_rated", "Không xếp loại", False, "số lượng"),
)
COLUMNS = {ImportKind.SUBJECTS: RESULT_COLUMNS, ImportKind.COUNTS: COUNT_COLUMNS}
ROW = "__dong"  # the dataset's column holding the source row number
LETTERS = "__cot"  # the dataset's column holding {key: column letter}


@dataclass
class Sheet:
    """What was read from the file: a dataset with canonical headers, or why it cannot be read."""

    dataset: tablib.Dataset | None = None
    problems: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key → the file's own column letter


def _key(text) -> str:
    return fold(str(text or "")).rstrip("* ").removesuffix("(bat buoc)").strip()




def read_sheet(content: bytes, kind: str, *, file_name: str = "tệp") -> Sheet:
    """Read the first sheet whose header row holds the format's required headers (read-only, bounded)."""
    sheet = Sheet()
    # A file of MAX_ROWS rows unpacks to about 100 MB: the workbook import's bounds, not a small form's.
    try:
        with open_workbook(content, name=file_name, max_unpacked=MAX_UNPACKED_BYTES, max_part=MAX_PART_BYTES) as book:
            return _read_book(book, kind, sheet, file_name)
    except UnreadableWorkbook as exc:
        return Sheet(problems=[exc.message])


def _read_book(book, kind: str, sheet: Sheet, file_name: str) -> Sheet:
    columns = COLUMNS[kind]
    wanted = {_key(c.header): c.key for c in columns}
    required = {c.key for c in columns if c.required}
    for ws in book.worksheets:
        rows_declared = ws.max_row or 0
        cols_declared = ws.max_column or 0
        if rows_declared > MAX_ROWS + HEADER_SEARCH_ROWS or cols_declared > 16384:
            sheet.problems.append(
                f"Sheet «{ws.title}» khai báo {rows_declared} dòng, quá giới hạn {MAX_ROWS} dòng của một lần nhập."
            )
            return sheet
        header_row, positions = None, {}
        for number, row in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS,
                                                  values_only=True), start=1):
            found = {}
            for index, value in enumerate(row, start=1):
                key = wanted.get(_key(value))
                if key and key not in found:
                    found[key] = index
            if required <= set(found):
                header_row, positions = number, found
                break
        if header_row is None:
            continue
        letters = {k: get_column_letter(i) for k, i in positions.items()}
        extra = [f for f in RESOURCE_FIELDS[kind] if f not in {c.key for c in columns}]
        data = tablib.Dataset(headers=[c.key for c in columns] + extra + [ROW])
        for number, cells in enumerate(ws.iter_rows(min_row=header_row + 1, max_col=MAX_COLUMNS, values_only=True),
                                       start=header_row + 1):
            values = [cells[positions[c.key] - 1] if c.key in positions and positions[c.key] - 1 < len(cells) else None
                      for c in columns]
            if all(is_blank(v) for v in values):
                continue
            if len(data) >= MAX_ROWS:
                sheet.problems.append(f"Sheet «{ws.title}» có quá {MAX_ROWS} dòng dữ liệu.")
                return sheet
            data.append([*values, *([None] * len(extra)), number])
        sheet.dataset, sheet.headers = data, letters
        sheet.headers["_sheet"] = ws.title
        return sheet
    names = ", ".join(f"«{c.header}»" for c in columns if c.required)
    sheet.problems.append(f"Tệp «{file_name}» không có sheet nào có dòng tiêu đề với đủ các cột bắt buộc {names} "
                          f"(tìm trong {HEADER_SEARCH_ROWS} dòng đầu).")
    return sheet


# -- reading one cell ----------------------------------------------------------------------------

SUBJECT_WORDS = {
    "to chuc dang": SubjectType.BASE_ORG_YEARLY, "to chuc co so dang": SubjectType.BASE_ORG_YEARLY,
    "tap the cap uy": SubjectType.COMMITTEE_YEARLY, "cap uy": SubjectType.COMMITTEE_YEARLY,
    "tap the lanh dao, quan ly": SubjectType.COLLECTIVE_YEARLY, "tap the lanh dao quan ly": SubjectType.COLLECTIVE_YEARLY,
    "can bo lanh dao, quan ly": SubjectType.LEADER_YEARLY, "can bo lanh dao quan ly": SubjectType.LEADER_YEARLY,
    "dang vien": SubjectType.MEMBER_YEARLY,
}
SUBJECT_WORDS.update({fold(t.label): t.value for t in SubjectType})
SUBJECT_WORDS.update({t.value: t.value for t in SubjectType})


def read_subject(value, quarter: int | None) -> str:
    """The subject type named in a cell ("Đảng viên", "Cán bộ lãnh đạo, quản lý" …); leaders by quarter."""
    found = SUBJECT_WORDS.get(fold(to_text(value)))
    if found is None:
        raise CellError(f"«{to_text(value)}» không phải đối tượng; chỉ nhận: Tổ chức đảng, Tập thể cấp ủy, "
                        "Tập thể lãnh đạo, quản lý, Cán bộ lãnh đạo, quản lý, Đảng viên")
    if found in (SubjectType.LEADER_YEARLY, SubjectType.LEADER_QUARTERLY):
        return SubjectType.LEADER_QUARTERLY if quarter else SubjectType.LEADER_YEARLY
    if quarter:
        raise CellError("chỉ cán bộ lãnh đạo, quản lý được đánh giá theo quý; để trống cột Quý")
    return found


LEVEL_WORDS = {fold(c): c for c in LevelCode.values}
LEVEL_WORDS.update({fold(label): c for c, label in LevelCode.choices})


def read_level(value) -> str:
    """A level code from "HTXSNV" or its full name, tones and case ignored."""
    found = LEVEL_WORDS.get(fold(to_text(value)))
    if found is None:
        raise CellError(f"«{to_text(value)}» không phải mức xếp loại; chỉ nhận HTXSNV, HTTNV, HTNV, KHTNV "
                        "hoặc tên đầy đủ của mức")
    return found


REASON_WORDS = {fold(label): code for code, label in Exclusion.choices}
REASON_WORDS.update({code: code for code in Exclusion.values})
REASON_WORDS.update({"mien cong tac va sinh hoat": Exclusion.EXEMPT, "mien sinh hoat": Exclusion.EXEMPT,
                     "dinh chi sinh hoat": Exclusion.SUSPENDED, "moi ket nap": Exclusion.ADMITTED_RECENTLY,
                     "moi ket nap duoi 6 thang": Exclusion.ADMITTED_RECENTLY, "moi thanh lap": Exclusion.RECENTLY_FORMED})


def read_reason(value) -> str:
    found = REASON_WORDS.get(fold(to_text(value)))
    if found is None:
        accepted = ", ".join(f"«{label}»" for label in Exclusion.labels)
        raise CellError(f"«{to_text(value)}» không phải lý do không xếp loại; chỉ nhận: {accepted}")
    return found


TIER_WORDS = {fold(label): code for code, label in Tier.choices}
TIER_WORDS.update({"tinh uy": Tier.PROVINCE, "dang uy": Tier.COMMUNE, Tier.PROVINCE: Tier.PROVINCE,
                   Tier.COMMUNE: Tier.COMMUNE, "btv tinh uy": Tier.PROVINCE, "btv dang uy": Tier.COMMUNE})


def read_tier(value) -> str:
    found = TIER_WORDS.get(fold(to_text(value)))
    if found is None:
        raise CellError(f"«{to_text(value)}» không hợp lệ; chỉ nhận «{Tier.PROVINCE.label}» hoặc «{Tier.COMMUNE.label}»")
    return found


def read_year(value) -> int:
    year = to_int(value)
    if not YEARS[0] <= year <= YEARS[1]:
        raise CellError(f"năm {year} không hợp lệ (từ {YEARS[0]} đến {YEARS[1]})")
    return year


def read_quarter(value) -> int | None:
    if is_blank(value):
        return None
    quarter = to_int(value)
    if not 1 <= quarter <= 4:
        raise CellError(f"quý {quarter} không hợp lệ (1–4)")
    return quarter


def read_score(value) -> Decimal:
    text = to_text(value).replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(f"«{to_text(value)}» không phải số điểm") from exc
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise CellError(f"điểm {to_text(value)} phải từ 0 đến 100")
    if score != score.quantize(Decimal("0.01")):
        raise CellError(f"điểm {to_text(value)} có quá hai chữ số thập phân")
    return score.quantize(Decimal("0.01"))


def read_text(value, limit: int) -> str:
    text = to_plain_text(value)
    if len(text) > limit:
        raise CellError(f"dài {len(text)} ký tự, tối đa {limit} ký tự")
    return text


def read_count(value) -> int:
    if is_blank(value):
        return 0
    count = to_int(value)
    if count > 10_000_000:
        raise CellError(f"số lượng {count} quá lớn")
    return count


# -- looking things up, once per import ------------------------------------------------------------

@dataclass
class Lookup:
    """The organisations, units, blocks and position groups a file names, loaded in a few queries."""

    orgs: dict[str, PartyOrganization]
    units: dict[str, Unit]
    blocks: dict[str, Block]
    groups: dict[str, PositionGroup]
    decided: set[tuple]  # (year, quarter, subject_type, key) decided in the app

    @staticmethod
    def _find(table: dict, value, key, missing: str):
        """The row the cell names, looked up by `key` of its text; else `missing` (with {text})."""
        text = to_text(value)
        found = table.get(key(text))
        if found is None:
            raise CellError(missing.format(text=text))
        return found

    def group(self, value) -> PositionGroup:
        return self._find(self.groups, value, fold, "không có nhóm chức danh «{text}» (nhập mã hoặc tên nhóm)")

    def block(self, value) -> Block:
        return self._find(self.blocks, value, fold, "không có khối «{text}» (nhập mã hoặc tên khối)")

    def org(self, value) -> PartyOrganization:
        return self._find(self.orgs, value, nfc, "không có tổ chức đảng mã «{text}»")

    def unit(self, value) -> Unit:
        return self._find(self.units, value, nfc, "không có cơ quan, đơn vị mã «{text}»")


def load_lookup(dataset: tablib.Dataset) -> Lookup:
    """Everything the rows refer to (five queries, whatever the number of rows)."""
    def column(key):
        return [nfc(to_text(v)) for v in dataset[key]] if key in dataset.headers else []

    org_codes = set(column("org_code")) - {""}
    unit_codes = set(column("unit_code")) - {""}
    orgs = {o.code: o for o in PartyOrganization.objects.filter(code__in=org_codes)}
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes).select_related("block", "party_organization")}
    blocks, groups = {}, {}
    for b in Block.objects.all():
        blocks[fold(b.code)] = blocks[fold(b.name)] = b
    for g in PositionGroup.objects.all():
        groups[fold(g.code)] = groups[fold(g.name)] = g
    years = set()
    for v in column("year"):
        try:
            years.add(int(v))
        except ValueError:
            pass
    decided = set()
    rows = (
        live_ratings().filter(status=RatingStatus.DECIDED, period__year__in=years)
        .values_list("period__year", "period__quarter", "period__kind", "subject_type", "member__card_number",
                     "organization__code", "unit__code", "leader_position__member__card_number",
                     "leader_position__group__code")
    )
    for year, quarter, kind, subject, card, org_code, unit_code, leader_card, group_code in rows:
        q = quarter if kind == PeriodKind.QUARTER else None
        key = card or org_code or unit_code or f"{leader_card}/{group_code}"
        decided.add((year, q, subject, key))
    return Lookup(orgs, units, blocks, groups, decided)


# -- the one check of a row ------------------------------------------------------------------------

class RowProblems(Exception):
    """Problems of one row, by column key."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


def _cell(problems: dict, key: str, reader, value, *args):
    try:
        return reader(value, *args)
    except CellError as exc:
        problems[key] = str(exc)
        return None


def _need(problems: dict, row: dict, key: str, why: str) -> bool:
    if is_blank(row.get(key)):
        problems.setdefault(key, f"bắt buộc {why}")
        return False
    return True


PERSONS = (SubjectType.MEMBER_YEARLY, SubjectType.LEADER_YEARLY, SubjectType.LEADER_QUARTERLY)


def check_result_row(row: dict, lookup: Lookup) -> dict:
    """The model fields of one per-subject row, or RowProblems naming each bad column."""
    p: dict[str, str] = {}
    year = _cell(p, "year", read_year, row["year"]) if _need(p, row, "year", "") else None
    quarter = _cell(p, "quarter", read_quarter, row.get("quarter"))
    subject = _cell(p, "subject", read_subject, row["subject"], quarter) if _need(p, row, "subject", "") else None
    out = {"year": year, "quarter": quarter, "subject_type": subject, "org_kind": "", "unit": None, "block": None,
           "tier": "", "position_group": None, "position": "", "score": None, "decision_number": "", "decision_date": None}
    org = unit = None
    if not is_blank(row.get("org_code")):
        org = _cell(p, "org_code", lookup.org, row["org_code"])
    if not is_blank(row.get("unit_code")):
        unit = _cell(p, "unit_code", lookup.unit, row["unit_code"])
    if subject in PERSONS:
        _need(p, row, "card", "với cá nhân")
        _need(p, row, "name", "với cá nhân")
        if org is None and unit is None and "org_code" not in p and "unit_code" not in p:
            p["org_code"] = "bắt buộc với cá nhân (chi bộ nơi sinh hoạt)"
    if subject in (SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY):
        _need(p, row, "org_code", "với tổ chức đảng, tập thể cấp ủy")
    if subject == SubjectType.COLLECTIVE_YEARLY:
        _need(p, row, "unit_code", "với tập thể lãnh đạo, quản lý")
    card = _cell(p, "card", read_text, row.get("card"), 32) or ""
    name = _cell(p, "name", read_text, row.get("name"), 255) or ""
    if subject in (SubjectType.LEADER_YEARLY, SubjectType.LEADER_QUARTERLY):
        if _need(p, row, "group", "với cán bộ lãnh đạo, quản lý"):
            group = _cell(p, "group", lookup.group, row["group"])
            out["position_group"] = group
        out["tier"] = _cell(p, "tier", read_tier, row["tier"]) if not is_blank(row.get("tier")) else Tier.COMMUNE
        out["position"] = _cell(p, "position", read_text, row.get("position"), 255) or ""
    if unit is not None:
        out["unit"], out["block"] = unit, unit.block
        if org is None:
            org = unit.party_organization
            if org is None and subject == SubjectType.COLLECTIVE_YEARLY:
                p["org_code"] = f"cơ quan, đơn vị «{unit.code}» chưa gắn tổ chức đảng: nhập mã tổ chức đảng"
    out["organization"] = org
    if org is not None and subject in (SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY):
        out["org_kind"] = org.kind
    level = reason = ""
    if not is_blank(row.get("level")):
        level = _cell(p, "level", read_level, row["level"]) or ""
        if not is_blank(row.get("not_rated")):
            p["not_rated"] = "để trống khi đã có mức xếp loại"
    elif is_blank(row.get("not_rated")):
        p["level"] = "nhập mức xếp loại, hoặc lý do không xếp loại"
    else:
        reason = _cell(p, "not_rated", read_reason, row["not_rated"]) or ""
    out["level"], out["not_rated"] = level, reason
    if not is_blank(row.get("score")):
        out["score"] = _cell(p, "score", read_score, row["score"])
    out["decision_number"] = _cell(p, "decision_number", read_text, row.get("decision_number"), 64) or ""
    if not is_blank(row.get("decision_date")):
        out["decision_date"] = _cell(p, "decision_date", to_date, row["decision_date"])
    if subject in PERSONS:
        key = card if subject == SubjectType.MEMBER_YEARLY else f"{card}/{out['position_group'].code if out['position_group'] else ''}"
    elif subject == SubjectType.COLLECTIVE_YEARLY:
        key = unit.code if unit else ""
        name = name or (unit.name if unit else "")
    else:
        key = org.code if org else ""
        name = name or (org.name if org else "")
    out["subject_key"], out["name"] = key, name
    if not p and (year, quarter, subject, key) in lookup.decided:
        p["subject"] = (f"{name} đã có kết quả xếp loại được quyết định trong phần mềm cho "
                        f"{'quý ' + str(quarter) + '/' if quarter else 'năm '}{year}; không nhập trùng")
    if p:
        raise RowProblems(p)
    return out


ORG_KIND_WORDS = {fold(label): value for value, label in OrgKind.choices}
ORG_KIND_WORDS.update({value: value for value in OrgKind.values})
ORG_KIND_WORDS.update({fold(label): {"base": OrgKind.BASE_PARTY, "root_cell": OrgKind.ROOT_CELL,
                                     "sub_cell": OrgKind.SUB_CELL, "root": OrgKind.ROOT}[key]
                       for key, (label, _) in ORG_GROUP_LABELS.items()})


def check_count_row(row: dict, lookup: Lookup) -> dict:
    """The model fields of one counts row, or RowProblems naming each bad column."""
    p: dict[str, str] = {}
    year = _cell(p, "year", read_year, row["year"]) if _need(p, row, "year", "") else None
    quarter = _cell(p, "quarter", read_quarter, row.get("quarter"))
    subject = _cell(p, "subject", read_subject, row["subject"], quarter) if _need(p, row, "subject", "") else None
    org = _cell(p, "org_code", lookup.org, row["org_code"]) if _need(p, row, "org_code", "") else None
    out = {"year": year, "quarter": quarter, "subject_type": subject, "organization": org, "org_kind": "",
           "block": None, "tier": "", "position_group": None}
    group = row.get("group")
    if not is_blank(group):
        if subject in (SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY):
            kind = ORG_KIND_WORDS.get(fold(to_text(group)))
            if kind is None:
                p["group"] = f"«{to_text(group)}» không phải loại tổ chức đảng"
            out["org_kind"] = kind or ""
        elif subject == SubjectType.COLLECTIVE_YEARLY:
            out["block"] = _cell(p, "group", lookup.block, group)
        elif subject in (SubjectType.LEADER_YEARLY, SubjectType.LEADER_QUARTERLY):
            out["position_group"] = _cell(p, "group", lookup.group, group)
        else:
            p["group"] = "để trống với đảng viên"
    if subject in (SubjectType.LEADER_YEARLY, SubjectType.LEADER_QUARTERLY):
        out["tier"] = _cell(p, "tier", read_tier, row["tier"]) if not is_blank(row.get("tier")) else Tier.COMMUNE
    for key in ("excellent", "good", "passing", "failing", "not_rated"):
        out[key] = _cell(p, key, read_count, row.get(key)) or 0
    if not p and org is not None and _decided_under(org, year, quarter, subject):
        p["org_code"] = (f"{org.name} đã có kết quả {SubjectType(subject).label.lower()} được quyết định trong phần "
                         f"mềm cho {'quý ' + str(quarter) + '/' if quarter else 'năm '}{year}; không nhập trùng")
    if p:
        raise RowProblems(p)
    return out


_PATHS = {
    SubjectType.MEMBER_YEARLY: "member__cell__path", SubjectType.LEADER_YEARLY: "leader_position__member__cell__path",
    SubjectType.LEADER_QUARTERLY: "leader_position__member__cell__path", SubjectType.BASE_ORG_YEARLY: "organization__path",
    SubjectType.COMMITTEE_YEARLY: "organization__path", SubjectType.COLLECTIVE_YEARLY: "unit__party_organization__path",
}


def _decided_under(org, year, quarter, subject) -> bool:
    kind = PeriodKind.QUARTER if quarter else PeriodKind.YEAR
    qs = live_ratings().filter(status=RatingStatus.DECIDED, subject_type=subject, period__kind=kind, period__year=year,
                               **{f"{_PATHS[subject]}__startswith": org.path})
    if quarter:
        qs = qs.filter(period__quarter=quarter)
    return qs.exists()


# -- the resources ----------------------------------------------------------------------------------

class _CheckedResource(resources.ModelResource):
    """A resource whose rows are checked (and resolved) by one check function before import-export maps them.

    django-import-export's flow is kept — each row checked, mapped onto a new or existing instance,
    validated, its errors reported by row — but nothing costs a query a row: the rows already in
    the database are loaded once (`before_import`), the related objects come from the check's
    lookup, and the instances are written together at the end (`use_bulk`: COPY on PostgreSQL,
    core.bulk), inside the caller's one transaction.
    """

    check = None  # check_result_row / check_count_row
    dedupe_fields: tuple[str, ...] = ()

    def __init__(self, *, batch: ImportBatch | None = None, lookup: Lookup | None = None):
        super().__init__()
        self.batch, self.lookup, self.seen, self.existing = batch, lookup, {}, {}
        model_fields = {f.name: f for f in self._meta.model._meta.concrete_fields}
        self._related = [name for name, f in model_fields.items() if f.is_relation]
        self._id_columns = [model_fields[name].attname for name in self._meta.import_id_fields]
        self._columns = [(name, model_fields[name].attname) for name in self._meta.fields]

    def before_import(self, dataset, **kwargs):
        if self.lookup is None:
            self.lookup = load_lookup(dataset)
        years = set()
        for value in dataset["year"]:
            try:
                years.add(to_int(value))
            except (CellError, TypeError, ValueError):
                pass  # the row's check says what is wrong with it
        rows = self._meta.model.objects.filter(year__in=years)
        self.existing = {tuple(getattr(obj, column) for column in self._id_columns): obj for obj in rows}

    def before_import_row(self, row, **kwargs):
        try:
            values = type(self).check(dict(row), self.lookup)
        except RowProblems as exc:
            raise ValidationError({k: [v] for k, v in exc.problems.items()}) from None
        key = tuple(values[f].pk if hasattr(values[f], "pk") else values[f] for f in self.dedupe_fields)
        line = row.get(ROW)
        if key in self.seen:
            raise ValidationError({"subject": [f"trùng với dòng {self.seen[key]} (cùng đối tượng, cùng kỳ)"]})
        self.seen[key] = line
        row.update(values)  # related objects as found by the check (the widgets take them as they are)

    def get_instance(self, instance_loader, row):
        """The row's subject already in the database (loaded once in `before_import`), or None."""
        key = tuple(row[name].pk if hasattr(row[name], "pk") else row[name] for name in self._meta.import_id_fields)
        return self.existing.get(key)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.batch = self.batch

    def import_instance(self, instance, row, **kwargs):
        """Put the row's values on the instance as the check read and typed them (related objects by
        id): the check is the one reader of a cell, so no widget reads it again."""
        for name, column in self._columns:
            value = row[name]
            setattr(instance, column, value.pk if hasattr(value, "pk") else value)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own field rules; the related objects were found by the check and duplicates
        refused against the file and the loaded rows, so no query is needed here."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, *self._related], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and not result.has_validation_errors() and not result.has_errors():
            try:
                bulk_insert(self._meta.model, self.create_instances)
            except Exception as exc:  # a row taken meanwhile: reported, and the caller writes nothing
                self.handle_import_error(result, exc, raise_errors)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and not result.has_validation_errors() and not result.has_errors():
            try:
                update_rows(self._meta.model, self.update_instances, ["batch", *self.get_bulk_update_fields()])
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)
        self.update_instances.clear()


class _Found(widgets.ForeignKeyWidget):
    """A related object the row's check has already found (or None): taken as it is, no query."""

    def clean(self, value, row=None, **kwargs):
        return value


def _fk(name: str, model) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=_Found(model, "pk"))


class ImportedResultResource(_CheckedResource):
    """One row per rated subject (organisation, committee, collective, leader, member)."""

    check = staticmethod(check_result_row)
    dedupe_fields = ("year", "quarter", "subject_type", "subject_key")
    organization = _fk("organization", PartyOrganization)
    unit = _fk("unit", Unit)
    block = _fk("block", Block)
    position_group = _fk("position_group", PositionGroup)

    class Meta:
        model = ImportedResult
        fields = ("year", "quarter", "subject_type", "subject_key", "name", "organization", "org_kind", "unit", "block",
                  "tier", "position_group", "position", "level", "not_rated", "score", "decision_number", "decision_date")
        import_id_fields = ("year", "quarter", "subject_type", "subject_key")
        skip_diff = True
        clean_model_instances = True
        use_transactions = False
        store_row_values = True
        use_bulk = True
        batch_size = None  # every row written at the end, once all are checked


class ImportedCountResource(_CheckedResource):
    """Counts per level for one period, organisation, subject type and group."""

    check = staticmethod(check_count_row)
    dedupe_fields = ("year", "quarter", "subject_type", "organization", "org_kind", "block", "tier", "position_group")
    organization = _fk("organization", PartyOrganization)
    block = _fk("block", Block)
    position_group = _fk("position_group", PositionGroup)

    class Meta:
        model = ImportedCount
        fields = ("year", "quarter", "subject_type", "organization", "org_kind", "block", "tier", "position_group",
                  "excellent", "good", "passing", "failing", "not_rated")
        import_id_fields = ("year", "quarter", "subject_type", "organization", "org_kind", "block", "tier", "position_group")
        skip_diff = True
        clean_model_instances = True
        use_transactions = False
        store_row_values = True
        use_bulk = True
        batch_size = None  # every row written at the end, once all are checked


RESOURCES = {ImportKind.SUBJECTS: ImportedResultResource, ImportKind.COUNTS: ImportedCountResource}
RESOURCE_FIELDS = {kind: resource._meta.fields for kind, resource in RESOURCES.items()}


# -- preview and confirm ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PreviewRow:
    line: int
    action: str  # "Thêm mới" / "Cập nhật"
    summary: str


@dataclass
class Outcome:
    """What an import did or would do: the rows, and every problem located by row and column."""

    kind: str
    file_name: str
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def preview_rows(self) -> list[PreviewRow]:
        """The rows the preview page lists (a province's file has 100 000)."""
        return self.rows[:PREVIEW_ROWS]

    @property
    def rows_not_shown(self) -> int:
        return max(0, len(self.rows) - PREVIEW_ROWS)


class _Rollback(Exception):
    pass


def _headers_of(kind: str) -> dict[str, str]:
    return {c.key: c.header for c in COLUMNS[kind]}


FIELD_TO_COLUMN = {
    "subject_type": "subject", "organization": "org_code", "unit": "unit_code", "subject_key": "card",
    "position_group": "group", "block": "group",
}


def _problem_lines(result, sheet: Sheet, kind: str) -> list[str]:
    headers = _headers_of(kind)
    sheet_name = sheet.headers.get("_sheet", "")
    lines = []
    for invalid in result.invalid_rows:
        values = invalid.values if hasattr(invalid, "values") else ()
        number = invalid.number
        source = _source_line(sheet, number)
        for field_name, messages in invalid.error_dict.items():
            key = FIELD_TO_COLUMN.get(field_name, field_name)
            letter = sheet.headers.get(key, "")
            where = f"Sheet «{sheet_name}», dòng {source}"
            if key in headers:
                where += f", cột {letter} ({headers[key]})" if letter else f", cột «{headers[key]}» (không có trong tệp)"
            for message in messages:
                lines.append(f"{where}: {message}")
        del values
    for number, errors in result.row_errors():
        for error in errors:
            lines.append(f"Sheet «{sheet_name}», dòng {_source_line(sheet, number)}: không ghi được ({type(error.error).__name__}).")
    for error in result.base_errors:  # the rows written together at the end
        lines.append(f"Sheet «{sheet_name}»: không ghi được các dòng ({type(error.error).__name__}), "
                     "có thể do một đối tượng vừa được nhập ở nơi khác; hãy nhập lại.")
    return lines


def _source_line(sheet: Sheet, number: int) -> int:
    """The file's own row number of the dataset's row `number` (1-based)."""
    try:
        return sheet.dataset[number - 1][-1]
    except (IndexError, TypeError):
        return number


def _summary(kind: str, row: dict) -> str:
    period = fmt_period(row["year"], row.get("quarter"))
    if kind == ImportKind.SUBJECTS:
        level = LevelCode(row["level"]).label if row.get("level") in LevelCode.values else (
            Exclusion(row["not_rated"]).label if row.get("not_rated") in Exclusion.values else "")
        return f"{SubjectType(row['subject_type']).label} — {row['name']} — {period}: {level}"
    counts = ", ".join(f"{h} {row[k]}" for k, h in (("excellent", "HTXSNV"), ("good", "HTTNV"), ("passing", "HTNV"),
                                                  ("failing", "KHTNV"), ("not_rated", "không xếp loại")))
    return f"{SubjectType(row['subject_type']).label} — {period}: {counts}"


def run_import(*, content: bytes, kind: str, file_name: str, actor=None, commit: bool) -> Outcome:
    """Check (and with `commit`, write) a results file; all or nothing, every problem located.

    A signed package (reports.package) is refused when its signature is broken or its XLSX says
    other than its signed PDF; otherwise its counts are imported, noting whether the signature verified.
    An account writing it must be one `authority.may_import_results` lets (a command passes none).
    """
    if commit and actor is not None and not authority.may_import_results(scope_for(actor)):
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng được nhập kết quả xếp loại từ tệp.")
    if kind == ImportKind.PACKAGE:
        from .package import package_check

        check = package_check(content)
        if check.problems:
            return Outcome(kind=kind, file_name=file_name, problems=check.problems)
        with _no_cyclic_collection():
            outcome = _run_import(content=check.xlsx, kind=ImportKind.COUNTS, file_name=file_name, actor=actor,
                                  commit=commit, package=check)
        outcome.kind = kind
        return outcome
    if kind not in RESOURCES:
        raise ValidationError("Dạng tệp không hợp lệ.")
    with _no_cyclic_collection():
        return _run_import(content=content, kind=kind, file_name=file_name, actor=actor, commit=commit)


@contextmanager
def _no_cyclic_collection():
    """Keep Python's cyclic garbage collector off while a file is imported: every object it makes
    lives until the import ends, and the collector's passes over 100 000 rows' objects cost a
    sixth of the import; whatever is garbage is collected afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run_import(*, content: bytes, kind: str, file_name: str, actor, commit: bool, package=None) -> Outcome:
    outcome = Outcome(kind=kind, file_name=file_name)
    sheet = read_sheet(content, kind, file_name=file_name)
    if sheet.problems:
        outcome.problems = sheet.problems
        return outcome
    if not len(sheet.dataset):
        outcome.problems = [f"Tệp «{file_name}» không có dòng dữ liệu nào dưới dòng tiêu đề."]
        return outcome
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=ImportKind.PACKAGE if package else kind, file_name=file_name[:255], rows=len(sheet.dataset),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                package_reference=package.reference if package else "", signature_note=package.note if package else "",
            )
            resource = RESOURCES[kind](batch=batch)
            result = resource.import_data(sheet.dataset, dry_run=False, raise_errors=False, use_transactions=False,
                                          collect_failed_rows=False)
            outcome.problems = _problem_lines(result, sheet, kind)
            for number, row_result in enumerate(result.rows, start=1):
                if row_result.import_type in ("new", "update"):
                    outcome.rows.append(PreviewRow(
                        _source_line(sheet, number), "Thêm mới" if row_result.import_type == "new" else "Cập nhật",
                        # worded for the rows the preview page lists only
                        _summary(kind, row_result.row_values) if len(outcome.rows) < PREVIEW_ROWS else "",
                    ))
            outcome.created = sum(1 for r in outcome.rows if r.action == "Thêm mới")
            outcome.updated = len(outcome.rows) - outcome.created
            if outcome.problems or not commit:
                raise _Rollback
            record_change(actor=actor, action=AuditAction.RESULTS_IMPORT, obj=batch, changes={
                "file_name": file_name[:255], "kind": batch.kind, "created": outcome.created, "updated": outcome.updated,
                **({"Báo cáo gửi kèm": package.reference, "Chữ ký số": package.note} if package else {}),
            })
            outcome.batch = batch
    except _Rollback:
        outcome.batch = None
    return outcome


def results_workbook(rows: Iterable[dict], *, title: str = "") -> bytes:
    """A file of the per-subject format holding `rows` ({column key: value}): a title row, then the headers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # streamed: a province's year is written without holding its cells
    sheet = book.create_sheet("Kết quả")
    if title:
        sheet.append([title])
    sheet.append([c.header for c in RESULT_COLUMNS])
    keys = [c.key for c in RESULT_COLUMNS]
    for values in rows:
        sheet.append([values.get(k) for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_workbook(kind: str) -> bytes:
    """An empty file of the format: the header row on the first sheet, the columns explained on a second."""
    from openpyxl import Workbook

    from .xlsx import Column, write_table

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả" if kind == ImportKind.SUBJECTS else "Số lượng"
    for index, col in enumerate(COLUMNS[kind], start=1):
        cell = ws.cell(row=1, column=index, value=col.header + (" *" if col.required else ""))
        cell.font = cell.font.copy(bold=True)
        ws.column_dimensions[get_column_letter(index)].width = max(14, len(col.header) + 4)
        ws.cell(row=2, column=index).number_format = "@"
    guide = wb.create_sheet("Hướng dẫn")
    write_table(guide, title="CÁC CỘT CỦA TỆP NHẬP KẾT QUẢ XẾP LOẠI (* là bắt buộc)",
                columns=(Column("Cột", 26), Column("Bắt buộc", 10), Column("Ghi chú", 90)),
                rows=[[c.header, "Có" if c.required else "", c.note] for c in COLUMNS[kind]], landscape=False)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
