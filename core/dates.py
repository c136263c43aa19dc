"""Dates shared by the apps: calendar arithmetic, plausible ranges, and the one way to print them.

Printing follows the party documents [DOMAIN §10a; seeds 000–004], which write dates the way
the rules for official documents ask (Nghị định 30/2020/NĐ-CP, Phụ lục I): a day below 10 and
the months 1 and 2 take a leading zero, other months do not — "05/3/2026", "24/6/2026",
"12/01/2026"; in prose "ngày 24 tháng 6 năm 2026", "ngày 02 tháng 02 năm 2023".

Python code calls `format_day` / `format_day_long` / `format_moment`; templates load
`{% load vn %}` and write `{{ d|vn_day }}`, `{{ d|vn_day_long }}`, `{{ t|vn_moment }}`.
(The engine, which imports nothing of ours, has its own copy in appraisal/rules/vnformat.py.)
"""
import calendar
import datetime as dt
from datetime import date

from django.utils import timezone

#: The Party was founded on 3/2/1930: no member was admitted and no organisation founded before.
PARTY_FOUNDED = date(1930, 2, 3)
#: The earliest plausible date of birth of a living or recorded member.
EARLIEST_BIRTH = date(1900, 1, 1)
#: How far ahead a planned end (of an exemption, a post) may plausibly lie.
FUTURE_YEARS = 10


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the month's last day (31/8 + 6 → 28/2)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_planned(today: date) -> date:
    """The latest plausible planned date (an end date typed ahead of time)."""
    return add_months(today, 12 * FUTURE_YEARS)


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def format_day(day: date | None, empty: str = "") -> str:
    """A date as tables print it: "05/3/2026", "24/6/2026", "12/01/2026"."""
    if day is None or day == "":
        return empty
    return f"{day.day:02d}/{_month(day.month)}/{day.year}"


def format_day_long(day: date | None, empty: str = "") -> str:
    """A date as prose writes it: "ngày 24 tháng 6 năm 2026", "ngày 02 tháng 02 năm 2023"."""
    if day is None or day == "":
        return empty
    return f"ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def format_moment(moment: dt.datetime | None, empty: str = "") -> str:
    """A point in time, in local time: "24/6/2026 14:05"."""
    if moment is None:
        return empty
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{format_day(moment.date())} {moment:%H:%M}"
