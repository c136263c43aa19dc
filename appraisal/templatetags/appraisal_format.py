"""Display helpers for the appraisal pages."""
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(share) -> str:
    """A share stored as a fraction, shown the way a committee writes it: 0.2 → "20%", 0.125 → "12,5%"."""
    if share is None or share == "":
        return ""
    value = (Decimal(str(share)) * 100).quantize(Decimal("0.01")).normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text}%"
