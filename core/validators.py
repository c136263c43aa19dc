"""Checks every entity's validator shares: names, codes, plausible dates, sort orders.

Pure functions over plain values; each returns a Vietnamese reason (or None). The entity
validators (orgs.validators, members.validators) build on them and key the reasons by field.
"""
import re
from datetime import date

from .dates import fmt_date
from .vntext import clean_text, fold

SORT_ORDER_MAX = 1_000_000  # beyond it a 30-digit number would overflow the database column

# What spreadsheets and programs write where a value is missing or broken.
_SPREADSHEET_ERROR = re.compile(r"^#[A-Z0-9/_!?.]+[!?]?$|^#N/A$", re.IGNORECASE)
_PLACEHOLDERS = {"nan", "null", "none", "nil", "undefined", "n/a", "na", "inf", "-inf", "infinity",
                 "true", "false", "#n/a"}
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")


def _is_number(text: str) -> bool:
    """Whether the text reads as a number ("123", "1e309", "NaN", "3,5")."""
    try:
        float(text.replace(" ", "").replace(",", "."))
    except ValueError:
        return False
    return True


def name_problem(text: str | None, label: str) -> str | None:
    """Why `text` cannot be the name called `label` ("họ và tên"), or None.

    A name has letters: a date ("0000-00-00"), a number, a spreadsheet error ("#REF!") or a
    placeholder ("NaN", "None") is what a broken file or a slip of the hand leaves behind.
    """
    name = clean_text(text)
    if not name:
        return f"Chưa nhập {label}."
    if _SPREADSHEET_ERROR.match(name) or fold(name) in _PLACEHOLDERS:
        return f"“{name}” không phải {label} (giá trị lỗi hoặc ô trống của bảng tính)."
    if _DATE_LIKE.match(name):
        return f"“{name}” là một ngày tháng, không phải {label}."
    if _is_number(name):
        return f"“{name}” là một con số, không phải {label}."
    if not any(ch.isalpha() for ch in name):
        return f"“{name}” không có chữ cái nào, không phải {label}."
    return None


def code_problem(text: str | None, label: str = "mã") -> str | None:
    """Why `text` cannot be a code or card number called `label`, or None (after `clean_code`)."""
    code = clean_text(text)
    if not code:
        return f"Chưa nhập {label}."
    if _SPREADSHEET_ERROR.match(code) or fold(code) in _PLACEHOLDERS - {"na"}:
        return f"“{code}” không phải {label} (giá trị lỗi hoặc ô trống của bảng tính)."
    return None


def date_problem(day: date | None, label: str, *, earliest: date, latest: date,
                 earliest_why: str = "", latest_why: str = "") -> str | None:
    """Why `day` (called `label`) lies outside [earliest, latest], or None; None for no date."""
    if day is None:
        return None
    if day < earliest:
        why = earliest_why or f"trước {fmt_date(earliest)}"
        return f"{label} ({fmt_date(day)}) không được {why}."
    if day > latest:
        why = latest_why or f"sau {fmt_date(latest)}"
        return f"{label} ({fmt_date(day)}) không được {why}."
    return None


def sort_order_problem(value) -> str | None:
    """Why `value` cannot be a "Thứ tự" (a whole number from 0 to 1 000 000), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "Thứ tự phải là số nguyên."
    if not 0 <= value <= SORT_ORDER_MAX:
        return f"Thứ tự phải từ 0 đến {SORT_ORDER_MAX:,}.".replace(",", ".")
    return None


def keyed(**problems: str | list[str] | None) -> dict[str, list[str]]:
    """Field → messages, leaving out fields without a problem."""
    errors: dict[str, list[str]] = {}
    for field, problem in problems.items():
        if not problem:
            continue
        errors.setdefault(field, []).extend(problem if isinstance(problem, list) else [problem])
    return errors


def merge(*dicts: dict[str, list[str]]) -> dict[str, list[str]]:
    """Several field → messages dictionaries in one."""
    errors: dict[str, list[str]] = {}
    for d in dicts:
        for field, messages in d.items():
            errors.setdefault(field, []).extend(messages)
    return errors
