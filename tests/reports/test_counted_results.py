"""The home page and the year-end report count the same results: one selector of results that
count (decided live ratings and results imported from outside, the same filters) [issue 13]."""
import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.models import Exclusion, Rating, SubjectType
from core.models import Role
from members.models import Tier
from orgs.models import OrgKind
from reports.build import multi_year_tallies
from reports.compute import year_end_figures
from reports.dashboard import dashboard
from reports.data import PeriodSet, level_counts, load_facts, report_scope
from reports.models import ImportBatch, ImportedCount, ImportedResult, ImportKind
from tests.factories import PositionGroupFactory, user_with_role
from tests.reports.builders import Ratings, members, org, period, positions, supersede
from tests.reports.test_data import commune

pytestmark = pytest.mark.django_db


def _levels(board, label):
    tally = dict(board.levels)[label]
    return (tally.excellent, tally.good, tally.passing, tally.failing)


def test_the_home_page_counts_imported_results_as_the_report_does():
    root, cells, _ = commune("K", 5)  # stored: 1 HTXSNV, 3 HTTNV, 1 HTNV; two cells HTTNV
    batch = ImportBatch.objects.create(kind=ImportKind.SUBJECTS, file_name="ket-qua.xlsx")
    ImportedResult.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY, subject_key="Z1",
                                  name="Lò Văn Một", organization=cells[0], level="HTXSNV")
    ImportedCount.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY,
                                 organization=cells[1], good=10, failing=1)
    staff = user_with_role(Role.STAFF)
    board = dashboard(_scope(staff), dt.date(2026, 1, 10))
    report = year_end_figures(report_scope(root), 2025)
    m = report.members
    assert _levels(board, "Đảng viên") == (m.excellent, m.good, m.passing, m.failing) == (2, 13, 1, 1)
    o = report.organisations.tally
    assert _levels(board, "Tổ chức đảng") == (o.excellent, o.good, o.passing, o.failing)


def test_a_secretary_sees_their_cells_results_as_a_report_of_that_cell_counts_them():
    root, cells, _ = commune("L", 6)
    batch = ImportBatch.objects.create(kind=ImportKind.COUNTS, file_name="so-lieu.xlsx")
    ImportedCount.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY,
                                 organization=cells[0], good=4)
    secretary = user_with_role(Role.SECRETARY, organization=cells[0])
    board = dashboard(_scope(secretary), dt.date(2026, 1, 10))
    m = year_end_figures(report_scope(cells[0]), 2025).members
    assert _levels(board, "Đảng viên") == (m.excellent, m.good, m.passing, m.failing)
    assert m.good >= 4  # the imported counts are in both


def _scope(user):
    from core.scope import scope_for

    return scope_for(user)


def test_the_home_page_counter_counts_at_each_level_what_the_report_loader_does():
    """`level_counts` (grouped by the database) gives per section and level what `load_facts` gives,
    for a year mixing decided, left-out, pending and superseded ratings, another year, a quarter,
    imported results (rated and not) and imported counts, in one commune of two."""
    root, cells, people = commune("M", 5)  # stored 2025: 1 HTXSNV, 3 HTTNV, 1 HTNV; two cells HTTNV
    commune("N", 4)  # outside the scope
    extra = members(cells, 3, "MX")
    r = Ratings()
    r.add(period(2025), SubjectType.MEMBER_YEARLY, "", member=extra[0], excluded=Exclusion.EXEMPT)
    r.add_pending(period(2025), SubjectType.MEMBER_YEARLY, member=extra[1])
    r.add(period(2024), SubjectType.MEMBER_YEARLY, "KHTNV", member=extra[2])
    group = PositionGroupFactory(code="BT", name="Bí thư")
    post = positions([people[0]], group, Tier.COMMUNE)[0]
    r.add(period(2025, 1), SubjectType.LEADER_QUARTERLY, "HTXSNV", leader_position=post)
    r.add(period(2025), SubjectType.LEADER_YEARLY, "HTNV", leader_position=post)
    r.save()
    supersede(Rating.objects.get(member=people[1], period__year=2025), approved_level="KHTNV",
              decision_number="09-QĐ/ĐU", decision_date=dt.date(2026, 3, 1))
    batch = ImportBatch.objects.create(kind=ImportKind.SUBJECTS, file_name="ket-qua.xlsx")
    ImportedResult.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY, subject_key="Z1",
                                  name="Lò Văn Một", organization=cells[0], level="HTXSNV")
    ImportedResult.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY, subject_key="Z2",
                                  name="Lò Văn Hai", organization=cells[1], not_rated=Exclusion.EXEMPT)
    ImportedCount.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY,
                                 organization=cells[1], good=10, failing=1, not_rated=2)
    ImportedCount.objects.create(batch=batch, year=2025, quarter=1, subject_type=SubjectType.MEMBER_YEARLY,
                                 organization=cells[1], excellent=7)

    scope, year = report_scope(root), PeriodSet(years=(2025,))
    counted = level_counts(scope, year)
    assert counted == _level_facts(scope, year)
    assert counted == {
        "members": {"HTXSNV": 2, "HTTNV": 12, "HTNV": 1, "KHTNV": 2},
        "organisations": {"HTTNV": 2},
        "leaders": {"HTNV": 1},
    }


