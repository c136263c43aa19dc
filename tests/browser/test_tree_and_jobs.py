"""htmx in a real headless Chromium: a folded tree opens a node in place; a job's page follows the
job to its end without reloading."""
import pytest

from core.models import Job, JobStatus, Role
from orgs.models import OrgKind
from tests.browser.test_secretary_journey import CHROMIUM, browser_page  # noqa: F401 (a fixture)
from tests.factories import OrgFactory, user_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: apt-get install -y chromium"),
]


def _sign_in(page, live_server, username):
    page.goto(live_server.url + "/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name=f"Xin chào, đồng chí {username}").wait_for()


def test_a_folded_node_opens_in_place(live_server, browser_page):  # noqa: F811
    """Three communes of 40 cells: the tree shows the communes; opening one loads its cells there."""
    for c in range(3):
        root = OrgFactory(code=f"P{c}", name=f"Đảng bộ xã Thử {c}", kind=OrgKind.ROOT, sort_order=c)
        for i in range(40):
            OrgFactory(code=f"P{c}-{i}", name=f"Chi bộ thôn Nậm {c}-{i}", kind=OrgKind.ROOT_CELL, parent=root)
    user_with_role(Role.STAFF, username="bxd_cay")
    page = browser_page
    _sign_in(page, live_server, "bxd_cay")
    page.goto(live_server.url + "/to-chuc/")
    page.evaluate("window.__sameDocument = true")
    assert page.get_by_text("Chi bộ thôn Nậm 1-7", exact=True).count() == 0

    page.locator("summary", has_text="Đảng bộ xã Thử 1").click()

    page.get_by_role("link", name="Chi bộ thôn Nậm 1-7", exact=True).wait_for()
    assert page.locator("#cay details[open] .org-leaf").count() == 40
    assert page.evaluate("window.__sameDocument") is True  # loaded in place, no new page
    assert page.get_by_text("Chi bộ thôn Nậm 0-7", exact=True).count() == 0


def test_a_jobs_page_follows_it_to_the_end_without_reloading(live_server, browser_page):  # noqa: F811
    user = user_with_role(Role.STAFF, username="bxd_viec")
    job = Job.objects.create(kind="test", title="Nhập tệp lớn", actor=user, status=JobStatus.RUNNING,
                             done=10, total=40, step="Đang đọc trang tính 'Đảng viên'")
    page = browser_page
    _sign_in(page, live_server, "bxd_viec")
    page.goto(live_server.url + job.get_absolute_url())
    page.get_by_text("10 / 40 (25%)").wait_for()
    page.evaluate("window.__sameDocument = true")

    Job.objects.filter(pk=job.pk).update(done=30)
    page.get_by_text("30 / 40 (75%)").wait_for()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result={"message": "Đã nhập tệp: 40 thay đổi."})
    page.get_by_text("Đã nhập tệp: 40 thay đổi.").wait_for()

    assert page.evaluate("window.__sameDocument") is True
    assert page.locator("[hx-trigger]").count() == 0  # finished: no more polling
