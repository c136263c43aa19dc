"""The report pages: the flow preview → edit → make final → download, the formats, background jobs
for long documents, and a number of queries that does not grow with the members. (Who may open
each URL is pinned in tests/permissions/urls_reports.py and walked by tests/permissions/test_matrix.py.)"""
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.models import SubjectType
from core.models import Role
from orgs.models import OrgKind
from reports.models import Report
from tests.factories import user_with_role
from tests.orgs.scenario import build_scenario
from tests.reports.builders import Ratings, complete_narrative, members, org, period

pytestmark = pytest.mark.django_db

def test_a_secretary_gets_404_for_another_cells_forms(tree, client):
    """Guessing another cell's ballot or another member's self-assessment gives 404."""
    scenario = build_scenario(tree)
    client.force_login(scenario.users["secretary"])
    assert client.get(reverse("reports:ballot", args=[tree["cell_b"].pk, 2026])).status_code == 404
    assert client.get(reverse("reports:self_assessment", args=[scenario.member_b.pk, 2026])).status_code == 404


def commune_with(n_members: int, code: str = "Q"):
    root = org(f"{code}-XA", f"Đảng bộ xã {code}", OrgKind.ROOT)
    cells = [org(f"{code}-C{i}", f"Chi bộ thôn {i}", OrgKind.ROOT_CELL, root) for i in range(3)]
    r = Ratings()
    for i, m in enumerate(members(cells, n_members, code)):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTXSNV" if i % 6 == 0 else "HTTNV", member=m)
    r.save()
    return root


@pytest.fixture
def staff_client(client):
    from core.models import Role
    from tests.factories import user_with_role

    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    return client


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_preview_page_takes_the_same_queries_for_10_and_60_members(staff_client):
    """The year-end preview of a commune of 10 members and of one of 60 take the same number of queries."""
    small = commune_with(10, "S")
    large = commune_with(60, "L")
    url = reverse("reports:year_end", args=[2025])
    assert _queries(staff_client, f"{url}?to_chuc={small.pk}") == _queries(staff_client, f"{url}?to_chuc={large.pk}")


def test_the_summary_sheet_takes_the_same_queries_for_10_and_60_members(staff_client):
    """The summary sheet lists each member; its queries do not grow with them."""
    small = commune_with(10, "S")
    large = commune_with(60, "L")
    url = reverse("reports:summary", args=[2025])
    assert _queries(staff_client, f"{url}?to_chuc={small.pk}") == _queries(staff_client, f"{url}?to_chuc={large.pk}")


def test_edit_then_make_final_then_download_the_stored_pdf(staff_client):
    """Staff save the draft's parts, make it final, and download exactly the stored PDF; editing is then closed."""
    root = commune_with(10)
    query = f"?to_chuc={root.pk}"
    edit = reverse("reports:year_end_edit", args=[2025]) + query
    page = staff_client.get(edit)
    form = page.context["form"]
    data = {name: field.value() or "" for name, field in ((n, form[n]) for n in form.fields)}
    data.update({"signer_name": "Tạ Thị Dung", "text_III": "Đề nghị tăng cường tập huấn.",
                 "basis": complete_narrative()["basis"]})
    data.update({f"text_{key.replace('.', '_')}": entry["text"] for key, entry in complete_narrative()["parts"].items()})
    data = {k: v for k, v in data.items() if v is not False}  # an unticked box is not sent
    response = staff_client.post(edit, data)
    assert response.status_code == 302
    report = Report.objects.get(organization=root, year=2025)
    issue = {"number": "07", "issued_on": "20/01/2026", "signer_name": "Tạ Thị Dung", "version": report.version,
             "quota_seen": "on"}
    finalize = reverse("reports:year_end_finalize", args=[2025]) + query
    assert staff_client.post(finalize, issue).status_code == 403  # staff drafts; the standing committee issues
    staff_client.force_login(user_with_role(Role.STANDING, username="btv-v"))
    response = staff_client.post(finalize, issue)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_final and report.issued_on == dt.date(2026, 1, 20)
    download = staff_client.get(reverse("reports:year_end_file", args=[2025]) + query + "&dinh_dang=pdf")
    assert download["Content-Type"] == "application/pdf"
    assert download.content == report.pdf.open("rb").read()
    staff_client.force_login(get_user_model().objects.get(username="bxd"))
    assert staff_client.get(edit).status_code == 302  # final: back to the report, not the form


