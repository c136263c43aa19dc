"""Django admin for what the application keeps about accounts."""
from django.contrib import admin

from core.admin import BaseAdmin

from .login import ThrottledAdminAuthenticationForm
from .models import AccountState, SignInFailure

# The admin's sign-in goes through the same brake as /dang-nhap/.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(SignInFailure)
class SignInFailureAdmin(BaseAdmin):
    list_display = ("key", "failures", "last_failure_at")
    plain_search_fields = ("key",)


@admin.register(AccountState)
class AccountStateAdmin(BaseAdmin):
    list_display = ("user", "must_change_password")
    list_filter = ("must_change_password",)
    list_select_related = ("user",)
    plain_search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
