"""Excel in and out: upload → preview → confirm, the template and the export."""
from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from core.models import Role
from core.scope import role_required

from .workbook.export import export_workbook
from .workbook.services import import_workbook
from .workbook.uploads import discard_upload, load_upload, stash_upload
from .workbook.writer import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SESSION_KEY = "workbook_import"


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel định dạng .xlsx (Excel 2007 trở lên).")
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 10 MB.")
        return file


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.STAFF)
def import_view(request):
    """Upload a workbook, see what it would change (or every error), then confirm to apply."""
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "workbook/import.html", {"form": form})
    content = form.cleaned_data["file"].read()
    result = import_workbook(actor=request.user, content=content, dry_run=True)
    context = {"result": result, "filename": form.cleaned_data["file"].name}
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        discard_upload(user_id=request.user.pk, token=previous["token"])
    if result.ok and result.changed:
        token = stash_upload(user_id=request.user.pk, content=content)
        request.session[SESSION_KEY] = {"token": token, "digest": result.digest, "filename": context["filename"]}
        context["token"] = token
    return TemplateResponse(request, "workbook/preview.html", context)


def _confirm(request):
    """Apply the previewed file, re-validated, if nothing it would change has moved since."""
    form = ConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY) or {}
    token = form.data.get("token", "")
    content = load_upload(user_id=request.user.pk, token=token) if form.is_valid() and pending.get("token") == token else None
    if content is None:
        messages.error(request, "Không tìm thấy tệp đã xem trước (đã hết hạn hoặc đã nhập). Hãy tải tệp lên lại.")
        return redirect("workbook:import")
    result = import_workbook(actor=request.user, content=content, expected_digest=pending["digest"])
    discard_upload(user_id=request.user.pk, token=token)
    request.session.pop(SESSION_KEY, None)
    if not result.applied:
        return TemplateResponse(request, "workbook/preview.html", {"result": result, "filename": pending.get("filename")})
    messages.success(request, f"Đã nhập tệp {pending.get('filename', '')}: {result.changed} thay đổi.")
    return redirect("workbook:import")


@role_required(Role.STAFF)
def template_view(request):
    """The empty workbook, with headers, drop-down lists and instructions."""
    return _download(build_workbook(), "mau-nhap-du-lieu.xlsx")


@role_required(Role.STAFF, Role.STANDING)
def export_view(request):
    """The data the user may see, in the import format."""
    filename = f"du-lieu-{timezone.localdate():%Y%m%d}.xlsx"
    return _download(export_workbook(request.scope), filename)
