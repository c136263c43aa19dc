"""Dates shared by the apps: calendar arithmetic, plausible ranges, and a moment in local time.

A date is printed by `vnformat.fmt_date` / `fmt_date_long` (the one module of Vietnamese formats,
which the engine shares); templates load `{% load vn %}` and write `{{ d|vn_day }}`,
`{{ d|vn_day_long }}`, `{{ t|vn_moment }}`.
"""
import calendar
import datetime as dt
from datetime import date

from django.utils import timezone

from vnformat import fmt_date

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


def format_moment(moment: dt.datetime | None, empty: str = "") -> str:
    """A point in time, in local time: "24/6/2026 14:05"."""
    if moment is None:
        return empty
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{fmt_date(moment.date())} {moment:%H:%M}"
