"""Figures that travel upward signed: a commune's final report exported as a package (signed PDF +
XLSX counts), imported by the committee above: verified, or refused with the reason [issue 15]."""
import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.models import Rating
from core.db_guard import maintenance
from orgs.models import PartyOrganization
from reports.models import ImportBatch, ImportedCount, ImportKind
from reports.results_import import run_import
from tests.reports.builders import Ratings, final_report, one_cell_commune, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(signing, client):
    """A commune's signed package, and the commune's own ratings gone (the committee above has its own database)."""
    root, cell, people = one_cell_commune("P", 10, name="Nà Hỳ", cell="Chi bộ thôn Nà Hỳ 1")
    r = Ratings()
    for i, m in enumerate(people):
        r.add(period(2025), "member_yearly", "HTXSNV" if i < 2 else "HTTNV" if i < 9 else "HTNV", member=m)
    r.save()
    _, staff = final_report(root, who="p", number="25", issued_on=dt.date(2026, 1, 10))
    client.force_login(staff)
    response = client.get(reverse("reports:year_end_file", args=[2025]) + f"?to_chuc={root.pk}&dinh_dang=goi")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with maintenance():
        Rating.objects.filter(member__cell=cell).delete()
    return content, staff


def _members(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


def _rezip(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_the_package_holds_the_signed_pdf_and_the_counts_the_import_reads(package):
    content, _ = package
    files = _members(content)
    assert sorted(files) == ["bao-cao-2025-P-XA.pdf", "so-lieu-2025-P-XA.xlsx"]
    sheet = load_workbook(io.BytesIO(files["so-lieu-2025-P-XA.xlsx"])).active
    rows = {r[3]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Đảng viên"][:3] == (2025, None, "P-XA") and rows["Đảng viên"][6:11] == (2, 7, 1, 0, 0)


def test_the_committee_above_imports_it_verified_and_its_rollup_says_so(package, client):
    content, staff = package
    outcome = run_import(content=content, kind=ImportKind.PACKAGE, file_name="goi.zip", actor=staff, commit=True)
    assert outcome.ok, outcome.problems
    batch = ImportBatch.objects.get()
    assert batch.kind == ImportKind.PACKAGE and batch.signature_note == "đã xác minh chữ ký (chứng thư thử nghiệm)"
    assert "Số 25-BC/ĐU ngày 10/01/2026, người ký Tạ Thị Dung" in batch.package_reference
    members_count = ImportedCount.objects.get(batch=batch, subject_type="member_yearly")
    assert (members_count.excellent, members_count.good, members_count.passing, members_count.failing) == (2, 7, 1, 0)
    text = client.get(reverse("reports:import")).content.decode()
    assert "Số liệu các đảng bộ gửi lên" in text and "đã xác minh chữ ký" in text and "Đảng bộ xã Nà Hỳ" in text


def test_a_package_whose_xlsx_was_edited_after_signing_is_refused_with_the_reason(package):
    content, staff = package
    files = _members(content)
    book = load_workbook(io.BytesIO(files["so-lieu-2025-P-XA.xlsx"]))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[3].value == "Đảng viên":
            row[7].value = 8  # HTTNV 7 → 8
    out = io.BytesIO()
    book.save(out)
    files["so-lieu-2025-P-XA.xlsx"] = out.getvalue()
    outcome = run_import(content=_rezip(files), kind=ImportKind.PACKAGE, file_name="goi.zip", actor=staff, commit=True)
    assert not outcome.ok
    (problem,) = outcome.problems
    assert "khác số liệu của báo cáo đã ký" in problem
    assert "Đảng viên: báo cáo đã ký HTXSNV 2, HTTNV 7" in problem and "tệp Excel HTXSNV 2, HTTNV 8" in problem
    assert not ImportBatch.objects.exists() and not ImportedCount.objects.exists()


def test_a_package_with_a_changed_pdf_is_refused(package):
    content, staff = package
    files = _members(content)
    pdf = bytearray(files["bao-cao-2025-P-XA.pdf"])
    pdf[len(pdf) // 3] ^= 0x01
    files["bao-cao-2025-P-XA.pdf"] = bytes(pdf)
    outcome = run_import(content=_rezip(files), kind=ImportKind.PACKAGE, file_name="goi.zip", actor=staff, commit=False)
    assert outcome.problems and "không còn nguyên vẹn" in outcome.problems[0]


def test_a_certificate_not_trusted_here_is_imported_saying_why_not_verified(package, settings):
    content, staff = package
    settings.SIGNING_TRUST_ROOTS = []
    outcome = run_import(content=content, kind=ImportKind.PACKAGE, file_name="goi.zip", actor=staff, commit=True)
    assert outcome.ok
    note = ImportBatch.objects.get().signature_note
    assert note.startswith("chưa xác minh: chứng thư") and "không thuộc danh sách tin cậy" in note


def test_the_final_reports_page_shows_its_code_and_offers_the_package(package, client):
    from core.models import IssuedDocument

    issued = IssuedDocument.objects.get(kind="year_end")
    root = PartyOrganization.objects.get(code="P-XA")
    text = client.get(reverse("reports:year_end", args=[2025]) + f"?to_chuc={root.pk}").content.decode()
    assert issued.code in text and "Tải gói số liệu gửi cấp trên" in text and "chứng thư thử nghiệm" in text
