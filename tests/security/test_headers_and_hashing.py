"""Pages allow only their own scripts and styles; browser features stay off; passwords use Argon2."""
import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import base
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dang-nhap/", "/quan-tri/login/"])
def test_every_page_sends_a_self_only_content_security_policy(client, url):
    policy = client.get(url).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_permissions_policy_turns_off_unused_features(client):
    header = client.get("/dang-nhap/").headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in header


@pytest.mark.django_db
def test_pages_have_no_inline_script_and_htmx_adds_no_inline_style(client):
    """htmx injects a <style> unless told not to; the base page tells it, and has no inline script."""
    html = client.get("/dang-nhap/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert "<script>" not in html and "<style" not in html
    assert 'rel="icon"' in html


def test_the_first_hasher_is_argon2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("mat-khau-moi-2026")
        assert encoded.startswith("argon2$")
        assert check_password("mat-khau-moi-2026", encoded)


@pytest.mark.django_db
def test_an_old_pbkdf2_password_is_upgraded_to_argon2_at_sign_in(client):
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS[1:]):
        user = UserFactory(username="cu", password="mat-khau-cu-2020")
    assert user.password.startswith("pbkdf2_sha256$")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert client.post(reverse("login"), {"username": "cu", "password": "mat-khau-cu-2020"}).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
