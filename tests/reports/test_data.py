"""What the reports count: live decided ratings and left-out subjects, alike with imported results,
in the report's part of the tree, in a number of queries that does not grow with the data."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisal.models import Exclusion, Rating, RatingStatus, SubjectType
from core.db_guard import maintenance
from members.models import Tier
from orgs.models import OrgKind
from reports.compute import year_end_figures
from reports.data import PeriodSet, report_scope, undecided_count
from reports.models import ImportBatch, ImportedCount, ImportedResult, ImportKind
from tests.factories import PositionGroupFactory
from tests.reports.builders import (
    Ratings,
    framework,
    members,
    one_cell_commune,
    org,
    period,
    positions,
    supersede,
)

pytestmark = pytest.mark.django_db


def commune(code: str, n_members: int, levels=("HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV")):
    """A commune with two cells and `n_members` decided members, levels cycling through `levels`."""
    root = org(f"{code}-XA", f"Đảng bộ xã {code}", OrgKind.ROOT)
    cells = [org(f"{code}-C1", "Chi bộ thôn 1", OrgKind.ROOT_CELL, root),
             org(f"{code}-C2", "Chi bộ thôn 2", OrgKind.ROOT_CELL, root)]
    people = members(cells, n_members, code)
    r = Ratings()
    for i, m in enumerate(people):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, levels[i % len(levels)], member=m)
    for c in cells:
        r.add(period(2025), SubjectType.BASE_ORG_YEARLY, "HTTNV", organization=c)
    r.save()
    return root, cells, people


def test_a_superseded_rating_never_counts():
    """After a re-rating, the old decided level is gone from every figure; the new one counts."""
    root, cells, people = commune("A", 5)
    old = Rating.objects.get(member=people[1])
    assert old.approved_level == "HTTNV"
    supersede(old, approved_level="KHTNV", decision_number="09-QĐ/ĐU", decision_date=dt.date(2026, 3, 1))
    f = year_end_figures(report_scope(root), 2025)
    assert (f.members.excellent, f.members.good, f.members.passing, f.members.failing) == (1, 2, 1, 1)
    assert f.members.rated == 5
    assert [r.new_level for r in f.reratings] == ["Không hoàn thành nhiệm vụ"]


def test_left_out_subjects_count_as_not_rated_with_their_reason():
    """A member left out at opening (exempt) is in the total, not among the rated, under its reason."""
    root, cells, people = commune("B", 4)
    extra = members(cells, 2, "BX")
    r = Ratings()
    r.add(period(2025), SubjectType.MEMBER_YEARLY, "", member=extra[0], excluded=Exclusion.EXEMPT)
    r.add(period(2025), SubjectType.MEMBER_YEARLY, "", member=extra[1], excluded=Exclusion.ADMITTED_RECENTLY)
    r.save()
    m = year_end_figures(report_scope(root), 2025).members
    assert (m.total, m.rated, m.not_rated_total) == (6, 4, 2)
    assert {(x.label, x.count) for x in m.not_rated} == {
        ("Miễn công tác và sinh hoạt đảng", 1), ("Mới kết nạp dưới 06 tháng", 1)}


def test_ratings_still_in_the_process_are_not_counted_but_reported_as_undecided():
    """A proposed (not yet decided) rating is left out of the figures and counted as undecided."""
    root, cells, people = commune("C", 3)
    with maintenance():  # a decided rating made undecided again exists only in a test
        Rating.objects.filter(member=people[0]).update(status=RatingStatus.PROPOSED, approved_level="")
    scope = report_scope(root)
    assert year_end_figures(scope, 2025).members.rated == 2
    assert undecided_count(scope, PeriodSet(years=(2025,))) == 1


def test_imported_results_and_counts_count_alike_with_stored_ratings():
    """Stored ratings, imported per-subject rows and imported counts add into the same figures."""
    root, cells, people = commune("D", 5)  # stored: 1 HTXSNV, 3 HTTNV, 1 HTNV
    batch = ImportBatch.objects.create(kind=ImportKind.SUBJECTS, file_name="x.xlsx")
    ImportedResult.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY, subject_key="Z1",
                                  name="Lò Văn Một", organization=cells[0], level="HTXSNV")
    ImportedResult.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY, subject_key="Z2",
                                  name="Lò Văn Hai", organization=cells[1], not_rated=Exclusion.EXEMPT)
    ImportedCount.objects.create(batch=batch, year=2025, subject_type=SubjectType.MEMBER_YEARLY, organization=cells[1],
                                 good=10, failing=1, not_rated=2)
    m = year_end_figures(report_scope(root), 2025).members
    assert (m.excellent, m.good, m.passing, m.failing) == (2, 13, 1, 1)
    assert (m.rated, m.not_rated_total, m.total) == (17, 3, 20)


def test_a_report_of_an_organisation_counts_only_its_subtree_and_a_rollup_splits_by_commune():
    """Scoped to commune E, F's ratings are left out; the deployment-wide report has a row per commune."""
    root_e, _, _ = commune("E", 5)
    root_f, _, _ = commune("F", 10)
    assert year_end_figures(report_scope(root_e), 2025).members.rated == 5
    whole = year_end_figures(report_scope(None), 2025)
    assert whole.members.rated == 15
    assert [(c.name, c.members.rated, c.organisations.rated) for c in whole.communes] == [
        ("Đảng bộ xã E", 5, 2), ("Đảng bộ xã F", 10, 2)]


