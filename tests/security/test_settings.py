"""Sessions end, passwords follow the rules, and temporary passwords pass them too."""
import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse

from accounts import services as account_services
from core.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_a_session_ends_when_the_browser_closes_and_within_a_working_day():
    """Commune offices share computers: a forgotten session must not stay open for two weeks."""
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_sign_in_sets_a_session_that_expires(client):
    """The session cookie of a signed-in user is not persistent and the server side expires it."""
    user = user_with_role(Role.VIEWER)
    client.post(reverse("login"), {"username": user.username, "password": "matkhau-thu-nghiem"})
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 12 * 60 * 60


@pytest.mark.parametrize(("password", "why"), [
    ("12345678", "hoàn toàn là số"), ("abc", "quá ngắn: cần ít nhất 8 ký tự"), ("password", "quá phổ biến"),
])
def test_password_change_applies_the_validators_in_vietnamese(password, why, client):
    """Changing one's own password refuses short, common or all-digit passwords, saying why."""
    user = user_with_role(Role.VIEWER)
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "matkhau-thu-nghiem", "new_password1": password, "new_password2": password,
    })
    assert response.status_code == 200
    assert why in str(response.context["form"].errors).lower()
    user.refresh_from_db()
    assert user.check_password("matkhau-thu-nghiem")


def test_temporary_passwords_pass_the_validators(db):
    """The temporary passwords staff hand out satisfy the same rules as chosen ones."""
    user = user_with_role(Role.VIEWER)
    for _ in range(20):
        validate_password(account_services.temporary_password(), user=user)


def test_password_validators_are_active():
    """All four of Django's validators are configured."""
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {"UserAttributeSimilarityValidator", "MinimumLengthValidator",
                     "CommonPasswordValidator", "NumericPasswordValidator"}
