"""The home page and the year-end report count the same results: one selector of results that
count (decided live ratings and results imported from outside, the same filters) [issue 13]."""
import datetime as dt

import pytest

from appraisal.models import SubjectType
from core.models import Role
from reports.compute import year_end_figures
from reports.dashboard import dashboard
from reports.data import report_scope
from reports.models import ImportBatch, ImportedCount, ImportedResult, ImportKind
from tests.factories import user_with_role
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
