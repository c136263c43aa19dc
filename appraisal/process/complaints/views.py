"""Complaints: the list, resolving one, filing one from a rating."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from appraisal import authority, selectors
from appraisal.models import (
    Complaint,
    ComplaintStatus,
    Rating,
)
from appraisal.process.complaints import services as complaint_services
from appraisal.process.complaints.forms import ComplaintForm, ComplaintResolveForm
from appraisal.process.web import done
from core.forms import form_errors
from core.models import Role
from core.scope import role_required

# ------------------------------------------------------------------------------ complaints


def _reratings(ratings) -> dict[int, Rating]:
    """The re-rating of each rating that has one (the complaint's outcome), by the rating's id: one query."""
    found = Rating.objects.filter(supersedes__in=[r.pk for r in ratings]).select_related("decision")
    return {r.supersedes_id: r for r in found}


@role_required(Role.STAFF)
def complaints(request):
    qs = Complaint.objects.select_related("rating__period").order_by("status", "-received_on", "-pk")
    items = list(qs[:500])
    ratings = {r.pk: r for r in selectors.with_subject(Rating.objects.filter(pk__in=[c.rating_id for c in items]))}
    reratings = _reratings(ratings.values())
    for c in items:
        c.subject_label = selectors.subject_name(ratings[c.rating_id])
        c.rerating = reratings.get(c.rating_id)
    return TemplateResponse(request, "appraisal/complaints.html", {"complaints": items})


@role_required(Role.STAFF)
def complaint_resolve(request, pk):
    complaint = Complaint.objects.select_related("rating").filter(pk=pk).first()
    if complaint is None:
        raise Http404("Không tìm thấy khiếu nại.")
    rating = selectors.with_subject(Rating.objects.filter(pk=complaint.rating_id)).get()
    rerating = _reratings([rating]).get(rating.pk)
    form = ComplaintResolveForm(request.POST or None)
    if complaint.status != ComplaintStatus.OPEN:
        form = None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            complaint_services.complaint_resolve(actor=request.user, complaint=complaint, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Đã ghi kết quả giải quyết khiếu nại.")
            if form.cleaned_data["status"] == ComplaintStatus.UPHELD and rerating is None \
                    and authority.may_rerate(request.scope, rating):
                messages.info(request, "Khiếu nại có cơ sở: ghi căn cứ để mở việc xếp loại lại.")
                return redirect("appraisal:rating_rerate", rating.pk)
            return redirect(reverse("appraisal:complaints"))
    return TemplateResponse(request, "appraisal/complaint_resolve.html", {
        "complaint": complaint, "form": form, "rating": rating, "name": selectors.subject_name(rating),
        "rerating": rerating, "can_rerate": rerating is None and authority.may_rerate(request.scope, rating),
    })


@role_required(*authority.ACTORS)
def rating_complaint(request, pk):
    """Record a complaint about a decided rating [002 III.5.2]."""
    rating = selectors.get_rating(request.scope, pk)
    if not authority.may_complain(request.scope, rating):
        raise PermissionDenied("Chỉ ghi khiếu nại về kết quả đã có quyết định của mình hoặc đơn vị mình.")
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint_services.complaint_file(actor=request.user, rating=rating, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return done(request, rating, "Đã ghi khiếu nại; Ban Xây dựng Đảng sẽ xem xét, giải quyết.")
    return TemplateResponse(request, "appraisal/form.html", {
        "form": form, "title": f"Khiếu nại về kết quả xếp loại: {selectors.subject_name(rating)}",
        "submit": "Ghi khiếu nại", "cancel": rating.get_absolute_url(),
    })
