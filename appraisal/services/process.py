"""From the meeting to the decision: ballots, proposals, verification, quota, decision, announcement.

[DOMAIN §7–9; 002 §5.3–5.5; 003 C.II.3.2, C.IV.9–11]
Every action is keyword-only, atomic, permission-checked (`appraisal.authority`), audited and
versioned. A decision is refused when it would give a level above what the conditions allow,
or more HTXSNV in a peer group than its quota, with the figures. Once decided a level is
locked: nothing here edits it; a re-rating (`services.rerating`) replaces it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit_entry, record_change, record_changes
from core.bulk import update_rows
from core.scope import scope_for
from core.vntext import nfc

from .. import authority
from ..inputs import frameworks
from ..models import (
    BallotLine,
    CriterionScore,
    Decision,
    DecisionKind,
    LevelCode,
    Meeting,
    Period,
    PeriodStatus,
    Rating,
    RatingStatus,
    SubjectType,
)
from ..rules import (
    BallotTally,
    Level,
    QuotaArithmetic,
    RatingInputError,
    SubjectVotes,
    count_ballots,
    quota_arithmetic,
    score_qualitative,
    score_quantitative,
    validate_ballots,
)
from ..rules.vnformat import fmt_number
from ..scores import ValueError_, parse_value, stored_value
from . import outcome as outcomes
from .ratings import bump_version, bump_versions

LEVEL_LABELS = dict(LevelCode.choices)


def _open_period(period: Period) -> None:
    if period.status != PeriodStatus.OPEN:
        raise ValidationError(f"Kỳ đánh giá {period} không còn mở: không ghi thêm được.")


def _name(rating: Rating) -> str:
    from ..selectors import subject_name

    try:
        return subject_name(rating)
    except AttributeError:
        return f"Phiếu #{rating.pk}"


# ------------------------------------------------------------------------------ dependents


def dependents(ratings: list[Rating]) -> list[int]:
    """Ratings of the same period whose conditions read these ratings' levels [DOMAIN §6 "Order"]:
    the organisation of a member, the committee and parent of an organisation, the head of a
    collective and the organisation whose leadership it is, the year of a leader's quarter."""
    if not ratings:
        return []
    period_id = ratings[0].period_id
    # Gathered per kind, so the query has a fixed shape whatever the number of ratings.
    org_paths, org_ids, committee_orgs, units, quarter_leaders = set(), set(), set(), set(), defaultdict(set)
    for r in ratings:
        if r.subject_type == SubjectType.MEMBER_YEARLY and r.scope_org_id:
            org_paths.update(_ancestor_paths(r.scope_org.path))
        elif r.subject_type == SubjectType.BASE_ORG_YEARLY:
            committee_orgs.add(r.organization_id)
            if r.organization.parent_id:
                org_ids.add(r.organization.parent_id)
        elif r.subject_type == SubjectType.COLLECTIVE_YEARLY:
            units.add(r.unit_id)
            if r.unit.party_organization_id:
                org_ids.add(r.unit.party_organization_id)
        elif r.subject_type == SubjectType.LEADER_QUARTERLY:
            quarter_leaders[r.period.year].add(r.leader_position_id)
    same = Q(period_id=period_id)
    q = Q(pk__in=[])
    if org_paths:
        q |= same & Q(subject_type=SubjectType.BASE_ORG_YEARLY, organization__path__in=sorted(org_paths))
    if org_ids:
        q |= same & Q(subject_type=SubjectType.BASE_ORG_YEARLY, organization_id__in=sorted(org_ids))
    if committee_orgs:
        q |= same & Q(subject_type=SubjectType.COMMITTEE_YEARLY, organization_id__in=sorted(committee_orgs))
    if units:
        q |= same & Q(subject_type=SubjectType.LEADER_YEARLY, leader_position__unit_id__in=sorted(units))
    for year, positions in sorted(quarter_leaders.items()):
        q |= Q(period__year=year, period__kind="year", subject_type=SubjectType.LEADER_YEARLY,
               leader_position_id__in=sorted(positions))
    own = {r.pk for r in ratings}
    return [
        pk for pk in Rating.objects.filter(q, is_live=True).exclude(
            status__in=[RatingStatus.EXCLUDED, RatingStatus.DECIDED]
        ).values_list("pk", flat=True)
        if pk not in own
    ]


def _ancestor_paths(path: str) -> list[str]:
    parts = path.split(".")[:-1]
    return [".".join(parts[:n]) + "." for n in range(1, len(parts) + 1)]


