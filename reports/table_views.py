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
from core.models import Role
from core.scope import role_required

from . import build, charts, jobs_glue
from .build import SECTION_LABELS
from .data import PeriodSet, decisions, load_facts, report_scope, subject_rows, years_with_results
from .documents import dateline, issuer_of
from .figures import LEVEL_FIELDS, LEVEL_LABELS
from .pdf import html_to_pdf, print_html
from .xlsx import COUNT, Column, single_table_workbook
from .year_end_views import PDF, XLSX, _attachment, _query, check_year, report_org

READERS = (Role.STAFF, Role.STANDING, Role.VIEWER)
LIST_READERS = (Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY)
MAX_YEARS = 15


def _int_param(request, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise Http404(f"Tham số {name} không hợp lệ.") from exc
    if not lo <= value <= hi:
        raise Http404(f"Tham số {name} không hợp lệ.")
    return value


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

def multi_year_tables(scope, last_year: int, count: int):
    """(years, [(section label, {year: Tally}, chart)]) for the last `count` years up to `last_year`."""
    years = list(range(last_year - count + 1, last_year + 1))
    facts = load_facts(scope, PeriodSet(years=tuple(years)))
    tables = build.multi_year_tallies(facts, years)
    return years, [
        (SECTION_LABELS[key], by_year, charts.year_columns(years, by_year, title=f"{SECTION_LABELS[key]} qua các năm"))
        for key, by_year in tables.items()
    ]


@role_required(*READERS)
def multi_year(request):
    """The four levels and the total by year, one table per subject type, last N years [001 §2.2]."""
    org = report_org(request)
    scope = report_scope(org)
    known = years_with_results(scope)
    last = _int_param(request, "den_nam", known[0] if known else timezone.localdate().year, 1990, 2100)
    count = _int_param(request, "so_nam", 5, 1, MAX_YEARS)
    years, tables = multi_year_tables(scope, last, count)
    fmt = _format(request)
    who = issuer_of(scope)
    context = {"years": years, "tables": tables, "scope": scope, "who": who, "org": org, "query": _query(org),
               "levels": [(n, LEVEL_LABELS[n]) for n in LEVEL_FIELDS], "last": last, "count": count,
               "dateline": dateline(who.place), "file_base": file_base(request)}
    stem = f"ket-qua-{years[0]}-{years[-1]}"
    if fmt == "xlsx":
        return _attachment(_multi_year_xlsx(years, tables, scope.name), XLSX, f"{stem}.xlsx")
    if fmt == "pdf":
        markup = render_to_string("reports/_multi_year_document.html", context)
        return _attachment(html_to_pdf(print_html(markup, title="Kết quả qua các năm")), PDF, f"{stem}.pdf")
    return TemplateResponse(request, "reports/multi_year.html", context)


def _multi_year_xlsx(years, tables, scope_name: str) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    from .xlsx import write_table

    wb = Workbook()
    wb.remove(wb.active)
    for label, by_year, _ in tables:
        ws = wb.create_sheet(label[:31])
        rows = [[i, LEVEL_LABELS[n], *[by_year[y].level(n) for y in years]] for i, n in enumerate(LEVEL_FIELDS, start=1)]
        total = ["", "Tổng số", *[by_year[y].rated for y in years]]
        write_table(ws, title=f"KẾT QUẢ XẾP LOẠI {label.upper()} QUA CÁC NĂM — {scope_name.upper()}",
                    columns=(Column("STT", 6), Column("Tiêu chí", 40), *[Column(str(y), 10, COUNT) for y in years]),
                    rows=rows, total=total, landscape=False)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# -- summary sheet (biểu tổng hợp: Mẫu 4, Phụ lục 13–14) ------------------------------------------

SUBJECT_CHOICES = [(t.value, t.label) for t in SubjectType]


def _subject_type(request, quarter) -> str:
    default = SubjectType.LEADER_QUARTERLY if quarter else SubjectType.MEMBER_YEARLY
    value = request.GET.get("doi_tuong") or default
    if value not in SubjectType.values:
        raise Http404("Đối tượng không hợp lệ.")
    if (value == SubjectType.LEADER_QUARTERLY) != bool(quarter):
        raise Http404("Chỉ cán bộ lãnh đạo, quản lý được đánh giá theo quý.")
    return value


def _level_label(code: str) -> str:
    return LevelCode(code).label if code in LevelCode.values else ""


def summary_context(request, year: int):
    quarter = _int_param(request, "quy", None, 1, 4)
    subject_type = _subject_type(request, quarter)
    org = report_org(request)
    scope = report_scope(org)
    rows = subject_rows(scope, year=year, quarter=quarter, subject_type=subject_type)
    period = f"quý {quarter}/{year}" if quarter else f"năm {year}"
    who = issuer_of(scope)
    counts = {code: sum(1 for r in rows if r.approved_level == code) for code in LevelCode.values}
    return {
        "rows": rows, "year": year, "quarter": quarter, "subject_type": subject_type,
        "subject_label": SubjectType(subject_type).label, "period": period, "scope": scope, "org": org, "who": who,
        "query": _query(org), "choices": SUBJECT_CHOICES, "counts": counts, "dateline": dateline(who.place),
        "levels": [(c, LevelCode(c).label) for c in LevelCode.values], "file_base": file_base(request),
    }


@role_required(*LIST_READERS)
def summary(request, year):
    """Per period and organisation: each subject with self-proposed, proposed and approved levels."""
    year = check_year(year)
    context = summary_context(request, year)
    fmt = _format(request)
    stem = f"bieu-tong-hop-{context['subject_type']}-{year}" + (f"-q{context['quarter']}" if context["quarter"] else "")
    if fmt == "xlsx":
        return _attachment(_summary_xlsx(context), XLSX, f"{stem}.xlsx")
    if fmt == "pdf":
        if jobs_glue.is_long(len(context["rows"])):
            return jobs_glue.start_pdf_job(request, kind="summary", year=year, params=request.GET.dict(),
                                           title=f"Biểu tổng hợp {context['period']}")
        return _attachment(summary_pdf(context), PDF, f"{stem}.pdf")
    return TemplateResponse(request, "reports/summary.html", context)


def summary_pdf(context) -> bytes:
    markup = render_to_string("reports/_summary_document.html", context)
    return html_to_pdf(print_html(markup, title="Biểu tổng hợp"))


def _summary_xlsx(c) -> bytes:
    rows = [
        [i, r.name, r.detail, float(r.score) if r.score is not None else None, _level_label(r.self_level),
         _level_label(r.proposed_level), _level_label(r.approved_level), r.decision_number]
        for i, r in enumerate(c["rows"], start=1)
    ]
    columns = (Column("STT", 6), Column("Họ và tên / Tên", 30), Column("Chức vụ, nơi sinh hoạt, công tác", 40),
               Column("Điểm", 8, "0.00"), Column("Tự nhận mức", 22), Column("Đề xuất", 22), Column("Phê duyệt", 22),
               Column("Quyết định số", 16))
    return single_table_workbook(
        sheet="Biểu tổng hợp", title=f"BIỂU TỔNG HỢP KẾT QUẢ XẾP LOẠI {c['subject_label'].upper()} {c['period'].upper()}",
        subtitle=c["scope"].name, columns=columns, rows=rows)


# -- decisions ------------------------------------------------------------------------------------

SUBJECT_NOUNS = {
    SubjectType.MEMBER_YEARLY: "đảng viên",
    SubjectType.LEADER_YEARLY: "cán bộ lãnh đạo, quản lý",
    SubjectType.LEADER_QUARTERLY: "cán bộ lãnh đạo, quản lý",
    SubjectType.BASE_ORG_YEARLY: "tổ chức đảng",
    SubjectType.COMMITTEE_YEARLY: "tập thể cấp ủy",
    SubjectType.COLLECTIVE_YEARLY: "tập thể lãnh đạo, quản lý",
}


@role_required(*READERS)
def decision(request, year):
    """The decisions of a period; with `so=` and `doi_tuong=`, the decision and its list (Quyết định xếp loại)."""
    year = check_year(year)
    quarter = _int_param(request, "quy", None, 1, 4)
    org = report_org(request)
    scope = report_scope(org)
    found = decisions(scope, year=year, quarter=quarter)
    number = request.GET.get("so")
    who = issuer_of(scope)
    context = {"year": year, "quarter": quarter, "decisions": found, "scope": scope, "org": org, "query": _query(org),
               "who": who, "period": f"quý {quarter}/{year}" if quarter else f"năm {year}", "file_base": file_base(request)}
    if number is None:
        return TemplateResponse(request, "reports/decisions.html", context)
    subject_type = request.GET.get("doi_tuong", "")
    match = next((d for d in found if d.number == number and d.subject_type == subject_type), None)
    if match is None:
        raise Http404("Không tìm thấy quyết định.")
    rows = subject_rows(scope, year=year, quarter=quarter, subject_type=subject_type, decided_only=True,
                        decision_number=number)
    counts = [(LevelCode(c).label, sum(1 for r in rows if r.approved_level == c)) for c in LevelCode.values]
    context.update({
        "decision": match, "rows": rows, "noun": SUBJECT_NOUNS[subject_type], "counts": counts,
        "dateline": dateline(who.place, match.date), "total": len(rows),
    })
    fmt = _format(request)
    if fmt == "xlsx":
        columns = (Column("STT", 6), Column("Họ và tên / Tên", 30), Column("Chức vụ, nơi sinh hoạt, công tác", 44),
                   Column("Mức xếp loại", 28))
        data = [[i, r.name, r.detail, _level_label(r.approved_level)] for i, r in enumerate(rows, start=1)]
        content = single_table_workbook(sheet="Danh sách", title=f"DANH SÁCH KÈM THEO QUYẾT ĐỊNH SỐ {number}",
                                        subtitle=context["period"], columns=columns, rows=data, landscape=False)
        return _attachment(content, XLSX, f"quyet-dinh-{_safe(number)}.xlsx")
    if fmt == "pdf":
        markup = render_to_string("reports/_decision_document.html", context)
        return _attachment(html_to_pdf(print_html(markup, title=f"Quyết định {number}")), PDF,
                           f"quyet-dinh-{_safe(number)}.pdf")
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
    who = issuer_of(scope)
    docs = [replace(d, dateline=dateline(who.place, d.new_date)) for d in rerating_documents(scope, year)]
    context = {"year": year, "docs": docs, "scope": scope, "org": org, "query": _query(org), "who": who,
               "file_base": file_base(request)}
    fmt = _format(request)
    if fmt == "pdf":
        markup = render_to_string("reports/_rerating_document.html", context)
        return _attachment(html_to_pdf(print_html(markup, title="Quyết định xếp loại lại")), PDF,
                           f"quyet-dinh-xep-loai-lai-{year}.pdf")
    if fmt == "xlsx":
        columns = (Column("STT", 6), Column("Đối tượng", 34), Column("Kỳ", 12), Column("Mức cũ", 26),
                   Column("Quyết định cũ", 18), Column("Mức mới", 26), Column("Quyết định mới", 18), Column("Lý do", 40))
        data = [[i, d.subject, d.period, d.old_level, d.old_decision, d.new_level, d.new_decision, d.reason]
                for i, d in enumerate(docs, start=1)]
        return _attachment(single_table_workbook(sheet="Xếp loại lại", title=f"XẾP LOẠI LẠI NĂM {year}",
                                                 columns=columns, rows=data), XLSX, f"xep-loai-lai-{year}.xlsx")
    return TemplateResponse(request, "reports/rerating.html", context)

