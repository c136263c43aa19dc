"""manage.py bench_serve --users 50 --seconds 120: a province served by scripts/serve, under simulated users.

    DATABASE_URL=postgres://…/scale_prov manage.py bench_serve [--users 50] [--seconds 120] [--without dashboard]

Starts `scripts/serve` as production runs it (gunicorn with 4 web processes, 2 background workers,
the production settings, PostgreSQL) on a free port and waits for `/suc-khoe/`. The database needs
an open yearly period with members still to score (draft ratings): the latest such is used, or this
year's is created and opened through the period services (the whole province, once: about a minute
at 500,000 members). Each
simulated user is the secretary of its own cell (accounts `bench-serve-bithu-NN`, made or moved
here) and also signs in as party-building staff (`bench-serve-bxd`): both sign in through the
login form (CSRF token and all). Then for `--seconds` each user repeats, after a think of about
`--think` seconds (uniformly 0.5–1.5 ×), one request drawn from MIX:
- grid: its cell's grid (GET);
- preview: one row with new values, as htmx asks while typing (GET, HX-Request);
- save: that row with the version the grid showed (POST, answered by a redirect);
  a preview or save with no grid open yet (or just saved) opens the grid instead;
- queue: the period's verification queue (staff);
- dashboard: the home page (staff: the whole province);
- report: the year-end BÁO CÁO of the user's commune as XLSX (staff).
An error is an answer other than the expected status, or no answer. Then the server is stopped
(SIGTERM to its process group). Per kind: count, errors, p50/p95; the last line is
`users=… requests=… errors=… p95_ms=… p50_ms=… rps=… seconds=… think_ms=… <kind>_p95_ms=…`.
"""
import html
import http.client
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Period, PeriodKind, PeriodStatus, Rating, RatingStatus, SubjectType
from appraisal.process.periods.services import period_create, period_open
from benchmarks.web import database_url, percentile_ms, request, wait_for
from core.bulk import refresh_statistics
from core.models import Role, RoleAssignment
from orgs.models import OrgKind, PartyOrganization

# (kind, weight): a secretary opens the grid, types (each pause asks a preview), saves now and
# then; staff look at the queue, the dashboard and a report less often.
MIX = (("grid", 3), ("preview", 4), ("save", 2), ("queue", 1), ("dashboard", 1), ("report", 1))
EXPECTED = {"grid": 200, "preview": 200, "save": 302, "queue": 200, "dashboard": 200, "report": 200}
THINK_SECONDS = 5.0
CELL_KINDS = (OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL)
PREFIX = "bench-serve"
LEVEL_WORDS = ("Xuất sắc", "Tốt", "Trung bình")
TASKS = {"tasks_assigned": "4", "tasks_done": "4", "tasks_exceeded": "1"}

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROW = re.compile(r'<tr id="r-(\d+)" hx-get="([^"]+)"(.*?)</tr>', re.S)
INPUT = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
MAXIMUM = re.compile(r'<th scope="col" class="num" title="[^"]*">([^<]+)<br><span class="muted">/([^<]+)</span></th>')


@dataclass
class GridRow:
    pk: int
    url: str  # the row's preview (htmx)
    fields: dict[str, str]  # what the form sends for the row, as shown
    levels: set[str]  # the fields that take a level's name


@dataclass
class GridPage:
    token: str
    rows: list[GridRow]
    maxima: dict[str, float]  # criterion code → its most points


def parse_grid(page: str) -> GridPage:
    """The CSRF token, the editable rows and the criteria's maxima of a grid page."""
    token = TOKEN.search(page)
    maxima = {html.unescape(code): _number(top) for code, top in MAXIMUM.findall(page)}
    rows = []
    for pk, url, body in ROW.findall(page):
        fields, levels = {}, set()
        for tag in INPUT.findall(body):
            attrs = {name: html.unescape(value or "") for name, value in ATTRIBUTE.findall(tag)}
            name = attrs.get("name")
            if not name or (attrs.get("type") == "checkbox" and "checked" not in attrs):
                continue
            fields[name] = attrs.get("value", "")
            if attrs.get("list"):
                levels.add(name)
        rows.append(GridRow(int(pk), html.unescape(url), fields, levels))
    return GridPage(token.group(1) if token else "", rows, maxima)


def _number(text: str) -> float:
    try:
        return float(text.strip().replace(".", "").replace(",", "."))
    except ValueError:
        return 0.0


