"""Sign-in with a brake on password guessing."""
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

from core.vntext import fold

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _key(username: str) -> str:
    return "login-failures:" + fold(username)[:150]


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuse further attempts on an account for 15 minutes after 5 wrong passwords in a row."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng nhập lại.",
        "inactive": "Tài khoản này đã bị khóa.",
        "throttled": (
            "Tài khoản này đã nhập sai mật khẩu %(count)d lần liên tiếp; vui lòng thử lại sau "
            "%(minutes)d phút hoặc liên hệ Ban Xây dựng Đảng để đặt lại mật khẩu."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        key = _key(username)
        if username and cache.get(key, 0) >= MAX_FAILURES:
            raise ValidationError(
                self.error_messages["throttled"], code="throttled",
                params={"count": MAX_FAILURES, "minutes": LOCKOUT_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                cache.set(key, cache.get(key, 0) + 1, LOCKOUT_SECONDS)
            raise
        cache.delete(key)
        return cleaned
