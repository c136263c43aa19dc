"""Meetings and ballots, verification, the quota, the decision, announcement and complaints."""
from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.models import Role
from core.scope import role_required
from orgs.scope import get_visible_org, get_visible_unit, visible_units

from . import authority, selectors
from .forms_rating import ComplaintResolveForm, DecisionForm, MeetingForm
from .inputs import frameworks
from .models import (
    Complaint,
    ComplaintStatus,
    Decision,
    LevelCode,
    Meeting,
    Rating,
    RatingStatus,
    SubjectType,
)
from .rules import Level, QuotaCandidate, apply_quota
from .services import process, rerating

PROPOSERS = (Role.STAFF, Role.SECRETARY, Role.UNIT_LEADERSHIP)
READERS = (Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY, Role.UNIT_LEADERSHIP)
LEVELS = dict(LevelCode.choices)


def _int(raw, default=0) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


# ------------------------------------------------------------------------------ meetings


def _meeting_place(request):
    """The organisation (?to_chuc=) or unit (?don_vi=) holding the meeting, in the user's scope."""
    org_pk, unit_pk = request.GET.get("to_chuc"), request.GET.get("don_vi")
    if org_pk:
        return get_visible_org(request.scope, org_pk), None
    if unit_pk:
        return None, get_visible_unit(request.scope, unit_pk)
    raise Http404("Chưa chọn tổ chức đảng hoặc cơ quan, đơn vị họp.")  # pragma: no cover - the view asks first


def _votable(request, period, org, unit) -> list[Rating]:
    """Ratings handed in and waiting for this meeting's vote, that the user may propose."""
    qs = Rating.objects.filter(period=period, status=RatingStatus.SUBMITTED).filter(
        pk__in=selectors.period_ratings(request.scope, period).values("pk")
    )
    if org is not None:
        qs = qs.filter(scope_org__path__startswith=org.path)
    else:
        qs = qs.filter(scope_unit=unit)
    ratings = list(selectors.with_subject(qs).order_by("subject_type", "member__sort_key", "pk"))
    return [r for r in ratings if authority.may_propose(request.scope, r)]


@role_required(*PROPOSERS)
def meeting_create(request, pk):
    """Record a meeting's ballots: attendance, ballots issued / valid / invalid, votes per subject
    and level, low-confidence votes; each subject is proposed by the ballot rule [003 C.IV.11]."""
    period = selectors.get_period(pk)
    if not request.GET.get("to_chuc") and not request.GET.get("don_vi"):
        return TemplateResponse(request, "appraisal/meeting_choose.html", {
            "period": period, "cells": selectors.grid_cells(request.scope, period),
            "units": visible_units(request.scope).filter(is_active=True).order_by("name"),
            "orgs": selectors.proposing_orgs(request.scope, period),
        })
    org, unit = _meeting_place(request)
    ratings = _votable(request, period, org, unit)
    types = sorted({r.subject_type for r in ratings})
    subject_type = request.GET.get("doi_tuong") or (types[0] if types else "")
    ratings = [r for r in ratings if r.subject_type == subject_type]
    form = MeetingForm(request.POST or None, initial={"chair": "", "attendance_expected": len(ratings)})
    lines = []
    for r in ratings:
        lines.append({
            "rating": r, "name": selectors.subject_name(r),
            "included": request.method != "POST" or request.POST.get(f"c-{r.pk}") == "1",
            "votes": [(k, request.POST.get(f"{k}-{r.pk}", "0") if request.method == "POST" else "0")
                      for k in ("e", "g", "p", "f", "l")],
        })
    errors = []
    if request.method == "POST" and form.is_valid():
        chosen = [line for line in lines if line["included"]]
        vote_lines = [
            process.VoteLine(line["rating"], *(_int(request.POST.get(f"{k}-{line['rating'].pk}"), -1) for k in "egpfl"))
            for line in chosen
        ]
        try:
            meeting = process.meeting_record(
                actor=request.user, period=period, organization=org, unit=unit, lines=vote_lines, **form.cleaned_data,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Đã ghi kết quả kiểm phiếu và đề xuất mức xếp loại cho {len(chosen)} đối tượng.")
            return redirect(meeting)
    return TemplateResponse(request, "appraisal/meeting_form.html", {
        "period": period, "org": org, "unit": unit, "form": form, "lines": lines, "errors": errors,
        "types": [(t, SubjectType(t).label) for t in types], "subject_type": subject_type,
    }, status=400 if errors or form.errors else 200)


def _get_meeting(request, pk) -> Meeting:
    meeting = Meeting.objects.select_related("period", "organization", "unit", "recorded_by").filter(pk=pk).first()
    if meeting is None or not selectors.meetings(request.scope, meeting.period).filter(pk=pk).exists():
        raise Http404("Không tìm thấy hội nghị.")
    return meeting


@role_required(*READERS)
def meeting_detail(request, pk):
    """The tally minutes (biên bản kiểm phiếu) of a meeting, print-ready."""
    meeting = _get_meeting(request, pk)
    lines = list(meeting.lines.select_related(
        "rating__member", "rating__leader_position__member", "rating__organization", "rating__unit",
    ).order_by("pk"))
    for line in lines:
        line.name = selectors.subject_name(line.rating)
    return TemplateResponse(request, "appraisal/meeting_minutes.html", {
        "meeting": meeting, "lines": lines, "place": meeting.organization or meeting.unit,
    })


@role_required(*PROPOSERS)
def ballot_form(request, pk, org_pk):
    """The ballot (Mẫu phiếu 02) for a cell's members, print-ready: one line per member, four levels."""
    period = selectors.get_period(pk)
    cell = get_visible_org(request.scope, org_pk)
    ratings = selectors.grid_ratings(period, cell)
    return TemplateResponse(request, "appraisal/ballot_form.html", {
        "period": period, "cell": cell, "ratings": ratings, "levels": LevelCode.choices,
        "root": selectors.root_of(cell),
    })


@role_required(*READERS)
def meeting_list(request, pk):
    period = selectors.get_period(pk)
    return TemplateResponse(request, "appraisal/meeting_list.html", {
        "period": period, "meetings": selectors.meetings(request.scope, period).order_by("-held_on", "-pk"),
    })


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
    })


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
        verified = process.ratings_verify(actor=request.user, ratings=[(found[i], seen[i]) for i in seen],
                                          note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "Chưa thẩm định phiếu nào của nhóm: " + " ".join(exc.messages))
        return redirect("appraisal:verify_queue", period.pk)
    messages.success(request, f"Đã thẩm định {len(verified)} đề xuất.")
    return redirect("appraisal:verify_queue", period.pk)


