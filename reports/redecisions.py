"""Re-rating decisions (Mẫu QĐ 01) [003 C.IV.9]: cancel the old level, record the new one and why."""
from __future__ import annotations

from dataclasses import dataclass

from appraisal.models import LevelCode, SubjectType
from appraisal.selectors import subject_name
from members.models import Discipline
from vnformat import fmt_date

from .data import ReportScope, rerating_rows
from .letterhead import DECISION_RECIPIENTS, ON_BEHALF, Closing


@dataclass(frozen=True)
class ReratingDocument:
    subject: str
    period: str
    noun: str
    old_level: str
    old_decision: str
    new_level: str
    new_decision: str
    new_number: str
    new_date: object
    reason: str
    closing: Closing
    dateline: str = ""
    decision_id: int | None = None


def _level(code: str) -> str:
    return LevelCode(code).label if code in LevelCode.values else "chưa xếp loại"


def rerating_documents(scope: ReportScope, year: int) -> list[ReratingDocument]:
    """The re-ratings of a year's periods in the scope, with the discipline that caused each (2 queries)."""
    rows = list(rerating_rows(scope, up_to_year=year))
    member_ids = {r.member_id or (r.leader_position.member_id if r.leader_position_id else None) for r in rows} - {None}
    disciplines: dict[int, list[Discipline]] = {}
    for d in Discipline.objects.filter(member_id__in=member_ids, violation_on__year=year).order_by("decided_on"):
        disciplines.setdefault(d.member_id, []).append(d)
    out = []
    for r in rows:
        old = r.supersedes
        member_id = r.member_id or (r.leader_position.member_id if r.leader_position_id else None)
        found = disciplines.get(member_id, [])
        reason = ""
        if found:
            d = found[-1]
            reason = (f"bị kỷ luật {d.get_form_display().lower()} theo Quyết định số {d.decision_number or '…'} "
                      f"ngày {fmt_date(d.decided_on)} do vi phạm xảy ra trong năm {year}")
        out.append(ReratingDocument(
            subject=subject_name(r, formal=True), period=str(r.period), noun="đảng viên" if r.subject_type == SubjectType.MEMBER_YEARLY
            else "cán bộ" if r.leader_position_id else "tập thể",
            old_level=_level(old.approved_level), old_decision=f"{old.decision_number or '…'} ngày {fmt_date(old.decision_date)}",
            new_level=_level(r.approved_level), new_decision=f"{r.decision_number or '…'} ngày {fmt_date(r.decision_date)}",
            new_number=r.decision_number, new_date=r.decision_date, reason=reason,
            closing=Closing(DECISION_RECIPIENTS, ON_BEHALF, r.decision.signer_title if r.decision_id else "",
                            r.decision.signer if r.decision_id else ""),
            decision_id=r.decision_id,
        ))
    return out
