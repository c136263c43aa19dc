"""Vietnamese printing in templates: `{% load vn %}` then `{{ d|vn_day }}` (see core.dates)."""
import datetime as dt

from django import template
from django.utils import timezone

from core.dates import format_day, format_day_long, format_moment

register = template.Library()


@register.filter
def vn_day(value, empty: str = ""):
    """24/6/2026 (a date or a datetime's local date); `empty` when there is none."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_day(value, empty) if isinstance(value, dt.date) else (empty if not value else value)


@register.filter
def vn_day_long(value, empty: str = ""):
    """ngày 24 tháng 6 năm 2026."""
    return format_day_long(value, empty) if isinstance(value, dt.date) else (empty if not value else value)


@register.filter
def vn_moment(value, empty: str = ""):
    """24/6/2026 14:05, in local time."""
    return format_moment(value, empty) if isinstance(value, dt.datetime) else (empty if not value else value)
