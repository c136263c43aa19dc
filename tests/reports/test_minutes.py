"""The tally minutes (biên bản kiểm phiếu): every meeting of the year, its place and counting team by
name, one row per subject with the votes and the level reached, no engine workings (issue 14)."""
import datetime as dt
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal.models import BallotLine, Meeting, Rating, SubjectType
from core.models import Role
from reports.minutes import counting_team
from tests.factories import user_with_role
from tests.reports.builders import Ratings, one_cell_commune, period


@pytest.mark.parametrize(("typed", "head", "others"), [
    ("Lò Văn A (Tổ trưởng), Tạ Thị B, Vàng A C", "Lò Văn A", ("Tạ Thị B", "Vàng A C")),
    ("Tạ Thị B; Lò Văn A (tổ trưởng)", "Lò Văn A", ("Tạ Thị B",)),
    ("Lò Văn A\nTạ Thị B\n", "Lò Văn A", ("Tạ Thị B",)),
    ("", "", ()),
])
def test_the_counting_team_is_read_as_typed(typed, head, others):
    """The head is the one marked "(Tổ trưởng)", else the first named; one name a line or comma."""
    assert counting_team(typed) == (head, others)


def pdf_text(content: bytes) -> str:
    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
                    .stdout.decode().split())


@pytest.fixture
def cell_with_two_meetings(db):
    root, cell, people = one_cell_commune("T", 3, cell="Chi bộ thôn Nà Bó")
    r = Ratings()
    for m in people:
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV", member=m)
    ratings = r.save()
    meetings = []
    for day, place, team in ((dt.date(2025, 12, 5), "Nhà văn hóa thôn Nà Bó", "Lò Văn Tám (Tổ trưởng), Tạ Thị Chín"),
                             (dt.date(2025, 12, 12), "Hội trường Đảng ủy xã", "")):
        meeting = Meeting.objects.create(
            period=period(2025), organization=cell, held_on=day, place=place, chair="Vàng A Chứ", counting_team=team,
            attendance_expected=3, attendance_present=2, ballots_issued=2, ballots_collected=2, ballots_valid=2,
            ballots_invalid=0)
        for rating in ratings:
            BallotLine.objects.create(meeting=meeting, rating=rating, good=2, reached_level="HTTNV",
                                      steps=["2/2 phiếu hợp lệ (100%) … [003 C.IV.11]"])
        meetings.append(meeting)
    return cell, meetings


@pytest.fixture
def staff_client(db, client):
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    return client


def test_the_minutes_pdf_holds_every_meeting_of_the_year(staff_client, cell_with_two_meetings):
    """Both meetings, each with its place in the text and the dateline, its team by name, no engine text."""
    cell, (first, second) = cell_with_two_meetings
    text = pdf_text(staff_client.get(reverse("reports:tally", args=[cell.pk, 2025]) + "?dinh_dang=pdf").content)
    assert text.count("BIÊN BẢN KIỂM PHIẾU") == 2
    assert "Bình Lư, ngày 05 tháng 12 năm 2025" in text and "Bình Lư, ngày 12 tháng 12 năm 2025" in text
    assert "tại Nhà văn hóa thôn Nà Bó" in text and "tại Hội trường Đảng ủy xã" in text
    assert "Tổ kiểm phiếu gồm: đồng chí Lò Văn Tám (Tổ trưởng), đồng chí Tạ Thị Chín." in text
    assert "Lò Văn Tám" in text.split("TỔ TRƯỞNG TỔ KIỂM PHIẾU")[1]  # the head signs under the team's title
    assert "[003" not in text and "phiếu hợp lệ (100%)" not in text
    # Counts are written by the one formats module: in prose "0" stays "0" and 2 is "02"; tables print numbers.
    assert "số có mặt: 02; số phiếu phát ra: 02" in text and "số phiếu không hợp lệ: 0." in text
    for rating in Rating.objects.filter(member__cell=cell):
        assert f"{rating.member.full_name} 0 2 0" in text  # HTXSNV 0, HTTNV 2, HTNV 0 (then KHTNV 0)


def test_each_meeting_downloads_alone(staff_client, cell_with_two_meetings):
    """`hoi_nghi=` gives one meeting's minutes; a meeting of another cell is not found."""
    cell, (first, second) = cell_with_two_meetings
    url = reverse("reports:tally", args=[cell.pk, 2025])
    page = staff_client.get(url).content.decode()
    assert f"?hoi_nghi={second.pk}&amp;dinh_dang=pdf" in page
    response = staff_client.get(url + f"?hoi_nghi={second.pk}&dinh_dang=pdf")
    text = pdf_text(response.content)
    assert text.count("BIÊN BẢN KIỂM PHIẾU") == 1 and "Hội trường Đảng ủy xã" in text
    assert "Nhà văn hóa thôn Nà Bó" not in text
    assert "bien-ban-T-C1-2025-hoi-nghi-" in response["Content-Disposition"]
    assert staff_client.get(url + "?hoi_nghi=999999").status_code == 404


def test_the_minutes_page_takes_the_same_queries_for_one_and_two_meetings(staff_client, cell_with_two_meetings):
    cell, (first, second) = cell_with_two_meetings
    url = reverse("reports:tally", args=[cell.pk, 2025])
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url + f"?hoi_nghi={first.pk}")
    with CaptureQueriesContext(connection) as both:
        staff_client.get(url)
    assert len(both.captured_queries) == len(one.captured_queries)
