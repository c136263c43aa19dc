"""The companions' contents, built once for the pages, the command line and background jobs."""
from __future__ import annotations

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone

from appraisal.models import LevelCode, SubjectType
from vnformat import fmt_period

from . import build, charts
from .build import SECTION_LABELS
from .data import PeriodSet, ReportScope, load_facts, subject_rows
from .figures import LEVEL_FIELDS, LEVEL_LABELS
from .letterhead import (
    DEFAULT_RECIPIENTS,
    Closing,
    committee_closing,
    dateline,
    deployment_org,
    recipient_lines,
    scope_letterhead,
)
from .models import Report, ReportKind
from .pdf import html_to_pdf, print_html
from .xlsx import COUNT, Column, single_table_workbook, write_table


def multi_year_context(scope: ReportScope, last_year: int, count: int) -> dict:
    """The last `count` years up to `last_year`: one table (and chart) per subject type [001 §2.2];
    a subject type with nobody rated in those years gets neither."""
    years = list(range(last_year - count + 1, last_year + 1))
    facts = load_facts(scope, PeriodSet(years=tuple(years)), totals_only=True)
    tables = [
        (SECTION_LABELS[key], by_year, charts.year_columns(years, by_year, title=f"{SECTION_LABELS[key]} qua các năm"))
        for key, by_year in build.multi_year_tallies(facts, years).items()
        if any(by_year[y].rated for y in years)
    ]
    who = scope_letterhead(scope)
    return {"years": years, "tables": tables, "report_scope": scope, "who": who, "dateline": dateline(who.place),
            "levels": [(n, LEVEL_LABELS[n]) for n in LEVEL_FIELDS], "last": last_year, "count": count,
            "closing": scope_closing(scope)}


def scope_closing(scope: ReportScope) -> Closing:
    """Who signs a table of the scope: the signer and recipients of its latest year-end report,
    else its committee's secretary (two queries at most)."""
    report = (Report.objects.filter(kind=ReportKind.YEAR_END, organization=scope.organization)
              .exclude(signer_name="").order_by("-year").first())
    if report is not None:
        return Closing(recipient_lines(report.recipients) or DEFAULT_RECIPIENTS, report.signer_on_behalf,
                       report.signer_title, report.signer_name)
    org = scope.organization if scope.organization is not None else deployment_org(scope.communes)
    return committee_closing(org, timezone.localdate())


def multi_year_pdf(context: dict) -> bytes:
    markup = render_to_string("reports/_multi_year_document.html", context)
    return html_to_pdf(print_html(markup, title="Kết quả qua các năm"))


def multi_year_xlsx(context: dict) -> bytes:
    from openpyxl import Workbook

    years = context["years"]
    wb = Workbook()
    if context["tables"]:
        wb.remove(wb.active)
    else:
        wb.active.title = "Qua các năm"
        wb.active["A1"] = "Chưa có kết quả xếp loại trong các năm này."
    for label, by_year, _ in context["tables"]:
        ws = wb.create_sheet(label[:31])
        rows = [[i, LEVEL_LABELS[n], *[by_year[y].level(n) for y in years]] for i, n in enumerate(LEVEL_FIELDS, start=1)]
        total = ["", "Tổng số", *[by_year[y].rated for y in years]]
        write_table(ws, title=f"KẾT QUẢ XẾP LOẠI {label.upper()} QUA CÁC NĂM — {context['report_scope'].name.upper()}",
                    columns=(Column("STT", 6), Column("Tiêu chí", 40), *[Column(str(y), 10, COUNT) for y in years]),
                    rows=rows, total=total, landscape=False)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def summary_context(scope: ReportScope, *, year: int, quarter: int | None, subject_type: str) -> dict:
    """Each subject of a type rated in a period, with the three levels side by side (Mẫu 4, Phụ lục 13–14)."""
    if subject_type not in SubjectType.values:
        raise ValueError(f"Đối tượng «{subject_type}» không hợp lệ.")
    if (subject_type == SubjectType.LEADER_QUARTERLY) != bool(quarter):
        raise ValueError("Chỉ cán bộ lãnh đạo, quản lý được đánh giá theo quý.")
    rows = subject_rows(scope, year=year, quarter=quarter, subject_type=subject_type)
    who = scope_letterhead(scope)
    return {
        "rows": rows, "year": year, "quarter": quarter, "subject_type": subject_type,
        "subject_label": SubjectType(subject_type).label, "period": fmt_period(year, quarter),
        "report_scope": scope, "who": who, "dateline": dateline(who.place),
        "counts": {c: sum(1 for r in rows if r.approved_level == c) for c in LevelCode.values},
        "levels": [(c, LevelCode(c).label) for c in LevelCode.values],
    }


def level_label(code: str) -> str:
    return LevelCode(code).label if code in LevelCode.values else ""


def summary_key(scope: ReportScope, *, year: int, quarter: int | None, subject_type: str) -> tuple[str, str]:
    """What names one summary sheet among issued documents (core.issued): scope, period, subject type."""
    org = scope.organization.pk if scope.organization is not None else 0
    return "reports.SummarySheet", f"{org}/{year}/{quarter or 0}/{subject_type}"


def summary_pdf(context: dict, *, proof=None) -> bytes:
    markup = render_to_string("reports/_summary_document.html", context)
    return html_to_pdf(print_html(markup, title="Biểu tổng hợp", proof=proof))


def summary_xlsx(c: dict) -> bytes:
    rows = [
        [i, r.name, r.detail, float(r.score) if r.score is not None else None, level_label(r.self_level),
         level_label(r.proposed_level), level_label(r.approved_level), r.decision_number]
        for i, r in enumerate(c["rows"], start=1)
    ]
    columns = (Column("STT", 6), Column("Họ và tên / Tên", 30), Column("Chức vụ, nơi sinh hoạt, công tác", 40),
               Column("Điểm", 8, "0.00"), Column("Tự nhận mức", 22), Column("Đề xuất", 22), Column("Phê duyệt", 22),
               Column("Quyết định số", 16))
    return single_table_workbook(
        sheet="Biểu tổng hợp", title=f"BIỂU TỔNG HỢP KẾT QUẢ XẾP LOẠI {c['subject_label'].upper()} {c['period'].upper()}",
        subtitle=c["report_scope"].name, columns=columns, rows=rows)
