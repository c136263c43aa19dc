"""Validators of the organisation tree, units and blocks: written once, called by every path.

The forms (through orgs.services), the services, the admin (the models' `clean`) and the
workbook import all call these plain functions. They take plain values, plus what they must
look up (the placement rules, whether the parent is active), and return Vietnamese messages
keyed by field — `{"kind": ["…"], "established_on": ["…"]}`, empty when all is well. They never
touch the database; uniqueness of a code is the caller's (core.services.code_taken_errors for a
form, the import's own index of the file and of the database).

How the workbook import calls them, once per row of the "Tổ chức đảng" sheet:

    from core.vntext import clean_code, clean_text
    from orgs.selectors import placement_rules
    from orgs.validators import org_errors

    rules = placement_rules()              # once per import: one query
    today = timezone.localdate()
    errors = org_errors(
        code=clean_code(row["code"]), name=clean_text(row["name"]), kind=row["kind"],
        parent_kind=final_kind_of(row["parent"]) if row["parent"] else None,
        parent_active=…, established_on=row["established_on"], sort_order=row["sort_order"],
        rules=rules, today=today,
    )
    for field, messages in errors.items(): report(row, field, messages)

Units: `unit_errors(code=…, name=…, party_organization_active=…, sort_order=…)`; blocks and
position groups: `code_name_errors(code=…, name=…, name_label="tên khối", sort_order=…)`. A kind
typed as its Vietnamese label is read with core.vntext.choice_from_text(text, OrgKind).
"""
from collections.abc import Mapping
from datetime import date

from core.dates import PARTY_FOUNDED
from core.validators import (
    code_problem,
    date_problem,
    keyed,
    merge,
    name_problem,
    sort_order_problem,
)
from vnformat import fmt_date

from .models import OrgKind

#: Kind → the parent kinds it may sit under; None in the set means "at the top". The rules of a
#: fresh deployment (migration orgs 0008 stores them; staff edit them afterwards).
DEFAULT_PLACEMENT: dict[str, frozenset[str | None]] = {
    OrgKind.PROVINCE: frozenset({None}),
    OrgKind.DISTRICT: frozenset({None, OrgKind.PROVINCE}),
    OrgKind.ROOT: frozenset({None, OrgKind.DISTRICT, OrgKind.PROVINCE}),
    OrgKind.BASE_PARTY: frozenset({OrgKind.ROOT, OrgKind.DISTRICT}),
    OrgKind.BASE_CELL: frozenset({OrgKind.ROOT, OrgKind.DISTRICT}),
    OrgKind.ROOT_CELL: frozenset({OrgKind.ROOT}),
    OrgKind.SUB_CELL: frozenset({OrgKind.BASE_PARTY}),
    OrgKind.GROUP: frozenset({OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL}),
}

PlacementRules = Mapping[str, frozenset]


def _kind_label(kind: str | None) -> str:
    return f"“{OrgKind(kind).label}”" if kind in OrgKind.values else f"“{kind}”"


def placement_error(kind: str, parent_kind: str | None, rules: PlacementRules = DEFAULT_PLACEMENT) -> str | None:
    """Why an organisation of `kind` cannot sit under a parent of `parent_kind` (None: at the
    top), by `rules`; None if it can."""
    if kind not in OrgKind.values:
        return "Loại tổ chức đảng không hợp lệ."
    allowed = rules.get(kind, frozenset())
    if parent_kind in allowed:
        return None
    label = OrgKind(kind).label
    parents = sorted((k for k in allowed if k is not None), key=OrgKind.values.index)
    if not parents:
        if not allowed:
            return f"Theo quy tắc trực thuộc hiện hành, chưa loại tổ chức nào được chứa “{label}”."
        return f"“{label}” là cấp cao nhất của Đảng bộ, không trực thuộc tổ chức nào."
    places = " hoặc ".join(_kind_label(k) for k in parents)
    if parent_kind is None:
        return f"“{label}” phải trực thuộc {places}; chưa chọn tổ chức cấp trên."
    where = f"là cấp cao nhất hoặc trực thuộc {places}" if None in allowed else f"chỉ trực thuộc {places}"
    return f"“{label}” {where}, không trực thuộc {_kind_label(parent_kind)}."


def established_problem(established_on: date | None, today: date) -> str | None:
    """Why a date of founding is implausible: before the Party (3/2/1930) or after today."""
    return date_problem(
        established_on, "Ngày thành lập", earliest=PARTY_FOUNDED, latest=today,
        earliest_why=f"trước ngày thành lập Đảng ({fmt_date(PARTY_FOUNDED)})",
        latest_why="sau ngày hôm nay",
    )


def org_errors(
    *,
    code: str,
    name: str,
    kind: str,
    parent_kind: str | None,
    parent_active: bool = True,
    established_on: date | None,
    rules: PlacementRules,
    today: date,
    sort_order: int | None = 0,
) -> dict[str, list[str]]:
    """Every field of one organisation: code, name, kind and placement, founding date, order."""
    return keyed(
        code=code_problem(code, "mã tổ chức"),
        name=name_problem(name, "tên tổ chức đảng"),
        kind=placement_error(kind, parent_kind, rules),
        parent=None if parent_active else "Tổ chức cấp trên đã ngừng hoạt động; không thể thêm tổ chức trực thuộc.",
        established_on=established_problem(established_on, today),
        sort_order=sort_order_problem(sort_order),
    )


def org_fields_errors(*, code: str, name: str, established_on: date | None, today: date,
                      sort_order: int | None = 0) -> dict[str, list[str]]:
    """The fields an edit changes (not the placement): code, name, founding date, order."""
    return keyed(
        code=code_problem(code, "mã tổ chức"),
        name=name_problem(name, "tên tổ chức đảng"),
        established_on=established_problem(established_on, today),
        sort_order=sort_order_problem(sort_order),
    )


def code_name_errors(*, code: str, name: str, name_label: str, sort_order: int | None = 0) -> dict[str, list[str]]:
    """A row known by a code and a name (block, position group)."""
    return keyed(code=code_problem(code), name=name_problem(name, name_label),
                 sort_order=sort_order_problem(sort_order))


def unit_errors(*, code: str, name: str, party_organization_active: bool = True,
                sort_order: int | None = 0) -> dict[str, list[str]]:
    """A unit of the political system: code, name, its party organisation still active, order."""
    return merge(
        code_name_errors(code=code, name=name, name_label="tên cơ quan, đơn vị", sort_order=sort_order),
        keyed(party_organization=None if party_organization_active else "Tổ chức đảng này đã ngừng hoạt động."),
    )


def placement_rule_errors(*, kind: str, top_allowed: bool, parent_kinds: list[str]) -> dict[str, list[str]]:
    """A placement rule: known kinds, no kind under itself, somewhere to sit."""
    unknown = [k for k in parent_kinds if k not in OrgKind.values]
    return keyed(
        kind=None if kind in OrgKind.values else "Loại tổ chức đảng không hợp lệ.",
        parent_kinds=(
            "Loại tổ chức cấp trên không hợp lệ." if unknown
            else f"{_kind_label(kind)} không thể trực thuộc chính loại của nó." if kind in parent_kinds
            else None if (top_allowed or parent_kinds)
            else "Chọn ít nhất một loại tổ chức cấp trên, hoặc cho phép là cấp cao nhất."
        ),
    )
