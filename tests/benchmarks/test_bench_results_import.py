"""The results-import benchmark: its file passes the import, and it leaves the database as it was."""
import io
import re

import pytest
from django.core.management import call_command

from benchmarks.management.commands.bench_results_import import ensure_cells, results_file
from reports.models import ImportBatch, ImportedResult
from reports.results_import import run_import

pytestmark = pytest.mark.django_db


def test_the_generated_file_imports_every_row_and_the_bench_writes_nothing():
    content = results_file(300, ensure_cells())
    outcome = run_import(content=content, kind="subjects", file_name="do-thu.xlsx", commit=False)
    assert outcome.ok and outcome.created == 300 and not ImportedResult.objects.exists()

    out = io.StringIO()
    call_command("bench_results_import", "--rows", "300", "--rounds", "1", stdout=out)

    last = out.getvalue().strip().splitlines()[-1]
    figures = dict(pair.split("=") for pair in last.split())
    assert set(figures) == {"rows", "seconds", "parse_seconds", "ratio", "preview_seconds", "preview_ratio"}
    assert figures["rows"] == "300" and re.fullmatch(r"\d+\.\d\d", figures["ratio"])
    assert not ImportedResult.objects.exists() and not ImportBatch.objects.exists()
