"""Filling the placeholders of a reason's template (staff edit the templates: a broken one prints as written)."""

from __future__ import annotations


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
