"""The public verification page (/xac-minh/): no sign-in; is this file an issued document, is its
signature intact, has it been superseded — and nothing else about the data [issue 15].

Each check is counted per client address in the database (VerifyAttempt), so every worker sees
the same count; uploads above settings.VERIFY_UPLOAD_MAX_BYTES are refused before reading.
"""
from datetime import timedelta

from django import forms
from django.conf import settings
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .issued import clean_code, document_by_code, verify_file
from .models import VerifyAttempt


class VerifyForm(forms.Form):
    code = forms.CharField(label="Mã xác minh", required=False, max_length=32,
                           help_text="In ở cuối văn bản, ví dụ KD-7Q4M-X2PA.")
    file = forms.FileField(label="Tệp PDF của văn bản", required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.VERIFY_UPLOAD_MAX_BYTES
        if upload and upload.size > limit:
            raise forms.ValidationError(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.")
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not clean_code(data.get("code", "")):
            raise forms.ValidationError("Hãy nhập mã xác minh (dạng KD-XXXX-XXXX) hoặc chọn tệp PDF cần kiểm tra.")
        return data


def _client(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "?")[:64]


def _over_limit(request) -> bool:
    """Count this check; True when the address has asked too often in the last hour."""
    now = timezone.now()
    client = _client(request)
    VerifyAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
    recent = VerifyAttempt.objects.filter(client=client, at__gte=now - timedelta(hours=1)).count()
    if recent >= settings.VERIFY_PER_HOUR:
        return True
    VerifyAttempt.objects.create(client=client, at=now)
    return False


@require_http_methods(["GET", "POST"])
def verify_page(request):
    """Check a document by its code (GET ?ma=) or by its file (POST)."""
    context = {"max_mb": settings.VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024)}
    asked = request.method == "POST" or "ma" in request.GET
    if not asked:
        return TemplateResponse(request, "core/verify.html", context | {"form": VerifyForm()})
    data = request.POST if request.method == "POST" else {"code": request.GET.get("ma", "")}
    form = VerifyForm(data, request.FILES or None)
    context["form"] = form
    if _over_limit(request):
        context["refused"] = (f"Địa chỉ này đã kiểm tra quá {settings.VERIFY_PER_HOUR} lần trong một giờ; "
                              "hãy thử lại sau.")
        return TemplateResponse(request, "core/verify.html", context, status=429)
    if not form.is_valid():
        return TemplateResponse(request, "core/verify.html", context, status=400)
    upload = form.cleaned_data.get("file")
    if upload:
        context["result"] = verify_file(upload.read())
    else:
        context["by_code"] = document_by_code(form.cleaned_data["code"])
        context["code_asked"] = clean_code(form.cleaned_data["code"])
    return TemplateResponse(request, "core/verify.html", context)
