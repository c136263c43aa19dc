"""Saving and making final a year-end report: who may, stale saves, quota flags first, and a final
report frozen — later data (a re-rating) never changes it; the next report says what changed."""
import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal.models import Rating, SubjectType
from appraisal.scoring.quota import refresh_groups_of
from core.db_guard import maintenance
from core.models import AuditEntry, Role
from reports import services
from reports.compute import year_end_figures
from reports.data import report_scope
from reports.documents import new_report, year_end_document
from reports.figures import from_json
from reports.models import Report
from reports.render import year_end_markup
from tests.factories import user_with_role
from tests.reports.builders import Ratings, complete_narrative, one_cell_commune, period, supersede

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    root, _, people = one_cell_commune("X", 10, cell="Chi bộ thôn Nà Bó")
    r = Ratings()
    for i, m in enumerate(people):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTXSNV" if i < 2 else "HTTNV", member=m)
    r.save()
    return root, people


@pytest.fixture
def staff():
    return user_with_role(Role.STAFF, username="bxd")


@pytest.fixture
def signer():
    """The standing committee's signer, who makes reports final [issue 15]."""
    return user_with_role(Role.STANDING, username="btv")


def draft(root, actor, **header) -> Report:
    report = new_report(report_scope(root), 2025)
    narrative = complete_narrative()
    narrative["parts"]["III"] = {"text": "Đề nghị tăng cường tập huấn."}
    return services.report_save(actor=actor, report=report, header={"signer_title": "PHÓ BÍ THƯ", **header},
                                narrative=narrative, expected_version=None)


def test_staff_save_a_draft_and_the_save_is_audited(commune, staff):
    """A draft's typed parts are stored as typed (NFC) and the save is in the audit trail."""
    root, _ = commune
    report = draft(root, staff, place="Bình Lư")
    report.refresh_from_db()
    assert report.narrative["parts"]["III"] == {"text": "Đề nghị tăng cường tập huấn."}
    assert AuditEntry.objects.filter(action="report.create", object_id=str(report.pk)).exists()


def test_a_viewer_may_not_save_a_report(commune):
    """Only party-building staff and the standing committee write reports."""
    root, _ = commune
    with pytest.raises(PermissionDenied):
        draft(root, user_with_role(Role.VIEWER, username="xem"))


def test_a_save_over_someone_elses_change_is_refused(commune, staff):
    """Two people editing the same draft: the second save, based on the old version, changes nothing."""
    root, _ = commune
    report = draft(root, staff)
    stale = Report.objects.get(pk=report.pk)
    services.report_save(actor=staff, report=report, header={"place": "Bình Lư"}, narrative={}, expected_version=report.version)
    with pytest.raises(ValidationError):
        services.report_save(actor=staff, report=stale, header={"place": "Khác"}, narrative={},
                             expected_version=stale.version)
    assert Report.objects.get(pk=report.pk).place == "Bình Lư"


def test_finalizing_needs_a_number_a_date_and_a_signer(commune, staff, signer):
    """Making final without number, date or signer is refused, naming each missing field."""
    root, _ = commune
    report = draft(root, staff)
    with pytest.raises(ValidationError) as error:
        services.report_finalize(actor=signer, report=report, number="", issued_on=None, signer_name="",
                                 expected_version=report.version)
    assert set(error.value.message_dict) == {"number", "issued_on", "signer_name"}


def test_groups_over_the_quota_are_shown_before_finalizing(commune, staff, signer):
    """Three HTXSNV among ten is over the 20 % quota: finalizing is refused until it is acknowledged."""
    root, people = commune
    with maintenance():  # a third HTXSNV decided, as if the decision had not checked the quota
        Rating.objects.filter(member=people[2]).update(approved_level="HTXSNV")
    refresh_groups_of(Rating.objects.filter(member=people[2]))  # as a decision stores its group's quota
    report = draft(root, staff)
    with pytest.raises(ValidationError) as error:
        services.report_finalize(actor=signer, report=report, number="12", issued_on=dt.date(2026, 1, 15),
                                 signer_name="Tạ Thị Dung", expected_version=report.version)
    assert "vượt tỷ lệ" in str(error.value)
    final = services.report_finalize(actor=signer, report=report, number="12", issued_on=dt.date(2026, 1, 15),
                                     signer_name="Tạ Thị Dung", expected_version=report.version, quota_seen=True)
    assert final.is_final