# One member's rating in 2025 as the process left it; imported rows and counts of the same year.
STORED = st.sampled_from(["HTXSNV", "HTTNV", "HTNV", "KHTNV", "excluded", "pending", "2024", "re-rated"])
IMPORTED = st.sampled_from(["HTXSNV", "HTTNV", "HTNV", "KHTNV", "not_rated"])
COUNTS = st.tuples(*[st.integers(0, 5)] * 5)  # excellent, good, passing, failing, not rated
_communes = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 1), STORED), max_size=8),
       st.lists(st.tuples(st.integers(0, 1), IMPORTED), max_size=4),
       st.lists(st.tuples(st.integers(0, 1), COUNTS), max_size=2))
def test_level_counts_are_the_level_facts_of_the_report_loader(stored, imported, counts):
    """Whatever the mix, each commune's and each cell's counts per level are what `load_facts`
    loads at a level, and what the hand count of the example says; its totals-only load (the table
    over the years) tallies the same, the left-out and pending included."""
    code = f"P{next(_communes)}"
    root = org(f"{code}-XA", f"Đảng bộ xã {code}", OrgKind.ROOT)
    cells = [org(f"{code}-C1", "Chi bộ thôn 1", OrgKind.ROOT_CELL, root),
             org(f"{code}-C2", "Chi bộ thôn 2", OrgKind.ROOT_CELL, root)]
    expected: list[dict[str, int]] = [{}, {}]

    def count(cell: int, level: str, n: int = 1) -> None:
        if n:
            expected[cell][level] = expected[cell].get(level, 0) + n

    r, re_rated = Ratings(), []
    for cell, outcome in stored:
        (m,) = members([cells[cell]], 1, code)
        if outcome == "excluded":
            r.add(period(2025), SubjectType.MEMBER_YEARLY, "", member=m, excluded=Exclusion.EXEMPT)
        elif outcome == "pending":
            r.add_pending(period(2025), SubjectType.MEMBER_YEARLY, member=m)
        elif outcome == "2024":
            r.add(period(2024), SubjectType.MEMBER_YEARLY, "HTXSNV", member=m)
        else:
            r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV" if outcome == "re-rated" else outcome, member=m)
            if outcome == "re-rated":
                re_rated.append(m)
            count(cell, "KHTNV" if outcome == "re-rated" else outcome)
    r.save()
    for m in re_rated:
        supersede(Rating.objects.get(member=m, period__year=2025), approved_level="KHTNV",
                  decision_number="09-QĐ/ĐU", decision_date=dt.date(2026, 3, 1))
    batch = ImportBatch.objects.create(kind=ImportKind.SUBJECTS, file_name="ket-qua.xlsx")
    for i, (cell, outcome) in enumerate(imported):
        rated = outcome != "not_rated"
        ImportedResult.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY,
                                      subject_key=f"{code}-{i}", name="Lò Văn Một", organization=cells[cell],
                                      level=outcome if rated else "", not_rated="" if rated else Exclusion.EXEMPT)
        if rated:
            count(cell, outcome)
    for cell, (excellent, good, passing, failing, left_out) in counts:
        ImportedCount.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY,
                                     organization=cells[cell], excellent=excellent, good=good, passing=passing,
                                     failing=failing, not_rated=left_out)
        for level, n in zip(("HTXSNV", "HTTNV", "HTNV", "KHTNV"), (excellent, good, passing, failing), strict=True):
            count(cell, level, n)

    year = PeriodSet(years=(2025,))
    for where, hand in ((root, _added(expected)), (cells[0], expected[0]), (cells[1], expected[1])):
        scope = report_scope(where)
        assert level_counts(scope, year).get("members", {}) == _level_facts(scope, year).get("members", {}) == hand
        # The table over the years loads totals only: the same tallies as the detailed facts, and the hand count.
        years = [2024, 2025]
        totals = multi_year_tallies(load_facts(scope, PeriodSet(years=(2024, 2025)), totals_only=True), years)
        assert totals == multi_year_tallies(load_facts(scope, PeriodSet(years=(2024, 2025))), years)
        tally = totals["members"][2025]
        assert {code: n for code, n in zip(("HTXSNV", "HTTNV", "HTNV", "KHTNV"),
                                           (tally.excellent, tally.good, tally.passing, tally.failing),
                                           strict=True) if n} == hand


def _added(parts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for part in parts:
        for level, n in part.items():
            total[level] = total.get(level, 0) + n
    return total


def _level_facts(scope, periods) -> dict[str, dict[str, int]]:
    loaded: dict[str, dict[str, int]] = {}
    for f in load_facts(scope, periods):
        if f.level:
            loaded.setdefault(f.section, {}).setdefault(f.level, 0)
            loaded[f.section][f.level] += f.count
    return loaded
