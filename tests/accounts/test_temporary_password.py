"""A temporary password must be changed before anything else: services, middleware, cost."""
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.middleware import TEMPORARY_PASSWORD_MESSAGE
from accounts.models import AccountState
from core.models import AuditEntry
from core.scope import scope_for
from tests.permissions import appraisal_objects
from tests.permissions.test_matrix import ROUTES, _url

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
NEW_PASSWORD = "Mat-khau-moi-2026"
WITHOUT_MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.TemporaryPasswordMiddleware"]


def _reset(scenario, user) -> str:
    """Staff give `user` a temporary password, as the account page does."""
    staff = scenario.users["staff"]
    return account_services.password_reset(actor=staff, scope=scope_for(staff), user=user)


def _pending(user) -> bool:
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


# --- services --------------------------------------------------------------------------------


def test_password_reset_makes_the_account_change_it_and_says_so_in_the_audit_trail(scenario):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    assert _pending(user)
    entry = AuditEntry.objects.get(action="password.reset", object_id=str(user.pk))
    assert entry.changes == {"must_change_password": [False, True]}


def test_a_new_account_must_change_its_temporary_password(scenario):
    staff = scenario.users["staff"]
    user, _ = account_services.user_create(actor=staff, scope=scope_for(staff), username="moi", full_name="Lò Văn Mới")
    assert _pending(user)
    assert AuditEntry.objects.get(action="user.create").changes["must_change_password"] is True


def test_changing_the_password_clears_the_duty_and_is_audited(scenario):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    account_services.own_password_change(user=user, new_password=NEW_PASSWORD)
    assert not _pending(user)
    entry = AuditEntry.objects.get(action="password.change", object_id=str(user.pk))
    assert entry.actor == user and entry.changes == {"must_change_password": [True, False]}


def test_an_ordinary_password_change_records_no_duty_and_creates_no_state(scenario):
    user = scenario.users["viewer"]
    account_services.own_password_change(user=user, new_password=NEW_PASSWORD)
    assert not AccountState.objects.filter(user=user).exists()
    assert AuditEntry.objects.get(action="password.change").changes == {}


def test_a_second_reset_keeps_one_state_row(scenario):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    _reset(scenario, user)
    assert AccountState.objects.filter(user=user).count() == 1
    last = AuditEntry.objects.filter(action="password.reset").order_by("-id").first()
    assert last.changes == {"must_change_password": [True, True]}


# --- the middleware --------------------------------------------------------------------------


def test_every_page_but_the_password_change_sends_a_temporary_password_there(scenario, client):
    """GET and POST on every URL of the project answer with a redirect to the password change
    page, and the POSTs change nothing."""
    user = scenario.users["staff"]
    _reset(scenario, user)
    client.force_login(user)
    appraisal_objects.build(scenario)  # the rating-process objects the walk fills URLs with
    audit_before = AuditEntry.objects.count()
    wrong = []
    routes = [r for r in ROUTES if r.name != "accounts:password_change"]
    for route in routes:
        url = _url(route, scenario, "staff")
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 302 or response["Location"] != CHANGE:
                wrong.append(f"{method.__name__.upper()} {url}: {response.status_code}")
    assert not wrong, wrong
    assert len(routes) > 40  # the walk saw the project, not an empty list
    assert AuditEntry.objects.count() == audit_before
    assert client.get(reverse("admin:index")).url == CHANGE


def test_the_redirect_says_why_in_vietnamese(scenario, client):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    client.force_login(user)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain == [(CHANGE, 302)]
    content = response.content.decode()
    assert TEMPORARY_PASSWORD_MESSAGE in content
    assert "mật khẩu tạm thời" in content and ">Hủy<" not in content


def test_an_htmx_request_is_asked_to_navigate_to_the_password_change(scenario, client):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    client.force_login(user)
    response = client.get(reverse("members:search"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == CHANGE


def test_signing_out_is_still_possible(scenario, client):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_after_signing_in_with_the_temporary_password_and_changing_it_every_page_opens(scenario, client):
    user = scenario.users["secretary"]
    password = _reset(scenario, user)
    response = client.post(reverse("login"), {"username": user.username, "password": password}, follow=True)
    assert response.redirect_chain[-1] == (CHANGE, 302)

    response = client.post(CHANGE, {
        "old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302 and response.url == reverse("home")
    assert not _pending(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("members:search")).status_code == 200
    assert client.get(CHANGE).context["must_change"] is False


def test_a_wrong_current_password_keeps_the_duty(scenario, client):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    client.force_login(user)
    response = client.post(CHANGE, {
        "old_password": "sai-roi", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    assert _pending(user)
    assert client.get(reverse("home")).url == CHANGE


def test_other_accounts_are_not_affected(scenario, client):
    """Another account of the same cell, and one whose duty was already met, work as before."""
    _reset(scenario, scenario.users["secretary"])
    met = scenario.users["viewer"]
    AccountState.objects.create(user=met, must_change_password=False)
    for name in ("viewer", "staff", "unit_leadership"):
        client.force_login(scenario.users[name])
        assert client.get(reverse("home")).status_code == 200, name
    client.logout()
    assert client.get(reverse("home")).url.startswith(reverse("login"))


# --- cost ------------------------------------------------------------------------------------


def _queries(user, url, *, middleware: bool) -> int:
    """Queries of one GET, by a fresh client (a client loads its middleware once)."""
    with override_settings(MIDDLEWARE=settings.MIDDLEWARE if middleware else WITHOUT_MIDDLEWARE):
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)  # warm caches (content types, sessions) alike
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["home", "members:search", "orgs:tree", "accounts:list"])
def test_the_check_costs_one_query_per_signed_in_request(page, scenario):
    user, url = scenario.users["staff"], reverse(page)
    assert _queries(user, url, middleware=True) == _queries(user, url, middleware=False) + 1


def test_the_check_costs_nothing_for_anonymous_requests():
    url = reverse("login")
    assert _queries(None, url, middleware=True) == _queries(None, url, middleware=False)


def test_the_account_page_tells_staff_the_password_is_still_temporary(scenario, client):
    user = scenario.users["secretary"]
    client.force_login(scenario.users["staff"])
    url = reverse("accounts:detail", args=[user.pk])
    assert "Đang là mật khẩu tạm thời" not in client.get(url).content.decode()
    _reset(scenario, user)
    assert "Đang là mật khẩu tạm thời" in client.get(url).content.decode()


def test_an_administrator_can_see_and_lift_the_duty_in_the_admin(scenario, admin_client):
    user = scenario.users["secretary"]
    _reset(scenario, user)
    url = reverse("admin:accounts_accountstate_change", args=[user.pk])
    response = admin_client.post(url, {"user": user.pk, "must_change_password": ""})
    assert response.status_code == 302
    assert not _pending(user)
    assert AuditEntry.objects.filter(action="admin.change", object_type="accounts.AccountState").exists()


@pytest.mark.django_db
def test_an_account_without_a_role_can_still_change_its_temporary_password(client):
    """A new account with no role yet is sent to the password page and may use it (not 403)."""
    from django.urls import reverse

    from accounts.models import AccountState
    from tests.factories import UserFactory

    user = UserFactory(username="moitao")
    AccountState.objects.create(user=user, must_change_password=True)
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "matkhau-thu-nghiem",
        "new_password1": "Mat-khau-moi-2026!",
        "new_password2": "Mat-khau-moi-2026!",
    })
    assert response.status_code == 302
    assert not AccountState.objects.get(user=user).must_change_password
