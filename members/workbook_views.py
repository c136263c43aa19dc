"""Excel in and out: upload → preview → confirm (a background job), the template and the export."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from core.downloads import XLSX, file_download
from core.forms import clean_xlsx, posted_int
from core.jobs import start_job
from core.models import Job, JobStatus, Role
from core.scope import role_required

from .workbook.services import SUMMARY_HEAD, import_workbook
from .workbook.spec import MAX_UPLOAD_BYTES
from .workbook.tasks import (
    CHECK_KIND,
    EXPORT_KIND,
    EXPORT_ROLES,
    IMPORT_KIND,
    check_job,
    export_job,
    import_job,
)
from .workbook.uploads import discard_upload, load_upload, stash_upload
from .workbook.writer import build_workbook

SESSION_KEY = "workbook_import"
# A file up to this size is checked within the request (a commune's: about 20 000 members, a few
# seconds); a larger one by the background worker, so no request runs past the server's timeout.
PREVIEW_IN_REQUEST_BYTES = 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self):
        return clean_xlsx(self.cleaned_data["file"], max_bytes=MAX_UPLOAD_BYTES)


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)


@role_required(Role.STAFF)
def import_view(request):
    """Upload a workbook, see what it would change (or every error), then confirm to apply.

    A file up to PREVIEW_IN_REQUEST_BYTES is checked at once; a larger one (a province's) by a
    background job, whose page offers the confirmation.
    """
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    if request.method == "POST" and "preview" in request.POST:
        return _confirm_checked(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "workbook/import.html", {"form": form})
    filename = form.cleaned_data["file"].name
    content = form.cleaned_data["file"].read()
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        discard_upload(user_id=request.user.pk, token=previous["token"])
    if len(content) > PREVIEW_IN_REQUEST_BYTES:
        token = stash_upload(user_id=request.user.pk, content=content)
        job = start_job(actor=request.user, kind=CHECK_KIND, title=f"Kiểm tra tệp {filename}", task=check_job,
                        token=token, filename=filename)
        return redirect(job)
    result = import_workbook(actor=request.user, content=content, dry_run=True, filename=filename)
    context = {"result": result, "filename": filename, "summary_head": SUMMARY_HEAD}
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


def _confirm_checked(request):
    """Queue the import of a file a check job found good (once: the job's pending import is claimed)."""
    checked = Job.objects.filter(
        pk=posted_int(request.POST, "preview"),  # -1 (no job) for a value that is not a whole number
        actor=request.user, kind=CHECK_KIND, status=JobStatus.SUCCEEDED,
    ).first()
    pending = (checked.result or {}).get("pending") if checked else None
    if not pending or not load_upload(user_id=request.user.pk, token=pending["token"]):
        messages.error(request, "Không tìm thấy tệp đã kiểm tra (đã hết hạn hoặc đã nhập). Hãy tải tệp lên lại.")
        return redirect("workbook:import")
    Job.objects.filter(pk=checked.pk).update(result={**checked.result, "pending": None, "actions": []})
    job = start_job(
        actor=request.user, kind=IMPORT_KIND, title=f"Nhập tệp {pending['filename']}", task=import_job,
        token=pending["token"], digest=pending["digest"], filename=pending["filename"],
    )
    return redirect(job)


@role_required(Role.STAFF)
def template_view(request):
    """The empty workbook, with headers, drop-down lists, example rows and instructions."""
    return file_download(build_workbook(examples=True), "mau-nhap-du-lieu.xlsx", XLSX)


@role_required(*EXPORT_ROLES)
def export_view(request):
    """Export the data the user may see, in the import format, as a background job."""
    if request.method != "POST":
        return TemplateResponse(request, "workbook/export.html", {})
    filename = f"du-lieu-{timezone.localdate():%Y%m%d}.xlsx"
    job = start_job(actor=request.user, kind=EXPORT_KIND, title=f"Xuất dữ liệu ra tệp {filename}",
                    task=export_job, filename=filename)
    return redirect(job)
