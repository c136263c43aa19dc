"""A rating's pages print scores the Vietnamese way [issue 14]: "95,5", never "95.50" or "95,50"."""
from django.urls import reverse

from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    full_marks,
    rating_of,
    score,
)


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


def test_a_percentage_typed_on_the_rating_page_comes_back_with_a_decimal_comma(commune, client):
    """"65,5" saved shows "65,5" again; "100" stays "100" (not "100.00")."""
    from appraisal.models import Rating
    from appraisal.scoring.loader import fact_fields_of

    rating = next(r for r in Rating.objects.filter(period=commune.period, is_live=True)
                  if any(f.name == "targets_pct" for f in fact_fields_of(r)))
    client.force_login(commune.users["staff"])
    url = reverse("appraisal:rating_scores", args=[rating.pk])
    for typed in ("65,5", "100"):
        rating.refresh_from_db()
        response = client.post(url, {"version": rating.version, "targets_pct": typed})
        assert response.status_code == 302, response.content.decode()[:2000]
        html = client.get(url).content.decode()
        assert f'name="targets_pct" value="{typed}"' in html
        assert "100.00" not in html and "65.50" not in html
