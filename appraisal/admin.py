"""Admin for the appraisal models: a fallback for administrators, not the staff's editor."""
from django.contrib import admin

from .models import (
    BallotLine,
    Complaint,
    ConditionCap,
    Criterion,
    CriterionScore,
    Decision,
    Framework,
    Meeting,
    Period,
    Rating,
    WorkProduct,
)


class ReadOnly:
    """Frameworks and workflow records are written only by their services (validated,
    permission-checked, versioned, audited; a framework in use is frozen and the compiled
    framework's cache is told): the admin shows them and changes nothing, so a decided level
    stays locked on every path [issue 8, issue 13]."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("code", "parent", "title", "max_points", "kind", "is_key", "axis", "axis_weight", "order")
    raw_id_fields = ("parent",)


class ConditionCapInline(ReadOnlyInline):
    model = ConditionCap
    fields = ("condition", "max_level", "step_down", "reason", "source", "enabled", "order")


# The framework editor (/danh-gia/khung/) is where staff change frameworks, criteria and caps.
@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "subject_type", "year", "status", "version")
    list_filter = ("subject_type", "status", "year")
    search_fields = ("code", "name")
    list_select_related = ("copied_from",)
    raw_id_fields = ("copied_from",)
    readonly_fields = ("version", "edited_by_staff", "defaults_digest")
    inlines = [CriterionInline, ConditionCapInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "framework", "max_points", "kind", "is_key")
    list_filter = ("framework", "kind", "is_key")
    search_fields = ("code", "title")
    list_select_related = ("framework",)
    raw_id_fields = ("framework", "parent")


@admin.register(ConditionCap)
class ConditionCapAdmin(ReadOnlyAdmin):
    list_display = ("condition", "framework", "max_level", "enabled")
    list_filter = ("framework", "enabled")
    list_select_related = ("framework",)
    raw_id_fields = ("framework",)


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "year", "quarter", "evaluation_date", "status")
    list_filter = ("kind", "status", "year")
    raw_id_fields = ("opened_by",)


class CriterionScoreInline(ReadOnlyInline):
    model = CriterionScore
    raw_id_fields = ("criterion",)


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "period", "subject_type", "status", "proposed_level", "approved_level", "decision_number", "is_live")
    list_filter = ("period", "subject_type", "status", "approved_level", "is_live")
    list_select_related = ("period", "framework")
    raw_id_fields = (
        "member", "organization", "unit", "leader_position", "framework", "supersedes", "created_by",
        "scope_org", "scope_unit", "proposed_by", "verified_by", "decision",
    )
    inlines = [CriterionScoreInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(ReadOnlyAdmin):
    list_display = ("rating", "criterion", "points", "quality")
    list_select_related = ("rating__period", "criterion")
    raw_id_fields = ("rating", "criterion")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("number", "decided_on", "kind", "authority", "period")
    list_filter = ("kind", "period")
    raw_id_fields = ("authority_org", "decided_by")


class BallotLineInline(ReadOnlyInline):
    model = BallotLine
    raw_id_fields = ("rating",)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "period", "held_on", "ballots_valid", "voided_at")
    list_filter = ("period",)
    raw_id_fields = ("organization", "unit", "recorded_by", "voided_by")
    inlines = [BallotLineInline]


@admin.register(WorkProduct)
class WorkProductAdmin(ReadOnlyAdmin):
    list_display = ("title", "rating", "completed", "exceeded", "quality")
    raw_id_fields = ("rating", "approved_by")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "rating", "status", "received_on")
    list_filter = ("status",)
    raw_id_fields = ("rating", "recorded_by", "resolved_by")
