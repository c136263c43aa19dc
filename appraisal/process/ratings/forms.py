"""Forms of one rating: the self-assessment and the product list."""
from __future__ import annotations

from django import forms

from appraisal.models import (
    AxisWeight,
    LevelCode,
    ProductQuality,
    ResultAxis,
)
from core.forms import date_field

LEVEL_CHOICES = [("", "—"), *LevelCode.choices]


class SelfReviewForm(forms.Form):
    """Bản tự kiểm điểm and the self-proposed level [003 C.II.3.1; 002 §5.2]."""

    strengths = forms.CharField(label="Ưu điểm", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    weaknesses = forms.CharField(label="Hạn chế, khuyết điểm", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    causes = forms.CharField(label="Nguyên nhân", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    remedies = forms.CharField(label="Phương hướng, biện pháp khắc phục", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    self_level = forms.ChoiceField(label="Tự nhận mức xếp loại", choices=LEVEL_CHOICES, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProductRowForm(forms.Form):
    """One line of a leader's product list and its result [002 §5.1, §5.3]."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Nhiệm vụ, công việc", max_length=500, required=False)
    product = forms.CharField(label="Sản phẩm đầu ra", max_length=500, required=False)
    due_on = date_field("Thời hạn", required=False)
    axis = forms.TypedChoiceField(label="Trục kết quả", choices=[("", "—"), *ResultAxis.choices], coerce=int,
                                  empty_value=None, required=False)
    completed = forms.NullBooleanField(label="Hoàn thành", required=False, widget=forms.Select(choices=[
        ("unknown", "—"), ("true", "Hoàn thành"), ("false", "Không hoàn thành"),
    ]))
    on_time = forms.NullBooleanField(label="Đúng tiến độ", required=False, widget=forms.Select(choices=[
        ("unknown", "—"), ("true", "Đúng hạn"), ("false", "Chậm"),
    ]))
    exceeded = forms.BooleanField(label="Vượt mức", required=False)
    quality = forms.TypedChoiceField(label="Chất lượng", choices=[("", "—"), *ProductQuality.choices], coerce=int,
                                     empty_value=None, required=False)
    force_majeure = forms.BooleanField(label="Bất khả kháng", required=False)
    force_majeure_confirmed_by = forms.CharField(label="Cấp xác nhận bất khả kháng", max_length=255, required=False)
    delete = forms.BooleanField(label="Xóa", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The list is a table, its labels the column heads: each box says its line and column to
        # a screen reader ("Dòng 2 — Sản phẩm đầu ra").
        line = (self.prefix or "").rsplit("-", 1)[-1]
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"Dòng {int(line) + 1} — {field.label}" if line.isdigit() else field.label


ProductFormSet = forms.formset_factory(ProductRowForm, extra=3, max_num=200, validate_max=True)


class AxisRolesForm(forms.Form):
    """A leader's marking of their result axes: primary (chính, chủ yếu) or secondary (phụ, phối
    hợp, hỗ trợ), one field per axis the framework scores [002 II.1.5]."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, axes: list[tuple[int, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for number, label, role in axes:
            self.fields[f"truc_{number}"] = forms.ChoiceField(
                label=label, choices=AxisWeight.choices, initial=role,
            )

    def roles(self) -> dict[int, str]:
        return {int(name.removeprefix("truc_")): value for name, value in self.cleaned_data.items()
                if name.startswith("truc_")}
