"""Excel in and out: upload → preview → confirm (a background job), the template and the export."""
from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from core.jobs import start_job
from core.models import Role
from core.scope import role_required

from .workbook.services import SUMMARY_HEAD, import_workbook
from .workbook.spec import MAX_UPLOAD_BYTES
from .workbook.tasks import EXPORT_KIND, EXPORT_ROLES, IMPORT_KIND, export_job, import_job
from .workbook.uploads import discard_upload, load_upload, stash_upload
from .workbook.writer import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "workbook_import"


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel định dạng .xlsx (Excel 2007 trở lên).")
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Tệp lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return file


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)


@role_required(Role.STAFF)
def import_view(request):
    """Upload a workbook, see what it would change (or every error), then confirm to apply."""
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "workbook/import.html", {"form": form})
    filename = form.cleaned_data["file"].name
    content = form.cleaned_data["file"].read()
    result = import_workbook(actor=request.user, content=content, dry_run=True, filename=filename)
    context = {"result": result, "filename": filename, "summary_head": SUMMARY_HEAD}
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        discard_upload(user_id=request.user.pk, token=previous["token"])
    if result.ok and result.changed:
        token = stash_upload(user_id=request.user.pk, content=content)
        request.session[SESSION_KEY] = {"token": token, "digest": result.digest, "filename": filename}
        context["token"] = token
    return TemplateResponse(request, "workbook/preview.html", context)


def _confirm(request):
    """Queue the import of the previewed file; the job re-validates it and applies it all or nothing."""
    form = ConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY) or {}
    token = form.data.get("token", "")
    stored = form.is_valid() and pending.get("token") == token and load_upload(user_id=request.user.pk, token=token)
    if not stored:
        messages.error(request, "Không tìm thấy tệp đã xem trước (đã hết hạn hoặc đã nhập). Hãy tải tệp lên lại.")
        return redirect("workbook:import")
    request.session.pop(SESSION_KEY, None)
    filename = pending.get("filename") or "tệp Excel"
    job = start_job(
        actor=request.user, kind=IMPORT_KIND, title=f"Nhập tệp {filename}", task=import_job,
        token=token, digest=pending["digest"], filename=filename,
    )
    return redirect(job)


@role_required(Role.STAFF)
def template_view(request):
    """The empty workbook, with headers, drop-down lists, example rows and instructions."""
    response = HttpResponse(build_workbook(examples=True), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-du-lieu.xlsx"'
    return response


@role_required(*EXPORT_ROLES)
def export_view(request):
    """Export the data the user may see, in the import format, as a background job."""
    if request.method != "POST":
        return TemplateResponse(request, "workbook/export.html", {})
    filename = f"du-lieu-{timezone.localdate():%Y%m%d}.xlsx"
    job = start_job(actor=request.user, kind=EXPORT_KIND, title=f"Xuất dữ liệu ra tệp {filename}",
                    task=export_job, filename=filename)
    return redirect(job)