def test_the_xlsx_download_holds_the_previewed_figures(staff_client):
    """The Excel download of the year-end report has the members' figures of the page."""
    root = commune_with(12)
    response = staff_client.get(reverse("reports:year_end_file", args=[2025]) + f"?to_chuc={root.pk}&dinh_dang=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = {r[1]: r for r in book["Tổng hợp"].iter_rows(min_row=4, values_only=True) if r[1]}
    assert rows["Đảng viên"][2:5] == (12, 12, 2)


@pytest.mark.parametrize("name", ["reports:multi_year", "reports:summary", "reports:decision", "reports:rerating_decision"])
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_every_table_downloads_as_pdf_and_xlsx(staff_client, name, fmt):
    """Each companion page is also a PDF and an XLSX."""
    commune_with(6)
    args = [] if name == "reports:multi_year" else [2025]
    url = reverse(name, args=args) + "?"
    if name == "reports:decision":
        (decision,) = staff_client.get(url).context["decisions"]
        url += f"qd={decision.pk}&"
    response = staff_client.get(url + f"dinh_dang={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/pdf" if fmt == "pdf" else "application/vnd.openxml")


def test_a_rollup_pdf_is_rendered_as_a_background_job_with_its_file(staff_client):
    """The deployment-wide report over several communes goes to the worker; its page offers the PDF."""
    from core.models import Job, JobStatus

    commune_with(5, "R1")
    commune_with(5, "R2")
    response = staff_client.get(reverse("reports:year_end_file", args=[2025]) + "?dinh_dang=pdf")
    job = Job.objects.get(kind="report.year_end")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.SUCCEEDED and job.file_name.endswith(".pdf")
    download = staff_client.get(reverse("jobs:download", args=[job.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert content.startswith(b"%PDF")


def test_a_summary_sheet_of_hundreds_of_members_is_a_background_job(staff_client, monkeypatch):
    """A summary sheet longer than the threshold renders in the worker, not in the request."""
    from core.models import Job
    from reports import jobs_glue

    monkeypatch.setattr(jobs_glue, "LONG_ROWS", 20)
    root = commune_with(30, "M")
    response = staff_client.get(reverse("reports:summary", args=[2025]) + f"?to_chuc={root.pk}&dinh_dang=pdf")
    job = Job.objects.get(kind="report.summary")
    assert response.status_code == 302 and job.file_name.endswith(".pdf")
    assert job.params["org_id"] == root.pk


def _pdf_text(content: bytes) -> str:
    import subprocess

    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
                    .stdout.decode().split())


def test_the_ballot_pdf_is_the_rating_process_print_page_with_the_cells_members(staff_client):
    """The ballot PDF renders the rating process's print-ready page (Mẫu phiếu 02) for the cell's rated members."""
    root = commune_with(4, "P")
    cell = root.children.order_by("pk").first()
    response = staff_client.get(reverse("reports:ballot", args=[cell.pk, 2025]) + "?dinh_dang=pdf")
    text = _pdf_text(response.content)
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN" in text and "Mẫu phiếu số 02" in text
    from members.models import Member

    assert all(m.full_name in text for m in Member.objects.filter(cell=cell))


def test_the_tally_pdf_holds_the_recorded_meeting(staff_client):
    """With a meeting recorded for the cell, the minutes PDF is that meeting's, with its chair and counts."""
    from appraisal.models import BallotLine, Meeting, Rating

    root = commune_with(3, "T")
    cell = root.children.order_by("pk").first()
    meeting = Meeting.objects.create(period=period(2025), organization=cell, held_on=dt.date(2025, 12, 10),
                                     chair="Vàng A Chứ", attendance_expected=3, attendance_present=3,
                                     ballots_issued=3, ballots_collected=3, ballots_valid=3, ballots_invalid=0)
    rating = Rating.objects.filter(member__cell=cell).first()
    BallotLine.objects.create(meeting=meeting, rating=rating, good=3, reached_level="HTTNV")
    text = _pdf_text(staff_client.get(reverse("reports:tally", args=[cell.pk, 2025]) + "?dinh_dang=pdf").content)
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Vàng A Chứ" in text and rating.member.full_name in text


def test_the_self_assessment_prints_what_the_member_wrote(staff_client):
    """The self-assessment form carries the member's own strengths and remedies under their headings."""
    from appraisal.models import Rating

    root = commune_with(1, "U")
    rating = Rating.objects.get(member__cell__parent=root)
    Rating.objects.filter(pk=rating.pk).update(review_strengths="Hoàn thành tốt nhiệm vụ được giao ở thôn.",
                                               review_remedies="Tăng cường học tập nghị quyết.")
    text = _pdf_text(staff_client.get(reverse("reports:self_assessment", args=[rating.member_id, 2025])
                                      + "?dinh_dang=pdf").content)
    assert "I. Ưu điểm, kết quả đạt được Hoàn thành tốt nhiệm vụ được giao ở thôn." in text
    assert "Tăng cường học tập nghị quyết." in text
