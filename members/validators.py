"""Validators of members and their history: written once, called by every path.

The forms (through members.services), the services, the admin (the models' `clean`) and the
workbook import all call these plain functions. They take plain values — dates, codes, the
stored values of choices — plus what they must look up (the member's date of admission, the
periods already recorded), and return Vietnamese messages keyed by field, empty when all is
well. They never touch the database: whether a card number is taken is the caller's
(members.services for a form, the import's own index of the file and of the database).

How the workbook import calls them, once per row, after the cells are read:

    from core.vntext import choice_from_text, clean_code, clean_text
    from members import validators as v

    today = timezone.localdate()
    card = clean_code(row["card_number"])             # NFC, zero-width characters removed
    gender = choice_from_text(row["gender"], Gender)  # "Nữ", "nu" → "female"; "Nũ" → None
    errors = v.member_errors(
        full_name=clean_text(row["full_name"]), date_of_birth=…, gender=gender,
        card_number=card, admitted_on=…, official_on=…, status=…, today=today,
    )
    errors |= v.cell_errors(kind=<kind of the cell>, active=<is it active>)
    # "Miễn sinh hoạt" / "Đình chỉ" / "Sinh hoạt tạm thời" rows, one kind at a time:
    errors = v.period_errors(start_on=…, end_on=…, admitted_on=<the member's>,
                             existing=[(start, end), …] (the member's other periods of that kind),
                             label=v.PERIOD_LABELS["exemption"], today=today)
    errors = v.temporary_place_errors(place=…)            # plus period_errors, for temporary activity
    errors = v.discipline_errors(form=…, violation_on=…, decided_on=…, admitted_on=…, today=today)
    errors = v.position_errors(title=…, leadership_role=…, tier=…, has_unit=…, has_organization=…,
                               start_on=…, end_on=…, today=today)

A choice left as None (text that matched no label) is reported by the validator as invalid,
naming the field, so the import needs no message of its own.
"""
from collections.abc import Iterable
from datetime import date
from functools import cache

from core.dates import EARLIEST_BIRTH, PARTY_FOUNDED, add_months, latest_planned
from core.validators import code_problem, date_problem, keyed, merge, name_problem
from core.vntext import clean_text
from orgs.models import CELL_KINDS, OrgKind
from vnformat import fmt_date

from .models import DisciplineForm, Gender, LeadershipRole, MemberStatus, Tier

#: Below this age at admission a date of birth or of admission is a slip of the hand. (The
#: Charter asks 18; old records and rounding of birth dates are let through from 16.)
MIN_AGE_AT_ADMISSION = 16

PERIOD_LABELS = {
    "exemption": "miễn công tác và sinh hoạt đảng",
    "suspension": "đình chỉ sinh hoạt đảng",
    "temporary": "sinh hoạt tạm thời",
}


@cache
def _values(choices) -> frozenset:
    """The stored values of a TextChoices class (Django rebuilds `.values` on every call)."""
    return frozenset(choices.values)


def _choice_problem(value, choices, label: str) -> str | None:
    if value in _values(choices):
        return None
    accepted = ", ".join(f"“{lab}”" for lab in choices.labels)
    shown = f"“{value}” " if value not in (None, "") else ""
    return f"{label} {shown}không hợp lệ: chỉ nhận {accepted}."


def _after_today(day: date | None, label: str, today: date) -> str | None:
    return date_problem(day, label, earliest=date.min, latest=today, latest_why="sau ngày hôm nay")