def refresh_with_dependents(ratings: list[Rating]) -> None:
    """Store the outcome of the ratings, then of those that depend on them, two levels up."""
    outcomes.refresh([r.pk for r in ratings])
    layer = ratings
    for _ in range(3):
        ids = dependents(layer)
        if not ids:
            return
        outcomes.refresh(ids)
        layer = list(Rating.objects.filter(pk__in=ids).select_related("organization", "unit", "scope_org", "period"))


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
    _open_period(period)
    if not lines:
        raise ValidationError("Chưa có đối tượng nào trong kết quả kiểm phiếu.")
    if (organization is None) == (unit is None):
        raise ValidationError("Hội nghị phải của một tổ chức đảng hoặc một cơ quan, đơn vị.")
    errors = []
    for line in lines:
        r = line.rating
        if r.period_id != period.pk:
            errors.append(f"{_name(r)}: không thuộc kỳ đánh giá {period}.")
        elif not authority.may_propose(scope, r):
            if r.status != RatingStatus.SUBMITTED:
                errors.append(f"{_name(r)}: đang ở trạng thái «{r.get_status_display()}», chưa (hoặc không còn) chờ họp xét.")
            else:
                raise PermissionDenied(f"Đồng chí không có quyền đề xuất xếp loại cho {_name(r)}.")
        if line.low_confidence > ballots_valid:
            errors.append(f"{_name(r)}: số phiếu tín nhiệm thấp ({line.low_confidence}) vượt số phiếu hợp lệ ({ballots_valid}).")
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
    bump_versions([(line.rating, line.rating.version) for line in lines], {line.rating.pk: _name(line.rating) for line in lines})
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
        r.proposed_at = timezone.now()
        r.proposal_note = "; ".join(steps)
        audit.append((r, {"status": (old[0], r.status), "proposed_level": (old[1], r.proposed_level),
                          "Hội nghị": f"ngày {held_on:%d/%m/%Y}", "Kết quả kiểm phiếu": "; ".join(steps)}))
    BallotLine.objects.bulk_create(rows)
    update_rows(Rating, [line.rating for line in lines], ("status", "proposed_level", "proposed_at", "proposal_note"))
    record_change(actor=actor, action="meeting.record", obj=meeting, changes={
        "Số phiếu hợp lệ": ballots_valid, "Số đối tượng": len(lines),
    })
    record_changes([audit_entry(actor=actor, action="rating.propose", obj=o, changes=c) for o, c in audit])
    refresh_with_dependents([line.rating for line in lines])
    return meeting


def _named(messages: list[str], lines: list[VoteLine]) -> list[str]:
    """The engine names subjects by id: put their names in its messages."""
    names = {f"«{line.rating.pk}»": f"«{_name(line.rating)}»" for line in lines}
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
        _open_period(rating.period)
    if not authority.may_propose(scope, rating):
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
    rating.save(update_fields=["status", "proposed_level", "proposed_at", "proposal_note"])
    record_change(actor=actor, action="rating.propose", obj=rating, changes={
        "status": (old[0], rating.status), "proposed_level": (old[1], level), "Căn cứ": nfc(note),
    })
    refresh_with_dependents([rating])
    return rating


# ------------------------------------------------------------------------------ verification


@transaction.atomic
def score_adjust(*, actor, rating: Rating, expected_version: int, code: str, value: str, reason: str) -> Rating:
    """Ban Xây dựng Đảng changes one criterion's points in verification, with a written reason."""
    scope = scope_for(actor)
    if not authority.may_verify(scope, rating):
        if rating.status != RatingStatus.PROPOSED:
            raise ValidationError("Chỉ điều chỉnh điểm khi đề xuất đang chờ thẩm định.")
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng được điều chỉnh điểm khi thẩm định.")
    reason = nfc(reason)
    if not reason:
        raise ValidationError("Điều chỉnh điểm phải ghi rõ lý do.")
    data = frameworks([rating.framework_id])[rating.framework_id]
    criterion = next((c for c in data.leaves if c.code == code), None)
    if criterion is None:
        raise ValidationError(f"Tiêu chí «{code}» không có trong khung tiêu chí.")
    try:
        new = parse_value(value, criterion)
    except ValueError_ as exc:
        raise ValidationError(str(exc)) from exc
    if new.empty:
        raise ValidationError(f"Tiêu chí {code}: chưa nhập điểm mới.")
    criterion_id = next(pk for pk, c in data.codes.items() if c == code)
    score = CriterionScore.objects.filter(rating=rating, criterion_id=criterion_id).first()
    if score is None:
        raise ValidationError(f"Tiêu chí {code}: chưa có điểm để điều chỉnh.")
    old = stored_value(score.points, score.quality, score.achieved, score.plan)
    if old == new:
        raise ValidationError(f"Tiêu chí {code}: điểm mới giống điểm cũ.")
    bump_version(rating, expected_version)
    if score.adjusted_from is None:  # the first change keeps the points the proposer gave
        score.adjusted_from = _points_of(old, criterion)
    score.points = new.points
    score.quality = int(new.level) if new.level is not None else None
    score.achieved = score.plan = None
    score.adjustment_reason = reason
    score.save()
    record_change(actor=actor, action="rating.adjust", obj=rating, changes={
        f"Tiêu chí {code}": (old.text(), new.text()), "Lý do": reason,
    })
    refresh_with_dependents([rating])
    return rating


