"""Under the Content-Security-Policy, pages and the admin load without a violation and htmx works."""
import pytest
from django.urls import reverse

from core.models import Role
from tests.browser.test_secretary_journey import browser_page  # noqa: F401  (fixture)
from tests.browser.test_secretary_journey import pytestmark as browser_marks
from tests.factories import MemberFactory, UserFactory, user_with_role

pytestmark = [*browser_marks, pytest.mark.slow]


def test_pages_raise_no_csp_violation_and_htmx_loads_without_inline_style(live_server, tree, browser_page):  # noqa: F811
    MemberFactory(full_name="Nguyễn Văn Ánh", card_number="A0000001", cell=tree["cell_a"])
    user_with_role(Role.STAFF, username="bxd")
    UserFactory(username="quantri", is_superuser=True, is_staff=True)
    page = browser_page
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Tên đăng nhập").fill("bxd")
    page.get_by_label("Mật khẩu").fill("matkhau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, đồng chí bxd").wait_for()
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('head style').length") == 0

    for name, args in [("orgs:tree", []), ("orgs:detail", [tree["cell_a"].pk]), ("members:search", []),
                       ("core:audit", []), ("orgs:placement_rules", [])]:
        page.goto(live_server.url + reverse(name, args=args))
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "quantri")
    page.fill("#id_password", "matkhau-thu-nghiem")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:orgs_partyorganization_changelist"))
    page.goto(live_server.url + reverse("admin:orgs_partyorganization_change", args=[tree["root"].pk]))
    assert not violations, violations
