"""Django admin for members, their history and leader posts (administrators only).

Shares orgs.admin.BaseAdmin: tone-insensitive search on `search_name`, audit trail of every
change, superusers only. A member's change form carries the version it was opened with, so a
save over someone else's newer change is refused, as in members.services.member_update.
"""
from django.contrib import admin
from django.db.models import F
from django.utils import timezone

from core.admin import BaseAdmin, ValidatedModelForm, VersionedModelForm
from orgs.admin import CodedListAdmin

from . import validators
from .models import (
    Discipline,
    Exemption,
    LeaderPosition,
    Member,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Transfer,
)


class MemberAdminForm(VersionedModelForm):
    """The member form (with the version it was opened with, as every versioned row), checked
    by members.validators as every other path."""

    class Meta:
        model = Member
        fields = (
            "full_name", "date_of_birth", "gender", "card_number", "admitted_on", "official_on",
            "status", "cell", "is_active", "user",
        )

    def entity_errors(self, data):
        cell = data.get("cell")
        errors = validators.member_errors(
            full_name=data.get("full_name", ""), date_of_birth=data.get("date_of_birth"),
            gender=data.get("gender"), card_number=data.get("card_number", ""),
            admitted_on=data.get("admitted_on"), official_on=data.get("official_on"),
            status=data.get("status"), today=timezone.localdate(),
        )
        if cell is not None:
            errors |= validators.cell_errors(kind=cell.kind, active=cell.is_active, name=cell.name)
        return errors


def _member_admitted_on(form, data):
    member = data.get("member") or (form.instance.member if form.instance.member_id else None)
    return member.admitted_on if member else None


class PeriodAdminForm(VersionedModelForm):
    """Exemption, suspension, temporary activity: members.validators.period_errors (overlaps
    with the member's other periods of the same kind included)."""

    def entity_errors(self, data):
        member = data.get("member") or (self.instance.member if self.instance.member_id else None)
        existing = []
        if member is not None and member.pk:
            existing = list(type(self.instance).objects.filter(member=member).exclude(pk=self.instance.pk)
                            .values_list("start_on", "end_on"))
        label = validators.PERIOD_LABELS[PERIOD_KIND_OF[type(self.instance).__name__]]
        errors = validators.period_errors(
            start_on=data.get("start_on"), end_on=data.get("end_on"), existing=existing,
            admitted_on=member.admitted_on if member else None, label=label, today=timezone.localdate(),
        )
        if "place" in self.fields:
            errors |= validators.temporary_place_errors(place=data.get("place", ""))
        return errors


PERIOD_KIND_OF = {"Exemption": "exemption", "Suspension": "suspension", "TemporaryActivity": "temporary"}


class DisciplineAdminForm(ValidatedModelForm):
    def entity_errors(self, data):
        return validators.discipline_errors(
            form=data.get("form"), violation_on=data.get("violation_on"), decided_on=data.get("decided_on"),
            admitted_on=_member_admitted_on(self, data), today=timezone.localdate(),
        )


class PositionAdminForm(ValidatedModelForm):
    def entity_errors(self, data):
        return validators.position_errors(
            title=data.get("title", ""), leadership_role=data.get("leadership_role"), tier=data.get("tier"),
            has_unit=data.get("unit") is not None, has_organization=data.get("organization") is not None,
            start_on=data.get("start_on"), end_on=data.get("end_on"), today=timezone.localdate(),
        )


class MemberInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class PeriodInline(MemberInline):
    """Exemptions, suspensions and temporary activities on the member's page."""

    form = PeriodAdminForm


class ExemptionInline(PeriodInline):
    model = Exemption


class SuspensionInline(PeriodInline):
    model = Suspension


class DisciplineInline(MemberInline):
    model = Discipline
    form = DisciplineAdminForm


class TransferInline(MemberInline):
    model = Transfer
    autocomplete_fields = ("from_cell", "to_cell")


class TemporaryActivityInline(PeriodInline):
    model = TemporaryActivity


class LeaderPositionInline(MemberInline):
    model = LeaderPosition
    form = PositionAdminForm
    autocomplete_fields = ("unit", "organization")


@admin.register(Member)
class MemberAdmin(BaseAdmin):
    form = MemberAdminForm
    list_display = ("full_name", "card_number", "cell", "status", "gender", "admitted_on", "is_active")
    list_filter = ("status", "gender", "is_active", "cell__kind")
    list_select_related = ("cell",)
    folded_search_fields = ("search_name",)
    plain_search_fields = ("card_number",)
    autocomplete_fields = ("cell",)
    raw_id_fields = ("user",)
    readonly_fields = ("version",)
    inlines = (
        LeaderPositionInline, ExemptionInline, SuspensionInline, DisciplineInline,
        TransferInline, TemporaryActivityInline,
    )


class MemberHistoryAdmin(BaseAdmin):
    """Rows about one member: searched by the member's name or card number."""

    list_select_related = ("member", "member__cell")
    folded_search_fields = ("member__search_name",)
    plain_search_fields = ("member__card_number",)
    autocomplete_fields = ("member",)

    @admin.display(description="chi bộ", ordering="member__cell__path")
    def member_cell(self, obj):
        return obj.member.cell

    def save_model(self, request, obj, form, change):
        """A change to a member's history is a change to the member: claim a new version."""
        super().save_model(request, obj, form, change)
        Member.objects.filter(pk=obj.member_id).update(version=F("version") + 1)


class PeriodStatusAdmin(MemberHistoryAdmin):
    """Exemptions and suspensions (members.models.PeriodStatus)."""

    form = PeriodAdminForm
    list_display = ("member", "member_cell", "start_on", "end_on", "reason")


admin.site.register(Exemption, PeriodStatusAdmin)
admin.site.register(Suspension, PeriodStatusAdmin)


@admin.register(Discipline)
class DisciplineAdmin(MemberHistoryAdmin):
    form = DisciplineAdminForm
    list_display = ("member", "member_cell", "form", "decided_on", "violation_on", "decision_number", "related_to_duties")
    list_filter = ("form", "related_to_duties", "self_detected_remedied")


@admin.register(Transfer)
class TransferAdmin(MemberHistoryAdmin):
    list_display = ("member", "from_cell", "to_cell", "moved_on", "note")
    list_select_related = ("member", "member__cell", "from_cell", "to_cell")
    autocomplete_fields = ("member", "from_cell", "to_cell")


@admin.register(TemporaryActivity)
class TemporaryActivityAdmin(MemberHistoryAdmin):
    form = PeriodAdminForm
    list_display = ("member", "member_cell", "place", "start_on", "end_on")


admin.site.register(PositionGroup, CodedListAdmin)


@admin.register(LeaderPosition)
class LeaderPositionAdmin(MemberHistoryAdmin):
    form = PositionAdminForm
    list_display = ("title", "member", "unit", "organization", "group", "leadership_role", "tier", "start_on", "end_on")
    list_filter = ("group", "tier", "leadership_role", "unit__block")
    list_select_related = ("member", "member__cell", "unit", "organization", "group")
    folded_search_fields = ("member__search_name",)
    plain_search_fields = ("member__card_number", "title", "unit__name")
    autocomplete_fields = ("member", "unit", "organization")
