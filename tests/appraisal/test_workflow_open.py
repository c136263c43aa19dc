"""Opening a period: a rating for every subject that must be rated, and each one left out counted
with its reason; opening again adds newcomers and never duplicates [DOMAIN §3; 003 B.I.2, C.IV.1]."""
import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from appraisal import selectors
from appraisal.models import (
    Exclusion,
    Framework,
    PeriodKind,
    PeriodStatus,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.process.periods import services as period_services
from core.models import AuditEntry
from members.models import LeaderPosition, LeadershipRole
from tests.appraisal.workflow import EVALUATION, YEAR, build_commune, open_year, rating_of
from tests.factories import MemberFactory, OrgFactory


@pytest.fixture
def commune(db):
    return build_commune()


def test_opening_a_year_creates_a_rating_per_subject_with_its_framework(commune):
    """Members, organisations, committees (3+ seats), collectives and leaders each get one
    rating, with the active framework of their subject type; the period becomes open."""
    period = open_year(commune)
    assert period.status == PeriodStatus.OPEN and period.opened_at is not None
    by_type = Counter(Rating.objects.filter(period=period).values_list("subject_type", flat=True))
    assert by_type == {
        SubjectType.MEMBER_YEARLY: 12,  # every active member, the excluded ones counted too
        SubjectType.BASE_ORG_YEARLY: 4,  # đảng bộ cơ sở, its sub-cell, the chi bộ cơ sở, the village cell
        SubjectType.COMMITTEE_YEARLY: 2,  # the đảng ủy (4 seats) and the chi ủy (3 seats) only
        SubjectType.COLLECTIVE_YEARLY: 1,
        SubjectType.LEADER_YEARLY: 2,
    }
    for rating in Rating.objects.filter(period=period).select_related("framework"):
        assert rating.framework.subject_type == rating.subject_type
        assert rating.framework.status == "active"


def test_members_left_out_are_stored_with_reason_code_and_text(commune):
    """The exempt member and the one admitted less than 6 months before are 'excluded' with
    their reason, so the reports can count "not rated because exempt or admitted < 6 months"."""
    period = open_year(commune)
    excluded = {r.member.full_name: r for r in selectors.not_rated(period).select_related("member")}
    assert set(excluded) == {"Vàng A Páo", "Hoàng Văn Em"}
    assert excluded["Vàng A Páo"].exclusion == Exclusion.EXEMPT
    assert "miễn công tác và sinh hoạt đảng" in excluded["Vàng A Páo"].exclusion_text
    assert excluded["Hoàng Văn Em"].exclusion == Exclusion.ADMITTED_RECENTLY
    assert "01/8/2025" in excluded["Hoàng Văn Em"].exclusion_text
    assert "chưa đủ 6 tháng" in excluded["Hoàng Văn Em"].exclusion_text
    rated = Rating.objects.filter(period=period, subject_type=SubjectType.MEMBER_YEARLY, status=RatingStatus.DRAFT)
    assert rated.count() == 10


def test_opening_again_adds_newcomers_and_never_duplicates(commune):
    """A member and a cell added after opening get ratings when it is opened again; nobody twice."""
    period = open_year(commune)
    before = Rating.objects.filter(period=period).count()
    again = period_services.period_open(actor=commune.users["staff"], period=period)
    assert again.total == 0
    assert Rating.objects.filter(period=period).count() == before
    newcomer = MemberFactory(full_name="Mùa A Sử", cell=commune.village, card_number="N0000001")
    young = OrgFactory(code="THON2", name="Chi bộ thôn Pá Hu", kind="root_cell", parent=commune.root,
                       established_on=dt.date(2025, 9, 1))
    result = period_services.period_open(actor=commune.users["staff"], period=period)
    assert result.created == {SubjectType.MEMBER_YEARLY: 1, SubjectType.BASE_ORG_YEARLY: 1}
    assert rating_of(period, newcomer).status == RatingStatus.DRAFT
    new_org = rating_of(period, young, SubjectType.BASE_ORG_YEARLY)
    assert new_org.status == RatingStatus.EXCLUDED and new_org.exclusion == Exclusion.RECENTLY_FORMED
    assert AuditEntry.objects.filter(action="period.open", object_id=str(period.pk)).count() == 3


def test_the_database_refuses_a_second_live_rating_of_a_subject(commune):
    """One live rating per subject, period and type is a database constraint."""
    period = open_year(commune)
    rating = rating_of(period, commune.members["Lê Văn Cường"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            period=period, subject_type=SubjectType.MEMBER_YEARLY, member=rating.member,
            framework=rating.framework,
        )
    # A second rating that does not count (a re-rating in preparation) is allowed.
    Rating.objects.create(
        period=period, subject_type=SubjectType.MEMBER_YEARLY, member=rating.member,
        framework=rating.framework, is_live=False, supersedes=rating,
    )


def test_opening_needs_an_active_framework_for_every_subject_type(commune):
    """Without an active framework for a subject type the period is not opened, and says which."""
    Framework.objects.filter(subject_type=SubjectType.COLLECTIVE_YEARLY).update(status="draft")
    period = period_services.period_create(
        actor=commune.users["staff"], kind=PeriodKind.YEAR, year=YEAR, evaluation_date=EVALUATION,
    )
    with pytest.raises(ValidationError, match="Tập thể lãnh đạo, quản lý"):
        period_services.period_open(actor=commune.users["staff"], period=period)
    period.refresh_from_db()
    assert period.status == PeriodStatus.DRAFT
    assert not Rating.objects.filter(period=period).exists()


def test_only_party_building_staff_open_and_close_periods(commune):
    """Secretaries, the standing committee and members cannot create, open or close a period."""
    staff = commune.users["staff"]
    for role in ("secretary", "standing", "member", "viewer"):
        with pytest.raises(PermissionDenied):
            period_services.period_create(actor=commune.users[role], kind=PeriodKind.YEAR, year=YEAR,
                                          evaluation_date=EVALUATION)
    period = period_services.period_create(actor=staff, kind=PeriodKind.YEAR, year=YEAR, evaluation_date=EVALUATION)
    with pytest.raises(PermissionDenied):
        period_services.period_open(actor=commune.users["standing"], period=period)
    period_services.period_open(actor=staff, period=period)
    period.refresh_from_db()
    with pytest.raises(PermissionDenied):
        period_services.period_close(actor=commune.users["secretary"], period=period, expected_version=period.version)
    period_services.period_close(actor=staff, period=period, expected_version=period.version)
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    with pytest.raises(ValidationError, match="đã kết thúc"):
        period_services.period_open(actor=staff, period=period)


def test_a_quarter_opens_leaders_only_and_defers_those_appointed_less_than_a_month(commune):
    """A quarterly period rates leaders only [002 §2.1]; one first appointed under a month before
    the evaluation is deferred to the next quarter [002 §8.1d]; a village cell secretary is yearly only."""
    staff = commune.users["staff"]
    newcomer = MemberFactory(full_name="Lý Văn Nam", cell=commune.village, card_number="N0000002")
    new_post = LeaderPosition.objects.create(
        member=newcomer, title="Phó Chủ tịch UBND xã", unit=commune.unit, leadership_role=LeadershipRole.DEPUTY,
        group=commune.head.group, start_on=dt.date(2026, 6, 10),
    )
    village_secretary = LeaderPosition.objects.create(
        member=commune.members["Phạm Thị Dung"], title="Bí thư chi bộ thôn", organization=commune.village,
        leadership_role=LeadershipRole.HEAD, group=commune.head.group, start_on=dt.date(2021, 1, 1),
    )
    period = period_services.period_create(
        actor=staff, kind=PeriodKind.QUARTER, year=2026, quarter=2, evaluation_date=dt.date(2026, 6, 20),
    )
    period_services.period_open(actor=staff, period=period)
    ratings = {r.leader_position_id: r for r in Rating.objects.filter(period=period)}
    assert set(ratings) == {commune.head.pk, commune.deputy.pk, new_post.pk, village_secretary.pk}
    assert {r.subject_type for r in ratings.values()} == {SubjectType.LEADER_QUARTERLY}
    assert ratings[new_post.pk].exclusion == Exclusion.FIRST_APPOINTED
    assert "[002 §8.1d]" in ratings[new_post.pk].exclusion_text
    assert ratings[village_secretary.pk].exclusion == Exclusion.YEARLY_ONLY
    assert ratings[commune.head.pk].status == RatingStatus.DRAFT


def test_peer_groups_follow_the_base_organisation_and_the_position_group(commune):
    """Members of a sub-cell count with their đảng bộ cơ sở; village cell members on their own;
    leaders by position group; organisations by kind [DOMAIN §7]."""
    period = open_year(commune)
    sub = rating_of(period, commune.members["Đỗ Văn Giang"])
    assert sub.peer_group == f"dv:{commune.base.pk}"
    assert "Đảng bộ Trường THCS" in sub.peer_group_label
    village = rating_of(period, commune.members["Lê Văn Cường"])
    assert village.peer_group == f"dv:{commune.village.pk}"
    head = rating_of(period, commune.head, SubjectType.LEADER_YEARLY)
    assert head.peer_group == f"cb:{commune.head.group_id}:{commune.root.pk}"
    base = rating_of(period, commune.base, SubjectType.BASE_ORG_YEARLY)
    cell = rating_of(period, commune.base_cell, SubjectType.BASE_ORG_YEARLY)
    assert base.peer_group == cell.peer_group  # both tổ chức cơ sở đảng
    assert rating_of(period, commune.sub_cell, SubjectType.BASE_ORG_YEARLY).peer_group != base.peer_group