def test_the_quarters_leave_out_posts_rated_yearly_only():
    """Leaders excluded from a quarter as yearly-only are not among that quarter's leaders at all."""
    root, cells, people = commune("G", 2)
    group = PositionGroupFactory(code="UV", name="Ủy viên")
    posts = positions(people, group, Tier.COMMUNE)
    r = Ratings()
    r.add(period(2026, 1), SubjectType.LEADER_QUARTERLY, "HTTNV", leader_position=posts[0])
    r.add(period(2026, 1), SubjectType.LEADER_QUARTERLY, "", leader_position=posts[1], excluded=Exclusion.YEARLY_ONLY)
    r.save()
    f = year_end_figures(report_scope(root), 2025, "1/2026")
    (quarter,) = f.quarters
    assert [(s.key, s.tally.total, s.tally.rated) for s in quarter.tiers] == [("commune", 1, 1)]


def test_quota_flags_come_from_the_engine_within_each_peer_group():
    """Three HTXSNV of ten in one peer group is over 20 % (2 allowed) and flagged; two is not."""
    root, _, people = one_cell_commune("H", 20, name="H")
    r = Ratings()
    for i, m in enumerate(people[:10]):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTXSNV" if i < 3 else "HTTNV", member=m, peer="dv:nhom1")
    for i, m in enumerate(people[10:]):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTXSNV" if i < 2 else "HTTNV", member=m, peer="dv:nhom2")
    r.save()
    flags = year_end_figures(report_scope(root), 2025).quota_flags
    assert [(f.excellent, f.base, f.allowed) for f in flags] == [(3, 10, 2)]


def _queries(scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        year_end_figures(scope, 2025, "1/2026, 2/2026")
    return len(ctx.captured_queries)


def test_the_queries_do_not_grow_with_members_or_communes():
    """The figures of one small commune and of a deployment of three larger ones take the same queries."""
    framework(SubjectType.MEMBER_YEARLY)
    commune("I", 10, levels=("HTTNV", "HTNV"))
    small = _queries(report_scope(None))
    commune("J", 60, levels=("HTTNV", "HTNV"))
    commune("K", 60, levels=("HTTNV", "HTNV"))
    assert _queries(report_scope(None)) == small


def test_footnotes_list_position_groups_in_their_order_not_alphabetically():
    """The leaders' footnote lists the position groups by their "Thứ tự" (staff set it), and moving a
    group in that order moves it in the report [issue 13]."""
    from members.models import PositionGroup

    root = org("TT-XA", "Đảng bộ xã Thứ Tự", OrgKind.ROOT)
    cell = org("TT-C1", "Chi bộ thôn Một", OrgKind.ROOT_CELL, root)
    zeta = PositionGroup.objects.create(code="Z", name="Ủy viên Ban Thường vụ", sort_order=1)
    alpha = PositionGroup.objects.create(code="A", name="Hiệu trưởng", sort_order=2)
    year = period(2025)
    ratings = Ratings()
    for group in (alpha, zeta):
        for position in positions(members([cell], 2, f"TT{group.code}"), group):
            ratings.add(year, SubjectType.LEADER_YEARLY, "HTTNV", leader_position=position)
    ratings.save()

    def listed() -> list[str]:
        figures = year_end_figures(report_scope(root), 2025)
        return [g.label for tier in figures.leader_tiers for g in tier.groups]

    assert listed() == ["Ủy viên Ban Thường vụ", "Hiệu trưởng"]
    PositionGroup.objects.filter(pk=alpha.pk).update(sort_order=0)
    assert listed() == ["Hiệu trưởng", "Ủy viên Ban Thường vụ"]
