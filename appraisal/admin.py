"""Admin for the appraisal models: a fallback for administrators, not the staff's editor."""
from django.contrib import admin

from .models import ConditionCap, Criterion, CriterionScore, Framework, Period, Rating


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("code", "parent", "title", "max_points", "kind", "is_key", "axis", "axis_weight", "order")
    raw_id_fields = ("parent",)
    extra = 0


class ConditionCapInline(admin.TabularInline):
    model = ConditionCap
    fields = ("condition", "max_level", "step_down", "reason", "source", "enabled", "order")
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "subject_type", "year", "status", "version")
    list_filter = ("subject_type", "status", "year")
    search_fields = ("code", "name")
    list_select_related = ("copied_from",)
    raw_id_fields = ("copied_from",)
    readonly_fields = ("version", "edited_by_staff", "defaults_digest")
    inlines = [CriterionInline, ConditionCapInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "framework", "max_points", "kind", "is_key")
    list_filter = ("framework", "kind", "is_key")
    search_fields = ("code", "title")
    list_select_related = ("framework",)
    raw_id_fields = ("framework", "parent")


@admin.register(ConditionCap)
class ConditionCapAdmin(admin.ModelAdmin):
    list_display = ("condition", "framework", "max_level", "enabled")
    list_filter = ("framework", "enabled")
    list_select_related = ("framework",)
    raw_id_fields = ("framework",)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "year", "quarter", "evaluation_date", "status")
    list_filter = ("kind", "status", "year")


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    raw_id_fields = ("criterion",)
    extra = 0


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "period", "subject_type", "status", "proposed_level", "approved_level", "decision_number")
    list_filter = ("period", "subject_type", "status", "approved_level")
    list_select_related = ("period", "framework")
    raw_id_fields = ("member", "organization", "unit", "leader_position", "framework", "supersedes", "created_by")
    readonly_fields = ("version",)
    inlines = [CriterionScoreInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(admin.ModelAdmin):
    list_display = ("rating", "criterion", "points", "quality")
    list_select_related = ("rating__period", "criterion")
    raw_id_fields = ("rating", "criterion")
