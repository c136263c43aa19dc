"""Helpers of the report templates: a commune row's tallies, a level's count and label (numbers print through `{% load vn %}`)."""
from django import template

register = template.Library()


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
