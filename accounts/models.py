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