def _points_of(value, criterion) -> Decimal:
    """The points a stored value gives (the engine scores a level or achieved/plan)."""
    if value.points is not None:
        return value.points
    if value.level is not None:
        return score_qualitative(value.level, criterion.max_points)
    return score_quantitative(value.achieved, value.plan, criterion.max_points)


@transaction.atomic
def rating_verify(*, actor, rating: Rating, expected_version: int, note: str = "") -> Rating:
    """Ban Xây dựng Đảng has verified the proposal: conditions, scores, quota checked [002 §5; III.3.2]."""
    return ratings_verify(actor=actor, ratings=[(rating, expected_version)], note=note)[0]


@transaction.atomic
def ratings_verify(*, actor, ratings: list[tuple[Rating, int]], note: str = "") -> list[Rating]:
    """Verify proposals (one, or a queue's), all or nothing."""
    scope = scope_for(actor)
    for rating, _ in ratings:
        if not authority.may_verify(scope, rating):
            if rating.status != RatingStatus.PROPOSED:
                raise ValidationError(f"Phiếu đang ở trạng thái «{rating.get_status_display()}», không thẩm định được.")
            raise PermissionDenied("Chỉ Ban Xây dựng Đảng được thẩm định.")
    now, note = timezone.now(), nfc(note)
    user = actor if actor.is_authenticated else None
    bump_versions(ratings, {r.pk: _name(r) for r, _ in ratings})  # subjects loaded with the ratings
    for rating, _ in ratings:
        rating.status, rating.verified_at, rating.verified_by, rating.verification_note = (
            RatingStatus.VERIFIED, now, user, note)
    update_rows(Rating, [r for r, _ in ratings], ("status", "verified_at", "verified_by", "verification_note"))
    record_changes([
        audit_entry(actor=actor, action="rating.verify", obj=r, changes={
            "status": ("proposed", "verified"), **({"Ý kiến thẩm định": note} if note else {}),
        })
        for r, _ in ratings
    ])
    return [r for r, _ in ratings]


@transaction.atomic
def rating_return(*, actor, rating: Rating, expected_version: int, reason: str) -> Rating:
    """Send a proposal back to the proposer with the reason (it returns to "submitted")."""
    scope = scope_for(actor)
    if not authority.may_return(scope, rating):
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng trả lại đề xuất đang chờ thẩm định hoặc quyết định.")
    if not nfc(reason):
        raise ValidationError("Trả lại đề xuất phải ghi rõ lý do.")
    bump_version(rating, expected_version)
    old = rating.status
    rating.status = RatingStatus.SUBMITTED
    rating.verification_note = nfc(reason)
    rating.save(update_fields=["status", "verification_note"])
    record_change(actor=actor, action="rating.return", obj=rating, changes={"status": (old, rating.status), "Lý do": nfc(reason)})
    refresh_with_dependents([rating])
    return rating


# ------------------------------------------------------------------------------ quota and decision


@dataclass(frozen=True)
class QuotaCheck:
    """The quota of one peer group with a batch decided: the engine's arithmetic and the count."""

    label: str
    arithmetic: QuotaArithmetic
    excellent: int

    @property
    def allowed(self) -> int:
        return self.arithmetic.allowed

    @property
    def exceeded(self) -> bool:
        return self.excellent > self.allowed

    def text(self) -> str:
        return (
            f"{self.label}: {self.arithmetic.base_text}, {self.arithmetic.text}; "
            f"quyết định này sẽ có {self.excellent} Hoàn thành xuất sắc nhiệm vụ."
        )