def typed_row(row: GridRow, maxima: dict[str, float], rng: random.Random) -> dict[str, str]:
    """The row's fields with new values a secretary might type: a level's name, or points within
    the criterion's maximum (halves, a decimal comma), and the tasks."""
    values = dict(row.fields)
    prefix = f"v-{row.pk}-"
    for name in row.fields:
        if name in row.levels:
            values[name] = rng.choice(LEVEL_WORDS)
        elif name.startswith(prefix):
            top = maxima.get(name[len(prefix):], 0.0)
            points = math.floor(max(top, 0.0) * rng.uniform(0.5, 1.0) * 2) / 2
            values[name] = f"{points:g}".replace(".", ",")
    for task, value in TASKS.items():
        key = f"t-{row.pk}-{task}"
        if key in values:
            values[key] = value
    return values


def pick(rng: random.Random, mix=MIX) -> str:
    """One kind of request, drawn by the mix's weights."""
    kinds, weights = zip(*mix, strict=True)
    return rng.choices(kinds, weights)[0]


def summary_line(timings: dict[str, list[float]], errors: int, users: int, seconds: float, think: float,
                 kinds) -> str:
    """The last line: totals, then the p95 of each kind in the mix."""
    every = [t for values in timings.values() for t in values]
    requests = len(every) + errors
    line = (
        f"users={users} requests={requests} errors={errors} p95_ms={percentile_ms(every, 95)} "
        f"p50_ms={percentile_ms(every, 50)} rps={requests / seconds:.1f} seconds={seconds:.0f} think_ms={think * 1000:.0f}"
    )
    return line + "".join(f" {kind}_p95_ms={percentile_ms(timings.get(kind, []), 95)}" for kind in kinds)


@dataclass
class Tally:
    """What the users measured: seconds by kind (answered as expected), errors by kind, examples."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int | None, seconds: float, note: str = "") -> None:
        with self.lock:
            if status == EXPECTED.get(kind, 200):
                self.timings[kind].append(seconds)
                return
            self.errors[kind] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {status} {note}"[:300])


class Command(BaseCommand):
    help = "Đo scripts/serve (gunicorn 4 tiến trình web, 2 tiến trình nền) trên tỉnh đang có, với nhiều người dùng mô phỏng."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=float, default=120)
        parser.add_argument("--think", type=float, default=THINK_SECONDS, help="giây nghĩ giữa hai thao tác")
        parser.add_argument("--web", type=int, default=4, help="số tiến trình web (WEB_CONCURRENCY)")
        parser.add_argument("--jobs", type=int, default=2, help="số tiến trình nền (JOB_WORKERS)")
        parser.add_argument("--without", action="append", default=[], choices=[kind for kind, _ in MIX],
                            help="bỏ một loại thao tác khỏi hỗn hợp (lặp lại được)")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, users, seconds, think, web, jobs, without, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Chạy trên PostgreSQL: DATABASE_URL=postgres://…")
        if users < 1 or seconds <= 0:
            raise CommandError("--users phải từ 1 trở lên, --seconds lớn hơn 0.")
        mix = tuple((kind, weight) for kind, weight in MIX if kind not in without)
        if not mix:
            raise CommandError("Hỗn hợp thao tác không còn loại nào.")
        staff = _account(f"{PREFIX}-bxd")
        RoleAssignment.objects.get_or_create(user=staff, role=Role.STAFF, organization=None, unit=None)
        period = self._period(staff)
        cells = _cells(period, users)
        if len(cells) < users:
            raise CommandError(f"Kỳ {period} chỉ có {len(cells)} chi bộ còn phiếu nháp để chấm; cần {users}.")
        password = secrets.token_urlsafe(16)
        secretaries = [_secretary(number, cell) for number, cell in enumerate(cells)]
        hasher = Argon2PasswordHasher()  # the production settings' own, whatever settings this runs with
        get_user_model().objects.filter(pk__in=[staff.pk, *(u.pk for u in secretaries)]).update(
            password=hasher.encode(password, hasher.salt()))
        self.stdout.write(f"Kỳ {period}; {users} chi bộ, mỗi chi bộ một bí thư (tài khoản {PREFIX}-bithu-NN).")
        port = _free_port()
        server, log = _start_server(port, web, jobs)
        try:
            if not wait_for(port, "/suc-khoe/", status=200, seconds=180, running=lambda: server.poll() is None):
                raise CommandError(f"scripts/serve không trả lời /suc-khoe/ (nhật ký: {log}).")
            load_before = os.getloadavg()
            tally, elapsed, logins = _run(port, period, cells, secretaries, staff.username, password,
                                          seconds=seconds, think=think, mix=mix, seed=seed)
        finally:
            _stop(server)
        self._report(tally, logins, users=users, elapsed=elapsed, think=think, web=web, jobs=jobs, mix=mix,
                     load=(load_before, os.getloadavg()))

    def _period(self, staff) -> Period:
        """The latest open yearly period with members still to score; else this year's, opened now."""
        drafts = Rating.objects.filter(period=OuterRef("pk"), subject_type=SubjectType.MEMBER_YEARLY,
                                       status=RatingStatus.DRAFT)
        period = (Period.objects.filter(kind=PeriodKind.YEAR, status=PeriodStatus.OPEN).filter(Exists(drafts))
                  .order_by("-year").first())
        if period is not None:
            return period
        year = timezone.localdate().year
        period = Period.objects.filter(kind=PeriodKind.YEAR, year=year).first() or period_create(
            actor=staff, kind=PeriodKind.YEAR, year=year, evaluation_date=date(year, 12, 15))
        self.stdout.write(f"Mở kỳ {period} cho cả tỉnh (một lần; các lần sau dùng lại)…")
        started = time.perf_counter()
        result = period_open(actor=staff, period=period)
        self.stdout.write(f"Đã mở: {result.total} phiếu trong {time.perf_counter() - started:.0f} s.")
        refresh_statistics(Rating)  # as autovacuum soon would: the planner learns the new period's rows
        return Period.objects.get(pk=period.pk)

    def _report(self, tally: Tally, logins: list[float], *, users, elapsed, think, web, jobs, mix, load) -> None:
        kinds = [kind for kind, _ in mix]
        for kind in kinds:
            values = tally.timings.get(kind, [])
            self.stdout.write(
                f"{kind:<10} {len(values):6d} lần  lỗi {tally.errors.get(kind, 0):4d}  "
                f"p50 {percentile_ms(values, 50):6d} ms  p95 {percentile_ms(values, 95):6d} ms"
            )
        if tally.examples:
            self.stderr.write("Lỗi (ví dụ): " + "; ".join(tally.examples))
        self.stdout.write(
            f"Đăng nhập {len(logins)} lần (không tính vào hỗn hợp): p95 {percentile_ms(logins, 95)} ms. "
            f"{web} tiến trình web, {jobs} tiến trình nền; tải máy (1 phút) {load[0][0]:.2f} lúc bắt đầu, "
            f"{load[1][0]:.2f} lúc kết thúc."
        )
        self.stdout.write(summary_line(tally.timings, sum(tally.errors.values()), users, elapsed, think, kinds))


