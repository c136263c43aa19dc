"""A secretary's first visit, in a real headless Chromium against the live server."""
from pathlib import Path

import pytest

from core.models import Role
from tests.factories import MemberFactory, user_with_role

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: apt-get install -y chromium"),
]


@pytest.fixture
def browser_page(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'playwright>=1.45,<2'")
    # The sync API runs an event loop in this thread; the ORM calls of the fixtures are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(locale="vi-VN")
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_secretary_finds_a_member_without_tones(live_server, tree, browser_page):
    """Log in, open the tree, the cell, search “nguyen van anh”, open Nguyễn Văn Ánh's page."""
    cell = tree["cell_a"]
    MemberFactory(full_name="Nguyễn Văn Ánh", card_number="A0000001", cell=cell)
    MemberFactory(full_name="Nguyễn Văn Bình", card_number="A0000002", cell=cell)
    MemberFactory(full_name="Trần Văn Anh", card_number="B0000001", cell=tree["cell_b"])
    user_with_role(Role.SECRETARY, organization=cell, username="bithu_toan")
    page = browser_page

    page.goto(live_server.url + "/")
    assert page.title().startswith("Đăng nhập")
    page.get_by_label("Tên đăng nhập").fill("bithu_toan")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, đồng chí bithu_toan").wait_for()

    page.get_by_role("navigation").get_by_role("link", name="Tổ chức đảng").click()
    page.get_by_role("heading", name="Tổ chức đảng").wait_for()
    assert page.get_by_role("link", name="Chi bộ Tổ Văn").count() == 0  # outside the scope
    page.get_by_role("link", name="Chi bộ Tổ Toán").click()

    page.get_by_role("heading", name="Chi bộ Tổ Toán").wait_for()
    page.get_by_role("searchbox").fill("nguyen van anh")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_text("1 đảng viên khớp với “nguyen van anh”").wait_for()
    assert page.get_by_role("link", name="Nguyễn Văn Bình").count() == 0

    page.get_by_role("link", name="Nguyễn Văn Ánh").click()
    page.get_by_role("heading", name="Nguyễn Văn Ánh").wait_for()
    assert "A0000001" in page.content()
    assert page.get_by_role("link", name="Sửa hồ sơ").is_visible()
