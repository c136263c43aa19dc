"""The demo issues last year's year-end report through the reporting services: written, made final,
signed with the demo's test certificate (made here if missing, labelled CHỨNG THƯ THỬ NGHIỆM), so
`render_report year_end --year <last> --final` writes the signed, stored PDF anyone can verify."""
from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from reports import services as report_services
from reports.compute import latest_counted_decision, year_end_figures
from reports.data import report_scope
from reports.documents import new_report
from reports.models import Report, ReportKind
from reports.narrative import numbered_parts

BASIS = ("Thực hiện Hướng dẫn số 19-HD/BTCTW của Ban Tổ chức Trung ương và Kế hoạch của Ban Thường vụ Đảng ủy "
         "xã, Ban Thường vụ Đảng ủy báo cáo kết quả kiểm điểm, đánh giá, xếp loại chất lượng như sau:")
TEXT = ("Ban Thường vụ Đảng ủy ban hành kế hoạch, hướng dẫn các chi bộ, đảng bộ cơ sở tổ chức kiểm điểm đúng "
        "quy định; các tổ chức đảng thực hiện nghiêm túc, đúng tiến độ (dữ liệu mẫu).")


def ensure_test_certificates(organization: str) -> None:
    """The demo's certificates, made once where the settings look for them (never over real ones)."""
    if not settings.SIGNING_PKCS12 or Path(settings.SIGNING_PKCS12).is_file():
        return
    call_command("make_test_certificates", out=Path(settings.SIGNING_PKCS12).parent, org=organization,
                 if_missing=True, stdout=StringIO())


def issue_last_year_report(*, actor, year: int, reference: date, signer: str) -> Report | None:
    """Write and make final the deployment's year-end report of `year` (once)."""
    if Report.objects.filter(kind=ReportKind.YEAR_END, organization=None, year=year).exists():
        return None
    scope = report_scope(None)
    narrative = {"basis": BASIS, "parts": {p.part.key: {"text": TEXT} for p in numbered_parts({}) if p.needs_text}}
    report = report_services.report_save(actor=actor, report=new_report(scope, year), header={},
                                         narrative=narrative, expected_version=None)
    figures = year_end_figures(scope, year, report.quarters, exclude_report=report)
    latest = latest_counted_decision(scope, report, figures)
    issued_on = min(reference, (latest.day if latest else date(year, 12, 31)) + timedelta(days=3))
    return report_services.report_finalize(
        actor=actor, report=report, number="25", issued_on=issued_on, signer_name=signer,
        expected_version=report.version, quota_seen=True,
    )
