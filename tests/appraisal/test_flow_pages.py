"""The rating process's pages in words people use: what a held level waits for and who acts, a
self-proposed level above the conditions, a decided rating locked and how to change it, re-rating
pages and complaints by person, period and decision (never an id), a new period proposed from the
last one, overdue work and flagged leaders on one list, tasks added after the list's approval."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal import selectors
from appraisal.models import (
    Complaint,
    ComplaintStatus,
    Period,
    PeriodKind,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.process.meetings import services as meeting_services
from appraisal.process.periods import services as period_services
from appraisal.process.ratings.services import (
    ProductRow,
    products_approve,
    products_save,
    rating_submit,
)
from appraisal.process.rerating import services as rerating_services
from core.audit import audit_rows, object_history
from members.models import Discipline, DisciplineForm
from tests.appraisal.test_workflow_process import (
    _decide,
    _leaves,
    _meeting,
    _ready,
    _reload,
    _verify,
)
from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    full_marks,
    rating_of,
    score,
)
from tests.factories import MemberFactory

# 88 points, every criterion at Tốt or above: HTTNV, not HTXSNV [003 C.II.2.2].
GOOD = {**full_marks(), "1.1": "5", "1.2": "5", "2.1": "26", "2.2": "34"}


def _full(rating) -> dict[str, str]:
    return {c.code: str(c.max_points) for c in _leaves(rating)}


# ------------------------------------------------------------------------------ a held level in words


def test_a_held_committee_says_what_it_waits_for_and_who_acts(commune, client):
    """Not "chờ tối đa HTXSNV": the rule it waits on, who must propose the awaited level, and the
    best level it can reach; the period's list says why it waits and filters to those waiting."""
    secretary = commune.users["cell_secretary"]
    committee = rating_of(commune.period, commune.base_cell, SubjectType.COMMITTEE_YEARLY)
    committee = score(secretary, committee, _full(committee), facts={"outstanding": True})
    assert committee.held
    client.force_login(commune.users["staff"])
    page = client.get(committee.get_absolute_url()).content.decode()
    assert "chờ xếp loại tổ chức đảng: cấp ủy không được xếp loại cao hơn tổ chức đảng" in page
    assert "Việc cần làm: Bí thư Chi bộ Quân sự ghi kết quả hội nghị, đề xuất mức xếp loại của Chi bộ Quân sự." in page
    assert "mức cao nhất theo tiêu chí và điều kiện là <strong>Hoàn thành xuất sắc nhiệm vụ</strong>" in page
    assert "tối đa HTXSNV" not in page
    url = commune.period.get_absolute_url()
    listing = client.get(url).content.decode()
    assert "chờ xếp loại tổ chức đảng: cấp ủy không được xếp loại cao hơn tổ chức đảng" in listing
    held = client.get(url, {"cho": "1"}).content.decode()
    names = re.findall(r'<td><a href="/danh-gia/phieu/\d+/">([^<]+)</a>', held)
    assert "Cấp ủy Chi bộ Quân sự" in names
    assert set(names) == {selectors.subject_name(r) for r in selectors.with_subject(
        Rating.objects.filter(period=commune.period, held=True))}
    assert "Lê Văn Cường" not in names


def test_a_held_cell_names_its_secretary_for_its_members(commune):
    org = rating_of(commune.period, commune.base_cell, SubjectType.BASE_ORG_YEARLY)
    org = score(commune.users["cell_secretary"], org, _full(org))
    (org,) = selectors.with_subject(Rating.objects.filter(pk=org.pk))
    held = selectors.held_reasons(org)
    assert [w.text for w in held.waits] == ["chờ xếp loại 3 đảng viên còn chưa được xếp loại"]
    assert held.waits[0].who == "Chi ủy, bí thư Chi bộ Quân sự họp xét, đề xuất mức xếp loại cho đảng viên của chi bộ"
    assert selectors.held_reasons(rating_of(commune.period, commune.members["Lê Văn Cường"])) is None


