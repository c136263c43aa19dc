"""Verification: the queue of proposals, a group verified at once, one rating verified, adjusted or returned."""
from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from appraisal import selectors
from appraisal.models import (
    Rating,
    RatingStatus,
)
from appraisal.process.verification import services as verification_services
from appraisal.process.verification.forms import AdjustForm, NoteForm, ReasonForm, UndoForm
from appraisal.process.web import done, posted_version, refused
from appraisal.rules import Level
from core.models import Role
from core.scope import role_required

# ------------------------------------------------------------------------------ verification


@role_required(Role.STAFF)
def verify_queue(request, pk):
    """Proposals waiting for Ban Xây dựng Đảng, by organisation and peer group, with every
    condition that applied and what to look at."""
    period = selectors.get_period(pk)
    qs = selectors.visible_ratings(request.scope, Rating.objects.filter(period=period, status=RatingStatus.PROPOSED))
    ratings = list(selectors.with_subject(qs).order_by("scope_org__path", "peer_group", "pk"))
    groups: dict = defaultdict(list)
    for r in ratings:
        r.subject_label = selectors.subject_name(r)
        r.above_conditions = bool(r.condition_level) and Level.from_code(r.proposed_level) > Level.from_code(r.condition_level)
        groups[(r.scope_org.name if r.scope_org else "—", r.peer_group_label)].append(r)
    return TemplateResponse(request, "appraisal/verify_queue.html", {
        "period": period, "groups": sorted(groups.items()), "count": len(ratings),
        "verified": _verified(request, period),
    })


def _verified(request, period) -> list[Rating]:
    """Proposals verified and not yet decided: their verification may still be undone."""
    qs = selectors.visible_ratings(request.scope, Rating.objects.filter(period=period, status=RatingStatus.VERIFIED))
    ratings = list(selectors.with_subject(qs).order_by("scope_org__path", "peer_group", "pk"))
    for r in ratings:
        r.subject_label = selectors.subject_name(r)
    return ratings


@require_POST
@role_required(Role.STAFF)
def verify_group(request, pk):
    """Verify every proposal of one group of the queue at once, as the page showed them (each
    with the version seen): all or nothing; one changed since, or not waiting any more, refuses
    the whole group with its name."""
    period = selectors.get_period(pk)
    seen: dict[int, int] = {}
    for value in request.POST.getlist("phieu"):
        rating_id, _, version = value.partition(":")
        if not (rating_id.isdigit() and version.isdigit()):
            raise Http404("Danh sách phiếu không hợp lệ.")
        seen[int(rating_id)] = int(version)
    chosen = selectors.visible_ratings(request.scope, Rating.objects.filter(period=period, pk__in=seen))
    found = {r.pk: r for r in selectors.with_subject(chosen)}
    if not seen or len(found) != len(seen):
        messages.error(request, "Không tìm thấy một số phiếu của nhóm trong kỳ này: tải lại trang rồi thẩm định lại.")
        return redirect("appraisal:verify_queue", period.pk)
    try:
        verified = verification_services.ratings_verify(actor=request.user, ratings=[(found[i], seen[i]) for i in seen],
                                          note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "Chưa thẩm định phiếu nào của nhóm: " + " ".join(exc.messages))
        return redirect("appraisal:verify_queue", period.pk)
    messages.success(request, f"Đã thẩm định {len(verified)} đề xuất.")
    return redirect("appraisal:verify_queue", period.pk)


@require_POST
@role_required(Role.STAFF)
def rating_verify(request, pk):
    rating = selectors.get_rating(request.scope, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        verification_services.rating_verify(actor=request.user, rating=rating, expected_version=posted_version(request),
                              note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        return refused(request, rating, exc)
    if request.POST.get("next") == "queue":
        messages.success(request, f"Đã thẩm định: {selectors.subject_name(rating)}.")
        return redirect("appraisal:verify_queue", rating.period_id)
    return done(request, rating, "Đã thẩm định.")


@require_POST
@role_required(Role.STAFF)
def rating_unverify(request, pk):
    """Undo a verification until the decision: the proposal is back to "Đã đề xuất"; the answer
    goes back to where it was clicked (the queue or the rating's page)."""
    rating = selectors.get_rating(request.scope, pk)
    form = UndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Phiếu không hợp lệ: tải lại trang rồi thử lại.")
        return redirect(rating)
    data = form.cleaned_data
    try:
        verification_services.rating_unverify(actor=request.user, rating=rating, expected_version=data["version"],
                                              reason=data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã bỏ thẩm định: {selectors.subject_name(rating)} trở về «Đã đề xuất», chờ thẩm định lại.")
    return redirect("appraisal:verify_queue", rating.period_id) if data["next"] == "queue" else redirect(rating)


@require_POST
@role_required(Role.STAFF)
def rating_adjust(request, pk):
    rating = selectors.get_rating(request.scope, pk)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Điều chỉnh điểm cần mã tiêu chí, điểm mới và lý do.")
        return redirect(rating)
    data = form.cleaned_data
    try:
        verification_services.score_adjust(actor=request.user, rating=rating, expected_version=data["version"], code=data["code"],
                             value=data["value"], reason=data["reason"])
    except ValidationError as exc:
        return refused(request, rating, exc)
    return done(request, rating, f"Đã điều chỉnh điểm tiêu chí {data['code']} và tính lại kết quả.")


@require_POST
@role_required(Role.STAFF)
def rating_return(request, pk):
    rating = selectors.get_rating(request.scope, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Trả lại đề xuất phải ghi rõ lý do.")
        return redirect(rating)
    try:
        verification_services.rating_return(actor=request.user, rating=rating, expected_version=posted_version(request),
                              reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return refused(request, rating, exc)
    return done(request, rating, "Đã trả lại đề xuất cho nơi đề xuất.")
