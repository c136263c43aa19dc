"""Django admin for what the application keeps about accounts."""
from django.contrib import admin

from core.admin import BaseAdmin

from .models import AccountState


@admin.register(AccountState)
class AccountStateAdmin(BaseAdmin):
    list_display = ("user", "must_change_password")
    list_filter = ("must_change_password",)
    list_select_related = ("user",)
    plain_search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
