"""The URL × role matrix: every URL of the project, every role, against the pinned `ALLOWED`.

Each area pins by hand who may open its URLs (`urls_<area>.py` beside this file); nothing here
reads a view's own decorator, so a wrong decorator fails. The walk resolves every URL of the
project (the admin and sign-in pages aside) and fails for one nobody pinned. For each URL:
anonymous users are sent to sign in; a pinned role opens it on objects of its own part of the
tree; any other signed-in role gets 403; a scoped role (secretary, unit leadership) gets 404 on
an object outside its part.
"""
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permissions import appraisal_objects

SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"login", "logout", "verify_document", "health"}  # public pages (verify: tests/core/test_verify_document.py; health, for a load balancer: tests/core/test_health.py)
SIGNED_IN_ROLES = ("secretary", "unit_leadership", "staff", "standing", "viewer", "member", "norole")
SCOPED_ROLES = ("secretary", "unit_leadership")


def _pinned() -> dict[str, frozenset[str]]:
    allowed: dict[str, frozenset[str]] = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("urls_"):
            module = importlib.import_module(f"{__package__}.{info.name}")
            overlap = set(allowed) & set(module.ALLOWED)
            assert not overlap, f"pinned twice: {overlap}"
            allowed |= module.ALLOWED
    return allowed


ALLOWED = _pinned()


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]
    callback: object = None

    def __str__(self):
        return self.name


def _walk(patterns, namespace=None, kwargs=()):
    for entry in patterns:
        names = (*kwargs, *getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = entry.namespace if not namespace else (f"{namespace}:{entry.namespace}" if entry.namespace else namespace)
            yield from _walk(entry.url_patterns, inner, names)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
            yield Route(f"{namespace}:{entry.name}" if namespace else entry.name, tuple(names), entry.callback)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=str)

# Which scenario object fills a path parameter: by route, then by namespace for a bare `pk`.
PK_BY_ROUTE = {
    "orgs:unit": "unit", "orgs:unit_edit": "unit", "orgs:unit_deactivate": "unit", "orgs:unit_history": "unit",
    "orgs:block_edit": "block", "orgs:group_edit": "group",
    # The rating process: its own objects (tests/permissions/appraisal_objects.py).
    **{f"appraisal:{name}": "period" for name in (
        "period_detail", "period_edit", "period_open", "period_close", "period_org", "period_overdue", "grid", "grid_row",
        "grid_download", "grid_upload", "ballot_form", "meeting_list", "meeting_create", "verify_queue", "verify_group",
        "quota", "decide",
    )},
    **{f"appraisal:{name}": "rating" for name in (
        "rating_detail", "rating_scores", "rating_preview", "rating_review", "rating_submit", "rating_reopen",
        "rating_propose",
        "rating_verify", "rating_unverify", "rating_adjust", "rating_return",
    )},
    **{f"appraisal:{name}": "leader_rating" for name in ("rating_products", "products_approve", "rating_axes")},
    **{f"appraisal:{name}": "decided_rating" for name in ("rating_rerate", "rating_complaint")},
    "appraisal:meeting_detail": "meeting", "appraisal:meeting_void": "meeting", "appraisal:decision_detail": "decision",
    "appraisal:decision_announce": "decision", "appraisal:complaint_resolve": "complaint",
    "reports:decision_issue": "decision", "reports:decision_file": "decision",
}
PK_BY_NAMESPACE = {"orgs": "org", "members": "member", "appraisal": "framework", "accounts": "account",
                   "jobs": "job"}
KWARG_OBJECTS = {"position_pk": "position", "assignment_pk": "assignment", "member_pk": "member",
                 "org_pk": "org", "unit_pk": "unit", "rating_pk": "rating"}
PLAIN_KWARGS = {"kind": "sub_cell", "year": 2026, "quarter": 1}


