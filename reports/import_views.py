"""Import results decided outside the app: upload → preview (a dry run) → confirm (the same import, for real).

The uploaded file waits between the two steps in the media store, in the uploader's own folder
under a random token also remembered in the session (`members.workbook.uploads`, as the workbook
import keeps its own), so only the person who previewed it can confirm it, and any web process —
not only the one that showed the preview — can read it back.
"""
from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from appraisal import authority
from core.downloads import XLSX, file_download
from core.scope import role_required
from members.workbook.uploads import discard_upload, load_upload, stash_upload

from .forms import ConfirmImportForm, ResultsImportForm
from .models import ImportBatch
from .package import package_rollup
from .results_import import COLUMNS, run_import, template_workbook

SESSION_KEY = "reports_pending_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _page(request, form, outcome=None, confirm=None):
    return TemplateResponse(request, "reports/import.html", {
        "form": form, "outcome": outcome, "confirm": confirm, "columns": COLUMNS,
        "batches": ImportBatch.objects.select_related("created_by")[:20], "rollup": package_rollup(),
    })


@role_required(*authority.RESULT_IMPORTERS, check=authority.may_import_results)
def results_import(request):
    """Upload a results file and see what it would do (nothing is written yet); `?mau=` gives an empty file."""
    template = request.GET.get("mau")
    if template:
        if template not in COLUMNS:
            raise Http404("Không có mẫu này.")
        return file_download(template_workbook(template), f"mau-nhap-ket-qua-{template}.xlsx", XLSX)
    form = ResultsImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    content = upload.read()
    kind = form.cleaned_data["kind"]
    outcome = run_import(content=content, kind=kind, file_name=upload.name, actor=request.user, commit=False)
    confirm = None
    if outcome.ok:
        token = stash_upload(user_id=request.user.pk, content=content)
        request.session[SESSION_KEY] = request.session.get(SESSION_KEY, [])[-4:] + [token]
        confirm = ConfirmImportForm(initial={"kind": kind, "token": token, "file_name": upload.name})
    return _page(request, ResultsImportForm(initial={"kind": kind}), outcome, confirm)


@require_POST
@role_required(*authority.RESULT_IMPORTERS, check=authority.may_import_results)
def results_import_confirm(request):
    """Write the previewed file (POST), all or nothing; refuse a file this user did not preview."""
    form = ConfirmImportForm(request.POST)
    token = request.POST.get("token", "")
    if not form.is_valid() or not TOKEN.match(token) or token not in request.session.get(SESSION_KEY, []):
        messages.error(request, "Không tìm thấy tệp đã xem trước; hãy tải tệp lên lại.")
        return redirect("reports:import")
    content = load_upload(user_id=request.user.pk, token=token)
    if content is None:
        messages.error(request, "Tệp đã xem trước không còn lưu tạm; hãy tải tệp lên lại.")
        return redirect("reports:import")
    outcome = run_import(content=content, kind=form.cleaned_data["kind"], file_name=form.cleaned_data["file_name"],
                         actor=request.user, commit=True)
    if not outcome.ok:
        return _page(request, ResultsImportForm(initial={"kind": form.cleaned_data["kind"]}), outcome)
    discard_upload(user_id=request.user.pk, token=token)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    messages.success(request, f"Đã nhập «{outcome.file_name}»: thêm mới {outcome.created}, cập nhật {outcome.updated} dòng.")
    return redirect("reports:import")
