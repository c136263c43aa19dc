"""A draft for a year still being rated states the year's totals and how many are not decided yet
(issue 14: the 2026 draft said 91 members where the commune has 895), in its sentences and tables."""
import re

import pytest
from django.utils.html import strip_tags

from appraisal.models import Exclusion, RatingStatus, SubjectType
from reports.compute import year_end_figures
from reports.data import report_scope
from reports.documents import new_report, year_end_document
from reports.render import year_end_markup
from tests.reports.builders import Ratings, one_cell_commune, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_in_progress():
    """12 members in 2026: 3 decided (1 HTXSNV, 2 HTTNV), 7 still being rated, 2 exempt."""
    root, _, people = one_cell_commune("P", 12)
    r = Ratings()
    for m, level in zip(people[:3], ("HTXSNV", "HTTNV", "HTTNV"), strict=True):
        r.add(period(2026), SubjectType.MEMBER_YEARLY, level, member=m)
    for i, m in enumerate(people[3:10]):
        r.add_pending(period(2026), SubjectType.MEMBER_YEARLY, status=(RatingStatus.DRAFT, RatingStatus.SUBMITTED,
                                                                       RatingStatus.PROPOSED)[i % 3], member=m)
    for m in people[10:]:
        r.add(period(2026), SubjectType.MEMBER_YEARLY, "", excluded=Exclusion.EXEMPT, member=m)
    r.save()
    return root


def _text(root) -> str:
    scope = report_scope(root)
    doc = year_end_document(new_report(scope, 2026), year_end_figures(scope, 2026))
    return " ".join(strip_tags(year_end_markup(doc)).split())


def test_the_year_total_counts_those_not_decided_yet(commune_in_progress):
    """Total 12 (not 5); those taking part 10, of whom 3 decided and 7 not yet; the levels are the decided ones."""
    figures = year_end_figures(report_scope(commune_in_progress), 2026)
    m = figures.members
    assert (m.total, m.taking_part, m.rated, m.pending, m.not_rated_total) == (12, 10, 3, 7, 2)
    assert (m.excellent, m.good) == (1, 2)


def test_the_sentences_say_how_many_are_not_decided(commune_in_progress):
    text = _text(commune_in_progress)
    assert ("Đối với đảng viên, tổng số đảng viên tại thời điểm đánh giá là 12 đồng chí; có 10 đồng chí đã tham gia "
            "đánh giá, xếp loại, đạt tỷ lệ 83,3% (trong đó 03 đồng chí đã có quyết định xếp loại, 07 đồng chí chưa có "
            "quyết định)") in text
    assert ("Tổng số đảng viên tại thời điểm đánh giá là 12 đồng chí. Trong đó, có 10 đồng chí tham gia đánh giá, xếp "
            "loại, đạt 83,3%, trong đó 03 đồng chí đã có quyết định xếp loại và 07 đồng chí chưa có quyết định") in text
    assert "Kết quả (của 03 đồng chí đã có quyết định): Hoàn thành tốt nhiệm vụ trở lên 03/03" in text


def test_the_annex_has_a_column_of_those_not_decided(commune_in_progress):
    """The summary table adds "Chưa có quyết định" while some are not decided; its cells add up to the total:
    12 = 3 rated + 2 not rated + 7 not decided."""
    scope = report_scope(commune_in_progress)
    markup = year_end_markup(year_end_document(new_report(scope, 2026), year_end_figures(scope, 2026)))
    annex = markup.split("Biểu tổng hợp kết quả xếp loại chất lượng năm 2026")[1]
    assert "<th rowspan=\"2\">Chưa có quyết định</th>" in annex
    rows = [[strip_tags(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", annex, re.S) if "<td" in row]
    assert rows == [["1", "Đảng viên", "12", "3", "1", "33,3%", "2", "66,7%", "0", "0%", "0", "0%", "2", "7"]]


def test_a_year_fully_decided_says_nothing_of_it(commune_in_progress):
    """With nobody left to decide, no sentence and no column about decisions to come."""
    from appraisal.models import Rating

    Rating.objects.exclude(status__in=(RatingStatus.DECIDED, RatingStatus.EXCLUDED)).delete()
    text = _text(commune_in_progress)
    assert "chưa có quyết định" not in text.lower()
