"""bench_serve's parts: the mix it draws, the figures it prints, and the requests it builds from a
real grid page (read, typed, previewed and saved as the app answers them). A real run against
scripts/serve needs PostgreSQL."""
import random
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from appraisal.models import CriterionScore
from benchmarks.management.commands.bench_serve import (
    EXPECTED,
    LEVEL_WORDS,
    MIX,
    parse_grid,
    pick,
    summary_line,
    typed_row,
)
from tests.appraisal.workflow import MEMBER_MAX, build_commune, open_year


def test_the_mix_draws_every_kind_by_its_weight():
    rng = random.Random(1)
    drawn = [pick(rng) for _ in range(6000)]
    total = sum(weight for _, weight in MIX)
    for kind, weight in MIX:
        assert abs(drawn.count(kind) / len(drawn) - weight / total) < 0.03, kind
    assert set(EXPECTED) == {kind for kind, _ in MIX}


def test_a_kind_left_out_is_never_drawn():
    rng = random.Random(2)
    mix = tuple(item for item in MIX if item[0] != "dashboard")
    assert "dashboard" not in {pick(rng, mix) for _ in range(2000)}


def test_the_last_line_gives_totals_and_each_kinds_p95():
    timings = {"grid": [0.1 * i for i in range(1, 21)], "save": [0.05] * 10}
    line = summary_line(timings, errors=2, users=3, seconds=10, think=1.5, kinds=["grid", "save", "queue"])
    assert line == (
        "users=3 requests=32 errors=2 p95_ms=1900 p50_ms=600 rps=3.2 seconds=10 think_ms=1500 "
        "grid_p95_ms=2000 save_p95_ms=50 queue_p95_ms=0"
    )


@pytest.mark.django_db
def test_the_grid_page_gives_what_the_preview_and_the_save_need(client):
    """Read from the real page, typed values preview (htmx) and save (a redirect); the scores stored
    are the ones typed."""
    commune = build_commune()
    period = open_year(commune)
    client.force_login(commune.users["secretary"])
    url = reverse("appraisal:grid", args=[period.pk, commune.village.pk])
    page = parse_grid(client.get(url).content.decode())
    assert page.token and len(page.rows) == 4
    assert page.maxima == {code: float(points) for code, points in MEMBER_MAX.items()}
    row = page.rows[0]
    typed = typed_row(row, page.maxima, random.Random(3))
    assert typed[f"ver-{row.pk}"] == row.fields[f"ver-{row.pk}"]
    preview = client.get(row.url, typed, HTTP_HX_REQUEST="true")
    assert preview.status_code == EXPECTED["preview"] and f'id="s-{row.pk}"' in preview.content.decode()
    saved = client.post(url, {"csrfmiddlewaretoken": page.token, "action": "luu", **typed})
    assert saved.status_code == EXPECTED["save"]
    stored = {score.criterion.code: score for score in CriterionScore.objects.filter(rating_id=row.pk)}
    assert set(stored) == set(MEMBER_MAX)
    for code, top in MEMBER_MAX.items():
        name = f"v-{row.pk}-{code}"
        if name in row.levels:
            assert typed[name] in LEVEL_WORDS and stored[code].quality
        else:
            assert stored[code].points == Decimal(typed[name].replace(",", ".")) <= top


@pytest.mark.django_db(transaction=True)
def test_a_short_real_run_has_no_errors():
    """scripts/serve on the test database, two users for a few seconds (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip("scripts/serve chạy trên PostgreSQL")
    commune = build_commune()
    open_year(commune)
    out = StringIO()
    call_command("bench_serve", "--users", "2", "--seconds", "6", "--think", "0.3", "--web", "2", "--jobs", "1",
                 stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert re.fullmatch(r"users=2 requests=\d+ errors=0 p95_ms=\d+ .*report_p95_ms=\d+", last), last
    assert int(re.search(r"requests=(\d+)", last).group(1)) >= 6
