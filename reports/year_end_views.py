"""Pages of the year-end report: list, preview, edit the typed parts, make final, download.

Thin views: permission (role_required and the tree scope), a form, one service, a response.
Which organisation a report covers is the query parameter `to_chuc` (an organisation id);
without it, the whole deployment (for the roles that see it whole).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from appraisal import authority
from core.downloads import PDF, XLSX, file_download
from core.forms import query_int
from core.issued import issued_for
from core.models import Role
from core.scope import role_required
from core.views import call_service
from orgs.models import OrgKind, PartyOrganization
from orgs.scope import get_visible_org

from . import charts, jobs_glue, services
from .build import SECTION_LABELS, section_tallies
from .checks import finalize_problems
from .compute import latest_counted_decision, year_end_figures
from .data import PeriodSet, report_scope, undecided_count, years_with_results
from .documents import new_report, year_end_document
from .figures import from_json
from .forms import FinalizeForm, ReportForm
from .models import Report, ReportKind
from .package import package_export
from .render import year_end_markup, year_end_pdf
from .xlsx import year_end_workbook

READERS = (Role.STAFF, Role.STANDING, Role.VIEWER)
MIN_YEAR, MAX_YEAR = 1990, 2100


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("Năm không hợp lệ.")
    return year


def report_org(request) -> PartyOrganization | None:
    """The organisation of `?to_chuc=`, inside the user's scope (404 outside); None = the deployment.

    A user who does not see the whole deployment gets their own part of the tree by default.
    """
    raw = request.GET.get("to_chuc") or request.POST.get("to_chuc") or ""
    if raw:
        return get_visible_org(request.scope, raw)
    if request.scope.sees_everything:
        return None
    paths = request.scope.all_paths()
    if not paths:
        raise Http404("Tài khoản chưa được giao phạm vi tổ chức đảng.")
    return PartyOrganization.objects.get(path=sorted(paths)[0])


def stored_report(org: PartyOrganization | None, year: int) -> Report | None:
    return Report.objects.filter(kind=ReportKind.YEAR_END, organization=org, year=year).select_related("organization").first()


def _query(org) -> str:
    return f"?{urlencode({'to_chuc': org.pk})}" if org is not None else ""


def report_url(name: str, year: int, org) -> str:
    return reverse(f"reports:{name}", args=[year]) + _query(org)


def _figures(report: Report, scope):
    """What a report shows: what it printed once final, the data of now while a draft."""
    if report.is_final and report.figures:
        return from_json(report.figures)
    return year_end_figures(scope, report.year, report.quarters, exclude_report=report)


@role_required(*READERS)
def report_list(request):
    """Reports by year and organisation, and the way to open one (`?nam=` and `to_chuc=` open it)."""
    year = query_int(request.GET, "nam", default=None, lo=MIN_YEAR, hi=MAX_YEAR)
    if year is not None:
        return redirect(report_url("year_end", year, report_org(request)))
    scope_org = None if request.scope.sees_everything else report_org(request)
    reports = Report.objects.select_related("organization", "finalized_by").order_by("-year", "organization__path")
    if scope_org is not None:
        reports = reports.filter(organization__path__startswith=scope_org.path)
    orgs = PartyOrganization.objects.filter(kind=OrgKind.ROOT).order_by("path")
    if scope_org is not None:
        orgs = PartyOrganization.objects.filter(pk=scope_org.pk)
    this_year = timezone.localdate().year
    years = sorted(set(years_with_results(report_scope(scope_org))) | {this_year, this_year - 1}, reverse=True)
    return TemplateResponse(request, "reports/index.html", {
        "reports": reports, "orgs": orgs, "years": years, "sees_everything": request.scope.sees_everything,
        "can_write": authority.may_draft_reports(request.scope),
    })


def _year_report(request, year):
    """The year checked, the organisation asked for, its scope, and its stored report or a new draft."""
    year = check_year(year)
    org = report_org(request)
    scope = report_scope(org)
    return year, org, scope, stored_report(org, year) or new_report(scope, year)


@role_required(*READERS)
def year_end(request, year):
    """The report as it will print, with its figures, quota flags and what can be done next."""
    year, org, scope, report = _year_report(request, year)
    figures = _figures(report, scope)
    doc = year_end_document(report, figures)
    tallies = section_tallies(figures)
    undecided, problems, latest = 0, [], None
    if not report.is_final:
        quarters = tuple((q.year, q.quarter) for q in figures.quarters)
        undecided = undecided_count(scope, PeriodSet(years=(year,), quarters=quarters))
        problems = finalize_problems(report, issued_on=None, latest=None)
        latest = latest_counted_decision(scope, report, figures)
    return TemplateResponse(request, "reports/year_end.html", {
        "report": report, "doc": doc, "markup": year_end_markup(doc), "figures": figures, "org": org,
        "year": year, "query": _query(org), "can_write": authority.may_draft_reports(request.scope),
        "can_issue": authority.may_issue_reports(request.scope), "undecided": undecided,
        "problems": problems, "latest": latest, "issued": issued_for(report) if report.is_final else None,
        "chart": charts.level_bars([(SECTION_LABELS[k], t) for k, t in tallies.items()],
                                   title=f"Kết quả xếp loại năm {year}"),
        "finalize_form": FinalizeForm(initial={
            "version": report.version, "signer_name": report.signer_name, "issued_on": timezone.localdate(),
        }),
    })


@role_required(*authority.REPORT_DRAFTERS, check=authority.may_draft_reports)
def year_end_edit(request, year):
    """Edit the header, signer and typed parts of a draft (creating the draft on first save)."""
    year, org, _scope, report = _year_report(request, year)
    if report.is_final:
        messages.error(request, "Báo cáo đã ban hành nên không sửa được nữa.")
        return redirect(report_url("year_end", year, org))
    form = ReportForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.report_save, actor=request.user, report=report, header=form.header(),
                        narrative=form.narrative(), expected_version=form.cleaned_data.get("version")):
            messages.success(request, "Đã lưu dự thảo báo cáo.")
            return redirect(report_url("year_end", year, org))
    return TemplateResponse(request, "reports/year_end_edit.html", {
        "form": form, "report": report, "year": year, "org": org, "query": _query(org),
    })


@require_POST
@role_required(*authority.REPORT_ISSUERS, check=authority.may_issue_reports)
def year_end_finalize(request, year):
    """Make the draft final (POST): number, date, signer; figures and PDF stored as printed."""
    year = check_year(year)
    org = report_org(request)
    report = stored_report(org, year)
    if report is None:
        messages.error(request, "Hãy lưu dự thảo báo cáo trước khi ban hành.")
        return redirect(report_url("year_end_edit", year, org))
    form = FinalizeForm(request.POST)
    if form.is_valid():
        try:
            services.report_finalize(
                actor=request.user, report=report, number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"], signer_name=form.cleaned_data["signer_name"],
                expected_version=form.cleaned_data["version"], quota_seen=form.cleaned_data["quota_seen"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã ban hành báo cáo; số liệu và tệp PDF được lưu nguyên như đã in.")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(report_url("year_end", year, org))


@role_required(*READERS)
def year_end_file(request, year):
    """Download the report: `dinh_dang=pdf` (the stored file once final) or `dinh_dang=xlsx`."""
    year, org, scope, report = _year_report(request, year)
    fmt = request.GET.get("dinh_dang", "pdf")
    stem = f"bao-cao-{year}" + (f"-{org.code}" if org is not None else "")
    if fmt == "xlsx":
        content = year_end_workbook(_figures(report, scope), reference=report.reference)
        return file_download(content, f"{stem}.xlsx", XLSX)
    if fmt == "goi":  # the signed package for the committee above (reports.package)
        if not (report.is_final and report.pdf):
            raise Http404("Chỉ báo cáo đã ban hành mới có gói số liệu đã ký.")
        try:
            content = package_export(report)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
        return file_download(content, f"{stem}-so-{report.number}-goi-so-lieu.zip", "application/zip")
    if fmt != "pdf":
        raise Http404("Định dạng không hỗ trợ.")
    if report.is_final and report.pdf:
        with report.pdf.open("rb") as handle:
            return file_download(handle.read(), f"{stem}-so-{report.number}.pdf", PDF)
    if len(scope.communes) > 1:
        # A roll-up over several communes is long: rendered by the worker, its page shows the progress.
        return jobs_glue.start_document_job(
            request, kind="year_end", title=f"Báo cáo năm {year} — {scope.name} (PDF)", year=year, fmt="pdf",
            filename=f"{stem}-du-thao.pdf", org_id=org.pk if org is not None else None,
        )
    content = year_end_pdf(year_end_document(report, _figures(report, scope)))
    return file_download(content, f"{stem}-du-thao.pdf", PDF)