# ------------------------------------------------------------------------------ quota


def _best_level(r: Rating) -> Level | None:
    code = r.approved_level if r.status == RatingStatus.DECIDED else (r.proposed_level or r.condition_level)
    return Level.from_code(code) if code else None


@role_required(Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY)
def quota(request, pk):
    """Each peer group's HTXSNV quota: ranked candidates, the number allowed and how, the
    cut-off, ties flagged for the committee — as the engine works them out [DOMAIN §7]."""
    period = selectors.get_period(pk)
    subject_type = request.GET.get("doi_tuong", "")
    if subject_type not in SubjectType.values:
        subject_type = ""
    groups = selectors.peer_groups(request.scope, period, subject_type=subject_type)
    all_ratings = [r for g in groups for r in g.ratings]
    ballots = selectors.latest_ballots(all_ratings)
    quarters = selectors.quarters_proposed_excellent(period, all_ratings)
    fws = frameworks({r.framework_id for r in all_ratings})
    shown = []
    for group in groups:
        candidates, by_id, unknown = [], {}, 0
        for r in group.ratings:
            level = _best_level(r)
            by_id[r.pk] = r
            r.subject_label = selectors.subject_name(r)
            if level is None:
                unknown += 1
                continue
            line = ballots.get(r.pk)
            candidates.append(QuotaCandidate(
                r.pk, level, score=r.total_score or 0, votes=line.excellent if line else 0,
                excellent_quarters=quarters.get(r.pk, 0),
            ))
        settings = fws[group.ratings[0].framework_id].spec.quota
        outcome = apply_quota(candidates, settings, by_quarters=group.ratings[0].subject_type == SubjectType.LEADER_YEARLY)
        places = [(place, by_id[place.subject_id]) for place in outcome.places]
        shown.append({"group": group, "outcome": outcome, "places": places, "unknown": unknown,
                      "size": len(group.ratings)})
    return TemplateResponse(request, "appraisal/quota.html", {
        "period": period, "groups": shown, "subject_types": SubjectType.choices, "subject_type": subject_type,
    })


# ------------------------------------------------------------------------------ decision


