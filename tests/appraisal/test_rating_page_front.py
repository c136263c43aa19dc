"""A rating's pages print scores the Vietnamese way [issue 14]: "95,5", never "95.50" or "95,50"."""
import pytest
from django.urls import reverse

from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    build_commune,
    full_marks,
    open_year,
    rating_of,
    score,
)


@pytest.fixture
def commune(db):
    commune = build_commune()
    open_year(commune)
    return commune


def test_the_total_is_printed_with_a_decimal_comma_and_no_trailing_zero(commune, client):
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    score(commune.users["secretary"], rating, {**full_marks(), "2.1": "25,5"}, tasks=EXCELLENT_TASKS)
    client.force_login(commune.users["staff"])
    pages = [
        reverse("appraisal:rating_detail", args=[rating.pk]),
        reverse("appraisal:member_history", args=[rating.member_id]),
        commune.period.get_absolute_url() + "?doi_tuong=member_yearly",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "95,5" in html, url
        assert "95,50" not in html and "95.50" not in html, url
