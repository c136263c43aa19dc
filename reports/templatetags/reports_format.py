"""Numbers in report tables, printed by the report's own wording helpers."""
from django import template

from reports import wording

register = template.Library()


@register.filter
def count(value) -> str:
    """ "3.254", "09"; blank for None."""
    if value is None or value == "":
        return ""
    return wording.num(int(value))


@register.filter
def plain(value) -> str:
    """A count in a table cell: "3.254", "9" (no padding in tables, as seed 001 prints them)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


@register.filter
def share(part, whole) -> str:
    """ "17,3%" of `whole`; blank when there is nothing to divide."""
    if not whole:
        return ""
    return wording.pct(int(part), int(whole))


_SECTIONS = ("organisations", "committees", "collectives", "leaders")


@register.filter
def section_list(row) -> list:
    """The tallies of a commune row (or of the totals dict) for organisations … leaders."""
    if isinstance(row, dict):
        return [row[k] for k in _SECTIONS]
    return [getattr(row, k) for k in _SECTIONS]


@register.filter
def get(mapping, key):
    """mapping[key] in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def level(tally, name: str) -> int:
    """The count of one level ("excellent", "good", "passing", "failing") of a tally."""
    return tally.level(name) if tally is not None else 0


@register.filter
def level_label(code: str) -> str:
    """ "Hoàn thành tốt nhiệm vụ" for "HTTNV" (blank for none)."""
    from appraisal.models import LevelCode

    return LevelCode(code).label if code in LevelCode.values else ""


@register.filter
def split(text: str, sep: str) -> list[str]:
    return str(text).split(sep)
