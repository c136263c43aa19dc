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
    call_command("bench_open_period", "--members", "1800", "--repeat", "2", stdout=out, stderr=err)

    lines = out.getvalue().strip().splitlines()
    figures = dict(pair.split("=") for pair in lines[-1].split())
    assert set(figures) == {"subjects", "runs", "seconds", "baseline_seconds", "ratio", "plan_seconds"}
    assert int(figures["subjects"]) > 1800 and re.fullmatch(r"\d+\.\d\d", figures["ratio"])
    assert figures["runs"] == "2" and sum(line.startswith("Lần ") for line in lines) == 2
    assert 0 < float(figures["plan_seconds"]) < float(figures["seconds"])
    assert "Chú ý" not in err.getvalue()  # the baseline wrote as many rows as the opening
    assert not Period.objects.filter(year=2098).exists() and not Rating.objects.filter(period__year=2098).exists()
