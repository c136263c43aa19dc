"""Django admin for members, their history and leader posts (administrators only).

Shares orgs.admin.BaseAdmin: tone-insensitive search on `search_name`, audit trail of every
change, superusers only. A member's change form carries the version it was opened with, so a
save over someone else's newer change is refused, as in members.services.member_update.
"""
from django import forms
from django.contrib import admin
from django.db.models import F

from orgs.admin import BaseAdmin

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

STALE_MESSAGE = (
    "Hồ sơ đảng viên này vừa được người khác sửa sau khi đồng chí mở trang. "
    "Chưa lưu gì: hãy tải lại trang để xem thông tin mới nhất rồi sửa lại."
)


class MemberAdminForm(forms.ModelForm):
    """The member form, with the version it was opened with (optimistic locking)."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = (
            "full_name", "date_of_birth", "gender", "card_number", "admitted_on", "official_on",
            "status", "cell", "is_active", "user",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            # The admin's change view runs in a transaction: the row stays locked until saved.
            current = (
                Member.objects.select_for_update().filter(pk=self.instance.pk)
                .values_list("version", flat=True).first()
            )
            if data.get("loaded_version") != current:
                raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return data


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


class ExemptionInline(MemberInline):
    model = Exemption


class SuspensionInline(MemberInline):
    model = Suspension


class DisciplineInline(MemberInline):
    model = Discipline


class TransferInline(MemberInline):
    model = Transfer
    autocomplete_fields = ("from_cell", "to_cell")


class TemporaryActivityInline(MemberInline):
    model = TemporaryActivity


class LeaderPositionInline(MemberInline):
    model = LeaderPosition
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

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["loaded_version"] + 1
        super().save_model(request, obj, form, change)


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


@admin.register(Exemption)
class ExemptionAdmin(MemberHistoryAdmin):
    list_display = ("member", "member_cell", "start_on", "end_on", "reason")


@admin.register(Suspension)
class SuspensionAdmin(MemberHistoryAdmin):
    list_display = ("member", "member_cell", "start_on", "end_on", "reason")


@admin.register(Discipline)
class DisciplineAdmin(MemberHistoryAdmin):
    list_display = ("member", "member_cell", "form", "decided_on", "violation_on", "decision_number", "related_to_duties")
    list_filter = ("form", "related_to_duties", "self_detected_remedied")


@admin.register(Transfer)
class TransferAdmin(MemberHistoryAdmin):
    list_display = ("member", "from_cell", "to_cell", "moved_on", "note")
    list_select_related = ("member", "member__cell", "from_cell", "to_cell")
    autocomplete_fields = ("member", "from_cell", "to_cell")


@admin.register(TemporaryActivity)
class TemporaryActivityAdmin(MemberHistoryAdmin):
    list_display = ("member", "member_cell", "place", "start_on", "end_on")


@admin.register(PositionGroup)
class PositionGroupAdmin(BaseAdmin):
    list_display = ("name", "code", "sort_order")
    plain_search_fields = ("name", "code")


@admin.register(LeaderPosition)
class LeaderPositionAdmin(MemberHistoryAdmin):
    list_display = ("title", "member", "unit", "organization", "group", "leadership_role", "tier", "start_on", "end_on")
    list_filter = ("group", "tier", "leadership_role", "unit__block")
    list_select_related = ("member", "member__cell", "unit", "organization", "group")
    folded_search_fields = ("member__search_name",)
    plain_search_fields = ("member__card_number", "title", "unit__name")
    autocomplete_fields = ("member", "unit", "organization")
