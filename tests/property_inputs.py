"""Hypothesis strategies for what people (and broken spreadsheets) type into our forms, and the
one check of the property tests: a POST never crashes, and a refused one changes nothing."""
import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

PROPERTY = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY_TEXT = ["", " ", "0000-00-00", "#REF!", "#N/A", "NaN", "None", "1e309", "-5", "\u200b", "A0000001\u200b",
              "Nguye\u0302\u0303n", "x" * 300, "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "Nũ", "\x00"]
NASTY_DATES = ["31/12/9999", "01/01/0001", "29/02/2023", "00/00/0000", "2099-01-01", "1800-01-01", "32/1/2020",
               "1/13/2020", "", "hôm qua", "24/6/2026"]


def text(max_size: int = 60):
    return st.one_of(st.text(max_size=max_size), st.sampled_from(NASTY_TEXT))


def typed_date():
    return st.one_of(
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: f"{d.day}/{d.month}/{d.year:04d}"),
        st.sampled_from(NASTY_DATES), st.text(max_size=12),
    )


def choice(values):
    return st.one_of(st.sampled_from(list(values)), text(12))


def number():
    return st.one_of(st.integers(min_value=-10**25, max_value=10**25).map(str), text(12))


def post_and_check(client, url, data, state) -> None:
    """POST inside a savepoint rolled back afterwards: 200 (refused, and `state()` unchanged) or
    302 (saved); anything else, a 500 above all, fails."""
    with transaction.atomic():
        savepoint = transaction.savepoint()
        before = state()
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert state() == before
        transaction.savepoint_rollback(savepoint)
