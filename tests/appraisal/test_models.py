"""Database constraints of periods and ratings: one subject, matching its type; decisions dated."""
import pytest
from django.db import IntegrityError, transaction

from appraisal.models import Framework, Period, PeriodKind, Rating, RatingStatus, SubjectType
from tests.factories import MemberFactory, OrgFactory


@pytest.fixture
def period(db):
    return Period.objects.create(kind=PeriodKind.YEAR, year=2026, evaluation_date="2026-12-15")


@pytest.fixture
def framework(db):
    return Framework.objects.create(code="F", name="Khung", year=2026, subject_type=SubjectType.MEMBER_YEARLY)


def _create(**kwargs):
    with transaction.atomic():
        return Rating.objects.create(**kwargs)


def test_rating_has_exactly_one_subject_matching_its_type(period, framework):
    """A member rating names a member only; two subjects, none, or the wrong kind are refused."""
    member, org = MemberFactory(), OrgFactory()
    ok = _create(period=period, framework=framework, subject_type=SubjectType.MEMBER_YEARLY, member=member)
    assert ok.subject_id == member.pk
    with pytest.raises(IntegrityError):
        _create(period=period, framework=framework, subject_type=SubjectType.MEMBER_YEARLY, member=member, organization=org)
    with pytest.raises(IntegrityError):
        _create(period=period, framework=framework, subject_type=SubjectType.MEMBER_YEARLY)
    with pytest.raises(IntegrityError):
        _create(period=period, framework=framework, subject_type=SubjectType.MEMBER_YEARLY, organization=org)
    committee = _create(period=period, framework=framework, subject_type=SubjectType.COMMITTEE_YEARLY, organization=org)
    assert committee.subject_id == org.pk


def test_decided_rating_needs_an_approved_level_and_a_date(period, framework):
    """A decided rating without an approved level or decision date is refused by the database."""
    with pytest.raises(IntegrityError):
        _create(period=period, framework=framework, subject_type=SubjectType.MEMBER_YEARLY,
                member=MemberFactory(), status=RatingStatus.DECIDED)


def test_period_quarter_matches_its_kind_and_is_unique(db):
    """A quarter period needs a quarter 1–4, a year period has none, and neither repeats."""
    Period.objects.create(kind=PeriodKind.QUARTER, year=2026, quarter=2, evaluation_date="2026-06-20")
    for bad in (
        {"kind": PeriodKind.QUARTER, "quarter": None},
        {"kind": PeriodKind.QUARTER, "quarter": 5},
        {"kind": PeriodKind.YEAR, "quarter": 4},
        {"kind": PeriodKind.QUARTER, "quarter": 2},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Period.objects.create(year=2026, evaluation_date="2026-06-20", **bad)
    Period.objects.create(kind=PeriodKind.YEAR, year=2026, evaluation_date="2026-12-15")
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(kind=PeriodKind.YEAR, year=2026, evaluation_date="2026-12-16")
    assert str(Period.objects.get(kind=PeriodKind.QUARTER)) == "Quý 2/2026"
