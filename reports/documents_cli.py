"""Documents rendered outside a request (the command line, background jobs): kind → bytes."""
from __future__ import annotations

from appraisal.models import SubjectType

from . import companions
from .compute import year_end_figures
from .data import report_scope
from .documents import new_report, year_end_document
from .figures import from_json
from .models import Report, ReportKind
from .render import year_end_pdf
from .xlsx import year_end_workbook

KINDS = {
    "year_end": "báo cáo kết quả kiểm điểm, đánh giá, xếp loại cuối năm",
    "multi_year": "kết quả xếp loại qua các năm",
    "summary": "biểu tổng hợp kết quả xếp loại",
}


def _no_progress(done=None, total=None, step=None) -> None:
    return None


def render(kind: str, *, year: int, quarter: int | None = None, organization=None, subject: str | None = None,
           years: int = 5, fmt: str = "pdf", progress=_no_progress, draft: dict | None = None) -> bytes:
    """The document's bytes, as the page of the same kind would download it; `progress(done, total, step)` sees the steps.

    The year-end report is the saved draft of that organisation and year (header, parts, signer, quarters),
    else a new one; `draft` (DraftOptionsForm.changes()) replaces some of its values in the file, not in the draft.
    """
    progress(0, 3, "Đang tính số liệu")
    scope = report_scope(organization)
    if draft and kind != "year_end":
        raise ValueError("Các tùy chọn --quarters, --number, --date, --signer, --signer-title chỉ dùng cho year_end.")
    if kind == "year_end":
        report = Report.objects.filter(kind=ReportKind.YEAR_END, organization=organization, year=year).first()
        if report is None:
            report = new_report(scope, year)
        if draft and report.is_final:
            raise ValueError(f"{report} đã ban hành: tệp là bản đã ban hành, không thay được số, ngày, người ký hay các quý.")
        for name, value in (draft or {}).items():
            setattr(report, name, value)
        if report.is_final and fmt == "pdf" and report.pdf:
            with report.pdf.open("rb") as handle:
                return handle.read()
        figures = from_json(report.figures) if report.is_final else year_end_figures(scope, year, report.quarters,
                                                                                      exclude_report=report)
        progress(1, 3, "Đang tạo tệp")
        if fmt == "xlsx":
            return year_end_workbook(figures, reference=report.reference)
        return year_end_pdf(year_end_document(report, figures))
    if kind == "multi_year":
        context = companions.multi_year_context(scope, year, years)
        progress(1, 3, "Đang tạo tệp")
        return companions.multi_year_xlsx(context) if fmt == "xlsx" else companions.multi_year_pdf(context)
    if kind == "summary":
        subject_type = subject or (SubjectType.LEADER_QUARTERLY if quarter else SubjectType.MEMBER_YEARLY)
        context = companions.summary_context(scope, year=year, quarter=quarter, subject_type=subject_type)
        progress(1, 3, "Đang tạo tệp")
        return companions.summary_xlsx(context) if fmt == "xlsx" else companions.summary_pdf(context)
    raise ValueError(f"Không có loại văn bản «{kind}».")