def _account(username: str):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"last_name": "Đo thử"})
    return user


def _secretary(number: int, cell):
    """The account `bench-serve-bithu-NN`, secretary of `cell` only."""
    user = _account(f"{PREFIX}-bithu-{number:02d}")
    RoleAssignment.objects.filter(user=user).exclude(role=Role.SECRETARY, organization=cell).delete()
    RoleAssignment.objects.get_or_create(user=user, role=Role.SECRETARY, organization=cell, unit=None)
    return user


def _cells(period: Period, count: int) -> list[PartyOrganization]:
    """`count` cells with draft member ratings in the period (3 to 80 each), spread over the province."""
    rows = (
        Rating.objects.filter(period=period, subject_type=SubjectType.MEMBER_YEARLY, status=RatingStatus.DRAFT,
                              scope_org__kind__in=CELL_KINDS)
        .values("scope_org").annotate(n=Count("pk")).filter(n__gte=3, n__lte=80).order_by("scope_org")
    )
    pks = [row["scope_org"] for row in rows]
    step = max(1, len(pks) // max(count, 1))
    chosen = pks[::step][:count]
    return list(PartyOrganization.objects.filter(pk__in=chosen).order_by("pk"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(port: int, web: int, jobs: int) -> tuple[subprocess.Popen, Path]:
    """scripts/serve in its own process group, its output in a file (returned)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = {
        **os.environ, "SKIP_SETUP": "1", "WEB_CONCURRENCY": str(web), "JOB_WORKERS": str(jobs), "PORT": str(port),
        "BIND": "127.0.0.1", "DATABASE_URL": database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0", "STATIC_ROOT": str(folder / "static"), "ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = folder / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([str(Path(settings.BASE_DIR) / "scripts" / "serve")], env=env, cwd=settings.BASE_DIR,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return server, log


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (scripts/serve lets each worker end its job), then SIGKILL."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=90)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _sign_in(port: int, username: str, password: str) -> tuple[dict, float]:
    """A cookie jar signed in through the login form, and the seconds the form's POST took."""
    cookies: dict[str, str] = {}
    path = reverse("login")
    _, page, _ = request(port, "GET", path, cookies)
    token = TOKEN.search(page)
    body = urlencode({"username": username, "password": password,
                      "csrfmiddlewaretoken": token.group(1) if token else ""})
    status, _, elapsed = request(port, "POST", path, cookies, body)
    if status != 302 or "sessionid" not in cookies:
        raise CommandError(f"Không đăng nhập được {username}: {status}.")
    return cookies, elapsed


def _pages(period: Period, cell) -> dict[str, str]:
    """The addresses one user asks: its cell's grid; the queue, dashboard and its commune's report."""
    commune = cell
    while commune.parent_id is not None and commune.kind != OrgKind.ROOT:
        commune = commune.parent
    report = reverse("reports:year_end_file", args=[period.year])
    return {
        "grid": reverse("appraisal:grid", args=[period.pk, cell.pk]),
        "queue": reverse("appraisal:verify_queue", args=[period.pk]),
        "dashboard": reverse("home"),
        "report": f"{report}?{urlencode({'to_chuc': commune.pk, 'dinh_dang': 'xlsx'})}",
    }


class _User:
    """One simulated user: a secretary's grid, and staff pages."""

    def __init__(self, port, pages: dict[str, str], secretary_jar, staff_jar, tally: Tally, rng: random.Random):
        self.port, self.pages, self.tally, self.rng = port, pages, tally, rng
        self.secretary, self.staff = secretary_jar, staff_jar
        self.page: GridPage | None = None

    def act(self, kind: str) -> None:
        """Ask one request of `kind` (a preview or save with no grid open opens the grid)."""
        if kind in ("preview", "save") and not (self.page and self.page.rows):
            kind = "grid"
        own = {"grid": self._grid, "preview": self._preview, "save": self._save}.get(kind)
        try:
            if own:
                own()
            else:
                self._staff_page(kind)
        except (OSError, ValueError, http.client.HTTPException) as error:
            self.tally.add(kind, None, 0.0, repr(error))

    def _grid(self):
        status, page, elapsed = request(self.port, "GET", self.pages["grid"], self.secretary)
        self.tally.add("grid", status, elapsed)
        self.page = parse_grid(page) if status == 200 else None

    def _preview(self):
        row = self.rng.choice(self.page.rows)
        query = urlencode(typed_row(row, self.page.maxima, self.rng))
        status, body, elapsed = request(self.port, "GET", f"{row.url}?{query}", self.secretary,
                                        headers={"HX-Request": "true"})
        self.tally.add("preview", status, elapsed, body[:200])

    def _save(self):
        row = self.rng.choice(self.page.rows)
        data = {"csrfmiddlewaretoken": self.page.token, "action": "luu", **typed_row(row, self.page.maxima, self.rng)}
        status, body, elapsed = request(self.port, "POST", self.pages["grid"], self.secretary, urlencode(data))
        self.tally.add("save", status, elapsed, _problem(body))
        self.page = None  # the versions changed: the next save opens the grid again, as a browser does

    def _staff_page(self, kind: str):
        status, _, elapsed = request(self.port, "GET", self.pages[kind], self.staff)
        self.tally.add(kind, status, elapsed)


def _problem(body: str) -> str:
    found = re.search(r'<div class="error"[^>]*>(.*?)</div>', body, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)).strip() if found else ""


def _run(port, period, cells, secretaries, staff_name, password, *, seconds, think, mix, seed):
    """Sign every user in, then let them work until `seconds` have passed: (tally, seconds, logins)."""
    tally, logins = Tally(), []
    users: list[_User | None] = [None] * len(cells)
    pages = [_pages(period, cell) for cell in cells]
    failures = []

    def sign_in(number):
        try:
            secretary_jar, first = _sign_in(port, secretaries[number].username, password)
            staff_jar, second = _sign_in(port, staff_name, password)
        except (CommandError, OSError) as error:
            failures.append(str(error))
            return
        logins.extend([first, second])
        users[number] = _User(port, pages[number], secretary_jar, staff_jar, tally, random.Random(seed * 1000 + number))

    _together([threading.Thread(target=sign_in, args=(n,)) for n in range(len(cells))])
    if failures:
        raise CommandError(failures[0])
    started = time.monotonic()
    deadline = started + seconds

    def work(user: _User):
        time.sleep(user.rng.uniform(0, think))  # users arrive over the first think, not at once
        while time.monotonic() < deadline:
            user.act(pick(user.rng, mix))
            time.sleep(user.rng.uniform(0.5, 1.5) * think)

    _together([threading.Thread(target=work, args=(user,)) for user in users])
    return tally, time.monotonic() - started, logins


def _together(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
