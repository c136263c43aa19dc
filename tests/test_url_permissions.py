"""Walk every URL of the project with every role: who gets in, who is refused, and where.

The walk reads the project resolver, so screens added later under danh-gia/, nhap-xuat/ or
bao-cao/ are checked too. Path parameters are filled with objects of the scenario in
tests/orgs/scenario.py: inside the role's scope for the "allowed" checks, in cell B for the
"outside the scope" checks. A URL whose parameters cannot be filled is skipped, with the
reason shown by `pytest -rs`.
"""
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)

from core.models import Role
from core.scope import SIGNED_IN
from tests.orgs.scenario import build_scenario

SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"login", "logout", "password.reset", "set_language", "javascript-catalog"}
ROLES = ("anonymous", "secretary", "unit_leadership", "staff", "standing", "viewer", "norole")
SCOPED_ROLES = ("secretary", "unit_leadership")  # roles that get a 404 outside their part

# A bare `pk` means the object of the view's area; names listed here override the area.
PK_BY_VIEW = {
    "orgs:unit": "unit", "orgs:unit_edit": "unit", "orgs:unit_deactivate": "unit",
    "orgs:unit_history": "unit", "orgs:block_edit": "block", "orgs:group_edit": "group",
}
PK_BY_NAMESPACE = {"orgs": "org", "members": "member", "appraisal": "framework", "accounts": "account"}
# Other parameter names, by the object they point to.
KWARG_OBJECTS = {
    "member_pk": "member", "member_id": "member",
    "org_pk": "org", "org_id": "org", "organization_pk": "org", "organization_id": "org",
    "cell_pk": "org", "cell_id": "org",
    "unit_pk": "unit", "unit_id": "unit",
    "position_pk": "position", "position_id": "position",
    "assignment_pk": "assignment",
}
# Parameters that are not objects: the same value whatever the role.
PLAIN_KWARGS = {"year": 2026, "quarter": 1}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    callback: object
    kwargs: tuple[str, ...]
    converters: tuple = ()  # converter of each parameter, when the route declares one

    def __str__(self):
        return self.name


def _kwargs_of(pattern) -> dict:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return dict(converters)
    return dict.fromkeys(pattern.pattern.regex.groupindex)


def _walk(patterns, namespace=None, kwargs=None):
    for entry in patterns:
        names = {**(kwargs or {}), **_kwargs_of(entry)}
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = entry.namespace if not namespace else (f"{namespace}:{entry.namespace}" if entry.namespace else namespace)
            yield from _walk(entry.url_patterns, inner, names)
        elif isinstance(entry, URLPattern):
            if not entry.name or entry.name in SKIPPED_NAMES:
                continue
            full = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(full, entry.callback, tuple(names), tuple(names.values()))


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)
OWN_NAMESPACES = ("orgs:", "members:", "accounts:")


def _allowed_roles(callback) -> frozenset | None:
    roles = getattr(callback, "allowed_roles", None)
    view_class = getattr(callback, "view_class", None)
    if roles is None and view_class is not None:
        roles = getattr(view_class.dispatch, "allowed_roles", None)
    return roles


def _objects(scenario, role: str, inside: bool) -> dict[str, object]:
    """The objects a role's URLs point to: inside its scope, or in cell B (outside).

    Criteria frameworks, blocks, position groups and user accounts belong to the whole
    deployment: the same one whatever the role.
    """
    return {
        "framework": scenario.framework, "block": scenario.block, "group": scenario.group,
        "account": scenario.users["norole"], "assignment": scenario.assignment,
        **_tree_objects(scenario, role, inside),
    }


def _tree_objects(scenario, role: str, inside: bool) -> dict[str, object]:
    if not inside:
        return {
            "org": scenario.tree["cell_b"], "member": scenario.member_b,
            "unit": scenario.unit_u2, "position": scenario.position_b,
        }
    if role == "unit_leadership":
        return {
            "org": scenario.tree["village"], "member": scenario.member_u,
            "unit": scenario.unit_u, "position": scenario.position_u,
        }
    return {
        "org": scenario.tree["cell_a"], "member": scenario.member_a,
        "unit": scenario.unit_a, "position": scenario.position_a,
    }


def _object_kind(route: Route, kwarg: str) -> str | None:
    if kwarg == "pk":
        return PK_BY_VIEW.get(route.name) or PK_BY_NAMESPACE.get(route.name.split(":")[0])
    return KWARG_OBJECTS.get(kwarg)


def _has_object_kwargs(route: Route) -> bool:
    return any(k not in PLAIN_KWARGS for k in route.kwargs)


DUMMIES = {
    IntConverter: 987654, StringConverter: "x", SlugConverter: "x", PathConverter: "x",
    UUIDConverter: "00000000-0000-0000-0000-000000000000",
}