@role_required(Role.STANDING, Role.SECRETARY)
def decide(request, pk):
    """Decide a batch with a number and a date: the ratings the user's committee decides,
    each level at most what the conditions allow, the quota checked [002 §5.4]."""
    period = selectors.get_period(pk)
    scope = request.scope
    qs = Rating.objects.filter(period=period, status__in=[RatingStatus.PROPOSED, RatingStatus.VERIFIED])
    qs = selectors.visible_ratings(scope, qs)
    peer_group = request.GET.get("nhom", "")
    if peer_group:
        qs = qs.filter(peer_group=peer_group)
    ratings = [r for r in selectors.with_subject(qs).order_by("peer_group", "scope_org__path", "pk")
               if authority.may_decide(scope, r)]
    form = DecisionForm(request.POST or None)
    rows = []
    for r in ratings:
        r.subject_label = selectors.subject_name(r)
        default = r.proposed_level
        if r.condition_level and default and Level.from_code(default) > Level.from_code(r.condition_level):
            default = r.condition_level
        rows.append({
            "rating": r,
            "checked": request.method != "POST" or request.POST.get(f"c-{r.pk}") == "1",
            "level": request.POST.get(f"m-{r.pk}", default) if request.method == "POST" else default,
        })
    errors = []
    if request.method == "POST" and form.is_valid():
        chosen = [row for row in rows if row["checked"]]
        try:
            decision = process.ratings_decide(
                actor=request.user, period=period,
                levels={row["rating"].pk: row["level"] for row in chosen},
                versions={row["rating"].pk: _int(request.POST.get(f"v-{row['rating'].pk}"), -1) for row in chosen},
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors = exc.messages
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            messages.success(request, f"Đã ghi {decision}: {len(chosen)} kết quả xếp loại.")
            return redirect("appraisal:decision_detail", decision.pk)
    return TemplateResponse(request, "appraisal/decide.html", {
        "period": period, "rows": rows, "form": form, "errors": errors, "levels": LevelCode.choices,
        "groups": sorted({(r.peer_group, r.peer_group_label) for r in ratings}, key=lambda g: g[1]),
        "peer_group": peer_group,
    }, status=400 if errors else 200)


@role_required(*READERS)
def decision_detail(request, pk):
    decision = Decision.objects.select_related("period", "decided_by").filter(pk=pk).first()
    if decision is None:
        raise Http404("Không tìm thấy quyết định.")
    ratings = list(selectors.with_subject(selectors.visible_ratings(request.scope, decision.ratings.all())).order_by("pk"))
    for r in ratings:
        r.subject_label = selectors.subject_name(r)
    return TemplateResponse(request, "appraisal/decision_detail.html", {
        "decision": decision, "ratings": ratings,
        "can_announce": any(authority.may_announce(request.scope, r) for r in ratings),
    })


@require_POST
@role_required(Role.STAFF, Role.STANDING, Role.SECRETARY)
def decision_announce(request, pk):
    """Announce the results of a decision to the organisations and people concerned [002 §5.5]."""
    decision = Decision.objects.filter(pk=pk).first()
    if decision is None:
        raise Http404("Không tìm thấy quyết định.")
    ratings = [r for r in selectors.with_subject(selectors.visible_ratings(request.scope, decision.ratings.all()))
               if authority.may_announce(request.scope, r)]
    try:
        count = process.ratings_announce(actor=request.user, ratings=ratings)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã thông báo {count} kết quả xếp loại.")
    return redirect("appraisal:decision_detail", decision.pk)


# ------------------------------------------------------------------------------ complaints


@role_required(Role.STAFF)
def complaints(request):
    qs = Complaint.objects.select_related("rating__period").order_by("status", "-received_on", "-pk")
    items = list(qs[:500])
    ratings = {r.pk: r for r in selectors.with_subject(Rating.objects.filter(pk__in=[c.rating_id for c in items]))}
    for c in items:
        c.subject_label = selectors.subject_name(ratings[c.rating_id])
    return TemplateResponse(request, "appraisal/complaints.html", {"complaints": items})


@role_required(Role.STAFF)
def complaint_resolve(request, pk):
    complaint = Complaint.objects.select_related("rating").filter(pk=pk).first()
    if complaint is None:
        raise Http404("Không tìm thấy khiếu nại.")
    form = ComplaintResolveForm(request.POST or None)
    if complaint.status != ComplaintStatus.OPEN:
        form = None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            rerating.complaint_resolve(actor=request.user, complaint=complaint, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã ghi kết quả giải quyết khiếu nại.")
            if form.cleaned_data["status"] == ComplaintStatus.UPHELD:
                messages.info(request, "Khiếu nại có cơ sở: mở việc xếp loại lại từ trang kết quả xếp loại.")
            return redirect(reverse("appraisal:complaints"))
    return TemplateResponse(request, "appraisal/complaint_resolve.html", {
        "complaint": complaint, "form": form, "rating": complaint.rating,
    })
