from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        """Count wrong passwords and clear them on success, whichever form signed in."""
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .login import on_logged_in, on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="accounts.count_failure")
        user_logged_in.connect(on_logged_in, dispatch_uid="accounts.clear_failures")