def _url(route: Route, scenario, role: str, inside: bool = True, *, any_object: bool = False) -> str:
    """The route's URL with its parameters filled, or skip the test saying why not.

    With `any_object`, a parameter this test cannot map gets a placeholder of the right
    type: enough where role_required answers before the view looks the object up.
    """
    objects = _objects(scenario, role, inside)
    values = {}
    for kwarg, converter in zip(route.kwargs, route.converters, strict=True):
        if kwarg in PLAIN_KWARGS:
            values[kwarg] = PLAIN_KWARGS[kwarg]
            continue
        kind = _object_kind(route, kwarg)
        if kind is None and any_object and type(converter) in DUMMIES:
            values[kwarg] = DUMMIES[type(converter)]
            continue
        if kind is None:
            if route.name.startswith(OWN_NAMESPACES):
                pytest.fail(f"{route}: no object for parameter “{kwarg}”: add it to this test")
            pytest.skip(f"{route}: cannot fill parameter “{kwarg}” (add it to KWARG_OBJECTS or PK_BY_VIEW)")
        values[kwarg] = objects[kind].pk
    return reverse(route.name, kwargs=values)


@pytest.fixture
def scenario(tree):
    return build_scenario(tree)


def _client_for(client, scenario, role):
    if role != "anonymous":
        client.force_login(scenario.users[role])
    return client


def _knock(client, url):
    """GET the URL; a POST-only view (405) is knocked on with an empty POST instead."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def test_the_walk_finds_the_foundation_screens():
    """The walk sees the screens of issue 2 (so an empty walk cannot pass silently)."""
    names = {r.name for r in ROUTES}
    assert {"home", "orgs:tree", "orgs:detail", "orgs:units", "orgs:unit", "members:search",
            "members:detail", "members:create", "members:edit", "members:transfer"} <= names


def test_the_walk_finds_the_screens_for_running_the_deployment():
    """The walk sees the organisation, unit, block, account and audit screens."""
    names = {r.name for r in ROUTES}
    assert {
        "orgs:create", "orgs:edit", "orgs:move", "orgs:deactivate", "orgs:history",
        "orgs:unit_create", "orgs:unit_edit", "orgs:unit_deactivate", "orgs:unit_history",
        "orgs:blocks", "orgs:block_create", "orgs:block_edit", "orgs:group_create",
        "orgs:group_edit", "members:history", "core:audit",
        "accounts:list", "accounts:create", "accounts:detail", "accounts:edit",
        "accounts:role_add", "accounts:role_remove", "accounts:temporary_password",
        "accounts:deactivate", "accounts:activate", "accounts:password_change",
    } <= names


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_view_declares_its_roles(route):
    """Every view is wrapped in role_required, which records the roles it lets in."""
    assert _allowed_roles(route.callback), f"{route} does not use core.scope.role_required"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_is_sent_to_login(route, scenario, client):
    """Without signing in, every page (GET, or POST where only POST is allowed) redirects to the login page, remembering where to return."""
    url = _url(route, scenario, "secretary", any_object=True)
    response = _knock(client, url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def _lets_in(route, role: str) -> bool:
    """Whether the view admits the role; SIGNED_IN views admit every signed-in user."""
    roles = _allowed_roles(route.callback) or ()
    return role in roles or (role != "anonymous" and SIGNED_IN in roles)


def _pairs(roles, *, allowed: bool, routes=ROUTES):
    """(route, role) pairs where the view lets the role in (or, with allowed=False, does not)."""
    return [
        pytest.param(route, role, id=f"{route}-{role}")
        for route in routes
        for role in roles
        if _lets_in(route, role) == allowed
    ]


@pytest.mark.parametrize(("route", "role"), _pairs(ROLES[1:], allowed=False))
def test_role_outside_allowed_roles_gets_403(route, role, scenario, client):
    """A signed-in user whose roles the view does not allow is refused (403), whatever the object."""
    response = _knock(_client_for(client, scenario, role), _url(route, scenario, role, any_object=True))
    assert response.status_code == 403


@pytest.mark.parametrize(("route", "role"), _pairs([r for r in ROLES if r in Role.values], allowed=True))
def test_allowed_role_opens_in_scope_page(route, role, scenario, client):
    """A role the view allows opens it on objects of its own part of the tree."""
    response = _client_for(client, scenario, role).get(_url(route, scenario, role))
    if route.name.startswith(OWN_NAMESPACES) or route.name == "home":
        assert response.status_code == 200
    else:
        assert response.status_code not in (403, 404), response.status_code
        assert response.status_code < 500


@pytest.mark.parametrize(
    ("route", "role"),
    _pairs(SCOPED_ROLES, allowed=True, routes=[r for r in ROUTES if _has_object_kwargs(r)]),
)
def test_object_outside_scope_is_404(route, role, scenario, client):
    """Guessing the URL of another cell's member, organisation or unit gives 404, not the page."""
    response = _client_for(client, scenario, role).get(_url(route, scenario, role, inside=False))
    assert response.status_code == 404
