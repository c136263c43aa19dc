"""Forms of the report pages: which report, its header and typed parts, making it final, imports."""
from __future__ import annotations

from dataclasses import dataclass

from django import forms

from appraisal.models import SubjectType
from core.forms import clean_xlsx, date_field

from .models import ImportKind, Report
from .narrative import (
    DEPTH,
    MAX_TITLE_LENGTH,
    PARTS,
    PLACEHOLDER,
    Typed,
    basis_text,
    field_name,
    numbered_parts,
    typed_parts,
)

RESULTS_MAX_BYTES = 20 * 1024 * 1024  # a file of results decided outside the app, as uploaded

HEADER_FIELDS = (
    "superior_name", "issuer_name", "document_code", "place", "title", "quarters", "recipients",
    "signer_on_behalf", "signer_title", "signer_name",
)


@dataclass(frozen=True)
class PartFields:
    """The fields of one part of the outline on the edit page, with its number as it prints now."""

    key: str
    legend: str
    level: int
    fields: list


class ReportForm(forms.ModelForm):
    """The header, signer, the opening paragraph and, for every part of the outline, its title, its
    text (before and after the statistics where the software prints some) and whether it is removed."""

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
        self.fields["basis"] = forms.CharField(
            label="Đoạn mở đầu (căn cứ)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
            initial=basis_text(report.narrative, report.issuer_name),
            help_text="Thay các dấu «…» bằng số, ngày của văn bản cấp trên trước khi ban hành.",
        )
        _, typed = typed_parts(report.narrative)
        numbers = {p.part.key: p.number for p in numbered_parts(report.narrative)}
        self._groups = []
        for key, part in PARTS.items():
            names = []
            self.fields[field_name("title", key)] = forms.CharField(
                label="Tiêu đề (không gõ số mục)", required=False, max_length=MAX_TITLE_LENGTH,
                initial=typed[key].title or part.title)
            names.append(field_name("title", key))
            if not part.children or part.computed or part.default_text:
                label = "Nội dung trước số liệu" if part.computed else "Nội dung"
                self.fields[field_name("text", key)] = forms.CharField(
                    label=label, required=False, initial=typed[key].text or part.default_text,
                    widget=forms.Textarea(attrs={"rows": 5 if part.children else 6}),
                    help_text="" if part.computed else
                    f"Để trống: bản thảo in «{PLACEHOLDER}» và chưa ban hành được.",
                )
                names.append(field_name("text", key))
            else:
                self.fields[field_name("text", key)] = forms.CharField(
                    label="Đoạn mở đầu của mục (nếu có)", required=False, initial=typed[key].text,
                    widget=forms.Textarea(attrs={"rows": 2}))
                names.append(field_name("text", key))
            if part.computed:
                self.fields[field_name("after", key)] = forms.CharField(
                    label="Nội dung sau số liệu", required=False, initial=typed[key].after,
                    widget=forms.Textarea(attrs={"rows": 3}))
                names.append(field_name("after", key))
            self.fields[field_name("removed", key)] = forms.BooleanField(
                label="Bỏ mục này (các mục sau được đánh số lại)", required=False, initial=typed[key].removed)
            names.append(field_name("removed", key))
            number = numbers.get(key)
            legend = f"{number} {typed[key].title or part.title}" if number else f"(đã bỏ) {typed[key].title or part.title}"
            self._groups.append((key, legend, DEPTH[key], names))

    def header(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in HEADER_FIELDS}

    def narrative(self) -> dict:
        """The opening paragraph and every part as typed, for reports.services.report_save."""
        data = self.cleaned_data
        parts = {
            key: Typed(title=data.get(field_name("title", key), ""), text=data.get(field_name("text", key), ""),
                       after=data.get(field_name("after", key), ""), removed=data.get(field_name("removed", key), False))
            for key in PARTS
        }
        return {"basis": data.get("basis", ""), "parts": parts}

    def header_fields(self):
        return [self[name] for name in HEADER_FIELDS]

    def part_groups(self) -> list[PartFields]:
        return [PartFields(key, legend, level, [self[n] for n in names]) for key, legend, level, names in self._groups]


class FinalizeForm(forms.Form):
    number = forms.CharField(label="Số báo cáo", max_length=16, help_text="Chỉ phần số, ví dụ 12 (in ra «Số 12-BC/ĐU»).")
    issued_on = date_field("Ngày ban hành")
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120)
    quota_seen = forms.BooleanField(label="Đã xem các nhóm vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResultsImportForm(forms.Form):
    kind = forms.ChoiceField(label="Dạng tệp", choices=ImportKind.choices, widget=forms.RadioSelect,
                             initial=ImportKind.SUBJECTS)
    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self):
        return clean_xlsx(self.cleaned_data["file"], max_bytes=RESULTS_MAX_BYTES)


class ConfirmImportForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices, widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)


class DraftOptionsForm(forms.Form):
    """What `manage.py render_report year_end` takes instead of the saved draft's values: the quarters,
    the number, the date and the signer (checked as the pages check them; blank keeps the draft's)."""

    quarters = forms.CharField(label="--quarters", required=False, max_length=64)
    number = forms.CharField(label="--number", required=False, max_length=16)
    issued_on = forms.DateField(label="--date", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                error_messages={"invalid": "Ngày không hợp lệ (dd/mm/yyyy)."})
    signer_name = forms.CharField(label="--signer", required=False, max_length=120)
    signer_title = forms.CharField(label="--signer-title", required=False, max_length=80)

    def clean_quarters(self) -> str:
        from .compute import parse_quarters

        text = self.cleaned_data["quarters"]
        try:
            parse_quarters(text, 2000)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text

    def changes(self) -> dict:
        """The values given (what the printed document takes instead of the draft's)."""
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}

    def error_lines(self) -> list[str]:
        return [f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()]


class SummaryIssueForm(forms.Form):
    """Issue and sign a summary sheet: which sheet (as the page's query names it) and who compiled it."""

    nam = forms.IntegerField(min_value=1990, max_value=2100, widget=forms.HiddenInput)
    quy = forms.IntegerField(min_value=1, max_value=4, required=False, widget=forms.HiddenInput)
    doi_tuong = forms.ChoiceField(choices=SubjectType.choices, widget=forms.HiddenInput)
    signer_name = forms.CharField(label="Người lập biểu", max_length=120,
                                  error_messages={"required": "Chưa nhập họ tên người lập biểu."})
