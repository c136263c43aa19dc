"""Django admin for the organisation tree, committees, blocks and units (see core.admin)."""
from django.contrib import admin
from django.utils import timezone

from core.admin import BaseAdmin, VersionedModelForm

from .models import Block, CommitteeMembership, PartyOrganization, PlacementRule, Unit
from .selectors import placement_rules
from .validators import code_name_errors, org_errors, placement_rule_errors, unit_errors


class OrgAdminForm(VersionedModelForm):
    """orgs.validators.org_errors, with the placement rules staff set; no cycle in the tree."""

    def entity_errors(self, data):
        parent = self.value(data, "parent")
        errors = org_errors(
            code=self.value(data, "code", ""), name=self.value(data, "name", ""),
            kind=self.value(data, "kind"), parent_kind=parent.kind if parent else None,
            established_on=self.value(data, "established_on"), rules=placement_rules(),
            today=timezone.localdate(), sort_order=self.value(data, "sort_order"),
        )
        if parent is not None and self.instance.pk and parent.path.startswith(self.instance.path):
            errors["parent"] = ["Không thể đặt một tổ chức trực thuộc chính nó hoặc một tổ chức trực thuộc nó."]
        return errors


class UnitAdminForm(VersionedModelForm):
    def entity_errors(self, data):
        return unit_errors(code=self.value(data, "code", ""), name=self.value(data, "name", ""),
                           sort_order=self.value(data, "sort_order"))


class CodedListAdminForm(VersionedModelForm):
    """A CodedList row (block, position group): code_name_errors with the list's own name label."""

    def entity_errors(self, data):
        return code_name_errors(code=self.value(data, "code", ""), name=self.value(data, "name", ""),
                                name_label=self._meta.model.name_label, sort_order=self.value(data, "sort_order"))


class PlacementRuleAdminForm(VersionedModelForm):
    def entity_errors(self, data):
        return placement_rule_errors(kind=self.value(data, "kind"), top_allowed=bool(self.value(data, "top_allowed")),
                                     parent_kinds=list(self.value(data, "parent_kinds") or []))


@admin.register(PlacementRule)
class PlacementRuleAdmin(BaseAdmin):
    form = PlacementRuleAdminForm
    list_display = ("kind", "top_allowed", "parent_kinds")
    plain_search_fields = ("kind",)


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(BaseAdmin):
    form = OrgAdminForm
    list_display = ("indented_name", "code", "kind", "parent", "established_on", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("parent",)
    folded_search_fields = ("search_name",)
    plain_search_fields = ("code",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")
    fields = ("code", "name", "kind", "parent", "established_on", "is_active", "sort_order",
              "letterhead_superior", "letterhead_issuer", "letterhead_place", "path", "depth", "loaded_version")

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


class CodedListAdmin(BaseAdmin):
    """The admin of a CodedList (blocks here, position groups in members)."""

    form = CodedListAdminForm
    list_display = ("name", "code", "sort_order")
    plain_search_fields = ("name", "code")


admin.site.register(Block, CodedListAdmin)


@admin.register(Unit)
class UnitAdmin(BaseAdmin):
    form = UnitAdminForm
    list_display = ("name", "code", "block", "party_organization", "has_leadership_collective", "is_active")
    list_filter = ("block", "has_leadership_collective", "is_active")
    list_select_related = ("block", "party_organization")
    folded_search_fields = ("party_organization__search_name",)
    plain_search_fields = ("name", "code")
    autocomplete_fields = ("party_organization",)
