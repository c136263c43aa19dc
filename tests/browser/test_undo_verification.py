"""Undoing a verification in a real headless Chromium: Ban Xây dựng Đảng verifies from the queue,
undoes it from the queue, verifies again and undoes it from the rating's page; each time the
proposal is back to "Đã đề xuất" and the audit trail says so."""
import re

import pytest

from appraisal.models import Rating, RatingStatus
from core.models import AuditEntry
from tests.appraisal.test_workflow_process import _meeting, _ready
from tests.appraisal.workflow import build_commune, open_year
from tests.browser.test_rating_journey import sign_in
from tests.browser.test_secretary_journey import CHROMIUM, browser_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: apt-get install -y chromium"),
]


def test_a_verification_is_undone_from_the_queue_and_the_rating_page(live_server, db, browser_page):  # noqa: F811
    expect = pytest.importorskip("playwright.sync_api").expect
    commune = build_commune()
    open_year(commune)
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(0, 10, 0, 0)])
    page, base = browser_page, live_server.url

    sign_in(page, base, "bxd")
    page.get_by_role("link", name=re.compile("đề xuất cần thẩm định")).click()
    page.get_by_role("button", name="Đã thẩm định").first.click()
    page.get_by_text("Đã thẩm định: Lê Văn Cường.").wait_for()
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.VERIFIED

    # Verified by mistake: undone from the queue, where the verified proposals wait for the decision.
    done = page.locator("section, table", has_text="Lê Văn Cường").last
    expect(page.get_by_role("heading", name=re.compile(r"Đã thẩm định, chờ quyết định \(1\)"))).to_be_visible()
    done.get_by_role("button", name=re.compile("Bỏ thẩm định")).click()
    page.get_by_text(re.compile("Đã bỏ thẩm định: Lê Văn Cường trở về «Đã đề xuất»")).wait_for()
    expect(page.get_by_role("heading", name=re.compile("Đã thẩm định, chờ quyết định"))).to_have_count(0)
    expect(page.get_by_role("button", name="Đã thẩm định")).to_have_count(1)  # waiting in the queue again
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.PROPOSED

    # Verified again, then undone from the rating's own page, with a reason.
    page.get_by_role("button", name="Đã thẩm định").click()
    page.get_by_text("Đã thẩm định: Lê Văn Cường.").wait_for()
    page.get_by_role("link", name="Lê Văn Cường").first.click()
    page.get_by_role("heading", name=re.compile("Lê Văn Cường — Năm 2025")).wait_for()
    page.get_by_label(re.compile("Lý do bỏ thẩm định")).fill("Cần xem lại biên bản kiểm phiếu")
    page.get_by_role("button", name="Bỏ thẩm định").click()
    page.get_by_text(re.compile("Đã bỏ thẩm định: Lê Văn Cường")).wait_for()
    expect(page.locator("table.levels")).to_contain_text("Đã đề xuất")
    expect(page.locator("table.audit")).to_contain_text("Cần xem lại biên bản kiểm phiếu")
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.PROPOSED
    assert AuditEntry.objects.filter(action="rating.unverify", object_id=str(rating.pk)).count() == 2
