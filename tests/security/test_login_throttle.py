"""Password guessing is slowed down: five wrong passwords lock the account's sign-in for 15 minutes."""
import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_wrong_password_says_so_in_vietnamese(client):
    """A wrong password gets the Vietnamese message and no session."""
    UserFactory(username="bithu")
    response = _login(client, "bithu", "sai")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_even_the_right_password_for_a_while(client):
    """After five wrong passwords the right one is refused too, with the reason; other accounts are unaffected."""
    UserFactory(username="bithu")
    UserFactory(username="khac")
    for _ in range(5):
        _login(client, "bithu", "sai")
    response = _login(client, "bithu", "matkhau-thu-nghiem")
    assert "nhập sai mật khẩu 5 lần liên tiếp" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(client, "khac", "matkhau-thu-nghiem").status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_count(client):
    """Four failures, then the right password: the count starts again from zero."""
    UserFactory(username="bithu")
    for _ in range(4):
        _login(client, "bithu", "sai")
    assert _login(client, "bithu", "matkhau-thu-nghiem").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "BiThu", "sai")
    assert _login(client, "bithu", "matkhau-thu-nghiem").status_code == 302


@pytest.mark.django_db
def test_with_the_production_cache_another_worker_sees_the_count(client):
    """With the database cache of production, a second worker process reads the same count."""
    from django.core.cache.backends.db import DatabaseCache
    from django.core.management import call_command
    from django.test import override_settings

    from accounts.login import MAX_FAILURES, _key

    shared = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kiemdiem_cache"}}
    with override_settings(CACHES=shared):
        call_command("createcachetable", verbosity=0)
        UserFactory(username="bithu")
        for _ in range(MAX_FAILURES):
            _login(client, "bithu", "sai")
        other_worker = DatabaseCache("kiemdiem_cache", {})
        assert other_worker.get(_key("bithu")) == MAX_FAILURES
        response = _login(client, "bithu", "matkhau-thu-nghiem")
        assert "nhập sai mật khẩu 5 lần liên tiếp" in response.content.decode()