# ------------------------------------------------------------------------------ a self-proposed level


def test_a_self_proposed_level_above_the_conditions_gets_a_note(commune, client):
    """The member may propose HTXSNV where the criteria and conditions allow at most HTTNV: the form
    says the highest level beside the choice, the save keeps it with a note, the page shows both."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(commune.users["member"], rating, GOOD, tasks=EXCELLENT_TASKS)
    assert rating.condition_level == "HTTNV"
    client.force_login(commune.users["member"])
    url = reverse("appraisal:rating_review", args=[rating.pk])
    form = client.get(url).content.decode()
    assert "Theo tiêu chí và điều kiện hiện nay, mức cao nhất là Hoàn thành tốt nhiệm vụ" in form
    response = client.post(url, {"self_level": "HTXSNV", "version": rating.version, "strengths": "Gương mẫu"},
                           follow=True)
    page = response.content.decode()
    assert Rating.objects.get(pk=rating.pk).self_level == "HTXSNV"
    assert "Đã lưu bản tự kiểm điểm." in page
    assert "Cao hơn mức tối đa theo tiêu chí và điều kiện hiện nay (Hoàn thành tốt nhiệm vụ)" in page
    assert "cao hơn điều kiện</span>" in page  # beside "Tự xếp loại" on the rating page
    assert "Cao hơn mức tối đa" in client.get(url).content.decode()  # and beside the choice


@pytest.mark.parametrize(("level", "noted"), [("HTXSNV", True), ("HTTNV", False), ("HTNV", False), ("", False)])
def test_only_a_level_above_the_allowed_one_is_noted(commune, level, noted):
    rating = score(commune.users["secretary"], rating_of(commune.period, commune.members["Lê Văn Cường"]),
                   GOOD, tasks=EXCELLENT_TASKS)
    assert bool(selectors.self_level_note(rating, level)) is noted


def test_no_note_while_the_scores_are_incomplete(commune):
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    assert selectors.self_level_note(rating, "HTXSNV") == ""


# ------------------------------------------------------------------------------ locked pages


def test_the_member_sees_why_a_sent_or_decided_rating_no_longer_changes(commune, client):
    """The member's own rating once sent: the self-assessment page says it was sent and who reopens
    it; once decided: decided and locked, changed only by a re-rating. Never "no access"."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(commune.users["member"], rating, GOOD, tasks=EXCELLENT_TASKS)
    rating_submit(actor=commune.users["member"], rating=rating, expected_version=rating.version)
    client.force_login(commune.users["member"])
    url = reverse("appraisal:rating_review", args=[rating.pk])
    sent = client.get(url)
    assert sent.status_code == 409 and "đã được gửi" in sent.content.decode() and "mở lại" in sent.content.decode()
    _meeting(commune, _reload([rating]), [(0, 10, 0, 0)])
    _verify(commune, [rating])
    _decide(commune, [rating], ["HTTNV"])
    for name in ("rating_review", "rating_scores"):
        locked = client.get(reverse(f"appraisal:{name}", args=[rating.pk]))
        text = locked.content.decode()
        assert locked.status_code == 409
        assert "Kết quả đã quyết định và đã khóa" in text and "Quyết định số 25-QĐ/ĐU" in text
        assert "xếp loại lại" in text and "Không có quyền truy cập" not in text
        assert reverse("appraisal:rating_complaint", args=[rating.pk]) in text  # the member may complain


def test_a_leaders_decided_product_list_refuses_a_post_saying_why(commune, client):
    rating = rating_of(commune.period, commune.deputy, SubjectType.LEADER_YEARLY)
    Rating.objects.filter(pk=rating.pk).update(status=RatingStatus.DECIDED, proposed_level="HTTNV",
                                               approved_level="HTTNV", decision_number="25-QĐ/ĐU",
                                               decision_date=dt.date(2025, 12, 20))
    client.force_login(commune.users["unit_leadership"])
    url = reverse("appraisal:rating_products", args=[rating.pk])
    assert client.get(url).status_code == 200  # still readable
    response = client.post(url, {"sp-TOTAL_FORMS": "1", "sp-INITIAL_FORMS": "0", "sp-0-title": "Việc mới",
                                 "version": rating.version})
    assert response.status_code == 409 and "đã khóa" in response.content.decode()
    assert not rating.products.exists()