def quota_checks(period: Period, levels: dict[int, str]) -> list[QuotaCheck]:
    """For each peer group of the ratings in `levels` (rating id → level to decide), the quota
    with those levels decided: decided levels count as decided, the rest as proposed."""
    batch = Rating.objects.filter(pk__in=levels).values_list("peer_group", flat=True).distinct()
    members = Rating.objects.filter(period=period, is_live=True, peer_group__in=list(batch)).exclude(
        status=RatingStatus.EXCLUDED
    ).values_list("pk", "peer_group", "peer_group_label", "framework_id", "status", "proposed_level", "approved_level")
    groups: dict[str, list] = defaultdict(list)
    labels, framework = {}, {}
    for pk, key, label, framework_id, status, proposed, approved in members:
        if pk in levels:
            level = levels[pk]
        elif status == RatingStatus.DECIDED:
            level = approved
        elif status in (RatingStatus.PROPOSED, RatingStatus.VERIFIED):
            level = proposed
        else:
            level = ""
        groups[key].append((pk, level, status == RatingStatus.DECIDED or pk in levels))
        labels[key], framework[key] = label, framework_id
    # A re-rating in the batch stands for the live rating it replaces.
    for new_pk, old_pk in Rating.objects.filter(pk__in=levels, supersedes__isnull=False).values_list("pk", "supersedes_id"):
        for rows in groups.values():
            for i, (pk, _level, _decided) in enumerate(rows):
                if pk == old_pk:
                    rows[i] = (old_pk, levels[new_pk], True)
    specs = frameworks(set(framework.values()))
    checks = []
    for key, rows in groups.items():
        settings = specs[framework[key]].spec.quota
        base = sum(1 for _, level, _ in rows if level and Level.from_code(level) >= settings.base_min_level)
        excellent = sum(1 for _, level, decided in rows if decided and level == LevelCode.EXCELLENT)
        checks.append(QuotaCheck(labels[key], quota_arithmetic(base, len(rows), settings), excellent))
    return checks


