"""Forms of the rating process: they read what people type; the services decide and check."""
from __future__ import annotations

from django import forms

from .models import ComplaintStatus, LevelCode, Period, PeriodKind, ProductQuality, ResultAxis

DATE = forms.DateInput(attrs={"type": "date", "class": "date"}, format="%Y-%m-%d")
LEVEL_CHOICES = [("", "—"), *LevelCode.choices]


class DateField(forms.DateField):
    widget = DATE

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("error_messages", {"invalid": "Ngày không hợp lệ (dd/mm/yyyy)."})
        super().__init__(*args, **kwargs)


class PeriodDeadlinesForm(forms.Form):
    """A period's deadlines (per period: Q2/2026 had its own [002 §5])."""

    evaluation_date = DateField(label="Thời điểm đánh giá")
    product_list_due = DateField(label="Hạn phê duyệt danh mục sản phẩm", required=False)
    self_assessment_due = DateField(label="Hạn tự đánh giá, đề xuất", required=False)
    decision_due = DateField(label="Hạn quyết định xếp loại", required=False)
    report_due = DateField(label="Hạn báo cáo cấp trên", required=False)

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


class SelfReviewForm(forms.Form):
    """Bản tự kiểm điểm and the self-proposed level [003 C.II.3.1; 002 §5.2]."""

    strengths = forms.CharField(label="Ưu điểm", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    weaknesses = forms.CharField(label="Hạn chế, khuyết điểm", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    causes = forms.CharField(label="Nguyên nhân", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    remedies = forms.CharField(label="Phương hướng, biện pháp khắc phục", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    self_level = forms.ChoiceField(label="Tự nhận mức xếp loại", choices=LEVEL_CHOICES, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProposeForm(forms.Form):
    level = forms.ChoiceField(label="Mức đề xuất", choices=LevelCode.choices)
    note = forms.CharField(label="Căn cứ đề xuất (kết quả biểu quyết, nhận xét)", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    note = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AdjustForm(forms.Form):
    """Ban Xây dựng Đảng changes one criterion's points, with the reason in writing."""

    code = forms.CharField(label="Mã tiêu chí", max_length=16)
    value = forms.CharField(label="Điểm mới", max_length=20)
    reason = forms.CharField(label="Lý do điều chỉnh", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    number = forms.CharField(label="Số quyết định", max_length=64, help_text="Ví dụ: 25-QĐ/ĐU")
    decided_on = DateField(label="Ngày quyết định")
    signer = forms.CharField(label="Người ký", max_length=255, required=False)


class MeetingForm(forms.Form):
    """The meeting and the counting team's totals (biên bản kiểm phiếu) [003 C.IV.11]."""

    held_on = DateField(label="Ngày họp")
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    chair = forms.CharField(label="Chủ trì", max_length=255)
    clerk = forms.CharField(label="Thư ký", max_length=255, required=False)
    counting_team = forms.CharField(label="Tổ kiểm phiếu", max_length=500, required=False)
    full_staff = forms.BooleanField(label="Họp toàn thể cơ quan (đơn vị có từ 03 lãnh đạo trở xuống)", required=False)
    attendance_expected = forms.IntegerField(label="Số được triệu tập", min_value=0, max_value=100000)
    attendance_present = forms.IntegerField(label="Số có mặt", min_value=0, max_value=100000)
    ballots_issued = forms.IntegerField(label="Số phiếu phát ra", min_value=0, max_value=100000)
    ballots_collected = forms.IntegerField(label="Số phiếu thu về", min_value=0, max_value=100000)
    ballots_valid = forms.IntegerField(label="Số phiếu hợp lệ", min_value=0, max_value=100000)
    ballots_invalid = forms.IntegerField(label="Số phiếu không hợp lệ", min_value=0, max_value=100000)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ComplaintForm(forms.Form):
    complainant = forms.CharField(label="Người khiếu nại", max_length=255)
    received_on = DateField(label="Ngày nhận")
    content = forms.CharField(label="Nội dung khiếu nại", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class ComplaintResolveForm(forms.Form):
    status = forms.ChoiceField(
        label="Kết quả", choices=[(ComplaintStatus.UPHELD, ComplaintStatus.UPHELD.label),
                                  (ComplaintStatus.REJECTED, ComplaintStatus.REJECTED.label)],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label="Kết quả giải quyết", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    resolved_on = DateField(label="Ngày giải quyết")


class ProductRowForm(forms.Form):
    """One line of a leader's product list and its result [002 §5.1, §5.3]."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Nhiệm vụ, công việc", max_length=500, required=False)
    product = forms.CharField(label="Sản phẩm đầu ra", max_length=500, required=False)
    due_on = DateField(label="Thời hạn", required=False)
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


ProductFormSet = forms.formset_factory(ProductRowForm, extra=3, max_num=200, validate_max=True)
