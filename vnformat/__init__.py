"""Vietnamese numbers and dates, written once for every path: engine, pages, documents, XLSX.

A small shared package of the standard library only, so the pure engine (`appraisal.rules`)
prints its reasons exactly as the pages and the documents print their figures. Templates reach it
through `{% load vn %}` (core/templatetags/vn.py); XLSX writers take their number formats from
the `XLSX_*` constants below.

How the documents write them [DOMAIN §10, §10a; seeds 000–004; Nghị định 30/2020/NĐ-CP, Phụ lục I]:

- decimals with a comma, thousands with a dot: "12,5", "3.254", "1.500.000,25";
- counts in prose padded below 10, zero kept as zero: "03 hội nghị", "0", "44";
- percentages with one decimal, a comma and 0,05 rounded up, no ",0": "17,3%", "20%", "100%";
- dates with the day padded and only months 1–2 padded: "05/3/2026", "24/6/2026", "12/01/2026";
  in prose "ngày 24 tháng 6 năm 2026". (Seeds 000–004 write dates this way — "08/3/2018",
  "25/6/2026" — so a date is never "5/3/2026" nor "05/03/2026".)
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
_TENTH = Decimal("0.1")

#: openpyxl number formats: Excel shows the separators of the reader's locale (a dot between
#: thousands and a decimal comma in Vietnamese), so the format names only the pattern.
XLSX_COUNT = "#,##0"
XLSX_DECIMAL = "#,##0.##"
XLSX_PERCENT = "0.0%"
XLSX_DATE = "DD/MM/YYYY"


def _group(digits: str) -> str:
    """ "3254" → "3.254"."""
    if len(digits) <= 3:
        return digits
    head = len(digits) % 3 or 3
    return digits[:head] + "".join("." + digits[i:i + 3] for i in range(head, len(digits), 3))


def fmt_number(value: Decimal | int) -> str:
    """A number as written: "12,5", "70", "3.254", "-0,25" (no trailing zeros, never rounded)."""
    if isinstance(value, int):
        return ("-" + _group(str(-value))) if value < 0 else _group(str(value))
    text = format(value, "f")
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, cents = text.partition(".")
    cents = cents.rstrip("0")
    return f"{sign}{_group(whole)},{cents}" if cents else f"{sign}{_group(whole)}"


def fmt_hundredths(value: int) -> str:
    """Points kept in hundredths: 8999 → "89,99", 9650 → "96,5", 7000 → "70"."""
    sign, value = ("-", -value) if value < 0 else ("", value)
    whole, cents = divmod(value, 100)
    if not cents:
        return f"{sign}{_group(str(whole))}"
    return f"{sign}{_group(str(whole))},{cents:02d}".rstrip("0")


def fmt_count(count: int) -> str:
    """A count in prose: 1 → "01", 0 → "0", 12 → "12", 3254 → "3.254"."""
    if 0 < count < 10:
        return f"0{count}"
    return fmt_number(count)


def fmt_fraction(part: int, whole: int) -> str:
    """ "09/44", as seed 000 writes a share of a group."""
    return f"{fmt_count(part)}/{fmt_count(whole)}"


def _percent(value: Decimal) -> str:
    return fmt_number(value.quantize(_TENTH, ROUND_HALF_UP)) + "%"


def fmt_percent(share: Decimal | int | float | str) -> str:
    """A share (0.2, 0.125) as a percentage: "20%", "12,5%" — one decimal, half up."""
    return _percent(Decimal(str(share)) * HUNDRED)


def fmt_ratio(part: int, whole: int) -> str:
    """part/whole as a percentage with one decimal, 0,05 rounded up: "17,3%"; "0%" of nothing [002 §4.1]."""
    if whole == 0:
        return "0%"
    return _percent(Decimal(part) * HUNDRED / Decimal(whole))


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def fmt_date(day: date | None, empty: str = "") -> str:
    """A date in a table: "05/3/2026", "24/6/2026", "12/01/2026"."""
    if not day:
        return empty
    return f"{day.day:02d}/{_month(day.month)}/{day.year}"


def fmt_date_long(day: date | None, empty: str = "") -> str:
    """A date in prose: "ngày 24 tháng 6 năm 2026", "ngày 02 tháng 02 năm 2023"."""
    if not day:
        return empty
    return f"ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def fmt_period(year: int, quarter: int | None = None, *, capital: bool = False) -> str:
    """A rating period: "quý 2/2026", or "năm 2026" without a quarter ("Quý 2/2026" with `capital`)."""
    text = f"quý {quarter}/{year}" if quarter else f"năm {year}"
    return text[:1].upper() + text[1:] if capital else text
