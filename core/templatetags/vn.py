"""Vietnamese printing in templates, built on the one module of formats (`vnformat`).

`{% load vn %}`, then: `{{ d|vn_day }}` 24/6/2026 · `{{ d|vn_day_long }}` ngày 24 tháng 6 năm 2026 ·
`{{ t|vn_moment }}` 24/6/2026 14:05 (`|vn_moment:"s"` with seconds) · `{{ n|vn_number }}` 3.254, 12,5 ·
`{{ n|vn_count }}` 09 (prose) · `{{ part|vn_ratio:whole }}` 17,3% · `{{ share|vn_percent }}` 20%.
No template formats a date or a number by itself.
"""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from core.dates import format_moment
from vnformat import fmt_count, fmt_date, fmt_date_long, fmt_number, fmt_percent, fmt_ratio

register = template.Library()


def _day(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def vn_day(value, empty: str = ""):
    """24/6/2026 (a date or a datetime's local date); `empty` when there is none."""
    value = _day(value)
    return fmt_date(value, empty) if isinstance(value, dt.date) else (empty if not value else value)


@register.filter
def vn_day_long(value, empty: str = ""):
    """ngày 24 tháng 6 năm 2026."""
    value = _day(value)
    return fmt_date_long(value, empty) if isinstance(value, dt.date) else (empty if not value else value)


@register.filter
def vn_moment(value, seconds: str = ""):
    """24/6/2026 14:05 in local time; with seconds (`|vn_moment:"s"`): 24/6/2026 14:05:33."""
    if not isinstance(value, dt.datetime):
        return value or ""
    text = format_moment(value)
    if seconds:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text += f":{local.second:02d}"
    return text


def _decimal(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    try:
        return Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None


@register.filter
def vn_number(value):
    """3.254, 12,5, 70: thousands with a dot, a decimal comma, no trailing zeros; blank for none."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else value
    return fmt_number(number if not isinstance(number, Decimal) or number != number.to_integral() else int(number))


@register.filter
def vn_count(value):
    """A count in prose: 09, 0, 44, 3.254; blank for none."""
    number = _decimal(value)
    return fmt_count(int(number)) if number is not None else ("" if value in (None, "") else value)


@register.filter
def vn_ratio(part, whole):
    """17,3% of `whole`; blank when there is nothing to divide."""
    if not whole:
        return ""
    return fmt_ratio(int(part or 0), int(whole))


@register.filter
def vn_percent(share):
    """A share stored as a fraction: 0.2 → 20%, 0.125 → 12,5%; blank for none."""
    number = _decimal(share)
    return fmt_percent(number) if number is not None else ""
