"""Sign-in with a brake on password guessing, for every way in (/dang-nhap/ and /quan-tri/).

Five wrong passwords in a row pause sign-in for that user name for 15 minutes. The count lives
in the database (accounts.SignInFailure), raised by one atomic UPDATE per failure, so it holds
across workers and needs no shared cache. It is kept by the `user_login_failed` signal, which
Django's `authenticate` sends whichever form called it; `BrakedModelBackend` refuses a paused
name even to a sign-in path that forgot the form check below.
"""
import datetime as dt

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from core.vntext import fold

from .models import SignInFailure

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def signin_key(username: str | None) -> str:
    """The name failures are counted under: without tones or case ("BiThu" is "bithu")."""
    return fold(username or "")[:150]


def paused_until(username: str | None, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When sign-in for this user name opens again, or None if it is not paused (one query)."""
    key = signin_key(username)
    if not key:
        return None
    now = now or timezone.now()
    row = SignInFailure.objects.filter(key=key).values_list("failures", "last_failure_at").first()
    if not row or row[0] < MAX_FAILURES or row[1] is None:
        return None
    until = row[1] + dt.timedelta(seconds=LOCKOUT_SECONDS)
    return until if until > now else None


def record_failure(username: str | None) -> None:
    """Count one wrong password; a failure more than 15 minutes after the last starts afresh."""
    key = signin_key(username)
    if not key:
        return
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=LOCKOUT_SECONDS)
    try:
        with transaction.atomic():
            SignInFailure.objects.get_or_create(key=key)
    except IntegrityError:
        pass  # another worker made the row at the same moment: it exists now
    SignInFailure.objects.filter(key=key).update(
        failures=Case(When(last_failure_at__lt=cutoff, then=Value(1)), default=F("failures") + 1),
        last_failure_at=now,
    )


def clear_failures(username: str | None) -> int:
    """Forget the failures of this user name (a right password, or staff lifting the pause)."""
    return SignInFailure.objects.filter(key=signin_key(username)).delete()[0]


def on_login_failed(sender, credentials, request=None, **kwargs):
    """`user_login_failed`: count it, unless sign-in is already paused (that keeps the end fixed)."""
    username = credentials.get("username")
    if paused_until(username) is None:
        record_failure(username)


def on_logged_in(sender, request, user, **kwargs):
    """`user_logged_in`: a right password resets the count."""
    clear_failures(user.get_username())


class BrakedModelBackend(ModelBackend):
    """Django's backend, refusing a user name whose sign-in is paused (whatever the password)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if paused_until(username) is not None:
            raise PermissionDenied("sign-in paused")
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


THROTTLED_MESSAGE = (
    "Tài khoản này đã nhập sai mật khẩu %(count)d lần liên tiếp; vui lòng thử lại sau "
    "%(minutes)d phút hoặc liên hệ Ban Xây dựng Đảng để mở lại đăng nhập."
)


def _refuse_if_paused(form) -> None:
    if paused_until(form.cleaned_data.get("username")) is not None:
        raise ValidationError(
            form.error_messages["throttled"], code="throttled",
            params={"count": MAX_FAILURES, "minutes": LOCKOUT_SECONDS // 60},
        )


class ThrottledAuthenticationForm(AuthenticationForm):
    """The sign-in form: refused for 15 minutes after 5 wrong passwords in a row."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng nhập lại.",
        "inactive": "Tài khoản này đã bị khóa.",
        "throttled": THROTTLED_MESSAGE,
    }

    def clean(self):
        _refuse_if_paused(self)
        return super().clean()


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in form, behind the same brake."""

    error_messages = {**AdminAuthenticationForm.error_messages, "throttled": THROTTLED_MESSAGE}

    def clean(self):
        _refuse_if_paused(self)
        return super().clean()