def member_errors(
    *,
    full_name: str,
    date_of_birth: date | None,
    gender: str | None,
    card_number: str,
    admitted_on: date | None,
    official_on: date | None,
    status: str | None,
    today: date,
) -> dict[str, list[str]]:
    """A member's own fields: name, gender, card number, plausible and ordered dates, status."""
    born = date_problem(
        date_of_birth, "Ngày sinh", earliest=EARLIEST_BIRTH, latest=today,
        earliest_why=f"trước {fmt_date(EARLIEST_BIRTH)}", latest_why="sau ngày hôm nay",
    )
    admitted = "Chưa nhập ngày vào Đảng." if admitted_on is None else date_problem(
        admitted_on, "Ngày vào Đảng", earliest=PARTY_FOUNDED, latest=today,
        earliest_why=f"trước ngày thành lập Đảng ({fmt_date(PARTY_FOUNDED)})", latest_why="sau ngày hôm nay",
    )
    official = _after_today(official_on, "Ngày chính thức", today)
    if not born and not admitted and date_of_birth and admitted_on:
        if date_of_birth >= admitted_on:
            born = f"Ngày sinh ({fmt_date(date_of_birth)}) phải trước ngày vào Đảng ({fmt_date(admitted_on)})."
        elif add_months(date_of_birth, 12 * MIN_AGE_AT_ADMISSION) > admitted_on:
            admitted = (
                f"Ngày vào Đảng ({fmt_date(admitted_on)}) không hợp lý: khi đó đảng viên chưa đủ "
                f"{MIN_AGE_AT_ADMISSION} tuổi (sinh {fmt_date(date_of_birth)})."
            )
    if not official and official_on and admitted_on and official_on < admitted_on:
        official = f"Ngày chính thức ({fmt_date(official_on)}) không được trước ngày vào Đảng ({fmt_date(admitted_on)})."
    status_problem = _choice_problem(status, MemberStatus, "Tình trạng")
    if not status_problem and not official:
        if status == MemberStatus.OFFICIAL and not official_on:
            official = "Đảng viên chính thức phải có ngày chính thức."
        if status == MemberStatus.PROBATIONARY and official_on:
            status_problem = "Đảng viên đã có ngày chính thức thì tình trạng phải là “Chính thức”."
    return keyed(
        full_name=name_problem(full_name, "họ và tên"),
        gender=_choice_problem(gender, Gender, "Giới tính"),
        card_number=code_problem(card_number, "số thẻ đảng viên"),
        date_of_birth=born,
        admitted_on=admitted,
        official_on=official,
        status=status_problem,
    )


def cell_errors(*, kind: str | None, active: bool, name: str = "", field: str = "cell") -> dict[str, list[str]]:
    """The organisation a member lives in: a cell (chi bộ or tổ đảng), still active."""
    shown = f"“{name}”" if name else "Tổ chức này"
    if kind is None:
        return {field: ["Chưa chọn chi bộ."]}
    if kind not in CELL_KINDS:
        cells = ", ".join(f"“{OrgKind(k).label}”" for k in CELL_KINDS)
        return {field: [f"{shown} không phải chi bộ hoặc tổ đảng; đảng viên sinh hoạt ở {cells}."]}
    if not active:
        return {field: [f"{shown} đã ngừng hoạt động."]}
    return {}


def _dates_problem(start_on: date | None, end_on: date | None, *, admitted_on: date | None, today: date,
                   start_label: str = "Ngày bắt đầu") -> dict[str, list[str]]:
    """A start no earlier than admission and not far ahead; an end after the start, not far ahead."""
    latest = latest_planned(today)
    start = "Chưa nhập ngày bắt đầu." if start_on is None else date_problem(
        start_on, start_label, earliest=PARTY_FOUNDED, latest=latest,
        earliest_why=f"trước ngày thành lập Đảng ({fmt_date(PARTY_FOUNDED)})",
    )
    if not start and admitted_on and start_on < admitted_on:
        start = f"{start_label} ({fmt_date(start_on)}) không được trước ngày vào Đảng ({fmt_date(admitted_on)})."
    end = date_problem(end_on, "Ngày kết thúc", earliest=PARTY_FOUNDED, latest=latest)
    if not end and end_on and start_on and end_on < start_on:
        end = f"Ngày kết thúc ({fmt_date(end_on)}) không được trước ngày bắt đầu ({fmt_date(start_on)})."
    return keyed(start_on=start, end_on=end)


def period_errors(
    *,
    start_on: date | None,
    end_on: date | None,
    admitted_on: date | None,
    existing: Iterable[tuple[date, date | None]],
    label: str,
    today: date,
) -> dict[str, list[str]]:
    """An exemption, suspension or temporary activity: ordered, plausible dates that do not
    overlap `existing` (the member's other periods of the same kind, (start, end or None))."""
    errors = _dates_problem(start_on, end_on, admitted_on=admitted_on, today=today)
    if errors:
        return errors
    for other_start, other_end in sorted(existing, key=lambda p: p[0]):
        if other_start <= (end_on or date.max) and (other_end is None or other_end >= start_on):
            until = f" đến {fmt_date(other_end)}" if other_end else " (chưa kết thúc)"
            return {"start_on": [f"Trùng với thời gian {label} đã có: từ {fmt_date(other_start)}{until}."]}
    return {}


def temporary_place_errors(*, place: str) -> dict[str, list[str]]:
    """Where a temporary activity takes place: named."""
    return {} if clean_text(place) else {"place": ["Chưa nhập nơi sinh hoạt tạm thời."]}


