"""The companions of the year-end report: multi-year tables, summary sheets, decisions.

Each page is HTML by default and the same document as PDF or XLSX with `dinh_dang=pdf|xlsx`.
"""
from __future__ import annotations

from dataclasses import replace

from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

from appraisal.models import LevelCode, SubjectType
from core.downloads import PDF, XLSX, file_download
from core.forms import query_int
from core.models import Role
from core.scope import role_required
from orgs.models import PartyOrganization

from . import companions, jobs_glue
from .data import decision_list, decision_rows, report_scope, years_with_results
from .letterhead import DECISION_RECIPIENTS, Closing, dateline, letterhead, scope_letterhead
from .pdf import html_to_pdf, print_html
from .xlsx import Column, single_table_workbook
from .year_end_views import _query, check_year, report_org

READERS = (Role.STAFF, Role.STANDING, Role.VIEWER)
LIST_READERS = (Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY)
MAX_YEARS = 15


def file_base(request) -> str:
    """This page's URL with its parameters except the format, ready for "dinh_dang=…"."""
    params = request.GET.copy()
    params.pop("dinh_dang", None)
    query = params.urlencode()
    return f"{request.path}?{query + '&' if query else ''}"


def _format(request) -> str:
    fmt = request.GET.get("dinh_dang", "html")
    if fmt not in ("html", "pdf", "xlsx"):
        raise Http404("Định dạng không hỗ trợ.")
    return fmt


# -- multi-year (seed 001 §2.2) -------------------------------------------------------------------

@role_required(*READERS)
def multi_year(request):
    """The four levels and the total by year, one table per subject type, last N years [001 §2.2]."""
    org = report_org(request)
    scope = report_scope(org)
    known = years_with_results(scope)
    last = query_int(request.GET, "den_nam", default=known[0] if known else timezone.localdate().year, lo=1990, hi=2100)
    count = query_int(request.GET, "so_nam", default=5, lo=1, hi=MAX_YEARS)
    context = companions.multi_year_context(scope, last, count)
    context.update({"org": org, "query": _query(org), "file_base": file_base(request)})
    years = context["years"]
    stem = f"ket-qua-{years[0]}-{years[-1]}"
    fmt = _format(request)
    if fmt == "xlsx":
        return file_download(companions.multi_year_xlsx(context), f"{stem}.xlsx", XLSX)
    if fmt == "pdf":
        return file_download(companions.multi_year_pdf(context), f"{stem}.pdf", PDF)
    return TemplateResponse(request, "reports/multi_year.html", context)


# -- summary sheet (biểu tổng hợp: Mẫu 4, Phụ lục 13–14) ------------------------------------------

SUBJECT_CHOICES = [(t.value, t.label) for t in SubjectType]


@role_required(*LIST_READERS)
def summary(request, year):
    """Per period and organisation: each subject with self-proposed, proposed and approved levels."""
    year = check_year(year)
    quarter = query_int(request.GET, "quy", default=None, lo=1, hi=4)
    subject_type = request.GET.get("doi_tuong") or (SubjectType.LEADER_QUARTERLY if quarter else SubjectType.MEMBER_YEARLY)
    org = report_org(request)
    try:
        context = companions.summary_context(report_scope(org), year=year, quarter=quarter, subject_type=subject_type)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    context.update({"org": org, "query": _query(org), "choices": SUBJECT_CHOICES, "file_base": file_base(request)})
    stem = f"bieu-tong-hop-{subject_type}-{year}" + (f"-q{quarter}" if quarter else "")
    fmt = _format(request)
    if fmt == "pdf" and jobs_glue.is_long(len(context["rows"])):
        return jobs_glue.start_document_job(
            request, kind="summary", title=f"Biểu tổng hợp {context['subject_label'].lower()} {context['period']} (PDF)",
            year=year, fmt="pdf", filename=f"{stem}.pdf", quarter=quarter, subject=subject_type,
            org_id=org.pk if org is not None else None,
        )
    if fmt == "xlsx":
        return file_download(companions.summary_xlsx(context), f"{stem}.xlsx", XLSX)
    if fmt == "pdf":
        return file_download(companions.summary_pdf(context), f"{stem}.pdf", PDF)
    return TemplateResponse(request, "reports/summary.html", context)


# -- decisions ------------------------------------------------------------------------------------

SUBJECT_NOUNS = {
    SubjectType.MEMBER_YEARLY: "đảng viên",
    SubjectType.LEADER_YEARLY: "cán bộ lãnh đạo, quản lý",
    SubjectType.LEADER_QUARTERLY: "cán bộ lãnh đạo, quản lý",
    SubjectType.BASE_ORG_YEARLY: "tổ chức đảng",
    SubjectType.COMMITTEE_YEARLY: "tập thể cấp ủy",
    SubjectType.COLLECTIVE_YEARLY: "tập thể lãnh đạo, quản lý",
}


def _on_behalf(authority: str) -> str:
    """ "T/M BAN THƯỜNG VỤ" for a decision of the standing committee, "T/M CHI BỘ" for a cell's."""
    for word in ("Ban Thường vụ", "Đảng ủy", "Chi ủy", "Chi bộ"):
        if word.lower() in authority.lower():
            return f"T/M {word.upper()}"
    return "T/M BAN THƯỜNG VỤ"


