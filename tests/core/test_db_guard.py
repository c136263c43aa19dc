"""Decided ratings and final reports: the database's own triggers refuse changing or deleting
them — through the ORM, raw SQL or the admin — unless a database owner sets the maintenance
switch; what the process still writes (announcing, a re-rating superseding) goes through."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from appraisal.guards import DECIDED_RATING
from appraisal.models import Rating, RatingStatus, SubjectType
from core.db_guard import MARKER, installed_triggers, maintenance
from core.middleware import LockedRowMiddleware
from orgs.models import OrgKind
from reports.guards import FINAL_REPORT
from reports.models import Report, ReportStatus
from tests.reports.builders import Ratings, one_cell_commune, org, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    _, _, people = one_cell_commune("G", 2, name="Khóa", cell="Chi bộ thôn Khóa")
    r = Ratings()
    r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV", member=people[0])
    r.add_pending(period(2025), SubjectType.MEMBER_YEARLY, member=people[1])
    decided, pending = r.save()
    return Rating.objects.get(pk=decided.pk), Rating.objects.get(pk=pending.pk)


@pytest.fixture
def final_report():
    root = org("G-XB", "Đảng bộ xã Ban Hành", OrgKind.ROOT)
    return Report.objects.create(
        organization=root, year=2025, number="12", issued_on=dt.date(2026, 1, 15), status=ReportStatus.FINAL,
        figures={"members": 10}, pdf="bao-cao/x.pdf", pdf_sha256="a" * 64, signer_name="Tạ Thị Dung",
    )


def _refused(work):
    """Run `work` in a savepoint; return the database's refusal message (None if it went through)."""
    try:
        with transaction.atomic():
            work()
    except DatabaseError as error:
        return str(error)
    return None


