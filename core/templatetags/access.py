"""`{% load access %}` … `{% if scope|may_open:"appraisal:quota" %}`: offer a link only to those
the page lets in.

The answer is the page's own rule, read from the `allowed_roles` (and `allowed_check`) that
`core.scope.role_required` keeps on the view, so a menu or a button never disagrees with the view it leads to (the view may
still narrow by the part of the tree, as it does for every link).
"""
from functools import cache

from django import template
from django.urls import URLPattern, URLResolver, get_resolver

from core.scope import SIGNED_IN, Scope

register = template.Library()


@cache
def _views() -> dict[str, object]:
    """Every named URL ("ns:name") → its view, walked once."""
    found: dict[str, object] = {}

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(part for part in (namespace, entry.namespace) if part)
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found.setdefault(f"{namespace}:{entry.name}" if namespace else entry.name, entry.callback)

    walk(get_resolver().url_patterns, "")
    return found


@register.filter
def may_open(scope: Scope | None, url_name: str) -> bool:
    """Whether the account's roles open the page named `url_name` (False for an unknown name)."""
    if scope is None:
        return False
    view = _views().get(url_name)
    if view is None:
        return False
    check = getattr(view, "allowed_check", None)
    if check is not None and not check(scope):
        return False
    roles = getattr(view, "allowed_roles", None)
    if roles is None or SIGNED_IN in roles:
        return True
    return scope.has_role(*roles)
