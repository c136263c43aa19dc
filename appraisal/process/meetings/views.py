"""Meetings and ballots: recording a meeting's tally, its minutes, the ballot form, a proposal."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from appraisal import authority, selectors
from appraisal.models import (
    LevelCode,
    Meeting,
    PeriodStatus,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.process.meetings import services as meeting_services
from appraisal.process.meetings.forms import MeetingForm, ProposeForm, VoidForm
from appraisal.process.web import rating_post
from core.forms import posted_int
from core.models import Role
from core.scope import role_required
from orgs.scope import get_visible_org, get_visible_unit, visible_units
from orgs.selectors import place_of

# ------------------------------------------------------------------------------ meetings


def _meeting_place(request):
    """The organisation (?to_chuc=) or unit (?don_vi=) holding the meeting, in the user's scope."""
    org_pk, unit_pk = request.GET.get("to_chuc"), request.GET.get("don_vi")
    if org_pk:
        return get_visible_org(request.scope, org_pk), None
    if unit_pk:
        return None, get_visible_unit(request.scope, unit_pk)
    raise Http404("Chưa chọn tổ chức đảng hoặc cơ quan, đơn vị họp.")  # pragma: no cover - the view asks first


def _votable(request, period, org, unit) -> tuple[list[Rating], list[str]]:
    """Ratings handed in and waiting for this meeting's vote, that the user may propose; and, for
    those that are the user's own (four eyes), why not and where they go."""
    qs = Rating.objects.filter(period=period, status=RatingStatus.SUBMITTED).filter(
        pk__in=selectors.period_ratings(request.scope, period).values("pk")
    )
    if org is not None:
        qs = qs.filter(scope_org__path__startswith=org.path)
    else:
        qs = qs.filter(scope_unit=unit)
    ratings = list(selectors.with_subject(qs).order_by("subject_type", "member__sort_key", "pk"))
    own = [f"{selectors.subject_name(r)}: {note}" for r in ratings
           if (note := authority.own_work_note(request.scope, r, authority.PROPOSE))]
    return [r for r in ratings if authority.may_propose(request.scope, r)], own


@role_required(*authority.PROPOSERS)
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
    ratings, own_notes = _votable(request, period, org, unit)
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
            meeting_services.VoteLine(line["rating"], *(posted_int(request.POST, f"{k}-{line['rating'].pk}") for k in "egpfl"))
            for line in chosen
        ]
        try:
            meeting = meeting_services.meeting_record(
                actor=request.user, period=period, organization=org, unit=unit, lines=vote_lines, **form.cleaned_data,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Đã ghi kết quả kiểm phiếu và đề xuất mức xếp loại cho {len(chosen)} đối tượng.")
            return redirect(meeting)
    return TemplateResponse(request, "appraisal/meeting_form.html", {
        "period": period, "org": org, "unit": unit, "form": form, "lines": lines, "errors": errors,
        "types": [(t, SubjectType(t).label) for t in types], "subject_type": subject_type, "own_notes": own_notes,
    }, status=400 if errors or form.errors else 200)


def _get_meeting(request, pk) -> Meeting:
    meeting = Meeting.objects.select_related(
        "period", "organization", "unit__party_organization", "recorded_by", "voided_by",
    ).filter(pk=pk).first()
    if meeting is None or not selectors.meetings(request.scope, meeting.period).filter(pk=pk).exists():
        raise Http404("Không tìm thấy hội nghị.")
    return meeting


@role_required(*authority.PROCESS_READERS)
def meeting_detail(request, pk):
    """The tally minutes (biên bản kiểm phiếu) of a meeting, print-ready: one line per subject,
    the ballot rule once above them, the place in the date line; voided minutes say so."""
    meeting = _get_meeting(request, pk)
    lines = list(meeting.lines.select_related(
        "rating__member", "rating__leader_position__member", "rating__organization", "rating__unit",
    ).order_by("pk"))
    notes: list[str] = []  # a note shared by rows (a tie at the cut-off) is written once, below the table
    for line in lines:
        line.name = selectors.subject_name(line.rating)
        note = selectors.ballot_line_note(line)
        if note and note not in notes:
            notes.append(note)
        line.note_number = notes.index(note) + 1 if note else None
    may_void = authority.may_void_meeting(request.scope, meeting)
    return TemplateResponse(request, "appraisal/meeting_minutes.html", {
        "meeting": meeting, "lines": lines, "notes": notes, "place": meeting.organization or meeting.unit,
        "dateline_place": place_of(meeting.organization or (meeting.unit.party_organization if meeting.unit else None)),
        "void_form": VoidForm() if may_void and meeting.period.status == PeriodStatus.OPEN else None,
    })


@require_POST
@role_required(*authority.PROPOSERS)
def meeting_void(request, pk):
    """Void a meeting's tally recorded wrongly (until verification), to record it again."""
    meeting = _get_meeting(request, pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Chưa hủy {meeting}: hãy ghi lý do hủy.")
        return redirect("appraisal:meeting_list", meeting.period_id)
    try:
        result = meeting_services.meeting_void(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, f"Chưa hủy {meeting}: " + " ".join(exc.messages))
        return redirect("appraisal:meeting_list", meeting.period_id)
    text = f"Đã hủy kết quả {meeting}: {len(result.reopened)} phiếu trở về «Đã gửi, chờ họp xét» để ghi lại kết quả hội nghị."
    if result.untouched:
        text += f" {len(result.untouched)} phiếu không do hội nghị này đề xuất nữa nên giữ nguyên."
    messages.success(request, text)
    return redirect("appraisal:meeting_list", meeting.period_id)


@role_required(*authority.PROPOSERS)
def ballot_form(request, pk, org_pk):
    """The ballot (Mẫu phiếu 02) for a cell's members, print-ready: one line per member, four levels."""
    period = selectors.get_period(pk)
    cell = get_visible_org(request.scope, org_pk)
    ratings = selectors.grid_ratings(period, cell)
    return TemplateResponse(request, "appraisal/ballot_form.html", {
        "period": period, "cell": cell, "ratings": ratings, "levels": LevelCode.choices,
        "root": selectors.root_of(cell),
    })


@role_required(*authority.PROCESS_READERS)
def meeting_list(request, pk):
    period = selectors.get_period(pk)
    return TemplateResponse(request, "appraisal/meeting_list.html", {
        "period": period, "meetings": selectors.meetings(request.scope, period).order_by("-held_on", "-pk"),
    })


# ------------------------------------------------------------------------------ proposal, verification


@require_POST
@role_required(Role.STAFF, Role.SECRETARY, Role.UNIT_LEADERSHIP)
def rating_propose(request, pk):
    return rating_post(request, pk, meeting_services.rating_propose, "Đã đề xuất mức xếp loại.",
                       form_class=ProposeForm, invalid="Chọn mức đề xuất và ghi căn cứ đề xuất.", fields=("level", "note"))
