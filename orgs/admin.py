"""Django admin for the organisation tree, committees, blocks and units (see core.admin)."""
from django.contrib import admin

from core.admin import BaseAdmin

from .models import Block, CommitteeMembership, PartyOrganization, Unit


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(BaseAdmin):
    list_display = ("indented_name", "code", "kind", "parent", "established_on", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("parent",)
    folded_search_fields = ("search_name",)
    plain_search_fields = ("code",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    fields = ("code", "name", "kind", "parent", "established_on", "is_active", "sort_order", "path", "depth")

    @admin.display(description="tên", ordering="path")
    def indented_name(self, obj):
        return "— " * obj.depth + obj.name


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(BaseAdmin):
    list_display = ("member", "role", "organization", "start_on", "end_on")
    list_filter = ("role", "organization__kind")
    list_select_related = ("member", "organization")
    folded_search_fields = ("member__search_name", "organization__search_name")
    plain_search_fields = ("member__card_number", "organization__code")
    autocomplete_fields = ("organization", "member")


@admin.register(Block)
class BlockAdmin(BaseAdmin):
    list_display = ("name", "code", "sort_order")
    plain_search_fields = ("name", "code")


@admin.register(Unit)
class UnitAdmin(BaseAdmin):
    list_display = ("name", "code", "block", "party_organization", "has_leadership_collective", "is_active")
    list_filter = ("block", "has_leadership_collective", "is_active")
    list_select_related = ("block", "party_organization")
    folded_search_fields = ("party_organization__search_name",)
    plain_search_fields = ("name", "code")
    autocomplete_fields = ("party_organization",)
