"""The home page's chart of decided levels per subject type: the newest yearly period with decisions
in the user's part of the tree, as stored (a superseded rating never counts), drawn as SVG with the
same numbers in a table, in a number of queries that does not grow with the ratings."""
import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal.models import (
    Exclusion,
    Period,
    PeriodKind,
    PeriodStatus,
    Rating,
    SubjectType,
)
from core.models import Role
from members.models import PositionGroup
from orgs.models import Block, OrgKind, Unit
from reports.models import Report
from tests.factories import user_with_role
from tests.reports.builders import Ratings, members, org, period, positions, supersede

pytestmark = pytest.mark.django_db

EXCELLENT, GOOD, PASSING, FAILING = (
    "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ",
)


class _Table(HTMLParser):
    """The body rows of the table with id `muc-xep-loai`: [header, cells…] as text."""

    def __init__(self):
        super().__init__()
        self.rows, self._inside, self._body, self._cell = [], False, False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "muc-xep-loai") in attrs:
            self._inside = True
        elif self._inside and tag == "tbody":
            self._body = True
        elif self._body and tag == "tr":
            self.rows.append([])
        elif self._body and tag in ("th", "td"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if self._body and tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "tbody":
            self._body = False
        elif tag == "table":
            self._inside = False


def table_of(html: str) -> dict[str, tuple[int, ...]]:
    """{subject type: (rated, HTXSNV, HTTNV, HTNV, KHTNV)} as the page prints them."""
    parser = _Table()
    parser.feed(html)
    return {row[0]: tuple(int(c.replace(".", "")) for c in row[1:]) for row in parser.rows}


def bars_of(html: str) -> list[tuple[str, int]]:
    """The chart's segments in drawing order: (level, count) from each bar segment's tooltip."""
    svg = html[html.index("<svg"):html.index("</svg>")]
    return [(level, int(n)) for level, n in re.findall(r"<rect [^>]*><title>([^<:]+): (\d+) ", svg)]


def bar_labels_of(html: str) -> list[str]:
    svg = html[html.index("<svg"):html.index("</svg>")]
    return re.findall(r'<text [^>]*text-anchor="end"[^>]*>([^<]+)</text>', svg)


def commune():
    """Đảng bộ xã A with two village cells and decided 2025 results of every subject type (and 2024's)."""
    root = org("A-XA", "Đảng bộ xã A", OrgKind.ROOT)
    c1 = org("A-T1", "Chi bộ thôn 1", OrgKind.ROOT_CELL, root)
    c2 = org("A-T2", "Chi bộ thôn 2", OrgKind.ROOT_CELL, root)
    y2024, y2025 = period(2024), period(2025)
    block = Block.objects.create(code="KHOI_A", name="Khối A", sort_order=1)
    unit = Unit.objects.create(code="A-U1", name="UBND xã A", block=block, party_organization=c1)
    group = PositionGroup.objects.create(code="TP_A", name="Trưởng phòng", sort_order=1)
    in_c1, in_c2 = members([c1], 4, "AA"), members([c2], 4, "AB")
    r = Ratings()
    r.add(y2025, SubjectType.BASE_ORG_YEARLY, "HTXSNV", organization=c1)
    r.add(y2025, SubjectType.BASE_ORG_YEARLY, "HTTNV", organization=c2)
    r.add(y2025, SubjectType.COMMITTEE_YEARLY, "HTTNV", organization=c1)
    r.add(y2025, SubjectType.COLLECTIVE_YEARLY, "HTNV", unit=unit)
    (head,) = positions(in_c2[3:], group)
    r.add(y2025, SubjectType.LEADER_YEARLY, "HTTNV", leader_position=head)
    r.add(period(2025, 4), SubjectType.LEADER_QUARTERLY, "HTXSNV", leader_position=head)  # a quarter: not in the year
    for m, level in zip(in_c1[:3], ("HTXSNV", "HTTNV", "HTTNV"), strict=True):
        r.add(y2025, SubjectType.MEMBER_YEARLY, level, member=m)
    for m, level in zip(in_c2[:3], ("HTTNV", "HTNV", "KHTNV"), strict=True):
        r.add(y2025, SubjectType.MEMBER_YEARLY, level, member=m)
    r.add(y2025, SubjectType.MEMBER_YEARLY, "", member=in_c1[3], excluded=Exclusion.EXEMPT)
    for m in in_c1 + in_c2:
        r.add(y2024, SubjectType.MEMBER_YEARLY, "HTXSNV", member=m, number="01-QĐ/ĐU-2024")
    r.save()
    return root, c1, c2, in_c1


def rerate(member, level: str) -> None:
    """Re-rate a member's 2025 result: the old rating stops counting, the new one counts."""
    old = Rating.objects.get(member=member, period__year=2025)
    supersede(old, approved_level=level, decision_number="09-QĐ/ĐU", decision_date=dt.date(2026, 3, 1))


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_charts_the_decided_levels_per_subject_type_with_the_numbers_as_a_table(client):
    """Staff see 2025 (the newest year decided), each subject type's decided levels in the chart and
    the table; the quarter's leader rating, the member left out and 2024's results are not counted."""
    commune()
    html = home(client, user_with_role(Role.STAFF))
    assert table_of(html) == {
        "Tổ chức đảng": (2, 1, 1, 0, 0),
        "Tập thể cấp ủy": (1, 0, 1, 0, 0),
        "Tập thể lãnh đạo, quản lý": (1, 0, 0, 1, 0),
        "Cán bộ lãnh đạo, quản lý": (1, 0, 1, 0, 0),
        "Đảng viên": (6, 1, 3, 1, 1),
    }
    assert 'aria-label="Kết quả xếp loại năm 2025"' in html
    assert "<title>Kết quả xếp loại năm 2025</title>" in html
    assert bar_labels_of(html) == [
        "Tổ chức đảng", "Tập thể cấp ủy", "Tập thể lãnh đạo, quản lý", "Cán bộ lãnh đạo, quản lý", "Đảng viên",
    ]
    assert bars_of(html) == [
        (EXCELLENT, 1), (GOOD, 1),
        (GOOD, 1),
        (PASSING, 1),
        (GOOD, 1),
        (EXCELLENT, 1), (GOOD, 3), (PASSING, 1), (FAILING, 1),
    ]


def test_a_superseded_rating_does_not_count_on_the_home_page(client):
    """A member re-rated from HTTNV to KHTNV counts once, at the new level."""
    _, _, _, in_c1 = commune()
    rerate(in_c1[1], "KHTNV")
    html = home(client, user_with_role(Role.STAFF))
    assert table_of(html)["Đảng viên"] == (6, 1, 2, 1, 2)
    assert bars_of(html)[-4:] == [(EXCELLENT, 1), (GOOD, 2), (PASSING, 1), (FAILING, 2)]


def test_a_secretary_sees_only_the_counts_of_their_cell(client):
    """The secretary of cell 1 sees its organisation, committee, the unit it leads and its members;
    not cell 2's, nor the leader whose post lies in cell 2."""
    _, c1, _, _ = commune()
    html = home(client, user_with_role(Role.SECRETARY, organization=c1))
    assert table_of(html) == {
        "Tổ chức đảng": (1, 1, 0, 0, 0),
        "Tập thể cấp ủy": (1, 0, 1, 0, 0),
        "Tập thể lãnh đạo, quản lý": (1, 0, 0, 1, 0),
        "Đảng viên": (3, 1, 2, 0, 0),
    }
    assert bar_labels_of(html) == ["Tổ chức đảng", "Tập thể cấp ủy", "Tập thể lãnh đạo, quản lý", "Đảng viên"]


def test_an_opened_year_without_decisions_is_said_in_words_with_the_report_link_for_readers(client):
    """2026 is opened, nothing of it decided yet: the page says so, still charts 2025, and links the
    stored 2026 year-end report for staff (a secretary may not open reports: no link)."""
    _, c1, _, _ = commune()
    opened = Period.objects.create(kind=PeriodKind.YEAR, year=2026, evaluation_date=dt.date(2026, 12, 15),
                                   status=PeriodStatus.OPEN)
    report = Report.objects.create(year=2026)
    html = home(client, user_with_role(Role.STAFF))
    assert "Kỳ đánh giá năm 2026 chưa có kết quả xếp loại nào được phê duyệt" in html
    assert f'href="{reverse("reports:year_end", args=[opened.year])}"' in html
    assert report.organization is None
    assert table_of(html)["Đảng viên"] == (6, 1, 3, 1, 1)  # still 2025's
    assert "Kết quả xếp loại năm 2025" in html
    secretary = home(client, user_with_role(Role.SECRETARY, organization=c1))
    assert "Kỳ đánh giá năm 2026 chưa có kết quả xếp loại nào được phê duyệt" in secretary
    assert reverse("reports:year_end", args=[2026]) not in secretary


def test_without_any_decision_there_is_no_empty_chart(client):
    """An opened year with no decided rating anywhere: words, no chart, no table; no stored report, no link."""
    Period.objects.create(kind=PeriodKind.YEAR, year=2026, evaluation_date=dt.date(2026, 12, 15),
                          status=PeriodStatus.OPEN)
    html = home(client, user_with_role(Role.STAFF))
    assert "Kỳ đánh giá năm 2026 chưa có kết quả xếp loại nào được phê duyệt" in html
    assert "<svg" not in html and 'id="muc-xep-loai"' not in html
    assert reverse("reports:year_end", args=[2026]) not in html


def test_the_home_page_has_no_inline_style_but_the_level_indent(client):
    """CSP: the chart draws with attributes; any style attribute on the page is a `--level` indent."""
    commune()
    html = home(client, user_with_role(Role.STAFF))
    assert "<svg" in html
    assert all(s.replace(" ", "").startswith("--level:") for s in re.findall(r'style="([^"]*)"', html))
    assert "<script>" not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx.captured_queries)


def test_the_home_page_takes_the_same_queries_for_few_and_many_ratings(client):
    """Adding 60 members' decided ratings in both cells changes the chart, not the number of queries."""
    _, c1, c2, _ = commune()
    staff, secretary = user_with_role(Role.STAFF), user_with_role(Role.SECRETARY, organization=c1)
    client.force_login(staff)
    staff_before = _queries(client)
    client.force_login(secretary)
    secretary_before = _queries(client)
    r = Ratings()
    for i, m in enumerate(members([c1, c2], 60, "AC")):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, ("HTXSNV", "HTTNV", "HTNV", "KHTNV")[i % 4], member=m)
    r.save()
    client.force_login(staff)
    assert _queries(client) == staff_before
    assert table_of(client.get(reverse("home")).content.decode())["Đảng viên"] == (66, 16, 18, 16, 16)
    client.force_login(secretary)
    assert _queries(client) == secretary_before
    assert table_of(client.get(reverse("home")).content.decode())["Đảng viên"] == (33, 16, 2, 15, 0)
