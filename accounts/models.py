"""What the application keeps about an account besides Django's user."""
from django.conf import settings
from django.db import models


class AccountState(models.Model):
    """What the application must ask of an account before anything else.

    A row exists only once something was set: an account without one has nothing pending.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", primary_key=True,
        on_delete=models.CASCADE, related_name="account_state",
    )
    must_change_password = models.BooleanField(
        "phải đổi mật khẩu", default=False,
        help_text="Mật khẩu tạm thời: lần đăng nhập sau phải đổi trước khi làm việc khác.",
    )

    class Meta:
        db_table = "orgs_accountstate"  # made by orgs 0002; the model moved here
        verbose_name = "trạng thái tài khoản"
        verbose_name_plural = "trạng thái tài khoản"

    def __str__(self):
        return f"{self.user}: {'phải đổi mật khẩu' if self.must_change_password else 'bình thường'}"


class SignInFailure(models.Model):
    """Wrong passwords in a row for one user name, counted in the database (accounts.login).

    One row per folded user name; every worker increments it with one UPDATE, so two wrong
    passwords sent at once to two workers both count.
    """

    key = models.CharField("tên đăng nhập (không dấu, chữ thường)", max_length=150, unique=True)
    failures = models.PositiveIntegerField("số lần sai liên tiếp", default=0)
    last_failure_at = models.DateTimeField("lần sai gần nhất", null=True, blank=True)

    class Meta:
        verbose_name = "đăng nhập sai"
        verbose_name_plural = "đăng nhập sai"

    def __str__(self):
        return f"{self.key}: {self.failures}"
