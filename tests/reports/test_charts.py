"""The documents' charts (issue 14): numbers with the thousands dot, the title clear of the tallest
column's label, and no empty chart or table for a subject type without data."""
import re

import pytest
from django.urls import reverse

from appraisal.models import SubjectType
from core.models import Role
from reports import charts
from reports.figures import Tally
from tests.factories import user_with_role
from tests.reports.builders import Ratings, one_cell_commune, period

YEARS = [2022, 2023, 2024]
BIG = {2022: Tally(excellent=412, good=2947, passing=30), 2023: Tally(excellent=500, good=2600), 2024: Tally(good=12)}


def _texts(svg: str) -> list[tuple[float, int, str]]:
    """(baseline y, font size, text) of every <text> element."""
    return [(float(y), int(size), text) for y, size, text in
            re.findall(r'<text x="[^"]+" y="([^"]+)" font-size="(\d+)"[^>]*>([^<]*)</text>', svg)]


def test_numbers_in_charts_have_the_thousands_dot():
    """2.947 and 3.389, never 2947."""
    svg = charts.year_columns(YEARS, BIG, title="Đảng viên qua các năm")
    labels = [text for _, _, text in _texts(svg)]
    assert "2.947" in labels and "3.389" in labels
    assert not any(re.fullmatch(r"\d{4,}", t) for t in labels if t not in map(str, YEARS))
    bars = charts.level_bars([("Đảng viên", BIG[2022])], title="Kết quả")
    assert "2.947" in bars and ">3389<" not in bars and ">3.389<" in bars


@pytest.mark.parametrize("make", [
    lambda title: charts.year_columns(YEARS, BIG, title=title),
    lambda title: charts.level_bars([("Đảng viên", BIG[2022]), ("Tổ chức đảng", Tally(good=40))], title=title),
])
def test_the_title_is_clear_of_every_label_below_it(make):
    """Nothing is drawn in the title's band: every other text's top is below the title's baseline."""
    svg = make("Kết quả xếp loại chất lượng đảng viên qua các năm")
    (title_y, _, _), *rest = _texts(svg)
    assert all(y - size >= title_y + 4 for y, size, _ in rest)
    rects = [float(y) for y in re.findall(r'<rect x="[^"]+" y="([^"]+)"', svg)]
    assert min(rects) >= title_y + 4


def test_no_data_gives_no_chart():
    assert charts.year_columns(YEARS, dict.fromkeys(YEARS, Tally())) == ""
    assert charts.level_bars([("Đảng viên", Tally())], title="Kết quả") == ""


@pytest.mark.django_db
def test_a_subject_type_without_data_gets_no_table_in_the_multi_year_document(client):
    """Only members were rated: one table (đảng viên), none for the other four types."""
    root, _, people = one_cell_commune("C", 4)
    r = Ratings()
    for m in people:
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV", member=m)
    r.save()
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    page = client.get(reverse("reports:multi_year") + f"?to_chuc={root.pk}&den_nam=2025&so_nam=3").content.decode()
    assert "1. Kết quả xếp loại đảng viên" in page
    for label in ("tổ chức đảng", "tập thể cấp ủy", "tập thể lãnh đạo, quản lý", "cán bộ lãnh đạo, quản lý"):
        assert f"Kết quả xếp loại {label}" not in page
    assert page.count("<svg") == 1
