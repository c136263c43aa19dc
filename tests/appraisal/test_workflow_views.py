"""The rating process's pages: the grid (typing, saving, refusing, constant queries), its XLSX
twin, the locked decided level in every path including the admin, the member's own pages, the
home page's "việc cần làm" and opening a period as a background job."""
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.models import CriterionScore, PeriodStatus, Rating, RatingStatus
from appraisal.process.decisions import services as decision_services
from appraisal.process.meetings import services as meeting_services
from appraisal.process.ratings.services import rating_submit
from appraisal.process.verification import services as verification_services
from core.models import Job
from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    MEMBER_MAX,
    full_marks,
    rating_of,
    score,
)
from tests.factories import MemberFactory


def _grid_url(commune, cell=None):
    return reverse("appraisal:grid", args=[commune.period.pk, (cell or commune.village).pk])


def _post_grid(commune, ratings_values, action="luu", versions=None):
    data = {"action": action}
    for rating, values in ratings_values.items():
        data[f"row-{rating.pk}"] = "1"
        data[f"ver-{rating.pk}"] = str((versions or {}).get(rating.pk, rating.version))
        for code, value in values.items():
            data[f"v-{rating.pk}-{code}"] = value
        for name, value in EXCELLENT_TASKS.items():
            data[f"t-{rating.pk}-{name}"] = value
    return data


def test_the_grid_lists_every_member_to_score_with_an_input_per_criterion(commune, client):
    """One row per rated member of the cell (not the excluded), one input per criterion, keyboard-ready."""
    client.force_login(commune.users["secretary"])
    response = client.get(_grid_url(commune))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"):
        assert name in html
    assert "Vàng A Páo" not in html and "Hoàng Văn Em" not in html  # not rated
    assert html.count('name="v-') == 4 * len(MEMBER_MAX)
    assert 'list="muc-chat-luong"' in html and "js/grid.js" in html
    assert 'hx-trigger="input delay:400ms, change"' in html


def test_saving_the_grid_stores_every_row_and_shows_the_results(commune, client):
    """A whole-grid save stores each member's scores and the page shows the engine's level."""
    secretary = commune.users["secretary"]
    client.force_login(secretary)
    a = rating_of(commune.period, commune.members["Lê Văn Cường"])
    b = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    response = client.post(_grid_url(commune), _post_grid(commune, {a: full_marks(), b: {**full_marks(), "2.1": "25,5"}}))
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.total_score, b.total_score) == (Decimal("100.00"), Decimal("95.50"))
    page = client.get(_grid_url(commune)).content.decode()
    assert "95,5" in page and "level-HTTNV" in page


def test_a_grid_with_a_bad_cell_saves_nothing_and_keeps_what_was_typed(commune, client):
    """One wrong value: nothing saved, status 400, the typed values are still in the inputs and
    the wrong cell is marked with its message."""
    client.force_login(commune.users["secretary"])
    a = rating_of(commune.period, commune.members["Lê Văn Cường"])
    b = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    response = client.post(_grid_url(commune), _post_grid(commune, {a: full_marks(), b: {**full_marks(), "1.1": "6,001"}}))
    html = response.content.decode()
    assert response.status_code == 400
    assert not CriterionScore.objects.exists()
    assert 'value="6,001"' in html and 'aria-invalid="true"' in html
    assert "quá hai chữ số thập phân" in html


def test_a_stale_grid_save_is_refused_and_the_typed_values_stay(commune, client):
    """Two secretaries open the grid; the second to save the same member is refused (409) and
    sees what they typed, while the first one's scores are kept."""
    a = rating_of(commune.period, commune.members["Lê Văn Cường"])
    opened = a.version
    client.force_login(commune.users["secretary"])
    client.post(_grid_url(commune), _post_grid(commune, {a: full_marks()}, versions={a.pk: opened}))
    client.force_login(commune.users["staff"])
    response = client.post(_grid_url(commune), _post_grid(commune, {a: {**full_marks(), "1.1": "3"}}, versions={a.pk: opened}))
    assert response.status_code == 409
    assert 'value="3"' in response.content.decode()
    assert CriterionScore.objects.get(rating=a, criterion__code="1.1").points == Decimal("6.00")


