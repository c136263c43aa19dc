"""The decisions as documents: what a decision (Quyết định xếp loại) or a re-rating decision (Mẫu QĐ 01)
prints, for the pages, their PDF and their issuing (signed, reports.services.decision_issue)."""
from __future__ import annotations

from dataclasses import replace

from django.template.loader import render_to_string

from appraisal.models import Decision, DecisionKind, LevelCode, SubjectType
from core.scope import Scope
from orgs.models import PartyOrganization
from vnformat import fmt_period

from .data import DecisionEntry, ReportScope, decision_rows
from .letterhead import DECISION_RECIPIENTS, Closing, dateline, letterhead, scope_letterhead
from .pdf import html_to_pdf, print_html

SUBJECT_NOUNS = {
    SubjectType.MEMBER_YEARLY: "đảng viên",
    SubjectType.LEADER_YEARLY: "cán bộ lãnh đạo, quản lý",
    SubjectType.LEADER_QUARTERLY: "cán bộ lãnh đạo, quản lý",
    SubjectType.BASE_ORG_YEARLY: "tổ chức đảng",
    SubjectType.COMMITTEE_YEARLY: "tập thể cấp ủy",
    SubjectType.COLLECTIVE_YEARLY: "tập thể lãnh đạo, quản lý",
}


def on_behalf(authority: str) -> str:
    """ "T/M BAN THƯỜNG VỤ" for a decision of the standing committee, "T/M CHI BỘ" for a cell's."""
    for word in ("Ban Thường vụ", "Đảng ủy", "Chi ủy", "Chi bộ"):
        if word.lower() in authority.lower():
            return f"T/M {word.upper()}"
    return "T/M BAN THƯỜNG VỤ"


def decision_context(scope: ReportScope, match: DecisionEntry) -> dict:
    """What the decision's document prints: its list by subject type, its counts, header and signature."""
    pairs = decision_rows(scope, match.pk)
    types = list(dict.fromkeys(t for t, _ in pairs))
    groups = [(SUBJECT_NOUNS[t], [r for tt, r in pairs if tt == t]) for t in types]
    rows = [r for _, r in pairs]
    counts = [(LevelCode(c).label, sum(1 for r in rows if r.approved_level == c)) for c in LevelCode.values]
    noun = ", ".join(SUBJECT_NOUNS[t] for t in types) or "tập thể, cá nhân"
    who = scope_letterhead(scope)
    # A decision of a đảng ủy cơ sở or a chi ủy is headed by that committee, not by the commune's.
    deciding = PartyOrganization.objects.filter(pk=match.authority_org_id).first() if match.authority_org_id else None
    if deciding is not None:
        who = letterhead(deciding)
    return {
        "decision": match, "groups": groups, "rows": rows, "noun": noun, "counts": counts, "total": len(rows),
        "who": who, "dateline": dateline(who.place, match.decided_on),
        "closing": Closing(DECISION_RECIPIENTS, on_behalf(match.authority), match.signer_title, match.signer),
        "authority": who.issuer if deciding is not None else f"Ban Thường vụ {who.issuer}",
    }


def entry_of(decision: Decision) -> DecisionEntry:
    return DecisionEntry(decision.pk, decision.number, decision.decided_on, decision.authority, decision.signer,
                         decision.signer_title, decision.authority_org_id, 0)


def decision_pdf(scope: ReportScope, decision: Decision, *, proof=None) -> tuple[bytes, str]:
    """The decision's PDF (a re-rating decision as Mẫu QĐ 01) and the issuer it prints."""
    from .redecisions import rerating_documents

    if decision.kind == DecisionKind.RERATING:
        who = scope_letterhead(scope)
        docs = [replace(d, dateline=dateline(who.place, d.new_date))
                for d in rerating_documents(scope, decision.period.year) if d.decision_id == decision.pk]
        markup = render_to_string("reports/_rerating_document.html",
                                  {"docs": docs, "who": who, "year": decision.period.year})
        issuer = f"Ban Thường vụ {who.issuer}"
    else:
        context = decision_context(scope, entry_of(decision)) | {"period": _period_words(decision)}
        markup = render_to_string("reports/_decision_document.html", context)
        issuer = context["authority"]
    return html_to_pdf(print_html(markup, title=f"Quyết định {decision.number}", proof=proof)), issuer


def _period_words(decision: Decision) -> str:
    return fmt_period(decision.period.year, decision.period.quarter)


def may_issue_decisions(scope: Scope) -> bool:
    """The standing committee's signer issues and signs decisions (staff drafts them)."""
    from core.models import Role

    return scope.is_superuser or Role.STANDING in scope.wide_roles
