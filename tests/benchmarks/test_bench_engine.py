"""The engine benchmark: workers rate what one process rates, and the report speaks Vietnamese. No database."""

from appraisal.rules import rate
from benchmarks.management.commands.bench_engine import (
    _vn,
    generate,
    rate_and_quota,
    run,
    run_parallel,
)


def test_bench_parallel_rates_the_same_subjects_as_one_process():
    """Workers rebuild their groups from the seed and reach the same counts as one process."""
    groups = generate(3_000, 7)
    rated, excellent, ties = rate_and_quota(groups)
    [round_] = run_parallel(3_000, 7, 2)
    assert rated == 3_000
    assert (round_["subjects"], round_["excellent"], round_["ties"]) == (rated, excellent, ties)
    halves = generate(3_000, 7, 0, 10) + generate(3_000, 7, 10)
    assert [m[0] for _, ms, _ in halves for m in ms] == [m[0] for _, ms, _ in groups for m in ms]
    first = groups[0][1][0]
    assert rate(groups[0][0], *first)[2:] == rate(halves[0][0], *halves[0][1][0])[2:]


def test_bench_prints_what_it_measured_in_vietnamese():
    """The report names subjects, groups and criteria, and writes numbers the Vietnamese way."""
    lines = []
    figures = run(2_000, 3, workers=2, write=lines.append)
    text = "\n".join(lines)
    assert "2.000 đối tượng" in text and "14 tiêu chí" in text
    assert "Một tiến trình:" in text and "Song song 2 tiến trình:" in text
    assert figures["same_result"] is True
    assert _vn(200_000) == "200.000" and _vn(4.213, 2) == "4,21"
