"""Verification: the queue of proposals, a group verified at once, one rating verified, adjusted or returned."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from appraisal import authority, selectors
from appraisal.models import PeerGroupQuota, QuotaStatus, Rating, RatingStatus
from appraisal.process.verification import services as verification_services
from appraisal.process.verification.forms import (
    AdjustForm,
    NoteForm,
    ReasonForm,
    UndoForm,
    VerifyGroupForm,
)
from appraisal.process.web import done, posted_version, rating_post, refused
from appraisal.rules import Level
from core.models import Role
from core.scope import role_required

# ------------------------------------------------------------------------------ verification


@dataclass
class QueueGroup:
    """One peer group of the queue: its proposals and its stored quota."""

    key: str
    label: str
    ratings: list[Rating]
    quota: PeerGroupQuota | None

    @property
    def verifiable(self) -> int:
        """How many of the group's proposals the account may verify (not its own: `own_note`)."""
        return sum(1 for r in self.ratings if not r.own_note)

    @property
    def over(self) -> bool:
        return self.quota is not None and self.quota.status == QuotaStatus.OVER

    @property
    def needs_confirmation(self) -> bool:
        return self.quota is not None and self.quota.status != QuotaStatus.FINE


def _queue(request, period, *, confirm: str = "", form=None, status: int = 200):
    qs = selectors.visible_ratings(request.scope, Rating.objects.filter(period=period, status=RatingStatus.PROPOSED))
    ratings = list(selectors.with_subject(qs).order_by("peer_group_label", "peer_group", "scope_org__path", "pk"))
    quotas = selectors.quota_of(period, {r.peer_group for r in ratings})
    groups: dict[str, QueueGroup] = {}
    for r in ratings:
        r.subject_label = selectors.subject_name(r)
        r.own_note = authority.own_work(request.scope, r, authority.VERIFY)  # four eyes: someone else verifies
        r.above_conditions = bool(r.condition_level) and Level.from_code(r.proposed_level) > Level.from_code(r.condition_level)
        quota = quotas.get(r.peer_group)
        r.quota_place = next((p for p in (quota.places if quota else ()) if p["rating"] == r.pk), None)
        group = groups.setdefault(r.peer_group, QueueGroup(r.peer_group, r.peer_group_label, [], quota))
        group.ratings.append(r)
    return TemplateResponse(request, "appraisal/verify_queue.html", {
        "period": period, "groups": list(groups.values()), "count": len(ratings), "confirm": confirm,
        "confirm_note": form.cleaned_data.get("note", "") if form is not None and form.is_valid() else "",
        "verified": _verified(request, period),
    }, status=status)


@role_required(Role.STAFF)
def verify_queue(request, pk):
    """Proposals waiting for Ban Xây dựng Đảng, by peer group: each group's quota as stored (over
    by how many, ties at the cut-off), every condition that applied, and where each HTXSNV
    proposal stands in the quota."""
    return _queue(request, selectors.get_period(pk))


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
    the whole group with its name. A group over its quota (or tied at the cut-off) is verified
    only once the user has confirmed, having read why."""
    period = selectors.get_period(pk)
    form = VerifyGroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Danh sách phiếu của nhóm không hợp lệ.")
        return redirect("appraisal:verify_queue", period.pk)
    seen = form.cleaned_data["versions"]
    chosen = selectors.visible_ratings(request.scope, Rating.objects.filter(period=period, pk__in=seen))
    found = {r.pk: r for r in selectors.with_subject(chosen)}
    if len(found) != len(seen):
        messages.error(request, "Không tìm thấy một số phiếu của nhóm trong kỳ này: tải lại trang rồi thẩm định lại.")
        return redirect("appraisal:verify_queue", period.pk)
    keys = {r.peer_group for r in found.values()}
    unsettled = [q for q in selectors.quota_of(period, keys).values() if q.status != QuotaStatus.FINE]
    if unsettled and not form.cleaned_data["xac_nhan"]:
        return _queue(request, period, confirm=unsettled[0].peer_group, form=form, status=409)
    try:
        verified = verification_services.ratings_verify(
            actor=request.user, ratings=[(found[i], seen[i]) for i in seen], note=form.cleaned_data["note"],
        )
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
    quota = selectors.quota_of(rating.period, [rating.peer_group]).get(rating.peer_group)
    if quota is not None and quota.status != QuotaStatus.FINE:
        messages.error(request, f"Nhóm «{quota.label}» {quota.get_status_display().lower()} Hoàn thành xuất sắc nhiệm vụ: "
                                "thẩm định cả nhóm ở trang thẩm định, sau khi xác nhận.")
        return redirect("appraisal:verify_queue", rating.period_id)
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
    return rating_post(request, pk, verification_services.score_adjust,
                       "Đã điều chỉnh điểm tiêu chí {code} và tính lại kết quả.", form_class=AdjustForm,
                       invalid="Điều chỉnh điểm cần mã tiêu chí, điểm mới và lý do.", fields=("code", "value", "reason"))


@require_POST
@role_required(Role.STAFF)
def rating_return(request, pk):
    return rating_post(request, pk, verification_services.rating_return, "Đã trả lại đề xuất cho nơi đề xuất.",
                       form_class=ReasonForm, invalid="Trả lại đề xuất phải ghi rõ lý do.", fields=("reason",))