def test_a_product_list_saved_over_someone_elses_save_says_so_above_the_rows(commune, client):
    """The service's refusal (a stale version) reaches the product list's page through core.forms.form_errors,
    above the rows, and nothing is saved."""
    rating = rating_of(commune.period, commune.deputy, SubjectType.LEADER_YEARLY)
    client.force_login(commune.users["unit_leadership"])
    url = reverse("appraisal:rating_products", args=[rating.pk])
    response = client.post(url, {"sp-TOTAL_FORMS": "1", "sp-INITIAL_FORMS": "0", "sp-0-title": "Việc mới",
                                 "version": rating.version - 1})
    assert "vừa được người khác lưu sau khi đồng chí mở trang" in response.content.decode()
    assert list(response.context["formset"].non_form_errors())
    assert not rating.products.exists()


# ------------------------------------------------------------------------------ re-rating, complaints


def _rerated(commune):
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(0, 10, 0, 0)])
    _verify(commune, [rating])
    _decide(commune, [rating], ["HTTNV"])
    Discipline.objects.create(member=commune.members["Lê Văn Cường"], form=DisciplineForm.WARNING,
                              decided_on=dt.date(2026, 3, 1), violation_on=dt.date(2025, 10, 1),
                              decision_number="03-QĐ/UBKT")
    old = Rating.objects.get(pk=rating.pk)
    return old


def test_rerating_pages_name_the_person_period_and_decision_never_an_id(commune, client):
    old = _rerated(commune)
    client.force_login(commune.users["staff"])
    form = client.get(reverse("appraisal:rating_rerate", args=[old.pk])).content.decode()
    assert "Xếp loại lại: Lê Văn Cường — Năm 2025" in form
    assert "Kết quả đang có hiệu lực: Hoàn thành tốt nhiệm vụ — Quyết định số 25-QĐ/ĐU ngày 20/12/2025" in form
    new = rerating_services.rating_rerate(actor=commune.users["staff"], rating=old, reason="QĐ kỷ luật số 03-QĐ/UBKT")
    page = client.get(new.get_absolute_url()).content.decode()
    assert "xếp loại lại</strong> đang chuẩn bị của Lê Văn Cường — Năm 2025" in page
    assert "thay cho" in page and "kết quả Hoàn thành tốt nhiệm vụ theo Quyết định số 25-QĐ/ĐU ngày 20/12/2025" in page
    old_page = client.get(old.get_absolute_url()).content.decode()
    assert "Đang xếp loại lại kết quả này (QĐ kỷ luật số 03-QĐ/UBKT)" in old_page
    for text in (page, old_page):
        assert f"#{old.pk}" not in text and f"#{new.pk}" not in text
        assert "Xếp loại lần đầu" in text and "Xếp loại lại" in text
    lines = [(line.label, line.new) for row in audit_rows(object_history(new)) for line in row.lines]
    assert ("Thay cho kết quả", "Hoàn thành tốt nhiệm vụ — Quyết định số 25-QĐ/ĐU ngày 20/12/2025") in lines
    new.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["staff"], rating=new, expected_version=new.version,
                                    level="KHTNV", note="Xếp loại lại theo 003 C.IV.9")
    _decide(commune, [new], ["KHTNV"], number="30-QĐ/ĐU")
    old_page = client.get(old.get_absolute_url()).content.decode()
    assert "đã bị hủy bỏ</strong> bằng xếp loại lại" in old_page
    assert "kết quả mới Không hoàn thành nhiệm vụ theo Quyết định số 30-QĐ/ĐU" in old_page


