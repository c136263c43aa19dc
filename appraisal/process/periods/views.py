"""Period pages: the list, creating and opening a period (a background job), deadlines, and the
dashboard of a period for the user's part of the tree (states, overdue, the ratings)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from appraisal import authority, selectors
from appraisal.models import PeriodKind, PeriodStatus, RatingStatus, SubjectType
from appraisal.process.periods import services
from appraisal.process.periods.forms import PeriodCreateForm, PeriodDeadlinesForm
from appraisal.process.web import form_saved
from appraisal.tasks import OPEN_KIND, open_period_job
from core.forms import posted_version
from core.jobs import start_job
from core.models import Role
from core.scope import role_required
from orgs.scope import get_visible_org

PAGE_SIZE = 100


@role_required(*authority.PROCESS_READERS)
def period_list(request):
    """Every period with its counts; Ban Xây dựng Đảng creates and opens them here."""
    return TemplateResponse(request, "appraisal/period_list.html", {
        "periods": selectors.periods(),
        "can_manage": request.scope.is_staff_member,
    })


@role_required(Role.STAFF)
def period_create(request):
    """Create a period (quarter or year) with its deadlines; it is opened next. The form proposes
    the period after the latest of the kind (?loai=quarter|year) with that one's deadlines moved
    on, and warns while a period of the same kind is still being rated."""
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("loai")
    if kind not in PeriodKind.values:
        kind = PeriodKind.YEAR
    proposal = selectors.next_period(kind, timezone.localdate())
    form = PeriodCreateForm(request.POST or None, initial={
        "kind": kind, "year": proposal.year, "quarter": proposal.quarter, **proposal.deadlines,
    })
    saved = form_saved(
        request, form, lambda: services.period_create(actor=request.user, **form.cleaned_data),
        "Đã tạo kỳ đánh giá {obj}. Bấm «Mở kỳ đánh giá» để tạo phiếu cho các đối tượng.",
    )
    return saved or TemplateResponse(request, "appraisal/period_create.html", {
        "form": form, "title": "Thêm kỳ đánh giá", "submit": "Tạo kỳ đánh giá",
        "back": "appraisal:period_list", "kind": kind, "kinds": PeriodKind.choices, "proposal": proposal,
        "still_rating": selectors.periods_being_rated(kind),
    })


@role_required(Role.STAFF)
def period_edit(request, pk):
    """Change a period's deadlines."""
    period = selectors.get_period(pk)
    form = PeriodDeadlinesForm.for_period(period, request.POST or None)
    saved = form_saved(request, form, lambda: services.period_update(
        actor=request.user, period=period, expected_version=posted_version(request.POST), **form.cleaned_data,
    ), "Đã lưu các hạn của kỳ đánh giá.")
    return saved or TemplateResponse(request, "appraisal/form.html", {
        "form": form, "title": f"Hạn của kỳ đánh giá {period}", "submit": "Lưu", "version": period.version,
        "cancel": period.get_absolute_url(),
    })


@require_POST
@role_required(Role.STAFF)
def period_open(request, pk):
    """Open the period (or open it again for newcomers) as a background job with its progress."""
    period = selectors.get_period(pk)
    if period.status == PeriodStatus.CLOSED:
        messages.error(request, f"Kỳ đánh giá {period} đã kết thúc, không mở lại được.")
        return redirect(period)
    verb = "Mở" if period.status == PeriodStatus.DRAFT else "Mở lại (thêm đối tượng mới)"
    job = start_job(actor=request.user, kind=OPEN_KIND, title=f"{verb} kỳ đánh giá {period}",
                    task=open_period_job, period_id=period.pk)
    return redirect(job)


@require_POST
@role_required(Role.STAFF)
def period_close(request, pk):
    """Close the period: nothing more is scored or proposed."""
    period = selectors.get_period(pk)
    try:
        services.period_close(actor=request.user, period=period, expected_version=posted_version(request.POST))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã kết thúc kỳ đánh giá {period}.")
    return redirect(period)


@role_required(*authority.PROCESS_READERS)
def period_detail(request, pk):
    """A period for the user's part of the tree: states, what is overdue, the ratings (filtered)."""
    return _dashboard(request, selectors.get_period(pk), org=None)


@role_required(*authority.PROCESS_READERS)
def period_org(request, pk, org_pk):
    """The same dashboard for one organisation and everything under it."""
    period = selectors.get_period(pk)
    return _dashboard(request, period, org=get_visible_org(request.scope, org_pk))


@role_required(*authority.PROCESS_READERS)
def period_overdue(request, pk):
    """One list of what needs attention in a period, for the user's part of the tree: the ratings
    late against each deadline passed (product lists, proposals, decisions) and the leaders
    flagged for two consecutive KHTNV quarters in the period's year [002 §5, §8.2]."""
    period = selectors.get_period(pk)
    today = timezone.localdate()
    lists = selectors.overdue_lists(period, selectors.period_ratings(request.scope, period), today)
    for item in lists:
        for rating in item.ratings:
            rating.subject_label = selectors.subject_name(rating)
    flagged = selectors.flagged_leaders(request.scope, period.year)
    for rating in flagged:
        rating.subject_label = selectors.subject_name(rating)
    return TemplateResponse(request, "appraisal/period_overdue.html", {
        "period": period, "today": today, "lists": lists, "flagged": flagged, "limit": selectors.LIST_LIMIT,
    })


def _dashboard(request, period, org):
    subject_type = request.GET.get("doi_tuong", "")
    status = request.GET.get("trang_thai", "")
    if subject_type not in SubjectType.values:
        subject_type = ""
    if status not in RatingStatus.values:
        status = ""
    held_only = request.GET.get("cho") == "1"
    types = services.QUARTERLY_TYPES if period.is_quarter else services.YEARLY_TYPES
    all_visible = selectors.period_ratings(request.scope, period, org=org)
    ratings = selectors.period_ratings(request.scope, period, subject_type=subject_type, status=status, org=org)
    if held_only:
        ratings = ratings.filter(held=True)
    page = Paginator(ratings, PAGE_SIZE).get_page(request.GET.get("trang"))
    for rating in page:
        rating.subject_label = selectors.subject_name(rating)
        rating.waiting = selectors.held_reasons(rating)
    today = timezone.localdate()
    return TemplateResponse(request, "appraisal/period_detail.html", {
        "period": period,
        "org": org,
        "states": selectors.state_counts(all_visible.order_by()),
        "overdue": selectors.overdue(period, all_visible.order_by(), today),
        "flagged_count": len(selectors.flagged_leaders(request.scope, period.year)) if org is None else 0,
        "page": page,
        "subject_types": [(t, SubjectType(t).label) for t in types],
        "held_only": held_only,
        "held_count": all_visible.filter(held=True).count(),
        "statuses": RatingStatus.choices,
        "subject_type": subject_type,
        "status": status,
        "cells": selectors.grid_cells(request.scope, period),
        "can_manage": request.scope.is_staff_member,
        "is_staff": request.scope.is_staff_member,
        "can_decide": request.scope.has_role(Role.STANDING, Role.SECRETARY),
        "today": today,
    })