def _form_values(html: str) -> dict[str, str]:
    """What a browser posts back from the page: every input's value, ticked boxes only."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and ('type="checkbox"' not in tag or " checked" in tag):
            data[name.group(1)] = value.group(1) if value else "on"
    return data


def test_saving_a_grid_nobody_touched_changes_nothing(commune, client):
    """Unticked boxes and empty fields are what was there before: no version claimed, no audit."""
    client.force_login(commune.users["secretary"])
    data = {**_form_values(client.get(_grid_url(commune)).content.decode()), "action": "luu"}
    before = list(Rating.objects.order_by("pk").values_list("pk", "version"))
    response = client.post(_grid_url(commune), data, follow=True)
    assert "Không có gì thay đổi để lưu." in response.content.decode()
    assert list(Rating.objects.order_by("pk").values_list("pk", "version")) == before


def test_typing_in_a_row_returns_its_total_level_and_reasons_without_saving(commune, client):
    """The htmx request of a row gets only the row's result partial, computed by the engine."""
    client.force_login(commune.users["secretary"])
    a = rating_of(commune.period, commune.members["Lê Văn Cường"])
    params = {f"v-{a.pk}-{code}": value for code, value in full_marks().items()}
    params.update({f"t-{a.pk}-{k}": v for k, v in EXCELLENT_TASKS.items()}, **{f"o-{a.pk}": "1"})
    url = reverse("appraisal:grid_row", args=[commune.period.pk, commune.village.pk, a.pk])
    response = client.get(url, params, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith(f'<td id="s-{a.pk}"') and "<html" not in html
    assert "100" in html and "level-HTXSNV" in html and "chưa lưu" in html
    bad = client.get(url, {f"v-{a.pk}-1.1": "9"}, HTTP_HX_REQUEST="true").content.decode()
    assert "điểm 9 phải từ 0 đến 6" in bad
    assert not CriterionScore.objects.exists()


def test_saving_and_handing_in_from_the_grid_submits_the_complete_rows(commune, client):
    """"Lưu và gửi" hands in the rows scored in full and names the others."""
    client.force_login(commune.users["secretary"])
    a = rating_of(commune.period, commune.members["Lê Văn Cường"])
    b = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    response = client.post(_grid_url(commune), _post_grid(commune, {a: full_marks(), b: {"1.1": "5"}}, action="gui"),
                           follow=True)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (RatingStatus.SUBMITTED, RatingStatus.DRAFT)
    assert "Phạm Thị Dung" in response.content.decode()


def _grid_queries(commune, client, cell):
    client.force_login(commune.users["staff"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_grid_url(commune, cell)).status_code == 200
    return len(ctx.captured_queries)


def test_the_grid_takes_the_same_number_of_queries_for_10_and_60_members(commune, client):
    """Rendering the grid does not query per member: 10 members and 60 cost the same."""
    from appraisal.process.periods.services import period_open
    from tests.factories import OrgFactory

    small = OrgFactory(code="THON10", name="Chi bộ thôn Mười", kind="root_cell", parent=commune.root)
    large = OrgFactory(code="THON60", name="Chi bộ thôn Sáu Mươi", kind="root_cell", parent=commune.root)
    for i in range(10):
        MemberFactory(cell=small, card_number=f"S{i:07d}")
    for i in range(60):
        MemberFactory(cell=large, card_number=f"L{i:07d}")
    period_open(actor=commune.users["staff"], period=commune.period)
    for rating in Rating.objects.filter(scope_org__in=[small, large], subject_type="member_yearly"):
        score(commune.users["staff"], rating, full_marks(), tasks=EXCELLENT_TASKS)
    _grid_queries(commune, client, small)  # warm the framework cache like a running server
    assert _grid_queries(commune, client, small) == _grid_queries(commune, client, large)


def _downloaded_grid(commune, client):
    """The village's grid as its secretary downloads it: the workbook, the header of «Chấm điểm»
    and its row of a member by name."""
    client.force_login(commune.users["secretary"])
    content = client.get(reverse("appraisal:grid_download", args=[commune.period.pk, commune.village.pk])).content
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Chấm điểm"]

    def row(name):
        return next(r for r in ws.iter_rows(min_row=5) if r[1].value == name)

    return wb, [c.value for c in ws[4]], row


def _upload_grid(commune, client, wb):
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "cham-diem.xlsx"
    return client.post(reverse("appraisal:grid_upload", args=[commune.period.pk, commune.village.pk]), {"tep": out})


def test_the_grid_round_trips_through_xlsx(commune, client):
    """Download the grid, fill a member's scores in Excel, upload it: the scores are saved."""
    wb, header, row_of = _downloaded_grid(commune, client)
    row = row_of("Lê Văn Cường")
    for code, value in full_marks().items():
        row[header.index(f"{code} (tối đa {MEMBER_MAX[code]})")].value = float(value)
    response = _upload_grid(commune, client, wb)
    assert response.status_code == 302
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    assert rating.total_score == Decimal("100.00")


def test_a_bad_xlsx_cell_names_sheet_row_and_column_and_saves_nothing(commune, client):
    """A value above the maximum in the upload is refused, naming «Chấm điểm», the row and the column."""
    wb, header, row_of = _downloaded_grid(commune, client)
    target = row_of("Lê Văn Cường")
    row_of("Phạm Thị Dung")[header.index("1.1 (tối đa 6)")].value = 5
    target[header.index("1.2 (tối đa 6)")].value = 7
    response = _upload_grid(commune, client, wb)
    html = response.content.decode()
    assert response.status_code == 400
    column = chr(ord("A") + header.index("1.2 (tối đa 6)"))
    assert f"Trang tính «Chấm điểm», dòng {target[0].row}, cột {column} (tiêu chí 1.2)" in html
    assert "điểm 7 phải từ 0 đến 6" in html
    assert not CriterionScore.objects.exists()


def test_a_broken_file_is_a_message_not_an_error(commune, client):
    """Bytes that are not a workbook get a Vietnamese message and change nothing."""
    client.force_login(commune.users["secretary"])
    bad = io.BytesIO(b"PK\x03\x04 not really a zip")
    bad.name = "hong.xlsx"
    response = client.post(reverse("appraisal:grid_upload", args=[commune.period.pk, commune.village.pk]), {"tep": bad})
    assert response.status_code == 400
    assert "hong.xlsx&#x27; không đọc được như bảng tính Excel" in response.content.decode()


def _decided(commune):
    (rating,) = [rating_of(commune.period, commune.members["Lê Văn Cường"])]
    rating = score(commune.users["secretary"], rating, full_marks(), tasks=EXCELLENT_TASKS)
    rating_submit(actor=commune.users["secretary"], rating=rating, expected_version=rating.version)
    rating.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["secretary"], rating=rating, expected_version=rating.version,
                           level="HTTNV", note="Chi bộ biểu quyết")
    rating.refresh_from_db()
    verification_services.rating_verify(actor=commune.users["staff"], rating=rating, expected_version=rating.version)
    rating.refresh_from_db()
    decision_services.ratings_decide(actor=commune.users["standing"], period=commune.period, levels={rating.pk: "HTTNV"},
                           versions={rating.pk: rating.version}, number="25-QĐ/ĐU", decided_on=dt.date(2025, 12, 20))
    rating.refresh_from_db()
    return rating


def test_a_decided_level_is_locked_in_the_pages(commune, client):
    """After the decision the scoring page says the rating is decided and locked and how it can
    change (not "no access"), even to Ban Xây dựng Đảng; a grid post of it is refused with that
    reason (not a green "nothing to save") and changes nothing."""
    rating = _decided(commune)
    client.force_login(commune.users["staff"])
    page = client.get(reverse("appraisal:rating_scores", args=[rating.pk]))
    text = page.content.decode()
    assert page.status_code == 409
    assert "Kết quả đã quyết định và đã khóa" in text and "Quyết định số 25-QĐ/ĐU" in text
    assert "xếp loại lại" in text and "Không có quyền truy cập" not in text
    assert reverse("appraisal:rating_rerate", args=[rating.pk]) in text
    posted = client.post(_grid_url(commune), _post_grid(commune, {rating: {**full_marks(), "1.1": "1"}}))
    shown = posted.content.decode()
    assert posted.status_code == 409
    assert "Lê Văn Cường: phiếu đang ở trạng thái «Đã quyết định», đã khóa" in shown
    assert "Không có gì thay đổi để lưu." not in shown
    rating.refresh_from_db()
    assert rating.approved_level == "HTTNV"
    assert CriterionScore.objects.get(rating=rating, criterion__code="1.1").points == Decimal("6.00")


def test_a_decided_level_is_locked_in_the_admin(commune, client):
    """The admin shows workflow records but refuses to change or delete them, even for a superuser."""
    from tests.factories import UserFactory

    rating = _decided(commune)
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:appraisal_rating_change", args=[rating.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"approved_level": "HTXSNV", "status": "decided"})
    assert response.status_code == 403
    assert client.post(reverse("admin:appraisal_rating_delete", args=[rating.pk]), {"post": "yes"}).status_code == 403
    rating.refresh_from_db()
    assert rating.approved_level == "HTTNV"


def test_the_member_sees_their_own_ratings_and_nobody_elses(commune, client):
    """A member's account lists its own ratings, opens them, and gets 404 on another member's."""
    client.force_login(commune.users["member"])
    own = rating_of(commune.period, commune.members["Lê Văn Cường"])
    other = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    page = client.get(reverse("appraisal:my_ratings")).content.decode()
    assert own.get_absolute_url() in page and other.get_absolute_url() not in page
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("appraisal:rating_scores", args=[own.pk])).status_code == 200
    assert client.get(reverse("appraisal:grid", args=[commune.period.pk, commune.village.pk])).status_code == 403