def _objects(scenario, role: str, inside: bool) -> dict:
    wide = {"framework": scenario.framework, "block": scenario.block, "group": scenario.group,
            "account": scenario.users["norole"], "assignment": scenario.assignment}
    if not inside:
        tree = {"org": scenario.tree["cell_b"], "member": scenario.member_b, "unit": scenario.unit_u2,
                "position": scenario.position_b}
    elif role == "unit_leadership":
        tree = {"org": scenario.tree["village"], "member": scenario.member_u, "unit": scenario.unit_u,
                "position": scenario.position_u}
    else:
        tree = {"org": scenario.tree["cell_a"], "member": scenario.member_a, "unit": scenario.unit_a,
                "position": scenario.position_a}
    return wide | tree | {"job": _job(scenario, role, inside)}


def _job(scenario, role: str, inside: bool):
    """A finished background job with a file: the role's own (inside), or staff's (outside)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from core.models import Job, JobStatus

    owner = scenario.users[role if inside else "staff"]
    name = default_storage.save(f"jobs/{owner.pk}/tep.txt", ContentFile(b"x"))
    return Job.objects.create(kind="test", title="Việc", actor=owner, status=JobStatus.SUCCEEDED,
                              file=name, file_name="tep.txt")


def _url(route: Route, scenario, role: str, inside: bool = True) -> str:
    objects = _objects(scenario, role, inside)
    values = {}
    for kwarg in route.kwargs:
        if kwarg in PLAIN_KWARGS:
            values[kwarg] = PLAIN_KWARGS[kwarg]
            continue
        kind = PK_BY_ROUTE.get(route.name) or PK_BY_NAMESPACE.get(route.name.split(":")[0]) if kwarg == "pk" \
            else KWARG_OBJECTS.get(kwarg)
        assert kind, f"{route}: say which object fills “{kwarg}” (PK_BY_ROUTE, KWARG_OBJECTS or PLAIN_KWARGS)"
        if kind in appraisal_objects.APPRAISAL_KINDS:
            values[kwarg] = appraisal_objects.objects_for(scenario, role, inside)[kind].pk
            continue
        values[kwarg] = objects[kind].pk
    return reverse(route.name, kwargs=values)


def _get(client, url):
    """GET the URL; a POST-only view (405) is knocked on with an empty POST instead."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def test_the_walk_finds_the_screens():
    """An empty or broken walk cannot pass silently."""
    names = {r.name for r in ROUTES}
    assert {"home", "orgs:tree", "members:detail", "accounts:list", "core:audit", "workbook:import",
            "appraisal:framework_list"} <= names
    assert len(ROUTES) >= 60


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_url_is_pinned(route):
    """A URL added without a line in a `urls_<area>.py` of tests/permissions fails here."""
    assert route.name in ALLOWED, f"{route}: add it to tests/permissions/urls_<area>.py"


