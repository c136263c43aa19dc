"""The companions of the year-end report: multi-year tables, summary sheets, decisions.

Each page is HTML by default and the same document as PDF or XLSX with `dinh_dang=pdf|xlsx`.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from appraisal import authority
from appraisal.models import Decision, DecisionKind, SubjectType
from core.downloads import PDF, XLSX, file_download
from core.forms import query_int
from core.issued import issued_for
from core.models import Role
from core.scope import role_required
from vnformat import fmt_period

from . import companions, jobs_glue, services
from .data import decision_list, report_scope, years_with_results
from .decision_docs import decision_context, decision_pdf
from .forms import SummaryIssueForm
from .letterhead import dateline, scope_letterhead
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
    issued = issued_for(companions.summary_key(context["report_scope"], year=year, quarter=quarter,
                                               subject_type=subject_type))
    if fmt == "pdf" and request.GET.get("ban_hanh"):  # the sheet as issued and signed
        if issued is None or not issued.file:
            raise Http404("Biểu tổng hợp này chưa ban hành.")
        with issued.file.open("rb") as handle:
            return file_download(handle.read(), f"{stem}-{issued.code}.pdf", PDF)
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
    context.update({"issued": issued, "may_issue": authority.may_draft_reports(request.scope),
                    "issue_form": SummaryIssueForm(initial={"nam": year, "quy": quarter, "doi_tuong": subject_type})})
    return TemplateResponse(request, "reports/summary.html", context)


@require_POST
@role_required(*authority.REPORT_DRAFTERS, check=authority.may_draft_reports)
def summary_issue(request):
    """Issue and sign the summary sheet named by the form (POST); back to the sheet's page."""
    org = report_org(request)
    form = SummaryIssueForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("reports:index"))
    data = form.cleaned_data
    try:
        issued = services.summary_issue(actor=request.user, organization=org, year=data["nam"], quarter=data["quy"],
                                        subject_type=data["doi_tuong"], signer_name=data["signer_name"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã ban hành, ký số biểu tổng hợp; mã xác minh {issued.code}.")
    params = {"doi_tuong": data["doi_tuong"], **({"quy": data["quy"]} if data["quy"] else {}),
              **({"to_chuc": org.pk} if org is not None else {})}
    return redirect(reverse("reports:summary", args=[data["nam"]]) + "?" + urlencode(params))


# -- decisions ------------------------------------------------------------------------------------

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
               "who": who, "period": fmt_period(year, quarter), "file_base": file_base(request)}
    chosen = request.GET.get("qd")
    if not chosen:
        return TemplateResponse(request, "reports/decisions.html", context)
    match = next((d for d in found if str(d.pk) == chosen), None)
    if match is None:
        raise Http404("Không tìm thấy quyết định.")
    context.update(decision_context(scope, match))
    rows = context["rows"]
    fmt = _format(request)
    if fmt == "xlsx":
        columns = (Column("STT", 6), Column("Họ và tên / Tên", 30), Column("Chức vụ, nơi sinh hoạt, công tác", 44),
                   Column("Mức xếp loại", 28), Column("Ghi chú", 18))
        data = [[i, r.name, r.detail, companions.level_label(r.approved_level), r.status if r.status == "Đã xếp loại lại" else ""]
                for i, r in enumerate(rows, start=1)]
        content = single_table_workbook(sheet="Danh sách", title=f"DANH SÁCH KÈM THEO QUYẾT ĐỊNH SỐ {match.number}",
                                        subtitle=context["period"], columns=columns, rows=data, landscape=False)
        return file_download(content, f"quyet-dinh-{_safe(match.number)}.xlsx", XLSX)
    issued = issued_for(Decision(pk=match.pk))
    if fmt == "pdf":
        if issued is not None and issued.file:  # the signed file, as issued
            with issued.file.open("rb") as handle:
                return file_download(handle.read(), f"quyet-dinh-{_safe(match.number)}.pdf", PDF)
        markup = render_to_string("reports/_decision_document.html", context)
        return file_download(html_to_pdf(print_html(markup, title=f"Quyết định {match.number}")), f"quyet-dinh-{_safe(match.number)}.pdf", PDF)
    context["issued"] = issued
    context["may_issue"] = authority.may_issue_decisions(request.scope)
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
    decisions = Decision.objects.filter(pk__in={d.decision_id for d in docs if d.decision_id}).order_by("decided_on", "pk")
    context["issuable"] = [{"decision": x, "issued": issued_for(x), "label": f"quyết định số {x.number}"} for x in decisions]
    context["may_issue"] = authority.may_issue_decisions(request.scope)
    return TemplateResponse(request, "reports/rerating.html", context)


@require_POST
@role_required(Role.STANDING)
def decision_issue(request, year, pk):
    """Issue and sign a decision (POST): its signed PDF is stored and verifiable at /xac-minh/."""
    year = check_year(year)
    org = report_org(request)
    decision = get_object_or_404(Decision, pk=pk)
    try:
        issued = services.decision_issue(actor=request.user, decision=decision, organization=org)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã ban hành, ký số {decision}; mã xác minh {issued.code}.")
    if decision.kind == DecisionKind.RERATING:
        return redirect(reverse("reports:rerating_decision", args=[year]) + _query(org))
    params = {"qd": decision.pk, **({"to_chuc": org.pk} if org is not None else {})}
    return redirect(reverse("reports:decision", args=[year]) + "?" + urlencode(params))


@role_required(*READERS)
def decision_file(request, year, pk):
    """A decision's PDF: the signed file once issued, else the document as it would be issued."""
    check_year(year)
    decision = get_object_or_404(Decision.objects.select_related("period"), pk=pk)
    issued = issued_for(decision)
    if issued is not None and issued.file:
        with issued.file.open("rb") as handle:
            content = handle.read()
    else:
        content, _ = decision_pdf(report_scope(report_org(request)), decision)
    return file_download(content, f"quyet-dinh-{_safe(decision.number)}.pdf", PDF)