def test_each_roles_home_page_says_what_is_waiting(commune, client):
    """Secretary: members to score; member: their self-assessment; staff: proposals to verify;
    standing committee: ratings to decide."""
    client.force_login(commune.users["secretary"])
    assert "phiếu cần chấm điểm" in client.get(reverse("home")).content.decode()
    client.force_login(commune.users["member"])
    assert "bản tự đánh giá của đồng chí chưa gửi" in client.get(reverse("home")).content.decode()
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(commune.users["secretary"], rating, full_marks(), tasks=EXCELLENT_TASKS)
    rating_submit(actor=commune.users["secretary"], rating=rating, expected_version=rating.version)
    rating.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["secretary"], rating=rating, expected_version=rating.version,
                           level="HTTNV", note="Chi bộ biểu quyết")
    client.force_login(commune.users["staff"])
    assert "đề xuất cần thẩm định" in client.get(reverse("home")).content.decode()
    rating.refresh_from_db()
    verification_services.rating_verify(actor=commune.users["staff"], rating=rating, expected_version=rating.version)
    client.force_login(commune.users["standing"])
    assert "kết quả chờ quyết định" in client.get(reverse("home")).content.decode()


def test_opening_a_period_from_its_page_runs_as_a_job(commune, client):
    """Staff open a period with a button; a background job does it and reports what it added."""
    from appraisal.process.periods.services import period_create

    period = period_create(actor=commune.users["staff"], kind="quarter", year=2026, quarter=1,
                           evaluation_date=dt.date(2026, 3, 20))
    client.force_login(commune.users["staff"])
    response = client.post(reverse("appraisal:period_open", args=[period.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == "succeeded" and "thêm 2 phiếu" in job.result["message"]
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN


@pytest.mark.django_db(transaction=True)  # as a worker runs a job: not inside a transaction
def test_a_large_opening_refreshes_the_ratings_statistics(commune, client, monkeypatch):
    """An opening that writes many ratings runs ANALYZE on their table afterwards (the planner's
    row count follows); a small one does not."""
    from django.db import connection

    from appraisal import tasks
    from appraisal.process.periods.services import period_create

    def planned_rows() -> float | None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'appraisal_rating'")
                return cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return None
            # a row per index, its first number the entries counted: the full indexes hold every row
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'appraisal_rating'")
            return max((float(stat.split()[0]) for (stat,) in cursor.fetchall()), default=None)

    client.force_login(commune.users["staff"])
    small = period_create(actor=commune.users["staff"], kind="quarter", year=2026, quarter=1,
                          evaluation_date=dt.date(2026, 3, 20))
    before = planned_rows()
    client.post(reverse("appraisal:period_open", args=[small.pk]))
    assert planned_rows() == before  # 2 ratings: no ANALYZE

    monkeypatch.setattr(tasks, "ANALYZE_AFTER_ROWS", 2)
    again = period_create(actor=commune.users["staff"], kind="quarter", year=2026, quarter=2,
                          evaluation_date=dt.date(2026, 6, 20))
    client.post(reverse("appraisal:period_open", args=[again.pk]))
    assert Job.objects.filter(status="succeeded").count() == 2
    assert planned_rows() == Rating.objects.count()


def test_the_home_page_counts_members_rated_and_left_out_as_stored(commune, client):
    """The home page counts the newest yearly period's members: rated, and left out by reason."""
    client.force_login(commune.users["staff"])
    response = client.get(reverse("home"))
    board = response.context["board"]
    assert board.period == commune.period
    assert board.rated == 10
    assert {c.key: c.count for c in board.not_rated} == {"exempt": 1, "admitted_recently": 1}
    html = response.content.decode()
    assert "Miễn công tác và sinh hoạt đảng" in html and "Mới kết nạp dưới 06 tháng" in html
    client.force_login(commune.users["secretary"])
    board = client.get(reverse("home")).context["board"]
    assert (board.rated, board.not_rated_total) == (4, 2)  # the village cell only


# ------------------------------------------------------------------------- verify a whole group

def _proposed(commune, names):
    """The village cell's proposals for `names`, each scored, handed in and proposed HTTNV."""
    secretary = commune.users["secretary"]
    ratings = []
    for name in names:
        rating = score(secretary, rating_of(commune.period, commune.members[name]), full_marks(), tasks=EXCELLENT_TASKS)
        rating_submit(actor=secretary, rating=rating, expected_version=rating.version)
        rating.refresh_from_db()
        meeting_services.rating_propose(actor=secretary, rating=rating, expected_version=rating.version, level="HTTNV",
                               note="Chi bộ biểu quyết")
        rating.refresh_from_db()
        ratings.append(rating)
    return ratings


GROUP = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")


def test_staff_verify_a_whole_group_of_the_queue_at_once(commune, client):
    """The queue offers one button per group; it verifies every proposal shown, each audited."""
    from core.models import AuditEntry

    ratings = _proposed(commune, GROUP)
    client.force_login(commune.users["staff"])
    page = client.get(reverse("appraisal:verify_queue", args=[commune.period.pk])).content.decode()
    assert "Thẩm định cả 4 đề xuất của nhóm này" in page
    shown = re.findall(r'name="phieu" value="(\d+):(\d+)"', page)
    assert sorted(int(pk) for pk, _ in shown) == sorted(r.pk for r in ratings)

    response = client.post(reverse("appraisal:verify_group", args=[commune.period.pk]),
                           {"phieu": [f"{pk}:{v}" for pk, v in shown], "note": "Đúng quy trình"}, follow=True)

    assert "Đã thẩm định 4 đề xuất." in response.content.decode()
    assert set(Rating.objects.filter(pk__in=[r.pk for r in ratings]).values_list("status", flat=True)) == {
        RatingStatus.VERIFIED}
    audited = AuditEntry.objects.filter(action="rating.verify", object_id__in=[str(r.pk) for r in ratings])
    assert audited.count() == 4
    assert all(e.changes.get("Ý kiến thẩm định") == "Đúng quy trình" for e in audited)


def test_a_group_with_one_proposal_changed_since_is_refused_whole(commune, client):
    """If one proposal was changed after the page was shown, nothing of the group is verified
    and the message names whose proposal changed."""
    ratings = _proposed(commune, GROUP)
    shown = [f"{r.pk}:{r.version}" for r in ratings]
    changed = ratings[2]  # Lê Văn Cường: sent back and proposed again meanwhile
    verification_services.rating_return(actor=commune.users["staff"], rating=changed, expected_version=changed.version,
                          reason="Xem lại điểm")
    changed.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["secretary"], rating=changed, expected_version=changed.version,
                           level="HTTNV", note="Biểu quyết lại")
    client.force_login(commune.users["staff"])

    response = client.post(reverse("appraisal:verify_group", args=[commune.period.pk]), {"phieu": shown}, follow=True)

    text = response.content.decode()
    assert "Chưa thẩm định phiếu nào của nhóm" in text and "Lê Văn Cường" in text
    assert set(Rating.objects.filter(pk__in=[r.pk for r in ratings]).values_list("status", flat=True)) == {
        RatingStatus.PROPOSED}


@pytest.mark.parametrize("tampered", ["abc", "99999999:1", ""])
def test_a_group_naming_an_unknown_rating_changes_nothing(commune, client, tampered):
    ratings = _proposed(commune, GROUP[:2])
    client.force_login(commune.users["staff"])
    posted = [f"{r.pk}:{r.version}" for r in ratings] + ([tampered] if tampered else [])
    if not tampered:
        posted = []
    response = client.post(reverse("appraisal:verify_group", args=[commune.period.pk]), {"phieu": posted})
    assert response.status_code in (302, 404)
    assert set(Rating.objects.filter(pk__in=[r.pk for r in ratings]).values_list("status", flat=True)) == {
        RatingStatus.PROPOSED}


def test_verifying_a_group_takes_as_many_queries_for_three_as_for_one(commune, client):
    client.force_login(commune.users["staff"])
    counts = []
    for names in (GROUP[:1], GROUP[1:]):
        ratings = _proposed(commune, names)
        with CaptureQueriesContext(connection) as ctx:
            client.post(reverse("appraisal:verify_group", args=[commune.period.pk]),
                        {"phieu": [f"{r.pk}:{r.version}" for r in ratings]})
        assert set(Rating.objects.filter(pk__in=[r.pk for r in ratings]).values_list("status", flat=True)) == {
            RatingStatus.VERIFIED}
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