def _sql(statement, params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
    return run


def test_the_guard_triggers_exist_after_the_migrations():
    """A later migration that rebuilds the table on SQLite would drop them: this says so."""
    names = installed_triggers(connection)
    if connection.vendor == "postgresql":
        assert {"rating_decided_guard", "report_final_guard"} <= names
    else:
        assert {"rating_decided_no_update", "rating_decided_no_delete",
                "report_final_no_update", "report_final_no_delete"} <= names


@pytest.mark.parametrize("field, value", [
    ("approved_level", "HTXSNV"), ("total_score", 99), ("decision_number", "99-QĐ/ĐU"), ("status", "verified"),
])
def test_an_orm_update_of_a_decided_ratings_level_score_or_decision_is_refused(decided, field, value):
    rating, _ = decided
    message = _refused(lambda: Rating.objects.filter(pk=rating.pk).update(**{field: value}))
    assert message and MARKER in message and "đã có quyết định" in message
    assert getattr(Rating.objects.get(pk=rating.pk), field) == getattr(rating, field)


def test_raw_sql_update_and_delete_of_a_decided_rating_are_refused(decided):
    rating, _ = decided
    assert "xếp loại lại" in _refused(_sql("UPDATE appraisal_rating SET approved_level = 'KHTNV' WHERE id = %s", [rating.pk]))
    assert _refused(_sql("DELETE FROM appraisal_rating WHERE id = %s", [rating.pk]))
    assert _refused(lambda: Rating.objects.filter(pk=rating.pk).delete())
    assert Rating.objects.get(pk=rating.pk).approved_level == "HTTNV"


def test_what_the_process_still_writes_goes_through(decided):
    """Announcing and a version bump touch no frozen column; an undecided rating is not locked."""
    rating, pending = decided
    assert _refused(lambda: Rating.objects.filter(pk=rating.pk).update(announced_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
                                                                         version=rating.version + 1)) is None
    assert _refused(lambda: Rating.objects.filter(pk=pending.pk).update(proposed_level="HTNV")) is None
    assert _refused(lambda: Rating.objects.filter(pk=pending.pk).delete()) is None


def test_a_decided_rating_stops_counting_only_when_a_rerating_supersedes_it(decided):
    rating, _ = decided
    assert _refused(lambda: Rating.objects.filter(pk=rating.pk).update(is_live=False))
    Rating.objects.create(period=rating.period, subject_type=rating.subject_type, member=rating.member,
                          framework=rating.framework, scope_org=rating.scope_org, supersedes=rating,
                          is_live=False, status=RatingStatus.SUBMITTED)
    assert _refused(lambda: Rating.objects.filter(pk=rating.pk).update(is_live=False)) is None


def test_a_rating_is_superseded_by_one_rerating_only(decided):
    """The partial unique index on `supersedes`: a second re-rating of the same rating is refused
    by the database; ratings that supersede nothing are not limited by it."""
    from django.db import IntegrityError

    rating, pending = decided
    fields = dict(period=rating.period, subject_type=rating.subject_type, member=rating.member,
                  framework=rating.framework, scope_org=rating.scope_org, is_live=False, status=RatingStatus.SUBMITTED)
    Rating.objects.create(**fields, supersedes=rating)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(**fields, supersedes=rating)
    assert Rating.objects.filter(supersedes=rating).count() == 1
    assert Rating.objects.filter(supersedes__isnull=True).count() == 2  # the decided one and the pending one


def test_a_final_reports_figures_and_file_are_refused_but_not_other_columns(final_report):
    pk = final_report.pk
    assert "đã ban hành" in _refused(lambda: Report.objects.filter(pk=pk).update(figures={"members": 11}))
    assert _refused(_sql("UPDATE reports_report SET pdf_sha256 = %s WHERE id = %s", ["b" * 64, pk]))
    assert _refused(_sql("UPDATE reports_report SET pdf = %s WHERE id = %s", ["bao-cao/y.pdf", pk]))
    assert _refused(_sql("DELETE FROM reports_report WHERE id = %s", [pk]))
    assert _refused(lambda: Report.objects.filter(pk=pk).update(status=ReportStatus.DRAFT))
    assert _refused(lambda: Report.objects.filter(pk=pk).update(recipients="Như trên")) is None
    assert Report.objects.get(pk=pk).figures == {"members": 10}


def test_a_draft_report_is_not_locked():
    draft = Report.objects.create(organization=org("G-XC", "Đảng bộ xã Nháp", OrgKind.ROOT), year=2025)
    assert _refused(lambda: Report.objects.filter(pk=draft.pk).update(figures={"x": 1})) is None
    assert _refused(lambda: draft.delete()) is None


def test_the_maintenance_switch_lets_the_database_owner_clear_locked_rows(decided, final_report):
    rating, _ = decided
    with maintenance():
        Rating.objects.filter(pk=rating.pk).delete()
        Report.objects.filter(pk=final_report.pk).delete()
    assert not Rating.objects.filter(pk=rating.pk).exists()
    # The switch is off again after the block.
    _, pending = decided
    Rating.objects.filter(pk=pending.pk).update(status=RatingStatus.DECIDED, approved_level="HTNV",
                                                decision_date=dt.date(2025, 12, 20))
    assert _refused(lambda: Rating.objects.filter(pk=pending.pk).delete())


def test_the_admin_cannot_delete_a_decided_rating(decided, client):
    rating, _ = decided
    admin = get_user_model().objects.create_superuser("quantri-g", password="x")
    client.force_login(admin)
    response = client.post(f"/quan-tri/appraisal/rating/{rating.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Rating.objects.filter(pk=rating.pk).exists()


def test_a_refusal_reaching_a_page_is_a_vietnamese_409_not_a_500(decided):
    rating, _ = decided
    try:
        with transaction.atomic():
            Rating.objects.filter(pk=rating.pk).update(approved_level="KHTNV")
    except DatabaseError as error:
        refusal = error
    request = RequestFactory().post("/quan-tri/")
    request.user = AnonymousUser()
    response = LockedRowMiddleware(lambda r: None).process_exception(request, refusal)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Kết quả xếp loại đã có quyết định" in text and "Không có thay đổi nào được lưu" in text
    assert MARKER not in text


def test_guards_name_columns_that_exist():
    for guard, model in ((DECIDED_RATING, Rating), (FINAL_REPORT, Report)):
        columns = {f.column for f in model._meta.concrete_fields}
        assert set(guard.frozen) <= columns, set(guard.frozen) - columns