def test_nothing_pinned_is_gone():
    """A pinned URL that no longer exists is a stale line of the matrix."""
    assert set(ALLOWED) <= {r.name for r in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_is_sent_to_sign_in(route, scenario, client):
    response = _get(client, _url(route, scenario, "secretary"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")) and "next=" in response["Location"]


def _pairs(roles, *, allowed: bool, routes=ROUTES):
    return [pytest.param(r, role, id=f"{r}-{role}") for r in routes for role in roles
            if (role in ALLOWED.get(r.name, frozenset())) == allowed]


@pytest.mark.parametrize(("route", "role"), _pairs(SIGNED_IN_ROLES, allowed=False))
def test_a_role_not_pinned_gets_403(route, role, scenario, client):
    client.force_login(scenario.users[role])
    assert _get(client, _url(route, scenario, role)).status_code == 403


# POST-only actions the scenario's object itself refuses whoever asks (the role is let in: its
# own tests show the action done on an object that allows it).
REFUSED_FOR_THE_OBJECT = {
    "jobs:retry": "the scenario's job finished; only an interrupted one runs again (tests/core/test_jobs_stale.py)",
}


@pytest.mark.parametrize(("route", "role"), _pairs(SIGNED_IN_ROLES, allowed=True))
def test_a_pinned_role_opens_it_in_its_part_of_the_tree(route, role, scenario, client):
    client.force_login(scenario.users[role])
    url = _url(route, scenario, role)
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action: knock with an empty POST, which it answers
        posted = client.post(url, {})  # (a refusal naming what is missing, or done) — never 403 or 404
        expected = (403,) if route.name in REFUSED_FOR_THE_OBJECT else (200, 302, 400, 409)
        assert posted.status_code in expected, posted.status_code
        return
    assert response.status_code == 200, response.status_code


def _kind(route: Route, kwarg: str) -> str | None:
    if kwarg == "pk":
        return PK_BY_ROUTE.get(route.name) or PK_BY_NAMESPACE.get(route.name.split(":")[0])
    return KWARG_OBJECTS.get(kwarg)


# Routes pointing into the tree (a period or a decision belongs to the whole deployment).
OBJECT_ROUTES = [
    r for r in ROUTES
    if any(k not in PLAIN_KWARGS and _kind(r, k) not in appraisal_objects.WIDE_KINDS for k in r.kwargs)
]


@pytest.mark.parametrize(("route", "role"), _pairs(SCOPED_ROLES, allowed=True, routes=OBJECT_ROUTES))
def test_a_scoped_role_gets_404_outside_its_part(route, role, scenario, client):
    """Guessing the URL of another cell's member, organisation or unit gives 404, not the page."""
    client.force_login(scenario.users[role])
    assert _get(client, _url(route, scenario, role, inside=False)).status_code == 404


@pytest.mark.parametrize("role", [r for r in SIGNED_IN_ROLES if r != "norole"])  # refused at home: ask for a role
def test_the_menu_offers_only_pages_the_role_may_open(role, scenario, client):
    """Every link of the top menu a role is shown opens for that role (a member's account, which
    sees only its own results, is not offered the tree or the member search)."""
    import re

    client.force_login(scenario.users[role])
    home = client.get(reverse("home")).content.decode()
    menu = re.search(r'<nav[^>]*class="mainnav"[^>]*>(.*?)</nav>', home, re.S)
    assert menu, "the home page has its menu"
    links = re.findall(r'href="([^"]+)"', menu.group(1))
    assert links and links[0] == reverse("home")
    refused = [link for link in links if client.get(link).status_code != 200]
    assert refused == []


@pytest.mark.parametrize("role", [r for r in SIGNED_IN_ROLES if r != "norole"])
def test_every_link_of_the_home_page_opens_for_the_role(role, scenario, client):
    """The home page's counts, chart, work waiting and "Đồng chí có thể" lead only to pages the
    role may open; a member's own account is shown no counts of the tree."""
    import re

    client.force_login(scenario.users[role])
    home = client.get(reverse("home")).content.decode()
    main = re.search(r"<main[^>]*>(.*?)</main>", home, re.S)
    assert main, "the home page has its main part"
    links = sorted({link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"#]*)', main.group(1))})
    assert links
    refused = [(link, client.get(link).status_code) for link in links if client.get(link).status_code != 200]
    assert refused == []
    if role == "member":
        assert "Trong phạm vi của đồng chí" not in home and "Xếp loại của tôi" in main.group(1)


@pytest.mark.slow
@pytest.mark.parametrize("role", [r for r in SIGNED_IN_ROLES if r != "norole"])
def test_no_page_offers_a_link_its_reader_is_refused(role, scenario, client):
    """Walking from the home page through the links each page offers (the rating process built:
    a period, meetings, decided ratings), no link leads the role to a 403: a member is not led
    to the period or the grid, a viewer not to the ballot form, Ban Thường vụ not to the import."""
    import re

    appraisal_objects.objects_for(scenario, role, True)
    client.force_login(scenario.users[role])
    seen, queue, refused, per_shape = set(), [("/", "")], [], {}
    while queue and len(seen) < 150:
        url, came_from = queue.pop(0)
        shape = re.sub(r"\d+", "N", url.split("?")[0])
        if url in seen or per_shape.get(shape, 0) >= 2:
            continue
        seen.add(url)
        per_shape[shape] = per_shape.get(shape, 0) + 1
        response = client.get(url)
        if response.status_code == 403:
            refused.append((url, came_from))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        main = re.search(r"<body.*?</body>", response.content.decode(), re.S)
        for href in re.findall(r'href="(/[^"#]*)"', main.group(0) if main else ""):
            href = href.replace("&amp;", "&")
            if not href.startswith(("/static/", "/quan-tri/", "/dang-xuat")) and href not in seen:
                queue.append((href, url))
    assert len(seen) > 5
    assert refused == []


# ------------------------------------------------------------------------------ own work (four eyes)

OWN_MESSAGES = {
    "appraisal:products_approve": "không tự phê duyệt danh mục",
    "appraisal:rating_propose": "không tự đề xuất mức xếp loại",
    "appraisal:rating_verify": "không tự thẩm định",
    "appraisal:rating_adjust": "không tự thẩm định",
}


def _make_own(scenario, route: str, role: str, user):
    """Make the role's object its own work: the subject is the account's member (a list waiting,
    a self-assessment handed in), or, for verification, a proposal the account made."""
    from appraisal.models import Rating, RatingStatus, WorkProduct
    from members.models import Member

    kind = PK_BY_ROUTE[route]
    rating = appraisal_objects.objects_for(scenario, role, True)[kind]
    if route in ("appraisal:rating_verify", "appraisal:rating_adjust"):
        Rating.objects.filter(pk=rating.pk).update(status=RatingStatus.PROPOSED, proposed_level="HTTNV", proposed_by=user)
    else:
        subject = rating.member_id or rating.leader_position.member_id
        Member.objects.filter(user=user).update(user=None)
        Member.objects.filter(pk=subject).update(user=user)
        Rating.objects.filter(pk=rating.pk).update(status=RatingStatus.SUBMITTED)
        if route == "appraisal:products_approve":
            WorkProduct.objects.create(rating=rating, title="Đề án chuyển đổi số")
    rating.refresh_from_db()
    return rating


def _own_pairs():
    from tests.permissions.urls_appraisal import OWN_REFUSED

    return [pytest.param(r, role, id=f"{r}-{role}") for r in ROUTES for role in sorted(OWN_REFUSED.get(r.name, ()))]


@pytest.mark.parametrize(("route", "role"), _own_pairs())
def test_a_pinned_role_is_refused_on_its_own_work(route, role, scenario, client):
    """The role opens the action on others' work (above) but not on its own: 403 with the reason,
    nothing changed; another account of the same role, over the same part, gets through."""
    from appraisal.models import Rating
    from core.models import RoleAssignment
    from tests.factories import UserFactory

    user = scenario.users[role]
    rating = _make_own(scenario, route.name, role, user)
    url = _url(route, scenario, role)
    data = {"version": rating.version, "level": "HTTNV", "note": "Căn cứ", "code": "1.1", "value": "1", "reason": "Lý do"}
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == 403
    assert OWN_MESSAGES[route.name] in response.content.decode()
    after = Rating.objects.get(pk=rating.pk)
    assert (after.status, after.version, after.proposed_level) == (rating.status, rating.version, rating.proposed_level)
    assert not after.products.filter(approved_at__isnull=False).exists()
    other = UserFactory(username=f"{user.username}_khac")
    for a in RoleAssignment.objects.filter(user=user):
        RoleAssignment.objects.create(user=other, role=a.role, organization=a.organization, unit=a.unit)
    client.force_login(other)
    assert client.post(url, data).status_code == 302
