"""Vietnamese numbers, dates and templates for the engine's reasons and messages (decimal comma).

The engine imports nothing of ours, so it prints dates itself; `fmt_date` prints them exactly as
`core.dates.format_day` does (a test ties the two over every day of several years). Reports use
`fmt_ratio` for every percentage, so the engine's reasons and the documents round alike.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def fmt_number(value: Decimal | int) -> str:
    """Format a number the Vietnamese way: "12,5", "70" (no trailing zeros, never rounded)."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def fmt_hundredths(value: int) -> str:
    """Format points kept in hundredths the Vietnamese way: 8999 → "89,99", 9650 → "96,5", 7000 → "70"."""
    sign, value = ("-", -value) if value < 0 else ("", value)
    whole, cents = divmod(value, 100)
    if not cents:
        return f"{sign}{whole}"
    return f"{sign}{whole},{cents:02d}".rstrip("0")


def fmt_percent(share: Decimal) -> str:
    """Format a share (0.5) as a percentage ("50%")."""
    return f"{fmt_number(share * HUNDRED)}%"


def fmt_ratio(part: int, whole: int) -> str:
    """Format part/whole as a percentage with one decimal, 0,05 rounded up ("17,3%") [002 §4.1]."""
    if whole == 0:
        return "0%"
    pct = (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return fmt_number(pct) + "%"


def fmt_count(count: int) -> str:
    """Pad a small count as the documents do: 1 → "01", 12 → "12"."""
    return f"{count:02d}"


def fmt_date(day: date) -> str:
    """Format a date as the documents do [DOMAIN §10a]: "01/9/2025", "12/01/2026" (the day
    padded; the month padded only when it is 1 or 2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


class SafeFormat(dict):
    """Mapping for str.format_map that leaves unknown placeholders in place."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: dict) -> str:
    """Fill a reason template's placeholders; unknown ones stay as they are, a broken template as written."""
    try:
        return template.format_map(SafeFormat(params))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template
