"""Calendar arithmetic shared by the apps (the engine has its own: appraisal/rules/calendar.py)."""
import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the month's last day (31/8 + 6 → 28/2)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
