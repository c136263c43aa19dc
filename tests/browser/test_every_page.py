"""Every page reachable from home, for every role, on a 390 × 844 phone [issue 14]: no page is
wider than the screen, and none has a serious or critical accessibility violation (axe-core).

The commune of tests/appraisal/workflow.py is opened for the year, two members are scored,
handed in and proposed by a meeting, so the grid, the meeting minutes, the verification queue and
the quota page have something on them. tests/browser/crawl.py follows the links (one page per
URL name) once per role, checking both on each page; the test prints how many pages it opened.
"""
import pytest

from core.models import Role
from tests.appraisal.test_workflow_process import _meeting, _ready
from tests.appraisal.workflow import build_commune, open_year
from tests.browser.crawl import PHONE, crawl, sign_in
from tests.browser.test_rating_journey import PASSWORD
from tests.browser.test_secretary_journey import CHROMIUM, browser_page  # noqa: F401
from tests.factories import UserFactory, user_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: apt-get install -y chromium"),
]

# The demo's accounts (README): the same roles over the test commune; "" is nobody signed in (the
# sign-in page and the pages it links to).
ROLES = ["", "quantri", "bxd", "btv", "xem", "bithu_thon", "bithu_dbcs", "lanhdao", "dangvien", "canbo"]


@pytest.fixture
def commune(db):
    commune = build_commune()
    open_year(commune)
    ratings = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    _meeting(commune, ratings, [(10, 0, 0, 0), (9, 1, 0, 0)])
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    user_with_role(Role.STAFF, username="bxd_2")  # a second account on the accounts page
    return commune


@pytest.mark.parametrize("username", ROLES, ids=lambda username: username or "anonymous")
def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violation(
    live_server, commune, browser_page, username,  # noqa: F811
):
    """One crawl per role at phone size checks both: no page wider than the screen, and no
    serious or critical axe-core violation (each failure lists its pages)."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python").Axe()
    page = browser_page
    if username:
        sign_in(page, live_server.url, username, PASSWORD)
    found = []

    def check(page, visit):
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append((visit.url[len(live_server.url):], violation["id"], violation["help"], targets))

    visits = crawl(page, live_server.url, check=check)
    print(f"\n{username or 'anonymous'}: {len(visits)} pages at {PHONE['width']}×{PHONE['height']}, axe-core on each")
    assert len(visits) >= (1 if not username else 3)
    wide = [(v.url[len(live_server.url):], v.width, v.widest) for v in visits if v.width > PHONE["width"]]
    problems = [f"wider than the phone: {w}" for w in wide] + [f"accessibility: {f}" for f in found]
    assert not problems, "\n".join(problems)
