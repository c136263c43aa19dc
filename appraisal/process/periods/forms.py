"""Forms of periods: deadlines typed as dd/mm/yyyy, the kind and year of a new period."""
from __future__ import annotations

from django import forms

from appraisal.models import (
    Period,
    PeriodKind,
)
from core.forms import date_field


class PeriodDeadlinesForm(forms.Form):
    """A period's deadlines (per period: Q2/2026 had its own [002 §5])."""

    evaluation_date = date_field("Thời điểm đánh giá")
    product_list_due = date_field("Hạn phê duyệt danh mục sản phẩm", required=False)
    self_assessment_due = date_field("Hạn tự đánh giá, đề xuất", required=False)
    decision_due = date_field("Hạn quyết định xếp loại", required=False)
    report_due = date_field("Hạn báo cáo cấp trên", required=False)

    @classmethod
    def for_period(cls, period: Period, data=None):
        return cls(data, initial={name: getattr(period, name) for name in cls.base_fields})


class PeriodCreateForm(PeriodDeadlinesForm):
    kind = forms.ChoiceField(label="Loại kỳ", choices=PeriodKind.choices)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Quý", required=False, coerce=int, empty_value=None,
        choices=[("", "—"), (1, "Quý 1"), (2, "Quý 2"), (3, "Quý 3"), (4, "Quý 4")],
        help_text="Chỉ chọn với kỳ đánh giá quý.",
    )
    field_order = ["kind", "year", "quarter"]
