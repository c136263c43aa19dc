"""Forms of the report pages: which report, its header and typed parts, making it final, imports."""
from __future__ import annotations

from django import forms

from .models import ImportKind, Report
from .narrative import SLOTS, narrative_text

HEADER_FIELDS = (
    "superior_name", "issuer_name", "document_code", "place", "title", "quarters", "recipients",
    "signer_on_behalf", "signer_title", "signer_name",
)


class ReportForm(forms.ModelForm):
    """The header, signer and the typed parts of a draft (one textarea per part)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Report
        fields = HEADER_FIELDS
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"recipients": "Mỗi nơi nhận một dòng."}

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, instance=report, **kwargs)
        self.fields["version"].initial = report.version
        issuer = report.issuer_name
        for slot in SLOTS:
            widget = forms.TextInput if slot.heading else forms.Textarea(attrs={"rows": 6 if not slot.default else 8})
            self.fields[f"part_{slot.key}"] = forms.CharField(
                label=slot.label, required=False, widget=widget,
                initial=narrative_text(report.narrative, slot.key, issuer=issuer),
                help_text="" if slot.heading else "Mỗi đoạn cách nhau một dòng trống; dòng đánh số «1.», «2.1.» là tiêu đề.",
            )

    def header(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in HEADER_FIELDS}

    def narrative(self) -> dict:
        return {slot.key: self.cleaned_data.get(f"part_{slot.key}", "") for slot in SLOTS}

    def header_fields(self):
        return [self[name] for name in HEADER_FIELDS]

    def part_fields(self):
        return [self[f"part_{slot.key}"] for slot in SLOTS]


class FinalizeForm(forms.Form):
    number = forms.CharField(label="Số báo cáo", max_length=16, help_text="Chỉ phần số, ví dụ 12 (in ra «Số 12-BC/ĐU»).")
    issued_on = forms.DateField(label="Ngày ban hành", widget=forms.DateInput(attrs={"class": "date"}),
                                help_text="dd/mm/yyyy")
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120)
    quota_seen = forms.BooleanField(label="Đã xem các nhóm vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResultsImportForm(forms.Form):
    kind = forms.ChoiceField(label="Dạng tệp", choices=ImportKind.choices, widget=forms.RadioSelect,
                             initial=ImportKind.SUBJECTS)
    file = forms.FileField(label="Tệp Excel (.xlsx)")


class ConfirmImportForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices, widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)
