"""The rating process in a real headless Chromium, with real clicks and typing: a period opened,
a member's and a leader's self-assessment, the secretary's grid and meeting, the unit's
proposal, verification, the standing committee's decision, and a re-rating."""
import datetime as dt
import re
from decimal import Decimal

import pytest

from appraisal.models import Rating, RatingStatus, SubjectType
from members.models import Discipline, DisciplineForm
from tests.appraisal.workflow import build_commune
from tests.browser.test_secretary_journey import CHROMIUM, CHROMIUM_ARGS, browser_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: apt-get install -y chromium"),
]
PASSWORD = "matkhau-thu-nghiem"


def press(page, button, message):
    """Press the button and wait for the message the next page shows."""
    page.get_by_role("button", name=button).click()
    page.get_by_text(message).wait_for()


def sign_in(page, base, username):
    page.goto(base + "/")
    sign_out = page.get_by_role("button", name="Đăng xuất")
    if sign_out.count():
        sign_out.click()
    page.goto(base + "/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name=re.compile("Xin chào")).wait_for()


def test_from_opening_to_decision_and_rerating(live_server, db, browser_page):  # noqa: F811
    """Staff open the year; the member and the leader assess themselves; the secretary scores the
    cell in the grid and records the meeting; the unit proposes the leader; Ban Xây dựng Đảng
    verifies; the Ban Thường vụ decides and announces; a later discipline re-rates the member."""
    expect = pytest.importorskip("playwright.sync_api").expect
    commune = build_commune()
    page, base = browser_page, live_server.url

    # Ban Xây dựng Đảng creates and opens the period (a background job).
    sign_in(page, base, "bxd")
    page.get_by_role("navigation").get_by_role("link", name="Đánh giá, xếp loại").click()
    page.get_by_role("link", name="Thêm kỳ đánh giá").click()
    page.get_by_label("Loại kỳ").select_option("year")
    page.get_by_label("Năm").fill("2025")
    page.get_by_label("Thời điểm đánh giá").fill("15/12/2025")
    page.get_by_label("Hạn quyết định xếp loại").fill("20/12/2025")
    page.get_by_role("button", name="Tạo kỳ đánh giá").click()
    page.get_by_role("heading", name="Kỳ đánh giá Năm 2025").wait_for()
    press(page, "Mở kỳ đánh giá", re.compile(r"Đã mở kỳ đánh giá Năm 2025: thêm \d+ phiếu"))
    page.get_by_role("link", name="Xem kỳ đánh giá Năm 2025").click()
    page.get_by_role("heading", name="Kỳ đánh giá Năm 2025").wait_for()

    # The member writes their own self-assessment: scores typed, the bản tự kiểm điểm, handed in.
    sign_in(page, base, "dangvien")
    page.get_by_role("link", name=re.compile("bản tự đánh giá của đồng chí chưa gửi")).click()
    page.get_by_role("link", name=re.compile("Năm 2025")).first.click()
    page.get_by_role("link", name="Chấm điểm").click()
    for code, value in {"1.1": "6", "1.2": "5,5", "1.3": "Tốt", "1.4": "4", "1.5": "4", "1.6": "3,5",
                        "2.1": "27", "2.2": "38/40"}.items():
        page.locator(f"[id='v-{code}']").fill(value)
    page.get_by_label("Số nhiệm vụ được giao").fill("5")
    page.get_by_label("Số nhiệm vụ hoàn thành").fill("5")
    press(page, "Lưu", "Đã lưu điểm và tính lại kết quả.")
    assert "Hoàn thành tốt nhiệm vụ" in page.content()
    page.get_by_role("link", name="Bản tự kiểm điểm").click()
    page.get_by_label("Ưu điểm").fill("Gương mẫu, hoàn thành tốt nhiệm vụ được giao.")
    page.get_by_label("Hạn chế, khuyết điểm").fill("Có lúc chưa chủ động.")
    page.get_by_label("Tự nhận mức xếp loại").select_option("HTTNV")
    press(page, "Lưu", "Đã lưu bản tự kiểm điểm.")
    press(page, "Gửi tự đánh giá", "Đã gửi bản tự đánh giá, chấm điểm.")

    # The leader lists the quarter's products with their results and scores herself.
    sign_in(page, base, "canbo")
    page.get_by_role("navigation").get_by_role("link", name="Xếp loại của tôi").click()
    page.get_by_role("link", name="Phó Chủ tịch UBND xã").click()
    page.get_by_role("link", name=re.compile("Danh mục sản phẩm")).click()
    page.locator("#id_sp-0-title").fill("Hoàn thành đề án chuyển đổi số cấp xã")
    page.locator("#id_sp-0-completed").select_option("true")
    page.locator("#id_sp-0-on_time").select_option("true")
    page.locator("#id_sp-0-exceeded").check()
    page.locator("#id_sp-1-title").fill("Tổ chức tập huấn cho cán bộ thôn")
    page.locator("#id_sp-1-completed").select_option("true")
    page.locator("#id_sp-1-on_time").select_option("true")
    press(page, "Lưu danh mục", "Đã lưu danh mục sản phẩm, công việc.")
    page.get_by_role("link", name="Chấm điểm").click()
    for field in page.locator("input[name^='v-']").all():  # qualitative: a level; quantitative: done/planned
        field.fill("Tốt" if field.get_attribute("list") else "10/10")
    press(page, "Lưu", "Đã lưu điểm và tính lại kết quả.")
    press(page, "Gửi tự đánh giá", "Đã gửi bản tự đánh giá, chấm điểm.")

    # The secretary scores another member in the grid by keyboard; the result follows the typing.
    sign_in(page, base, "bithu_thon")
    page.get_by_role("navigation").get_by_role("link", name="Đánh giá, xếp loại").click()
    page.get_by_role("link", name="Năm 2025").click()
    page.locator("section", has_text="Chấm điểm đảng viên theo chi bộ").get_by_role(
        "link", name="Chi bộ thôn Nà Bó").click()
    page.get_by_role("heading", name=re.compile("Chấm điểm: Chi bộ thôn Nà Bó")).wait_for()
    dung = Rating.objects.get(member=commune.members["Phạm Thị Dung"], is_live=True)
    page.locator(f"input[name='v-{dung.pk}-1.1']").click()
    for value in ("5", "5", "Tốt", "3,5", "3,5", "3,5", "26", "36"):
        page.keyboard.type(value)
        page.keyboard.press("Enter")  # Enter moves on, like Tab
    page.keyboard.type("4")  # tasks assigned
    page.keyboard.press("Tab")
    page.keyboard.type("4")  # done
    result = page.locator(f"#s-{dung.pk}")
    # 5 + 5 + Tốt (70% of 6 = 4,2) + 3 × 3,5 + 26 + 36, recomputed by the server as typed.
    expect(result).to_contain_text("86,7 điểm · HTTNV (chưa lưu)")  # KHTNV until the tasks are typed
    press(page, "Lưu và gửi các phiếu đã chấm đủ", re.compile("Đã lưu 1 phiếu và gửi 1 phiếu"))
    dung.refresh_from_db()
    assert (dung.status, dung.total_score, dung.score_level) == (RatingStatus.SUBMITTED, Decimal("86.7"), "HTTNV")
    page.get_by_role("link", name="Ghi kết quả hội nghị").click()
    page.get_by_label("Ngày họp").fill("10/12/2025")
    page.get_by_label("Chủ trì").fill("Đồng chí Bí thư chi bộ")
    page.get_by_label("Số được triệu tập").fill("12")
    page.get_by_label("Số có mặt").fill("10")
    for label, value in (("Số phiếu phát ra", "10"), ("Số phiếu thu về", "10"), ("Số phiếu hợp lệ", "10"),
                         ("Số phiếu không hợp lệ", "0")):
        page.get_by_label(label).fill(value)
    cuong = Rating.objects.get(member=commune.members["Lê Văn Cường"], is_live=True)
    for rating in (cuong, dung):
        page.locator(f"input[name='e-{rating.pk}']").fill("1")
        page.locator(f"input[name='g-{rating.pk}']").fill("8")
        page.locator(f"input[name='p-{rating.pk}']").fill("1")
    page.get_by_role("button", name="Ghi kết quả và đề xuất").click()
    page.get_by_role("heading", name=re.compile("BIÊN BẢN KIỂM PHIẾU")).wait_for()
    minutes = page.content()  # the rule once above the rows; each row the member's votes and level
    assert minutes.count("C.IV.11") == 1 and minutes.count("Hoàn thành tốt nhiệm vụ</span></td>") == 2

    # The unit leadership proposes the leader.
    sign_in(page, base, "lanhdao")
    leader = Rating.objects.get(leader_position=commune.deputy, subject_type=SubjectType.LEADER_YEARLY)
    page.goto(base + leader.get_absolute_url())
    page.get_by_label("Mức đề xuất").select_option("HTTNV")
    page.get_by_label(re.compile("Căn cứ đề xuất")).fill("Tập thể lãnh đạo UBND xã bỏ phiếu: 5/5 phiếu HTTNV.")
    press(page, "Đề xuất", "Đã đề xuất mức xếp loại.")

    # Ban Xây dựng Đảng verifies the three proposals from its queue.
    sign_in(page, base, "bxd")
    page.get_by_role("link", name=re.compile("đề xuất cần thẩm định")).click()
    for _ in range(3):
        page.get_by_role("button", name="Đã thẩm định").first.click()
        page.get_by_text(re.compile("Đã thẩm định:")).wait_for()
    assert "Không có đề xuất nào chờ thẩm định." in page.content()

    # The Ban Thường vụ decides the batch with a number and a date, and announces it.
    sign_in(page, base, "btv")
    page.get_by_role("link", name=re.compile("kết quả chờ quyết định")).click()
    page.get_by_label("Số quyết định").fill("25-QĐ/ĐU")
    page.get_by_label("Ngày quyết định").fill("20/12/2025")
    press(page, "Ghi quyết định", re.compile("Đã ghi Quyết định số 25-QĐ/ĐU"))
    press(page, "Thông báo kết quả", "Đã thông báo 3 kết quả xếp loại.")
    cuong.refresh_from_db()
    leader.refresh_from_db()
    assert (cuong.status, cuong.self_level, cuong.proposed_level, cuong.approved_level) == (
        RatingStatus.DECIDED, "HTTNV", "HTTNV", "HTTNV")
    assert leader.approved_level == "HTTNV" and leader.decision_number == "25-QĐ/ĐU"

    # A discipline decided later for a violation in 2025: Ban Xây dựng Đảng re-rates the member,
    # the Ban Thường vụ decides it (QĐ 01); the member's history keeps both.
    Discipline.objects.create(member=cuong.member, form=DisciplineForm.WARNING, decided_on=dt.date(2026, 3, 1),
                              violation_on=dt.date(2025, 10, 1), decision_number="03-QĐ/UBKT")
    sign_in(page, base, "bxd")
    page.goto(base + cuong.get_absolute_url())
    page.get_by_role("link", name="Xếp loại lại").click()
    page.get_by_label(re.compile("Căn cứ xếp loại lại")).fill("Quyết định kỷ luật số 03-QĐ/UBKT, vi phạm ngày 01/10/2025.")
    press(page, "Mở việc xếp loại lại", re.compile("Đã mở việc xếp loại lại"))
    assert "Không hoàn thành nhiệm vụ" in page.content()
    page.get_by_label("Mức đề xuất").select_option("KHTNV")
    page.get_by_label(re.compile("Căn cứ đề xuất")).fill("Xếp loại lại theo mục C.IV.9 Hướng dẫn 19.")
    press(page, "Đề xuất", "Đã đề xuất mức xếp loại.")
    sign_in(page, base, "btv")
    page.get_by_role("link", name=re.compile("kết quả chờ quyết định")).click()
    page.get_by_label("Số quyết định").fill("30-QĐ/ĐU")
    page.get_by_label("Ngày quyết định").fill("10/03/2026")
    press(page, "Ghi quyết định", re.compile("Đã ghi Quyết định số 30-QĐ/ĐU"))
    sign_in(page, base, "dangvien")
    page.get_by_role("navigation").get_by_role("link", name="Xếp loại của tôi").click()
    history = page.locator("table").inner_text()
    assert "KHTNV" in history and "HTTNV" in history and "xếp loại lại" in history