def test_a_final_report_is_frozen_and_the_next_report_says_what_changed(commune, staff, signer):
    """After a re-rating, the final report keeps its figures, its PDF and its text; next year's report
    lists the re-rating and the figures of the final report that changed."""
    root, people = commune
    report = draft(root, staff)
    final = services.report_finalize(actor=signer, report=report, number="12", issued_on=dt.date(2026, 1, 15),
                                     signer_name="Tạ Thị Dung", expected_version=report.version)
    pdf = final.pdf.open("rb").read()
    assert hashlib.sha256(pdf).hexdigest() == final.pdf_sha256
    printed = from_json(final.figures)
    assert printed.members.good == 8
    # A discipline decided later: the member's 2025 rating is re-rated KHTNV.
    old = Rating.objects.get(member=people[5])
    supersede(old, approved_level="KHTNV", decision_number="05-QĐ/ĐU", decision_date=dt.date(2026, 3, 2))
    final.refresh_from_db()
    assert from_json(final.figures) == printed
    assert final.pdf.open("rb").read() == pdf
    with pytest.raises(ValidationError):
        services.report_save(actor=staff, report=final, header={}, narrative={}, expected_version=final.version)
    scope = report_scope(root)
    next_year = year_end_figures(scope, 2026)
    text = year_end_markup(year_end_document(new_report(scope, 2026), next_year))
    assert "Có 01 trường hợp được xếp loại lại" in text
    assert "từ hoàn thành tốt nhiệm vụ thành không hoàn thành nhiệm vụ theo Quyết định số 05-QĐ/ĐU" in text
    assert "Số liệu năm 2025 tại Báo cáo số 12-BC/ĐU ngày 15/01/2026 đã ban hành nay thay đổi" in text
    assert "đảng viên hoàn thành tốt nhiệm vụ 8 → 7" in text


WHO_MAY = [  # (account, drafts, issues) [issue 15: staff drafts, the standing committee's signer issues]
    ("superuser", True, True), ("staff", True, False), ("standing", False, True), ("viewer", False, False),
    ("secretary", False, False), ("unit_leadership", False, False),
]


def _account(who: str, root):
    from tests.factories import UnitFactory, UserFactory

    cell = root.children.first()
    return {
        "superuser": lambda: UserFactory(username="quantri", is_superuser=True, is_staff=True),
        "staff": lambda: user_with_role(Role.STAFF, username="bxd2"),
        "standing": lambda: user_with_role(Role.STANDING, username="btv"),
        "viewer": lambda: user_with_role(Role.VIEWER, username="xem"),
        "secretary": lambda: user_with_role(Role.SECRETARY, organization=cell, username="bt"),
        "unit_leadership": lambda: user_with_role(Role.UNIT_LEADERSHIP, unit=UnitFactory(), username="ld"),
    }[who]()


@pytest.mark.parametrize(("who", "drafts", "issues"), WHO_MAY)
def test_who_drafts_and_who_issues_reports_is_one_answer_for_pages_links_and_services(who, drafts, issues, commune,
                                                                                    client):
    """`authority.may_draft_reports` decides for the edit page, its link (`may_open`) and report_save;
    `authority.may_issue_reports` for the finalize page, its link and report_finalize [issue 13, 15]."""
    from django.urls import reverse

    from appraisal import authority
    from core.scope import scope_for
    from core.templatetags.access import may_open

    root, _ = commune
    user = _account(who, root)
    scope = scope_for(user)
    assert authority.may_draft_reports(scope) is drafts
    assert authority.may_issue_reports(scope) is issues
    assert may_open(scope, "reports:year_end_edit") is drafts
    assert may_open(scope, "reports:year_end_finalize") is issues
    client.force_login(user)
    response = client.get(reverse("reports:year_end_edit", args=[2025]) + f"?to_chuc={root.pk}")
    assert (response.status_code != 403) is drafts
    if drafts:
        assert response.status_code == 200
        report = draft(root, user)
    else:
        with pytest.raises(PermissionDenied):
            draft(root, user)
        report = draft(root, user_with_role(Role.STAFF, username="bxd-drafts"))
    if issues:
        final = services.report_finalize(actor=user, report=report, number="12", issued_on=dt.date(2026, 1, 15),
                                         signer_name="Tạ Thị Dung", expected_version=report.version, quota_seen=True)
        assert final.is_final
    else:
        with pytest.raises(PermissionDenied):
            services.report_finalize(actor=user, report=report, number="12", issued_on=dt.date(2026, 1, 15),
                                     signer_name="Tạ Thị Dung", expected_version=report.version, quota_seen=True)
