"""Making a report final ("Ban hành") is refused, each reason named, while its text holds placeholders
or lacks a header line, or when the issue date is before a decision it counts or a date it cites;
a final report's PDF has none of them (issue 14)."""
import datetime as dt
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError

from appraisal.models import SubjectType
from core.models import AuditEntry, Role
from reports import services
from reports.checks import cited_dates, placeholders
from reports.data import report_scope
from reports.documents import new_report
from reports.models import Report, ReportStatus
from reports.narrative import PLACEHOLDER
from tests.factories import user_with_role
from tests.reports.builders import Ratings, complete_narrative, one_cell_commune, period


@pytest.mark.parametrize(("text", "found"), [
    ("Thực hiện Công văn số …-CV/TU, ngày …/…/… của Ban Thường vụ Tỉnh ủy", ["…-CV/TU, ngày …/…/…"]),
    ("Số ...-BC/ĐU", ["...-BC/ĐU"]),
    (f"Mục này: {PLACEHOLDER}", [PLACEHOLDER]),
    ("Quyết định số 50-QĐ/ĐU, ngày 20/12/2025.", []),
    ("ngày … tháng … năm ……", ["… tháng … năm ……"]),
])
def test_placeholders_are_found_and_quoted(text, found):
    assert placeholders(text) == found


@pytest.mark.parametrize(("text", "dates"), [
    ("Công văn số 1311-CV/TU, ngày 19/6/2026 của", [dt.date(2026, 6, 19)]),
    ("Bình Lư, ngày 24 tháng 6 năm 2026", [dt.date(2026, 6, 24)]),
    ("tỷ lệ 20/12/2025 và 31/2/2026", [dt.date(2025, 12, 20)]),  # 31/2 is no date
    ("năm 2025, quý I, II/2026", []),
])
def test_cited_dates_are_read(text, dates):
    assert [d for d, _ in cited_dates(text)] == dates


@pytest.fixture
def commune(db):
    root, _, people = one_cell_commune("K", 10, cell="Chi bộ thôn Nà Bó")
    root.letterhead_superior = "Đảng bộ tỉnh Lai Châu"
    root.save()
    r = Ratings()
    for i, m in enumerate(people):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTXSNV" if i < 2 else "HTTNV", number="50-QĐ/ĐU", member=m)
    r.save()  # decided on 20/12/2025
    return root


@pytest.fixture
def staff(db):
    return user_with_role(Role.STAFF, username="bxd")


def _draft(root, staff, narrative=None, **header) -> Report:
    report = new_report(report_scope(root), 2025)
    return services.report_save(actor=staff, report=report, header=header, narrative=narrative or {},
                                expected_version=None)


def _finalize(report, staff, day=dt.date(2026, 1, 15)):
    """Made final by the standing committee's signer (staff drafts: `staff` is kept for the call sites)."""
    signer = user_with_role(Role.STANDING, username=f"btv-{report.pk}")
    return services.report_finalize(actor=signer, report=report, number="12", issued_on=day, signer_name="Tạ Thị Dung",
                                    expected_version=report.version)


def test_a_default_draft_is_refused_naming_every_placeholder(commune, staff):
    """The opening's dots and each of the eighteen parts still to be written, each by its place and title."""
    report = _draft(commune, staff)
    with pytest.raises(ValidationError) as refused:
        _finalize(report, staff)
    messages = refused.value.messages
    assert "Chưa ban hành được — Đoạn mở đầu: còn chỗ trống «…-CV/TU, ngày …/…/…» chưa điền." in messages
    assert (f"Chưa ban hành được — Mục 3.4 phần I «Về trách nhiệm, thẩm quyền trong kiểm điểm»: còn «{PLACEHOLDER}» "
            "— hãy soạn nội dung hoặc bỏ mục này.") in messages
    assert f"Chưa ban hành được — Mục 2.1 phần II «Hạn chế»: còn «{PLACEHOLDER}» — hãy soạn nội dung hoặc bỏ mục này." in messages
    assert sum(PLACEHOLDER in m for m in messages) == 18 and len(messages) == 19
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.pdf
    assert not AuditEntry.objects.filter(action="report.finalize").exists()


def test_typed_dots_and_a_missing_place_are_named(commune, staff):
    narrative = complete_narrative()
    narrative["parts"]["II.4"] = {"text": "Bài học: phối hợp với ... các ban."}
    report = _draft(commune, staff, narrative, place="")
    with pytest.raises(ValidationError) as refused:
        _finalize(report, staff)
    assert refused.value.messages == [
        "Chưa ban hành được — Địa danh ở dòng ngày tháng: chưa nhập.",
        "Chưa ban hành được — Mục 4 phần II «Bài học kinh nghiệm»: còn chỗ trống «...» chưa điền.",
    ]


def test_an_issue_date_before_a_decision_the_report_counts_is_refused(commune, staff):
    report = _draft(commune, staff, complete_narrative())
    with pytest.raises(ValidationError) as refused:
        _finalize(report, staff, day=dt.date(2025, 12, 10))
    assert refused.value.messages == [
        "Chưa ban hành được — Ngày ban hành 10/12/2025 trước ngày 20/12/2025 của Quyết định số 50-QĐ/ĐU mà báo "
        "cáo tính số liệu."]


def test_an_issue_date_before_a_date_the_text_cites_is_refused(commune, staff):
    narrative = complete_narrative("Thực hiện Công văn số 1311-CV/TU, ngày 19/6/2026 của Ban Thường vụ Tỉnh ủy; "
                                   "Ban Thường vụ Đảng ủy xã báo cáo như sau:")
    report = _draft(commune, staff, narrative)
    with pytest.raises(ValidationError) as refused:
        _finalize(report, staff)
    assert refused.value.messages == [
        "Chưa ban hành được — Ngày ban hành 15/01/2026 trước ngày 19/6/2026 mà đoạn mở đầu dẫn («Công văn số "
        "1311-CV/TU, ngày 19/6/2026»)."]
    final = _finalize(report, staff, day=dt.date(2026, 6, 24))
    assert final.is_final


def _pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_a_final_report_pdf_has_the_superior_line_continuous_numbers_the_place_and_no_placeholder(commune, staff):
    """pdftotext of the stored PDF: ĐẢNG BỘ TỈNH LAI CHÂU above ĐẢNG ỦY XÃ BÌNH LƯ, "Bình Lư, ngày 15 tháng
    01 năm 2026", the headings numbered I, 1 … 6, II, 1 … 4, III without a gap, no dots, no placeholder."""
    narrative = complete_narrative()
    narrative["parts"]["I.4.2"] = {"removed": True}  # removed on purpose: 4.3 … 4.6 become 4.2 … 4.5
    report = _draft(commune, staff, narrative)
    final = _finalize(report, staff)
    text = _pdf_text(final.pdf.open("rb").read())
    flat = " ".join(text.split())
    assert flat.index("ĐẢNG BỘ TỈNH LAI CHÂU") < flat.index("ĐẢNG ỦY XÃ BÌNH LƯ")
    assert "Bình Lư, ngày 15 tháng 01 năm 2026" in flat and "Số 12-BC/ĐU" in flat
    assert "…" not in text and "..." not in text and PLACEHOLDER not in flat
    numbers = [m.group(1) for m in re.finditer(r"^((?:I|II|III)|\d+(?:\.\d+)?)\. \S", text, re.M)]
    assert numbers == ["I", "1", "2", "2.1", "2.2", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "4", "4.1", "4.2", "4.3",
                       "4.4", "4.5", "5", "6", "II", "1", "1.1", "1.2", "2", "2.1", "2.2", "3", "4", "III"]
