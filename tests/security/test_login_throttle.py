"""Password guessing is slowed down on every way in: five wrong passwords pause the name's
sign-in for 15 minutes, counted in the database by one atomic UPDATE per failure."""
import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.login import MAX_FAILURES, paused_until, record_failure
from accounts.models import SignInFailure
from core.models import AuditEntry
from tests.factories import UserFactory

RIGHT = "matkhau-thu-nghiem"


def _login(client, username, password, url="login"):
    return client.post(reverse(url), {"username": username, "password": password})


def _admin_login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password,
                                                "next": reverse("admin:index")})


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
    response = _login(client, "bithu", RIGHT)
    assert "nhập sai mật khẩu 5 lần liên tiếp" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login(client, "khac", RIGHT).status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_count(client):
    """Four failures, then the right password: the count starts again from zero."""
    UserFactory(username="bithu")
    for _ in range(4):
        _login(client, "bithu", "sai")
    assert _login(client, "bithu", RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "BiThu", "sai")
    assert _login(client, "bithu", RIGHT).status_code == 302


@pytest.mark.django_db
def test_the_admin_sign_in_goes_through_the_same_brake(client):
    """Six wrong passwords at /quan-tri/login/, then the right one, used to sign in as superuser."""
    UserFactory(username="quantri", is_superuser=True, is_staff=True)
    for _ in range(6):
        assert _admin_login(client, "quantri", "sai").status_code == 200
    response = _admin_login(client, "quantri", RIGHT)
    assert response.status_code == 200
    assert "nhập sai mật khẩu 5 lần liên tiếp" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_at_both_doors_add_up(client):
    """Three wrong at /dang-nhap/ and two at the admin pause both."""
    UserFactory(username="quantri", is_superuser=True, is_staff=True)
    for _ in range(3):
        _login(client, "quantri", "sai")
    for _ in range(2):
        _admin_login(client, "quantri", "sai")
    assert "_auth_user_id" not in client.session
    assert _login(client, "quantri", RIGHT).status_code == 200
    assert _admin_login(client, "quantri", RIGHT).status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_pause_ends_fifteen_minutes_after_the_last_failure(client):
    UserFactory(username="bithu")
    for _ in range(MAX_FAILURES):
        _login(client, "bithu", "sai")
    SignInFailure.objects.update(last_failure_at=timezone.now() - dt.timedelta(minutes=16))
    assert paused_until("bithu") is None
    assert _login(client, "bithu", RIGHT).status_code == 302


@pytest.mark.django_db
def test_sign_in_works_when_a_configured_database_cache_table_is_missing(client):
    """A database migrated under other settings had no cache table, and every sign-in was a 500."""
    missing = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "khong_co_bang"}}
    UserFactory(username="bithu")
    with override_settings(CACHES=missing):
        assert _login(client, "bithu", "sai").status_code == 200
        assert _login(client, "bithu", RIGHT).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted():
    """Eight wrong passwords at once from eight workers: eight counted (no read-then-write)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite in memory has one connection)")
    barrier = threading.Barrier(8)

    def worker():
        from django.db import connection as own

        barrier.wait()
        record_failure("bithu")
        own.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert SignInFailure.objects.get(key="bithu").failures == 8


@pytest.mark.django_db
def test_staff_see_the_pause_on_the_account_page_and_lift_it(client):
    """The account page says sign-in is paused; "Mở lại đăng nhập" lifts it and is audited."""
    from core.models import Role
    from tests.factories import user_with_role

    target = UserFactory(username="bithu")
    for _ in range(MAX_FAILURES):
        _login(client, "bithu", "sai")
    staff = user_with_role(Role.STAFF, username="bxd")
    client.force_login(staff)
    page = client.get(reverse("accounts:detail", args=[target.pk])).content.decode()
    assert "Đang tạm dừng đến" in page and reverse("accounts:signin_resume", args=[target.pk]) in page
    response = client.post(reverse("accounts:signin_resume", args=[target.pk]))
    assert response.status_code == 302
    assert paused_until("bithu") is None
    assert AuditEntry.objects.filter(action="signin.resume", object_id=str(target.pk)).exists()
    client.logout()
    assert _login(client, "bithu", RIGHT).status_code == 302
