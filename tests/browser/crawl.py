"""Open every page reachable from the home page, as one signed-in account, in a real browser.

Used by the phone-width and accessibility tests (tests/browser/test_every_page.py) and, by hand,
against the demo: `python -m tests.browser.crawl http://127.0.0.1:8000 bithu bithu@2025`.

Links are followed breadth-first from "/", on this site only; one page per URL name is opened (a
second member's page tells nothing the first did not), downloads, sign-out and Django's admin
are left out. Each page is measured at a phone's size: the document's width against the
viewport's, and the widest element when it is wider.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

PHONE = {"width": 390, "height": 844}
SKIP_PATHS = ("/dang-xuat/", "/quan-tri/", "/static/", "/media/")
# Links to files, not pages: their names or texts say so.
DOWNLOAD = re.compile(r"(\.pdf|\.xlsx|/tai-|/tai/|/xuat|pdf/|xlsx/|excel)", re.IGNORECASE)

# The widest element of a page wider than the viewport, to say where to look.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  let worst = null;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && (!worst || box.right > worst.right)) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden') { inScroller = true; break; }
      }
      if (!inScroller || !worst) worst = {scroller: inScroller, right: Math.round(box.right), tag: el.tagName.toLowerCase(), cls: el.className && String(el.className), text: (el.innerText || '').slice(0, 60)};
    }
  }
  return worst;
}"""


@dataclass
class Visit:
    url: str
    name: str
    width: int
    widest: dict | None = None
    problems: list = field(default_factory=list)


def url_name(path: str) -> str:
    """The page's URL name ("appraisal:grid"), or the path if it resolves to none."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return f"{match.namespace}:{match.url_name}" if match.namespace else (match.url_name or path)


def links(page, base: str) -> list[str]:
    """The same-site page links on the page, absolute, without fragments."""
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])",
        "els => els.map(a => [a.getAttribute('href'), (a.innerText || '').trim()])",
    )
    found = []
    for href, text in hrefs:
        if not href or href.startswith(("#", "mailto:", "javascript:")) or text.startswith("Tải"):
            continue
        url = urljoin(page.url, href).split("#")[0]
        if not url.startswith(base):
            continue
        path = url[len(base):] or "/"
        if path.startswith(SKIP_PATHS) or DOWNLOAD.search(path):
            continue
        found.append(url)
    return found


def crawl(page, base: str, *, limit: int = 80, check=None, size=PHONE) -> list[Visit]:
    """Visit the pages reachable from home (one per URL name, at most `limit`) in a window of
    `size`, calling `check(page, visit)` on each; return the visits."""
    page.set_viewport_size(size)
    seen_names: set[str] = set()
    queue = deque([base + "/"])
    visits = []
    while queue and len(visits) < limit:
        url = queue.popleft()
        name = url_name(url[len(base):])
        if name in seen_names:
            continue
        seen_names.add(name)
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        width = page.evaluate("() => document.documentElement.scrollWidth")
        visit = Visit(url, name, width)
        if width > size["width"]:
            visit.widest = page.evaluate(WIDEST)
        if check is not None:
            check(page, visit)
        visits.append(visit)
        queue.extend(u for u in links(page, base) if url_name(u[len(base):]) not in seen_names)
    return visits


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/$"))


if __name__ == "__main__":  # by hand, against a running demo
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from playwright.sync_api import sync_playwright

    base, username, password = sys.argv[1:4]
    run_axe = "--axe" in sys.argv
    size = {"width": 1024, "height": 768} if "--desktop" in sys.argv else PHONE
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless"])
        page = browser.new_page(locale="vi-VN")
        sign_in(page, base, username, password)

        def report(page, visit):
            flag = "WIDE" if visit.width > size["width"] else "ok  "
            print(flag, visit.width, visit.name, visit.url[len(base):], visit.widest or "", flush=True)
            if run_axe:
                from axe_playwright_python.sync_playwright import Axe

                for v in Axe().run(page).response["violations"]:
                    if v["impact"] in ("serious", "critical") or "--all" in sys.argv:
                        print("   AXE", v["impact"], v["id"], [n["target"] for n in v["nodes"]][:3])

        print(len(crawl(page, base, check=report, size=size)), "pages")
        browser.close()
