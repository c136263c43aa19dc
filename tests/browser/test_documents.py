"""Official documents in a real headless Chromium (issue 14): a file whose name has Vietnamese letters
downloads and is saved under that name; "Ban hành" is refused with each placeholder named."""
import datetime as dt
import re

import pytest

from appraisal.models import Decision, SubjectType
from core.models import Role
from reports import services
from reports.data import report_scope
from reports.documents import new_report
from reports.models import Report, ReportStatus
from reports.narrative import PLACEHOLDER
from tests.browser.test_rating_journey import sign_in
from tests.browser.test_secretary_journey import CHROMIUM, CHROMIUM_ARGS, browser_page  # noqa: F401
from tests.factories import user_with_role
from tests.reports.builders import Ratings, one_cell_commune, period

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: apt-get install -y chromium"),
]


@pytest.fixture
def commune(db):
    """Bình Lư with ten members decided by Quyết định 50-QĐ/ĐU, and a member of Ban Xây dựng Đảng."""
    root, _, people = one_cell_commune("B", 10, cell="Chi bộ thôn Nà Bó")
    r = Ratings()
    for i, m in enumerate(people):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTXSNV" if i < 2 else "HTTNV", number="50-QĐ/ĐU", member=m)
    r.save()
    staff = user_with_role(Role.STAFF, username="bxd")
    return root, staff


def test_a_decision_with_vietnamese_letters_in_its_name_downloads_under_that_name(live_server, commune,
                                                                                 browser_page, tmp_path):  # noqa: F811
    """ "Tải PDF" of 50-QĐ/ĐU: Chromium saves quyet-dinh-50-QĐ-ĐU.pdf, a PDF (it saved nothing before)."""
    root, _ = commune
    page, base = browser_page, live_server.url
    sign_in(page, base, "bxd")
    decision = Decision.objects.get()
    page.goto(f"{base}/bao-cao/quyet-dinh/2025/?to_chuc={root.pk}&qd={decision.pk}")
    page.get_by_role("heading", name="Quyết định số 50-QĐ/ĐU").wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải PDF").click()
    download = info.value
    assert download.suggested_filename == "quyet-dinh-50-QĐ-ĐU.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải Excel").click()
    assert info.value.suggested_filename == "quyet-dinh-50-QĐ-ĐU.xlsx"


def test_ban_hanh_is_refused_with_each_placeholder_named(live_server, commune, browser_page):  # noqa: F811
    """A draft (by staff) with the default text: the signer pressing "Ban hành" lists the opening's dots and each of the eighteen
    parts still to be written, by its place and title; the report stays a draft."""
    expect = pytest.importorskip("playwright.sync_api").expect
    root, staff = commune
    services.report_save(actor=staff, report=new_report(report_scope(root), 2025), header={}, narrative={},
                         expected_version=None)
    user_with_role(Role.STANDING, username="btv")  # the standing committee's signer issues [issue 15]
    page, base = browser_page, live_server.url
    sign_in(page, base, "btv")
    page.goto(f"{base}/bao-cao/nam/2025/?to_chuc={root.pk}")
    # The page lists what is left to do before anyone presses the button.
    expect(page.get_by_role("heading", name="Trước khi ban hành")).to_be_visible()
    page.get_by_label("Số báo cáo").fill("12")
    page.get_by_label("Ngày ban hành").fill(dt.date(2026, 1, 15).strftime("%d/%m/%Y"))
    page.get_by_label("Họ tên người ký").fill("Tạ Thị Dung")
    page.get_by_role("button", name="Ban hành").click()
    refusals = page.locator(".messages li", has_text="Chưa ban hành được")
    expect(refusals.first).to_be_visible()
    texts = refusals.all_inner_texts()
    assert "Chưa ban hành được — Đoạn mở đầu: còn chỗ trống «…-CV/TU, ngày …/…/…» chưa điền." in texts
    assert (f"Chưa ban hành được — Mục 3.4 phần I «Về trách nhiệm, thẩm quyền trong kiểm điểm»: còn «{PLACEHOLDER}» "
            "— hãy soạn nội dung hoặc bỏ mục này.") in texts
    named = [t for t in texts if PLACEHOLDER in t]
    assert len(named) == 18
    assert len({re.search(r"(Mục [\d.]+ phần [IV]+|Phần [IV]+)", t).group(1) for t in named}) == 18
    assert Report.objects.get(organization=root, year=2025).status == ReportStatus.DRAFT
