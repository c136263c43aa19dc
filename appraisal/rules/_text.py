"""Vietnamese number formatting for reasons and messages (decimal comma)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def fmt_number(value: Decimal | int) -> str:
    """Format a number the Vietnamese way: "12,5", "70" (no trailing zeros)."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def fmt_percent(share: Decimal) -> str:
    """Format a share (0.5) as a percentage ("50%")."""
    return f"{fmt_number(share * HUNDRED)}%"


def fmt_ratio(part: int, whole: int) -> str:
    """Format part/whole as a percentage with one decimal, 0,05 rounded up ("17,3%") [002 §4.1]."""
    if whole == 0:
        return "0%"
    pct = (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return fmt_number(pct) + "%"


class SafeFormat(dict):
    """Mapping for str.format_map that leaves unknown placeholders in place."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
