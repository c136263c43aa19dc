"""The home page and the year-end report count the same results: one selector of results that
count (decided live ratings and results imported from outside, the same filters) [issue 13]."""
import datetime as dt

import pytest

from appraisal.models import Exclusion, Rating, SubjectType
from core.models import Role
from members.models import Tier
from reports.compute import year_end_figures
from reports.dashboard import dashboard
from reports.data import PeriodSet, level_counts, load_facts, report_scope
from reports.models import ImportBatch, ImportedCount, ImportedResult, ImportKind
from tests.factories import PositionGroupFactory, user_with_role
from tests.reports.builders import Ratings, members, period, positions, supersede
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
    loaded: dict[str, dict[str, int]] = {}
    for f in load_facts(scope, year):
        if f.level:
            loaded.setdefault(f.section, {}).setdefault(f.level, 0)
            loaded[f.section][f.level] += f.count
    assert counted == loaded
    assert counted == {
        "members": {"HTXSNV": 2, "HTTNV": 12, "HTNV": 1, "KHTNV": 2},
        "organisations": {"HTTNV": 2},
        "leaders": {"HTNV": 1},
    }