@transaction.atomic
def ratings_decide(
    *, actor, period: Period, levels: dict[int, str], versions: dict[int, int], number: str,
    decided_on: date, signer: str = "",
) -> Decision:
    """Decide a batch: one numbered, dated decision of one authority [002 §5.4; 003 C.II.3.2].

    Refused, with the figures, when a level is above what the conditions allow (or the rating
    is held or incomplete), or when a peer group would get more HTXSNV than its quota.
    A batch of re-ratings is a re-rating decision (QĐ 01): each cancels the old level and
    records the new one; both stay in the history [003 C.IV.9].
    """
    scope = scope_for(actor)
    number = nfc(number)
    if not number:
        raise ValidationError("Chưa nhập số quyết định.")
    if decided_on is None:
        raise ValidationError("Chưa nhập ngày quyết định.")
    if not levels:
        raise ValidationError("Chưa chọn kết quả nào để quyết định.")
    ratings = list(
        Rating.objects.select_for_update(of=("self",)).filter(pk__in=levels, period=period)
        .select_related("scope_org__parent", "leader_position", "member", "organization", "unit", "period",
                        "leader_position__member", "supersedes")
        .order_by("pk")
    )
    if len(ratings) != len(levels):
        raise ValidationError("Có kết quả xếp loại không thuộc kỳ đánh giá này.")
    errors = []
    authorities = set()
    reratings = {r.supersedes_id is not None for r in ratings}
    if len(reratings) > 1:
        errors.append("Không quyết định chung xếp loại lại với xếp loại lần đầu: hãy ra hai quyết định.")
    for r in ratings:
        name = _name(r)
        level = levels[r.pk]
        if level not in LevelCode.values:
            errors.append(f"{name}: mức xếp loại không hợp lệ.")
            continue
        if not authority.may_decide(scope, r):
            if r.status == RatingStatus.DECIDED:
                errors.append(f"{name}: đã có quyết định, không quyết định lại được (chỉ xếp loại lại).")
                continue
            if r.status not in (RatingStatus.PROPOSED, RatingStatus.VERIFIED) or (
                authority.needs_verification(r) and r.status != RatingStatus.VERIFIED
            ):
                errors.append(f"{name}: chưa đủ bước để quyết định (đang «{r.get_status_display()}»).")
                continue
            raise PermissionDenied(f"{name}: quyết định thuộc thẩm quyền của {authority.decider(r).label}.")
        authorities.add(authority.decider(r).label)
        if r.held or not r.condition_level:
            why = "; ".join(x["text"] for x in r.reasons if x.get("code") in ("held", "incomplete", "invalid"))
            errors.append(f"{name}: chưa xác định được mức theo tiêu chí và điều kiện ({why}).")
        elif Level.from_code(level) > Level.from_code(r.condition_level):
            caps = "; ".join(f"{x['text']} {x['source']}" for x in r.reasons[1:] if x.get("level")) or ""
            errors.append(
                f"{name}: mức {LEVEL_LABELS[level]} cao hơn mức tối đa theo tiêu chí và điều kiện "
                f"({LEVEL_LABELS[r.condition_level]}{': ' + caps if caps else ''})."
            )
    if len(authorities) > 1:
        errors.append("Một quyết định chỉ của một cấp có thẩm quyền: " + ", ".join(sorted(authorities)) + ".")
    if errors:
        raise ValidationError(errors)
    over = [check for check in quota_checks(period, levels) if check.exceeded]
    if over:
        raise ValidationError(
            ["Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ [002 §4.1; 003 C.IV.10]: " + check.text() for check in over]
        )
    first = ratings[0]
    authority_of = authority.decider(first)
    decision = Decision.objects.create(
        period=period, kind=DecisionKind.RERATING if first.supersedes_id else DecisionKind.RATING,
        number=number, decided_on=decided_on, authority=authority_of.label, authority_org=authority_of.org,
        signer=nfc(signer), decided_by=actor if actor.is_authenticated else None,
    )
    audit, superseded = [], []
    bump_versions([(r, versions.get(r.pk, -1)) for r in ratings], {r.pk: _name(r) for r in ratings})
    for r in ratings:
        old_status = r.status
        r.status, r.approved_level = RatingStatus.DECIDED, levels[r.pk]
        r.decision, r.decision_number, r.decision_date = decision, number, decided_on
        if r.supersedes_id:
            old = r.supersedes
            superseded.append((old, {"is_live": (True, False), "Xếp loại lại bằng": f"Quyết định số {number}",
                                     "approved_level": (old.approved_level, levels[r.pk])}))
            r.is_live = True
        audit.append((r, {"status": (old_status, r.status), "approved_level": ("", r.approved_level),
                          "proposed_level": r.proposed_level, "Quyết định": f"số {number} ngày {decided_on:%d/%m/%Y}"}))
    if superseded:  # the old ratings stop counting before the new ones go live (one live rating a subject)
        Rating.objects.filter(pk__in=[o.pk for o, _ in superseded]).update(is_live=False)
    update_rows(Rating, ratings, ("status", "approved_level", "decision", "decision_number", "decision_date", "is_live"))
    record_changes([audit_entry(actor=actor, action="rating.decide", obj=o, changes=c) for o, c in audit])
    if superseded:
        record_changes([audit_entry(actor=actor, action="rating.superseded", obj=o, changes=c) for o, c in superseded])
    refresh_with_dependents_after_decision(ratings)
    return decision


def refresh_with_dependents_after_decision(ratings: list[Rating]) -> None:
    """A decided rating keeps its stored outcome; the ratings that depend on it are refreshed."""
    layer = ratings
    for _ in range(3):
        ids = dependents(layer)
        if not ids:
            return
        outcomes.refresh(ids)
        layer = list(Rating.objects.filter(pk__in=ids).select_related("organization", "unit", "scope_org", "period"))


@transaction.atomic
def ratings_announce(*, actor, ratings: list[Rating]) -> int:
    """Announce decided results to the organisations and people concerned [002 §5.5]."""
    scope = scope_for(actor)
    not_ready = [r for r in ratings if r.status != RatingStatus.DECIDED or r.announced_at or not r.is_live]
    if not_ready:
        names = ", ".join(_name(r) for r in not_ready[:5])
        raise ValidationError(f"Không thông báo được (chưa có quyết định hoặc đã thông báo): {names}.")
    refused = [r for r in ratings if not authority.may_announce(scope, r)]
    if refused:
        names = ", ".join(_name(r) for r in refused[:5])
        raise PermissionDenied(f"Đồng chí không có quyền thông báo kết quả của: {names}.")
    now = timezone.now()
    Rating.objects.filter(pk__in=[r.pk for r in ratings]).update(announced_at=now)
    record_changes([
        audit_entry(actor=actor, action="rating.announce", obj=r, changes={"announced_at": now.date().isoformat()})
        for r in ratings
    ])
    return len(ratings)


def fmt_points(value) -> str:
    return fmt_number(value) if value is not None else "—"