@role_required(*READERS)
def decision(request, year):
    """The decisions of a period; with `qd=` (a decision), the decision and its list (Quyết định xếp loại)."""
    year = check_year(year)
    quarter = query_int(request.GET, "quy", default=None, lo=1, hi=4)
    org = report_org(request)
    scope = report_scope(org)
    found = decision_list(scope, year=year, quarter=quarter)
    who = scope_letterhead(scope)
    context = {"year": year, "quarter": quarter, "decisions": found, "report_scope": scope, "org": org, "query": _query(org),
               "who": who, "period": f"quý {quarter}/{year}" if quarter else f"năm {year}", "file_base": file_base(request)}
    chosen = request.GET.get("qd")
    if not chosen:
        return TemplateResponse(request, "reports/decisions.html", context)
    match = next((d for d in found if str(d.pk) == chosen), None)
    if match is None:
        raise Http404("Không tìm thấy quyết định.")
    pairs = decision_rows(scope, match.pk)
    types = list(dict.fromkeys(t for t, _ in pairs))
    groups = [(SUBJECT_NOUNS[t], [r for tt, r in pairs if tt == t]) for t in types]
    rows = [r for _, r in pairs]
    counts = [(LevelCode(c).label, sum(1 for r in rows if r.approved_level == c)) for c in LevelCode.values]
    noun = ", ".join(SUBJECT_NOUNS[t] for t in types) or "tập thể, cá nhân"
    # A decision of a đảng ủy cơ sở or a chi ủy is headed by that committee, not by the commune's.
    deciding = PartyOrganization.objects.filter(pk=match.authority_org_id).first() if match.authority_org_id else None
    if deciding is not None:
        who = letterhead(deciding)
    context.update({
        "decision": match, "groups": groups, "rows": rows, "noun": noun, "counts": counts, "total": len(rows),
        "who": who, "dateline": dateline(who.place, match.decided_on),
        "closing": Closing(DECISION_RECIPIENTS, _on_behalf(match.authority), match.signer_title, match.signer),
        "authority": who.issuer if deciding is not None else f"Ban Thường vụ {who.issuer}",
    })
    fmt = _format(request)
    if fmt == "xlsx":
        columns = (Column("STT", 6), Column("Họ và tên / Tên", 30), Column("Chức vụ, nơi sinh hoạt, công tác", 44),
                   Column("Mức xếp loại", 28), Column("Ghi chú", 18))
        data = [[i, r.name, r.detail, companions.level_label(r.approved_level), r.status if r.status == "Đã xếp loại lại" else ""]
                for i, r in enumerate(rows, start=1)]
        content = single_table_workbook(sheet="Danh sách", title=f"DANH SÁCH KÈM THEO QUYẾT ĐỊNH SỐ {match.number}",
                                        subtitle=context["period"], columns=columns, rows=data, landscape=False)
        return file_download(content, f"quyet-dinh-{_safe(match.number)}.xlsx", XLSX)
    if fmt == "pdf":
        markup = render_to_string("reports/_decision_document.html", context)
        return file_download(html_to_pdf(print_html(markup, title=f"Quyết định {match.number}")), f"quyet-dinh-{_safe(match.number)}.pdf", PDF)
    return TemplateResponse(request, "reports/decision.html", context)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text)[:40] or "so"


@role_required(*READERS)
def rerating_decision(request, year):
    """The re-rating decisions of a year (Mẫu QĐ 01), one per re-rated subject [003 C.IV.9]."""
    from .redecisions import rerating_documents

    year = check_year(year)
    org = report_org(request)
    scope = report_scope(org)
    who = scope_letterhead(scope)
    docs = [replace(d, dateline=dateline(who.place, d.new_date)) for d in rerating_documents(scope, year)]
    context = {"year": year, "docs": docs, "report_scope": scope, "org": org, "query": _query(org), "who": who,
               "file_base": file_base(request)}
    fmt = _format(request)
    if fmt == "pdf":
        markup = render_to_string("reports/_rerating_document.html", context)
        return file_download(html_to_pdf(print_html(markup, title="Quyết định xếp loại lại")), f"quyet-dinh-xep-loai-lai-{year}.pdf", PDF)
    if fmt == "xlsx":
        columns = (Column("STT", 6), Column("Đối tượng", 34), Column("Kỳ", 12), Column("Mức cũ", 26),
                   Column("Quyết định cũ", 18), Column("Mức mới", 26), Column("Quyết định mới", 18), Column("Lý do", 40))
        data = [[i, d.subject, d.period, d.old_level, d.old_decision, d.new_level, d.new_decision, d.reason]
                for i, d in enumerate(docs, start=1)]
        return file_download(single_table_workbook(sheet="Xếp loại lại", title=f"XẾP LOẠI LẠI NĂM {year}",
                                                 columns=columns, rows=data), f"xep-loai-lai-{year}.xlsx", XLSX)
    return TemplateResponse(request, "reports/rerating.html", context)

