"""The grid in a real headless Chromium [issue 14]: leaving with unsaved edits asks and keeps them
on cancel; the arrow keys move like a spreadsheet; two secretaries saving different members of
one cell both succeed, and the same member is refused by name with the typing kept."""
import re
from decimal import Decimal

import pytest

from appraisal.models import CriterionScore
from tests.appraisal.workflow import rating_of
from tests.browser.test_rating_journey import PASSWORD, sign_in
from tests.browser.test_secretary_journey import CHROMIUM, CHROMIUM_ARGS, browser_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: apt-get install -y chromium"),
]


def _open_grid(page, base, commune):
    page.goto(f"{base}/danh-gia/ky/{commune.period.pk}/cham-diem/{commune.village.pk}/")
    page.get_by_role("heading", name=re.compile("Chấm điểm: Chi bộ thôn Nà Bó")).wait_for()


def _box(page, rating, code):
    return page.locator(f"input[name='v-{rating.pk}-{code}']")


def _until(page, condition, seconds=10):
    """Wait for `condition()` (a dialog comes from the browser, not from the page's DOM)."""
    for _ in range(seconds * 10):
        if condition():
            return
        page.wait_for_timeout(100)


def test_leaving_the_grid_with_unsaved_edits_asks_and_cancel_keeps_them(live_server, commune, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    sign_in(page, base, "bithu_thon")
    _open_grid(page, base, commune)
    questions = []

    def answer(dialog):
        questions.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", answer)
    _box(page, cuong, "1.1").fill("5,5")
    assert page.locator("#grid-pending").inner_text() == "Có 1 đảng viên đã sửa, chưa lưu."
    page.get_by_role("navigation").get_by_role("link", name="Trang chủ").click()
    _until(page, lambda: questions)
    assert questions and questions[0][0] == "confirm" and "chưa lưu" in questions[0][1]
    assert "/cham-diem/" in page.url  # still on the grid
    assert _box(page, cuong, "1.1").input_value() == "5,5"

    # Reloading asks too (the browser's own question); dismissed, the typing stays.
    questions.clear()
    page.evaluate("() => { location.reload(); }")
    _until(page, lambda: questions)
    page.wait_for_timeout(300)  # no second question follows
    assert [kind for kind, _ in questions] == ["beforeunload"]
    assert _box(page, cuong, "1.1").input_value() == "5,5"

    # Typed back as it was: nothing to lose, the link leaves without asking.
    questions.clear()
    _box(page, cuong, "1.1").fill("")
    page.get_by_role("navigation").get_by_role("link", name="Trang chủ").click()
    page.get_by_role("heading", name=re.compile("Xin chào")).wait_for()
    assert questions == []


def test_arrow_keys_move_between_cells(live_server, commune, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    dung = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    sign_in(page, base, "bithu_thon")
    _open_grid(page, base, commune)
    rows = page.locator("table.score-grid tbody tr[id^='r-']")
    order = [int(rows.nth(i).get_attribute("id")[2:]) for i in range(rows.count())]
    above, below = (cuong, dung) if order.index(cuong.pk) < order.index(dung.pk) else (dung, cuong)
    assert order.index(below.pk) == order.index(above.pk) + 1

    def focused():
        return page.evaluate("() => document.activeElement.name")

    # Each box is named for a screen reader by its member and its criterion.
    named = page.get_by_label(re.compile(r"^Lê Văn Cường — tiêu chí 2\.2: "))
    assert named.count() == 1 and named.get_attribute("name") == f"v-{cuong.pk}-2.2"

    _box(page, above, "1.1").click()
    page.keyboard.press("ArrowRight")  # caret at the end of an empty box: next criterion
    assert focused() == f"v-{above.pk}-1.2"
    page.keyboard.press("ArrowDown")
    assert focused() == f"v-{below.pk}-1.2"
    page.keyboard.press("ArrowLeft")
    assert focused() == f"v-{below.pk}-1.1"
    page.keyboard.press("ArrowUp")
    assert focused() == f"v-{above.pk}-1.1"
    page.keyboard.type("45")
    page.keyboard.press("ArrowLeft")  # inside what is typed, the caret moves, not the focus
    assert focused() == f"v-{above.pk}-1.1"


def test_two_secretaries_save_different_members_and_the_same_member_is_refused(live_server, commune, browser_page):  # noqa: F811
    """Two tabs of two accounts opened at once: each saves another member, both are saved; then
    both change one member: the second is refused naming the member, the typing kept."""
    page, base = browser_page, live_server.url
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    dung = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    other = page.context.browser.new_context(locale="vi-VN").new_page()
    other.set_default_timeout(15_000)
    sign_in(page, base, "bithu_thon")
    other.goto(base + "/")
    other.get_by_label("Tên đăng nhập").fill("bxd")
    other.get_by_label("Mật khẩu").fill(PASSWORD)
    other.get_by_role("button", name="Đăng nhập").click()
    other.get_by_role("heading", name=re.compile("Xin chào")).wait_for()
    _open_grid(page, base, commune)
    _open_grid(other, base, commune)

    _box(page, cuong, "1.1").fill("5")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã lưu 1 phiếu.").wait_for()
    _box(other, dung, "1.1").fill("4")
    other.get_by_role("button", name="Lưu", exact=True).click()
    other.get_by_text("Đã lưu 1 phiếu.").wait_for()
    assert CriterionScore.objects.get(rating=cuong, criterion__code="1.1").points == Decimal("5")
    assert CriterionScore.objects.get(rating=dung, criterion__code="1.1").points == Decimal("4")

    # Both pages now show Cường at the version just saved; one saves him, then the other.
    _box(page, cuong, "1.2").fill("3")
    _box(other, cuong, "1.2").fill("2")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã lưu 1 phiếu.").wait_for()
    other.get_by_role("button", name="Lưu", exact=True).click()
    other.get_by_text(re.compile("Lê Văn Cường: vừa được người khác lưu")).wait_for()
    assert _box(other, cuong, "1.2").input_value() == "2"
    assert CriterionScore.objects.get(rating=cuong, criterion__code="1.2").points == Decimal("3")
    other.context.close()


def test_every_editing_page_asks_before_leaving_unsaved_edits(live_server, commune, browser_page):  # noqa: F811
    """The rating's scores, the self-assessment, the work products, the meeting form and the year-end
    report's text: a typed,
    unsaved change asks before a link leaves; cancelled, the page and the typing stay."""
    from appraisal.models import Rating
    from tests.appraisal.test_workflow_process import _ready

    page, base = browser_page, live_server.url
    _ready(commune, ["Nguyễn Văn An"])  # handed in: the meeting form has someone to vote on
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    dung = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    binh = Rating.objects.get(leader_position=commune.deputy, period=commune.period, is_live=True)
    questions = []

    def answer(dialog):
        questions.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    cases = [
        ("bxd", f"/bao-cao/nam/{commune.period.year}/sua/", "#id_basis", "Căn cứ Hướng dẫn số 01-HD/TU."),
        ("bithu_thon", f"/danh-gia/phieu/{dung.pk}/cham-diem/", "input[name='v-1.1']", "4"),
        ("bithu_thon", f"/danh-gia/ky/{commune.period.pk}/hoi-nghi/them/?to_chuc={commune.village.pk}",
         "input[name='chair']", "Đồng chí Bí thư"),
        ("dangvien", f"/danh-gia/phieu/{cuong.pk}/tu-kiem-diem/", "textarea[name='strengths']", "Gương mẫu."),
        ("canbo", f"/danh-gia/phieu/{binh.pk}/san-pham/", "#id_sp-0-title", "Đề án chuyển đổi số"),
    ]
    for username, url, field, value in cases:
        sign_in(page, base, username)
        page.goto(base + url)
        page.locator(field).fill(value)
        questions.clear()
        page.get_by_role("navigation").get_by_role("link", name="Trang chủ").click()
        _until(page, lambda: questions)
        assert questions == ["confirm"], url
        assert page.url == base + url and page.locator(field).input_value() == value, url
        page.evaluate("() => document.querySelectorAll('form[data-unsaved]').forEach(f => f.reset())")  # clean again
