"""The period-opening benchmark on PostgreSQL: its raw baseline writes the rows the opening writes,
and the run leaves no period or rating behind."""
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from appraisal.models import Period, Rating

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench_open_period runs on PostgreSQL only")
def test_the_baseline_writes_what_the_opening_writes_and_nothing_stays():
    out, err = io.StringIO(), io.StringIO()
    call_command("bench_open_period", "--members", "1800", stdout=out, stderr=err)

    last = out.getvalue().strip().splitlines()[-1]
    figures = dict(pair.split("=") for pair in last.split())
    assert set(figures) == {"subjects", "seconds", "baseline_seconds", "ratio"}
    assert int(figures["subjects"]) > 1800 and re.fullmatch(r"\d+\.\d\d", figures["ratio"])
    assert "Chú ý" not in err.getvalue()  # the baseline wrote as many rows as the opening
    assert not Period.objects.filter(year=2098).exists() and not Rating.objects.filter(period__year=2098).exists()