def test_an_upheld_complaint_leads_to_its_rerating_and_then_links_it(commune, client):
    """Resolving a complaint as founded goes on to open the re-rating; once it exists the complaint
    links to it (by person and decision) and no longer asks to open one."""
    old = _rerated(commune)
    complaint = Complaint.objects.create(rating=old, complainant="Lê Văn Cường", received_on=dt.date(2026, 1, 5),
                                         content="Đề nghị xem xét lại mức xếp loại.")
    client.force_login(commune.users["staff"])
    url = reverse("appraisal:complaint_resolve", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "kết quả xếp loại của Lê Văn Cường — Năm 2025</a>: Hoàn thành tốt nhiệm vụ theo Quyết định số 25-QĐ/ĐU" in page
    assert f"#{old.pk}" not in page
    response = client.post(url, {"status": ComplaintStatus.UPHELD, "resolution": "Có cơ sở: kỷ luật sau kỳ",
                                 "resolved_on": "2026-01-10"})
    assert response["Location"] == reverse("appraisal:rating_rerate", args=[old.pk])
    assert "có cơ sở, chưa xếp loại lại" in client.get(reverse("appraisal:complaints")).content.decode()
    new = rerating_services.rating_rerate(actor=commune.users["staff"], rating=old, reason="Khiếu nại có cơ sở")
    page = client.get(url).content.decode()
    assert "Đã xếp loại lại:" in page and new.get_absolute_url() in page
    assert "Mở việc xếp loại lại" not in page
    listing = client.get(reverse("appraisal:complaints")).content.decode()
    assert "đang xếp loại lại" in listing and new.get_absolute_url() in listing


# ------------------------------------------------------------------------------ opening a period


@pytest.mark.parametrize(("latest", "expected"), [
    (("quarter", 2026, 2, dt.date(2026, 6, 20), dt.date(2026, 4, 5)), (2026, 3, dt.date(2026, 9, 20), dt.date(2026, 7, 5))),
    (("quarter", 2025, 4, dt.date(2025, 12, 20), dt.date(2025, 10, 5)), (2026, 1, dt.date(2026, 3, 20), dt.date(2026, 1, 5))),
    (("quarter", 2026, 1, dt.date(2026, 3, 31), None), (2026, 2, dt.date(2026, 6, 30), None)),  # 31/3 + 3 months
    (("year", 2025, None, dt.date(2025, 12, 15), None), (2026, None, dt.date(2026, 12, 15), None)),
])
def test_the_next_period_moves_the_last_ones_deadlines_on(db, latest, expected):
    kind, year, quarter, evaluation, product_due = latest
    Period.objects.create(kind=kind, year=year, quarter=quarter, evaluation_date=evaluation,
                          product_list_due=product_due)
    proposal = selectors.next_period(kind, dt.date(2026, 12, 7))
    assert (proposal.year, proposal.quarter, proposal.deadlines["evaluation_date"],
            proposal.deadlines["product_list_due"]) == expected


def test_with_no_period_of_its_kind_the_form_proposes_this_year_or_quarter(db):
    assert (selectors.next_period(PeriodKind.QUARTER, dt.date(2026, 8, 20)).year,
            selectors.next_period(PeriodKind.QUARTER, dt.date(2026, 8, 20)).quarter) == (2026, 3)
    year = selectors.next_period(PeriodKind.YEAR, dt.date(2026, 8, 20))
    assert (year.year, year.copied_from, set(year.deadlines.values())) == (2026, None, {None})


def test_the_create_form_proposes_and_warns_of_a_period_still_being_rated(commune, client):
    """Năm 2025 is open: the form proposes Năm 2026 with its deadlines a year on, and warns that
    Năm 2025 is still being rated; the quarterly form proposes the first quarter."""
    Period.objects.filter(pk=commune.period.pk).update(self_assessment_due=dt.date(2025, 12, 10),
                                                       decision_due=dt.date(2025, 12, 20))
    client.force_login(commune.users["staff"])
    page = client.get(reverse("appraisal:period_create")).content.decode()
    assert 'name="year" value="2026"' in page
    assert 'value="15/12/2026"' in page and 'value="10/12/2026"' in page and 'value="20/12/2026"' in page
    assert "Năm 2025</a> cùng loại vẫn đang đánh giá, còn" in page
    quarterly = client.get(reverse("appraisal:period_create"), {"loai": "quarter"}).content.decode()
    assert "vẫn đang đánh giá" not in quarterly
    assert "Chưa có kỳ nào cùng loại để chép các hạn" in quarterly
    assert re.search(r'<option value="quarter" selected>', quarterly)


def test_a_quarterly_periods_filter_lists_only_quarterly_subject_types(commune, client):
    staff = commune.users["staff"]
    quarter = period_services.period_create(actor=staff, kind=PeriodKind.QUARTER, year=2025, quarter=4,
                                            evaluation_date=dt.date(2025, 12, 20))
    client.force_login(staff)
    options = re.findall(r'<option value="(\w+)"', client.get(quarter.get_absolute_url()).content.decode().split(
        'id="doi_tuong"')[1].split("</select>")[0])
    assert options == [SubjectType.LEADER_QUARTERLY]
    yearly = client.get(commune.period.get_absolute_url()).content.decode().split('id="doi_tuong"')[1]
    assert SubjectType.LEADER_QUARTERLY not in yearly.split("</select>")[0]


# ------------------------------------------------------------------------------ overdue, flagged


def _quarter(commune, quarter: int, **deadlines) -> Period:
    staff = commune.users["staff"]
    period = period_services.period_create(actor=staff, kind=PeriodKind.QUARTER, year=2026, quarter=quarter,
                                           evaluation_date=dt.date(2026, 3 * quarter, 20), **deadlines)
    period_services.period_open(actor=staff, period=period)
    period.refresh_from_db()
    return period


def test_a_work_list_not_approved_by_its_deadline_is_overdue_and_listed(commune, client):
    """The product-list deadline passed with no list approved: the period page no longer says
    "Không có việc quá hạn"; the list names the leaders; an approved list leaves it."""
    period = _quarter(commune, 1, product_list_due=dt.date(2026, 1, 5))
    client.force_login(commune.users["staff"])
    page = client.get(period.get_absolute_url()).content.decode()
    assert "Không có việc quá hạn" not in page
    assert "<strong>2</strong> phiếu chưa có danh mục sản phẩm được phê duyệt (hạn 05/01/2026)" in page
    url = reverse("appraisal:period_overdue", args=[period.pk])
    assert url in page
    listing = client.get(url).content.decode()
    assert "Nguyễn Văn An — Chủ tịch UBND xã" in listing and "Trần Thị Bình — Phó Chủ tịch UBND xã" in listing
    head = rating_of(period, commune.head, SubjectType.LEADER_QUARTERLY)
    products_save(actor=commune.users["unit_leadership"], rating=head, expected_version=head.version,
                  rows=[ProductRow(pk=None, title="Đề án chuyển đổi số")])
    head.refresh_from_db()
    assert "Nguyễn Văn An — Chủ tịch UBND xã" in client.get(url).content.decode()  # listed, not approved
    products_approve(actor=commune.users["unit_leadership"], rating=head, expected_version=head.version)
    listing = client.get(url).content.decode()
    assert "Nguyễn Văn An — Chủ tịch UBND xã" not in listing and "Trần Thị Bình" in listing


def test_a_task_added_to_an_approved_list_is_marked_not_approved(commune, client):
    rating = rating_of(commune.period, commune.deputy, SubjectType.LEADER_YEARLY)
    leadership = commune.users["unit_leadership"]
    products_save(actor=leadership, rating=rating, expected_version=rating.version,
                  rows=[ProductRow(pk=None, title="Đề án chuyển đổi số")])
    rating.refresh_from_db()
    products_approve(actor=leadership, rating=rating, expected_version=rating.version)
    rating.refresh_from_db()
    first = rating.products.get()
    products_save(actor=leadership, rating=rating, expected_version=rating.version,
                  rows=[ProductRow(pk=first.pk, title=first.title), ProductRow(pk=None, title="Tập huấn cán bộ thôn")])
    added = rating.products.get(title="Tập huấn cán bộ thôn")
    assert added.approved_at is None and rating.products.get(pk=first.pk).approved_at is not None
    client.force_login(leadership)
    page = client.get(reverse("appraisal:rating_products", args=[rating.pk])).content.decode()
    assert page.count("Đã phê duyệt ") == 1
    assert "chưa phê duyệt</span> thêm sau khi danh mục được duyệt" in page
    assert "Danh mục sản phẩm (2, 1 chưa phê duyệt)" in client.get(rating.get_absolute_url()).content.decode()
    lines = [line.label for row in audit_rows(object_history(rating)) for line in row.lines]
    assert "Thêm nhiệm vụ 2 (chưa phê duyệt)" in lines


def _fail_quarter(commune, period) -> Rating:
    rating = rating_of(period, commune.deputy, SubjectType.LEADER_QUARTERLY)
    rating = score(commune.users["unit_leadership"], rating, {c.code: "0" for c in _leaves(rating)},
                   tasks={"tasks_assigned": "4", "tasks_done": "1"})
    return rating


def test_leaders_with_two_consecutive_failed_quarters_are_listed_for_the_year(commune, client):
    """The engine flags the second KHTNV quarter in a row [002 §8.2]; the standing committee sees
    every flagged leader of the year on one list (from any of the year's periods)."""
    q1, q2 = _quarter(commune, 1), _quarter(commune, 2)
    first = _fail_quarter(commune, q1)
    assert first.condition_level == "KHTNV" and not first.flags
    rating_submit(actor=commune.users["unit_leadership"], rating=first, expected_version=first.version)
    first.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["unit_leadership"], rating=first, expected_version=first.version,
                                    level="KHTNV", note="Tập thể lãnh đạo biểu quyết")
    second = _fail_quarter(commune, q2)
    assert [f["code"] for f in second.flags] == [selectors.FLAG_CONSECUTIVE_FAILED]
    client.force_login(commune.users["standing"])
    for period in (q1, q2):
        listing = client.get(reverse("appraisal:period_overdue", args=[period.pk])).content.decode()
        section = listing.split("02 quý liên tiếp không hoàn thành nhiệm vụ</h2>")[1]
        assert "Trần Thị Bình — Phó Chủ tịch UBND xã" in section and "Quý 2/2026" in section
        assert "Nguyễn Văn An" not in section
    assert "<strong>1</strong> phiếu của cán bộ có từ 02 quý liên tiếp" in client.get(q2.get_absolute_url()).content.decode()
    client.force_login(commune.users["cell_secretary"])  # outside the unit: not theirs to see
    listing = client.get(reverse("appraisal:period_overdue", args=[q2.pk])).content.decode()
    assert "Trần Thị Bình" not in listing


def test_the_overdue_page_takes_the_same_queries_whatever_the_rows(commune, client):
    period = commune.period
    Period.objects.filter(pk=period.pk).update(self_assessment_due=dt.date(2025, 12, 10),
                                               decision_due=dt.date(2025, 12, 20))
    client.force_login(commune.users["staff"])
    url = reverse("appraisal:period_overdue", args=[period.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(8):
        MemberFactory(full_name=f"Đảng viên Mới {i}", card_number=f"N{i:07d}", cell=commune.village,
                      admitted_on=dt.date(2010, 1, 1))
    period_services.period_open(actor=commune.users["staff"], period=period)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Đảng viên Mới 7" in response.content.decode()
    assert len(many) == len(few)
