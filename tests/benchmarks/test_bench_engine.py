"""The engine benchmark measures real work: every subject rated, the quota of each peer group kept,
workers rating what one process rates; the report speaks Vietnamese. No database."""

from appraisal.rules import Level, excellent_quota, rate, rate_many
from benchmarks.management.commands.bench_engine import (
    generate,
    rate_and_quota,
    run,
    run_parallel,
)


def _quota_bound(groups) -> tuple[int, int]:
    """Worked out apart from the harness: the HTXSNV the engine's levels propose, and the most the
    groups' quotas (20 % of those HTTNV or above, by each group's own settings) let in."""
    proposed = allowed = 0
    for spec, members, _ in groups:
        levels = [r.level for r in rate_many(spec, members)]
        base = sum(1 for level in levels if level is not None and level >= spec.quota.base_min_level)
        excellent = sum(1 for level in levels if level is Level.EXCELLENT)
        proposed += excellent
        allowed += min(excellent, excellent_quota(base, len(levels), spec.quota))
    return proposed, allowed


def test_bench_rates_every_subject_and_keeps_every_quota_in_one_process_or_two():
    """The benchmark's counts are the engine's: all 3.000 subjects rated, HTXSNV found and kept within
    each group's quota as worked out apart from the harness, and workers rebuilding their groups from
    the seed reach the same counts as one process."""
    groups = generate(3_000, 7)
    rated, excellent, ties = rate_and_quota(groups)
    proposed, allowed = _quota_bound(groups)
    assert rated == sum(len(members) for _, members, _ in groups) == 3_000
    assert 0 < excellent <= allowed <= proposed
    [round_] = run_parallel(3_000, 7, 2)
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
