"""Form pieces every app uses: dates typed the Vietnamese way, the stale-edit version, confirmations."""
import datetime as dt

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404

from .audit import object_type_choices
from .dates import fmt_date

SORT_ORDER_MAX = 1_000_000  # beyond it a 30-digit number would overflow the database column

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


def form_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: messages keyed by one of its fields beside that field,
    every other message at the top (a key the form lacks never raises); on a formset, above its rows."""
    if isinstance(form, forms.BaseFormSet):
        form.non_form_errors().extend(exc.messages)  # the formset's own list, so the page shows them
    elif hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


DATE_HINT = "Nhập ngày/tháng/năm, ví dụ 24/6/2026."
# What the browser lets through (the server reads DATE_INPUT_FORMATS): day/month/year, 2 or 4 digits.
DATE_PATTERN = r"[0-9]{1,2}/[0-9]{1,2}/([0-9]{2}|[0-9]{4})"


class DayInput(forms.DateInput):
    """A date shown in its box as the tables print it (core.dates.fmt_date: 05/3/2026)."""

    def format_value(self, value):
        return fmt_date(value) if isinstance(value, dt.date) else super().format_value(value)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """A date typed as dd/mm/yyyy in a plain text box.

    Not the browser's date input: on an English Windows it shows and expects mm/dd/yyyy,
    which a Vietnamese user reads the wrong way round. Every form with a date uses this field.
    """
    return forms.DateField(
        label=label,
        required=required,
        help_text=f"{help_text} {DATE_HINT}".strip(),
        input_formats=DATE_INPUT_FORMATS,
        widget=DayInput(
            attrs={"class": "date", "placeholder": "ngày/tháng/năm", "inputmode": "numeric", "autocomplete": "off",
                   "pattern": DATE_PATTERN, "title": "ngày/tháng/năm, ví dụ 24/6/2026"},
        ),
        error_messages={"invalid": f"{label}: ngày không hợp lệ, nhập theo dạng ngày/tháng/năm (24/6/2026)."},
    )


# A small workbook typed in a form (a framework, a trial table); member and results imports set their own.
XLSX_FORM_MAX_BYTES = 5 * 1024 * 1024


def clean_xlsx(upload, *, max_bytes: int = XLSX_FORM_MAX_BYTES):
    """Return the uploaded file if it is an .xlsx file of at most `max_bytes`; else a ValidationError."""
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError("Chỉ nhận tệp Excel định dạng .xlsx (Excel 2007 trở lên).")
    if upload.size > max_bytes:
        raise ValidationError(f"Tệp quá lớn (tối đa {max_bytes // (1024 * 1024)} MB).")
    return upload


class VersionForm(forms.Form):
    """A form that carries the version of the row as it was shown (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


def posted_int(data, key: str) -> int:
    """A whole number a post carries under `key` (a version, a count of votes), or -1 if it is
    missing or not a whole number from 0: the service then refuses it and changes nothing."""
    field = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    try:
        return field.clean(data.get(key))
    except ValidationError:
        return -1


class TamperedPost(BadRequest):
    """A hidden field came back missing or not a number: the post was altered, not typed by a user.

    Answered with a 400 whose page shows the message (core.views.bad_request); nothing is changed.
    """


def posted_version(data, key: str = "version") -> int:
    """The version a post carries in its hidden field `key` (VersionForm's field).

    The page wrote it, so a missing or malformed one (version=abc, version=) is a tampered post:
    TamperedPost, a 400 naming the field, before any service is called.
    """
    number = posted_int(data, key)
    if number < 0:
        shown = str(data.get(key, ""))[:20]
        raise TamperedPost(
            f"Yêu cầu không hợp lệ: trường ẩn «{key}» (phiên bản của bản ghi) "
            f"{'bị thiếu' if not shown.strip() else f'có giá trị «{shown}», không phải một số phiên bản'}. "
            "Không có gì được thay đổi. Hãy tải lại trang rồi làm lại."
        )
    return number


def query_int(data, name: str, *, default: int | None, lo: int, hi: int) -> int | None:
    """A whole number from the query string (`?quy=2`), `default` when it is blank; 404 when it is
    not a whole number from `lo` to `hi` (a link the pages never make)."""
    field = forms.IntegerField(min_value=lo, max_value=hi, required=False)
    try:
        value = field.clean(data.get(name, ""))
    except ValidationError as exc:
        raise Http404(f"Tham số {name} không hợp lệ.") from exc
    return default if value is None else value


class ConfirmOnlyForm(forms.Form):
    """A bare confirmation: no fields, only a place for the service's errors."""


class ConfirmForm(VersionForm):
    """A confirmation (deactivate): only the version of the row as it was shown."""


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label="Loại đối tượng", required=False)
    actor = forms.CharField(label="Người thực hiện", max_length=150, required=False)
    date_from = date_field("Từ ngày", required=False)
    date_to = date_field("Đến ngày", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Tất cả"), *object_type_choices()]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Đến ngày không được trước Từ ngày.")
        return data


class CodeNameForm(forms.Form):
    """Blocks and position groups: code, name, order."""

    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên", max_length=255)
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, max_value=SORT_ORDER_MAX, required=False)

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class CodeNameEditForm(CodeNameForm, VersionForm):
    pass
