"""Deciding a batch of ratings with a numbered decision, and announcing it [002 §5.4–5.5; 003 C.IV.9]."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal import authority
from appraisal.models import (
    Decision,
    DecisionKind,
    LevelCode,
    OutcomeChange,
    Period,
    Rating,
    RatingStatus,
)
from appraisal.rules import (
    Level,
)
from appraisal.scoring.counts import rating_counts_refresh
from appraisal.scoring.dependents import refresh_with_dependents
from appraisal.scoring.quota import group_quotas
from appraisal.scoring.services import bump_versions
from appraisal.selectors import rating_name, standing_org
from core.audit import audit_entry, record_changes
from core.bulk import update_rows
from core.issued import documents_superseded_by_rerating
from core.scope import scope_for
from core.vntext import nfc
from orgs.selectors import committee_title

LEVEL_LABELS = dict(LevelCode.choices)


@transaction.atomic
def ratings_decide(
    *, actor, period: Period, levels: dict[int, str], versions: dict[int, int], number: str,
    decided_on: date, signer: str = "", signer_title: str = "",
) -> Decision:
    """Decide a batch: one numbered, dated decision of one authority [002 §5.4; 003 C.II.3.2].

    Refused, with the figures, when a level is above what the conditions allow (or the rating
    is held or incomplete), or when a peer group would get more HTXSNV than its quota.
    A batch of re-ratings is a re-rating decision (QĐ 01): each cancels the old level and
    records the new one; both stay in the history [003 C.IV.9]. The signer prints with the title
    given, else the one they hold on the deciding committee on that day (none if they hold none).
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
        name = rating_name(r)
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
    _check_quota(period, ratings, levels)
    first = ratings[0]
    authority_of = authority.decider(first)
    signer, signer_title = nfc(signer), nfc(signer_title).upper()
    if signer and not signer_title:
        signer_title = committee_title(authority_of.org or standing_org(first.scope_org), signer, decided_on)
    decision = Decision.objects.create(
        period=period, kind=DecisionKind.RERATING if first.supersedes_id else DecisionKind.RATING,
        number=number, decided_on=decided_on, authority=authority_of.label, authority_org=authority_of.org,
        signer=signer, signer_title=signer_title, decided_by=actor if actor.is_authenticated else None,
    )
    audit, superseded = [], []
    bump_versions([(r, versions.get(r.pk, -1)) for r in ratings], {r.pk: rating_name(r) for r in ratings})
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
        documents_superseded_by_rerating(  # their issued decisions and the year's report say so (/xac-minh/)
            year=period.year, decision_ids={o.decision_id for o, _ in superseded},
            note=f"xếp loại lại theo Quyết định số {number} ngày {decided_on:%d/%m/%Y}",
        )
        for r in ratings:  # a changed outcome the re-rating answers is settled by it
            if r.supersedes_id:
                OutcomeChange.objects.filter(rating_id=r.supersedes_id, resolved_by__isnull=True).update(resolved_by=r)
    update_rows(Rating, ratings, ("status", "approved_level", "decision", "decision_number", "decision_date", "is_live"))
    rating_counts_refresh([*ratings, *(o for o, _ in superseded)])
    record_changes([audit_entry(actor=actor, action="rating.decide", obj=o, changes=c) for o, c in audit])
    if superseded:
        record_changes([audit_entry(actor=actor, action="rating.superseded", obj=o, changes=c) for o, c in superseded])
    refresh_with_dependents(ratings)
    return decision


@transaction.atomic
def ratings_announce(*, actor, ratings: list[Rating]) -> int:
    """Announce decided results to the organisations and people concerned [002 §5.5]."""
    scope = scope_for(actor)
    not_ready = [r for r in ratings if r.status != RatingStatus.DECIDED or r.announced_at or not r.is_live]
    if not_ready:
        names = ", ".join(rating_name(r) for r in not_ready[:5])
        raise ValidationError(f"Không thông báo được (chưa có quyết định hoặc đã thông báo): {names}.")
    refused = [r for r in ratings if not authority.may_announce(scope, r)]
    if refused:
        names = ", ".join(rating_name(r) for r in refused[:5])
        raise PermissionDenied(f"Đồng chí không có quyền thông báo kết quả của: {names}.")
    now = timezone.now()
    Rating.objects.filter(pk__in=[r.pk for r in ratings]).update(announced_at=now)
    record_changes([
        audit_entry(actor=actor, action="rating.announce", obj=r, changes={"announced_at": now.date().isoformat()})
        for r in ratings
    ])
    return len(ratings)


def _check_quota(period: Period, ratings: list[Rating], levels: dict[int, str]) -> None:
    """Refuse a batch that would give a peer group more HTXSNV than its quota, naming the batch's
    HTXSNV rows of that group (the quota is the stored one's, worked out with the batch's levels
    put in: the whole group, its own framework) [002 §4.1; 003 C.IV.10–11]."""
    quotas = group_quotas(period.pk, {r.peer_group for r in ratings if r.peer_group}, levels=levels, decided_only=True)
    problems = []
    for key, quota in sorted(quotas.items(), key=lambda kv: kv[1].label):
        if quota.excellent <= quota.allowed:
            continue
        named = [rating_name(r) for r in ratings if r.peer_group == key and levels[r.pk] == LevelCode.EXCELLENT]
        problems.append(
            f"Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ [002 §4.1; 003 C.IV.10] — {quota.text()}; quyết định này sẽ "
            f"có {quota.excellent} Hoàn thành xuất sắc nhiệm vụ trong nhóm, quá {quota.excellent - quota.allowed}. "
            f"Đề xuất Hoàn thành xuất sắc nhiệm vụ trong quyết định: {', '.join(named)}."
        )
    if problems:
        raise ValidationError(problems)
