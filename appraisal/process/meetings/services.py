"""Meetings and their ballots, and proposals without a ballot [003 C.IV.11; 002 §5.3]."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal import authority
from appraisal.models import (
    BallotLine,
    LevelCode,
    Meeting,
    Period,
    Rating,
    RatingStatus,
)
from appraisal.process.periods.services import ensure_open
from appraisal.rules import (
    BallotTally,
    RatingInputError,
    SubjectVotes,
    count_ballots,
    validate_ballots,
)
from appraisal.scoring.dependents import refresh_with_dependents
from appraisal.scoring.loader import frameworks
from appraisal.scoring.services import bump_version, bump_versions
from appraisal.selectors import rating_name, with_subject
from core.audit import audit_entry, record_change, record_changes
from core.bulk import update_rows
from core.scope import scope_for
from core.validators import date_problem
from core.vntext import nfc

# ------------------------------------------------------------------------------ meetings


@dataclass
class VoteLine:
    """What the counting team wrote for one subject (valid ballots only) [003 C.IV.11]."""

    rating: Rating
    excellent: int = 0
    good: int = 0
    passing: int = 0
    fail: int = 0
    low_confidence: int = 0


@transaction.atomic
def meeting_record(
    *, actor, period: Period, held_on: date, chair: str, attendance_expected: int, attendance_present: int,
    ballots_issued: int, ballots_collected: int, ballots_valid: int, ballots_invalid: int,
    lines: list[VoteLine], organization=None, unit=None, place: str = "", clerk: str = "",
    counting_team: str = "", full_staff: bool = False, note: str = "",
) -> Meeting:
    """Record a meeting's ballots and propose each subject's level by the ballot rule.

    A level is reached with more than 50 % of the valid ballots for it or a higher level
    (votes for a higher level that fails cascade down); HTXSNV is then chosen from the most
    votes down to the quota; ties at the cut-off are left to the committee [003 C.IV.11].
    Each subject must have handed in its self-assessment; each becomes *proposed* with the
    ballot's level, and its low-confidence votes feed its conditions [003 C.II.2.4].
    """
    scope = scope_for(actor)
    ensure_open(period)
    problem = held_on_problem(period, held_on)
    if problem:
        raise ValidationError(problem)
    if not lines:
        raise ValidationError("Chưa có đối tượng nào trong kết quả kiểm phiếu.")
    if (organization is None) == (unit is None):
        raise ValidationError("Hội nghị phải của một tổ chức đảng hoặc một cơ quan, đơn vị.")
    errors = []
    for line in lines:
        r = line.rating
        if r.period_id != period.pk:
            errors.append(f"{rating_name(r)}: không thuộc kỳ đánh giá {period}.")
        elif not authority.may_propose(scope, r):
            own = authority.own_work(scope, r, authority.PROPOSE)
            if own and r.status == RatingStatus.SUBMITTED:
                raise PermissionDenied(f"{rating_name(r)}: {own}")
            if r.status != RatingStatus.SUBMITTED:
                errors.append(f"{rating_name(r)}: đang ở trạng thái «{r.get_status_display()}», chưa (hoặc không còn) chờ họp xét.")
            else:
                raise PermissionDenied(f"Đồng chí không có quyền đề xuất xếp loại cho {rating_name(r)}.")
        if line.low_confidence > ballots_valid:
            errors.append(f"{rating_name(r)}: số phiếu tín nhiệm thấp ({line.low_confidence}) vượt số phiếu hợp lệ ({ballots_valid}).")
    if attendance_present > attendance_expected:
        errors.append(f"Số có mặt ({attendance_present}) vượt số được triệu tập ({attendance_expected}).")
    if ballots_issued > attendance_present:
        errors.append(f"Số phiếu phát ra ({ballots_issued}) vượt số có mặt ({attendance_present}).")
    if len({line.rating.framework_id for line in lines}) > 1:
        errors.append("Một lần kiểm phiếu chỉ cho các đối tượng cùng một khung tiêu chí.")
    tally = BallotTally(issued=ballots_issued, collected=ballots_collected, valid=ballots_valid, invalid=ballots_invalid)
    votes = [SubjectVotes(line.rating.pk, line.excellent, line.good, line.passing, line.fail) for line in lines]
    errors.extend(_named(validate_ballots(tally, votes), lines))
    if errors:
        raise ValidationError(errors)
    spec = frameworks([lines[0].rating.framework_id])[lines[0].rating.framework_id].spec
    try:
        counted = count_ballots(tally, votes, spec.quota)
    except RatingInputError as exc:
        raise ValidationError(exc.messages) from exc
    meeting = Meeting.objects.create(
        period=period, organization=organization, unit=unit, held_on=held_on, place=nfc(place),
        chair=nfc(chair), clerk=nfc(clerk), counting_team=nfc(counting_team), full_staff=full_staff,
        attendance_expected=attendance_expected, attendance_present=attendance_present,
        ballots_issued=ballots_issued, ballots_collected=ballots_collected, ballots_valid=ballots_valid,
        ballots_invalid=ballots_invalid, note=nfc(note), recorded_by=actor if actor.is_authenticated else None,
    )
    reached = {item.subject_id: item for item in counted.reached}
    tie = counted.quota.tie
    rows, audit = [], []
    bump_versions([(line.rating, line.rating.version) for line in lines], {line.rating.pk: rating_name(line.rating) for line in lines})
    for line in lines:
        r = line.rating
        item = reached[r.pk]
        final = counted.quota.level_of(r.pk, item.level)
        steps = [step.text for step in item.steps] + [f"Kết quả: {item.level.label} {item.reason.source}"]
        for pushed in counted.quota.pushed_down:
            if pushed.subject_id == r.pk:
                steps.append(f"{pushed.reason.text} {pushed.reason.source}")
        if final is None:
            steps.append(tie.text + " " + tie.source)
            final = item.level
        rows.append(BallotLine(
            meeting=meeting, rating=r, excellent=line.excellent, good=line.good, passing=line.passing,
            fail=line.fail, low_confidence=line.low_confidence, reached_level=final.code, steps=steps,
        ))
        old = (r.status, r.proposed_level)
        r.status, r.proposed_level = RatingStatus.PROPOSED, final.code
        r.proposed_at, r.proposed_by = timezone.now(), actor if actor.is_authenticated else None
        r.proposal_note = "; ".join(steps)
        audit.append((r, {"status": (old[0], r.status), "proposed_level": (old[1], r.proposed_level),
                          "Hội nghị": f"ngày {held_on:%d/%m/%Y}", "Kết quả kiểm phiếu": "; ".join(steps)}))
    BallotLine.objects.bulk_create(rows)
    update_rows(Rating, [line.rating for line in lines], ("status", "proposed_level", "proposed_at", "proposed_by", "proposal_note"))
    record_change(actor=actor, action="meeting.record", obj=meeting, changes={
        "Số phiếu hợp lệ": ballots_valid, "Số đối tượng": len(lines),
    })
    record_changes([audit_entry(actor=actor, action="rating.propose", obj=o, changes=c) for o, c in audit])
    refresh_with_dependents([line.rating for line in lines])
    return meeting


def held_on_problem(period: Period, held_on: date | None) -> str | None:
    """Why a meeting cannot be recorded on `held_on`: a tally is written after the vote, never
    ahead of it, and not before the year the period rates."""
    if held_on is None:
        return "Chưa nhập ngày họp."
    return date_problem(
        held_on, "Ngày họp", earliest=date(period.year, 1, 1), latest=timezone.localdate(),
        earliest_why=f"trước năm {period.year} của kỳ đánh giá {period}",
        latest_why="sau ngày hôm nay: hội nghị chưa diễn ra thì chưa ghi kết quả kiểm phiếu được",
    )


@dataclass(frozen=True)
class VoidResult:
    """What voiding a meeting did: the ratings sent back to wait for a vote, those left as they were."""

    meeting: Meeting
    reopened: list[Rating]
    untouched: list[Rating]


def _proposed_by(line: BallotLine, rating: Rating, latest: dict[int, int]) -> bool:
    """Whether the rating's standing proposal is this ballot line's: its latest vote that counts,
    not replaced by a proposal made directly after the proposal was returned."""
    return (latest.get(rating.pk) == line.pk
            and rating.status in (RatingStatus.PROPOSED, RatingStatus.VERIFIED, RatingStatus.DECIDED)
            and rating.proposed_level == line.reached_level and rating.proposal_note == "; ".join(line.steps))


@transaction.atomic
def meeting_void(*, actor, meeting: Meeting, reason: str) -> VoidResult:
    """Void a meeting's tally recorded wrongly, so it can be recorded again [003 C.IV.11].

    Allowed until verification: the ratings it proposed go back to "submitted" (waiting for a
    vote) with their proposal cleared; the meeting and its lines are kept, marked void, and no
    longer count (its low-confidence votes included). Refused, changing nothing, when one of its
    proposals has been verified or decided since — undo the verification first.
    """
    scope = scope_for(actor)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("period", "organization", "unit").get(pk=meeting.pk)
    if meeting.voided_at is not None:
        raise ValidationError("Kết quả hội nghị này đã bị hủy trước đó.")
    if not authority.may_void_meeting(scope, meeting):
        raise PermissionDenied("Chỉ nơi ghi kết quả hội nghị (bí thư, tập thể lãnh đạo) hoặc Ban Xây dựng Đảng hủy được.")
    ensure_open(meeting.period)
    reason = nfc(reason)
    if not reason:
        raise ValidationError("Hủy kết quả hội nghị phải ghi rõ lý do (ghi sai số phiếu, nhầm đối tượng…).")
    lines = list(meeting.lines.order_by("pk"))
    ratings = {r.pk: r for r in with_subject(Rating.objects.filter(pk__in=[line.rating_id for line in lines]))}
    latest = dict(BallotLine.objects.filter(rating_id__in=ratings, meeting__voided_at__isnull=True)
                  .order_by("pk").values_list("rating_id", "pk"))  # the last line of each wins
    reopened, untouched, errors = [], [], []
    for line in lines:
        rating = ratings[line.rating_id]
        if not _proposed_by(line, rating, latest):
            untouched.append(rating)
        elif rating.status != RatingStatus.PROPOSED:
            errors.append(
                f"{rating_name(rating)}: đề xuất của hội nghị này đã «{rating.get_status_display()}»"
                + (": Ban Xây dựng Đảng bỏ thẩm định trước rồi mới hủy được." if rating.status == RatingStatus.VERIFIED
                   else ", không hủy được (chỉ xếp loại lại).")
            )
        else:
            reopened.append(rating)
    if errors:
        raise ValidationError(errors)
    bump_versions([(r, r.version) for r in reopened], {r.pk: rating_name(r) for r in reopened})
    audit = []
    for r in reopened:
        audit.append(audit_entry(actor=actor, action="meeting.void", obj=r, changes={
            "status": (r.status, RatingStatus.SUBMITTED.value), "proposed_level": (r.proposed_level, ""),
            "Hủy kết quả hội nghị": f"{meeting} — {reason}",
        }))
        r.status, r.proposed_level, r.proposed_at, r.proposal_note = RatingStatus.SUBMITTED, "", None, ""
        r.proposed_by = None
    update_rows(Rating, reopened, ("status", "proposed_level", "proposed_at", "proposed_by", "proposal_note"))
    meeting.voided_at, meeting.void_reason = timezone.now(), reason
    meeting.voided_by = actor if actor.is_authenticated else None
    meeting.save(update_fields=["voided_at", "void_reason", "voided_by"])
    record_change(actor=actor, action="meeting.void", obj=meeting, changes={
        "Lý do": reason, "Số phiếu trở về chờ họp xét": len(reopened),
    })
    record_changes(audit)
    # Its low-confidence votes no longer count; what depends on these levels waits again.
    refresh_with_dependents([ratings[line.rating_id] for line in lines])
    return VoidResult(meeting, reopened, untouched)


def _named(messages: list[str], lines: list[VoteLine]) -> list[str]:
    """The engine names subjects by id: put their names in its messages."""
    names = {f"«{line.rating.pk}»": f"«{rating_name(line.rating)}»" for line in lines}
    out = []
    for message in messages:
        for key, name in names.items():
            message = message.replace(key, name)
        out.append(message)
    return out


@transaction.atomic
def rating_propose(*, actor, rating: Rating, expected_version: int, level: str, note: str = "") -> Rating:
    """Propose a level without a ballot line (a re-rating, a collective's own vote recorded on paper)."""
    scope = scope_for(actor)
    if rating.supersedes_id is None:  # a re-rating comes after its period has closed
        ensure_open(rating.period)
    if not authority.may_propose(scope, rating):
        own = authority.own_work(scope, rating, authority.PROPOSE)
        if own and rating.status == RatingStatus.SUBMITTED:
            raise PermissionDenied(own)
        if rating.status != RatingStatus.SUBMITTED:
            raise ValidationError(f"Phiếu đang ở trạng thái «{rating.get_status_display()}», không đề xuất được.")
        raise PermissionDenied("Đồng chí không có quyền đề xuất mức xếp loại cho phiếu này.")
    if level not in LevelCode.values:
        raise ValidationError("Mức đề xuất không hợp lệ.")
    if not nfc(note):
        raise ValidationError("Hãy ghi căn cứ đề xuất (kết quả biểu quyết, nhận xét).")
    bump_version(rating, expected_version)
    old = (rating.status, rating.proposed_level)
    rating.status, rating.proposed_level = RatingStatus.PROPOSED, level
    rating.proposed_at, rating.proposal_note = timezone.now(), nfc(note)
    rating.proposed_by = actor if actor.is_authenticated else None
    rating.save(update_fields=["status", "proposed_level", "proposed_at", "proposed_by", "proposal_note"])
    record_change(actor=actor, action="rating.propose", obj=rating, changes={
        "status": (old[0], rating.status), "proposed_level": (old[1], level), "Căn cứ": nfc(note),
    })
    refresh_with_dependents([rating])
    return rating