def period_end_errors(*, start_on: date, recorded_end: date | None, end_on: date | None, label: str,
                      today: date) -> dict[str, list[str]]:
    """Ending a period on `end_on`: not before it began, and only shortening a recorded end."""
    if end_on is None:
        return {"end_on": ["Chưa nhập ngày kết thúc."]}
    if end_on < start_on:
        return {"end_on": [f"Ngày kết thúc ({fmt_date(end_on)}) không được trước ngày bắt đầu {label} ({fmt_date(start_on)})."]}
    if recorded_end and end_on > recorded_end:
        return {"end_on": [
            f"Ngày kết thúc ({fmt_date(end_on)}) sau ngày kết thúc đã ghi ({fmt_date(recorded_end)}): "
            f"muốn kéo dài, hãy ghi một lần {label} mới."
        ]}
    return keyed(end_on=date_problem(end_on, "Ngày kết thúc", earliest=start_on, latest=latest_planned(today)))


def discipline_errors(*, form: str | None, violation_on: date | None, decided_on: date | None,
                      admitted_on: date | None, today: date) -> dict[str, list[str]]:
    """A discipline decision: a known form; violation after admission; decided after it, not ahead."""
    violation = "Chưa nhập ngày vi phạm." if violation_on is None else date_problem(
        violation_on, "Ngày vi phạm", earliest=PARTY_FOUNDED, latest=today, latest_why="sau ngày hôm nay",
    )
    decided = "Chưa nhập ngày quyết định." if decided_on is None else date_problem(
        decided_on, "Ngày quyết định", earliest=PARTY_FOUNDED, latest=today, latest_why="sau ngày hôm nay",
    )
    if not violation and admitted_on and violation_on < admitted_on:
        violation = (f"Ngày vi phạm ({fmt_date(violation_on)}) trước ngày vào Đảng "
                     f"({fmt_date(admitted_on)}): không thể kỷ luật đảng.")
    if not violation and not decided and decided_on < violation_on:
        decided = f"Ngày quyết định ({fmt_date(decided_on)}) không được trước ngày vi phạm ({fmt_date(violation_on)})."
    return keyed(form=_choice_problem(form, DisciplineForm, "Hình thức kỷ luật"),
                 violation_on=violation, decided_on=decided)


def position_errors(*, title: str, leadership_role: str | None, tier: str | None, has_unit: bool,
                    has_organization: bool, start_on: date | None, end_on: date | None,
                    today: date) -> dict[str, list[str]]:
    """A leadership post: a title, a place (unit or party organisation), known role and tier,
    plausible ordered dates."""
    return merge(
        keyed(
            title=name_problem(title, "chức vụ"),
            unit=None if (has_unit or has_organization) else "Chọn cơ quan, đơn vị hoặc tổ chức đảng nơi giữ chức vụ.",
            leadership_role=_choice_problem(leadership_role, LeadershipRole, "Vai trò"),
            tier=_choice_problem(tier, Tier, "Diện quản lý"),
        ),
        _dates_problem(start_on, end_on, admitted_on=None, today=today),
    )


def position_end_errors(*, start_on: date, recorded_end: date | None, end_on: date | None,
                        today: date) -> dict[str, list[str]]:
    """Ending a post: not already ended, not before it began, not far ahead."""
    if recorded_end is not None:
        return {"end_on": [f"Chức vụ này đã kết thúc ngày {fmt_date(recorded_end)}."]}
    if end_on is None:
        return {"end_on": ["Chưa nhập ngày thôi giữ chức vụ."]}
    if end_on < start_on:
        return {"end_on": [f"Ngày thôi giữ chức vụ ({fmt_date(end_on)}) không được trước ngày bắt đầu ({fmt_date(start_on)})."]}
    return keyed(end_on=date_problem(end_on, "Ngày thôi giữ chức vụ", earliest=start_on, latest=latest_planned(today)))


def transfer_errors(*, moved_on: date | None, admitted_on: date, last_moved_on: date | None,
                    today: date) -> dict[str, list[str]]:
    """A move between cells: after admission and after the previous move, not after today."""
    if moved_on is None:
        return {"moved_on": ["Chưa nhập ngày chuyển."]}
    if moved_on > today:
        return {"moved_on": [f"Ngày chuyển ({fmt_date(moved_on)}) không được sau ngày hôm nay."]}
    if moved_on < admitted_on:
        return {"moved_on": [f"Ngày chuyển ({fmt_date(moved_on)}) không được trước ngày vào Đảng ({fmt_date(admitted_on)})."]}
    if last_moved_on and moved_on < last_moved_on:
        return {"moved_on": [f"Ngày chuyển ({fmt_date(moved_on)}) không được trước lần chuyển gần nhất ({fmt_date(last_moved_on)})."]}
    return {}
