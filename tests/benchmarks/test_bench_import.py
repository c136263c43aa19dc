"""The workbook-import benchmark: its last line has the figures, and it leaves the database as it was."""
import io

import pytest
from django.core.management import call_command

from members.models import Member
from orgs.models import PartyOrganization

pytestmark = pytest.mark.django_db


def test_the_bench_prints_its_figures_and_writes_nothing():
    out = io.StringIO()
    call_command("bench_import", "--members", "40", "--cells", "3", "--rounds", "2", stdout=out)

    lines = out.getvalue().strip().splitlines()
    figures = dict(pair.split("=") for pair in lines[-1].split())
    assert set(figures) == {"members", "seconds", "parse_seconds", "ratio", "second_ratio"}
    assert figures["members"] == "40"
    assert "lần nhập đầu (" in lines[-2] and "(0 thay đổi)" not in lines[-2]
    assert not Member.objects.exists() and not PartyOrganization.objects.filter(code__startswith="BENCH-").exists()
