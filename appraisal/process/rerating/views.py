"""Re-rating a decided result."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from appraisal import authority, selectors
from appraisal.process.rerating import services as rerating_services
from appraisal.process.verification.forms import ReasonForm
from appraisal.process.web import form_saved
from core.models import Role
from core.scope import role_required

# ------------------------------------------------------------------------------ re-rating, complaints


@role_required(Role.STAFF)
def rating_rerate(request, pk):
    """Open a re-rating of a decided rating [003 C.IV.9]."""
    rating = selectors.get_rating(request.scope, pk)
    if not authority.may_rerate(request.scope, rating):
        raise PermissionDenied("Chỉ xếp loại lại kết quả đã có quyết định và đang có hiệu lực.")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Căn cứ xếp loại lại (quyết định kỷ luật, thời điểm vi phạm)"
    saved = form_saved(
        request, form, lambda: rerating_services.rating_rerate(actor=request.user, rating=rating, reason=form.cleaned_data["reason"]),
        "Đã mở việc xếp loại lại: điều chỉnh điểm nếu cần, đề xuất mức, rồi trình quyết định.",
    )
    return saved or TemplateResponse(request, "appraisal/form.html", {
        "form": form, "title": f"Xếp loại lại: {selectors.subject_name(rating)} — {rating.period}",
        "intro": f"Kết quả đang có hiệu lực: {rerating_services.decided_text(rating)}"
                 + (f" ({rating.decision.authority})" if rating.decision else "")
                 + ". Kết quả này vẫn có hiệu lực đến khi có quyết định hủy bỏ kết quả xếp loại cũ, công nhận kết quả mới (QĐ 01).",
        "submit": "Mở việc xếp loại lại", "cancel": rating.get_absolute_url(),
    })
