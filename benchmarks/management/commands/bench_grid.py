"""Serve the secretary's grid with gunicorn on PostgreSQL to 20 concurrent secretaries; time it.

    createdb kd_grid && DATABASE_URL=postgres://…/kd_grid manage.py migrate
    DATABASE_URL=postgres://…/kd_grid manage.py bench_grid [--users 20] [--rounds 10]

Sets up (once) 20 cells of 60 members scored against a 20-criterion framework, a secretary
account per cell and the period open; starts gunicorn with the production settings (3 sync
workers, the static files collected); then each simulated secretary, in its own thread, repeats:
open its grid (GET, timed), think (about THINK_SECONDS; people take minutes to type), save the whole
grid with every row changed (POST, timed: every score checked, 60 ratings versioned, 1,200
scores written, 60 audit entries, the engine's outcome stored for 60), think again. Last line:
`page_p50_ms=… page_p95_ms=… save_p50_ms=… save_p95_ms=… users=… requests=… errors=… think_ms=…`.
"""
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from appraisal.models import Framework, Period, PeriodKind
from appraisal.process.periods.services import period_create, period_open
from benchmarks.data import member_framework
from benchmarks.web import database_url, percentile_ms, request, wait_for
from core.models import Role, RoleAssignment
from members.models import Member
from orgs.models import OrgKind, PartyOrganization

YEAR = 2099
ROOT_CODE = "LUOI"
MEMBERS, CRITERIA = 60, 20
# Between opening the grid and saving it, and after saving, a secretary types: 1,200 values take
# minutes. Each simulated secretary waits only about this long (uniformly 0.5–1.5 ×), i.e. saves
# a full grid every ~10 s: some 30 times a real secretary's pace. --think 1 makes it harsher.
THINK_SECONDS = 5.0
VERSION = re.compile(r'name="ver-(\d+)" value="(\d+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Command(BaseCommand):
    help = "Đo trang chấm điểm (60 đảng viên × 20 tiêu chí) với gunicorn trên PostgreSQL, 20 người dùng đồng thời."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=20)
        parser.add_argument("--rounds", type=int, default=10)
        parser.add_argument("--port", type=int, default=8931)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--think", type=float, default=THINK_SECONDS, help="giây nghĩ giữa hai thao tác")

    def handle(self, *args, users, rounds, port, workers, think, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Chạy trên PostgreSQL: DATABASE_URL=postgres://…")
        cells, period = _setup(users)
        accounts = [_session(cell) for cell in cells]
        static_root = tempfile.mkdtemp(prefix="bench-static-")
        env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
            "SECURE_SSL_REDIRECT": "False", "ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": static_root,
            "DATABASE_URL": database_url(), "LOG_LEVEL": "ERROR",
        }
        python = Path(sys.executable)
        subprocess.run([str(python), "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, check=True,
                       cwd=settings.BASE_DIR)
        server = subprocess.Popen(
            [str(python.parent / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers),
             "--log-level", "error"],
            env=env, cwd=settings.BASE_DIR,
        )
        try:
            if not wait_for(port, "/dang-nhap/"):
                raise CommandError("gunicorn không khởi động được.")
            page_times, save_times, errors = _run(port, period, cells, accounts, rounds, think)
        finally:
            server.terminate()
            server.wait(timeout=30)
        requests = len(page_times) + len(save_times)
        self.stdout.write(
            f"{users} người dùng × {rounds} lượt (mở trang, nghĩ ~{think:g} s, lưu cả bảng, nghĩ), "
            f"{workers} tiến trình gunicorn; tải máy: {os.getloadavg()[0]:.2f}."
        )
        self.stdout.write(
            f"page_p50_ms={percentile_ms(page_times, 50)} page_p95_ms={percentile_ms(page_times, 95)} "
            f"save_p50_ms={percentile_ms(save_times, 50)} save_p95_ms={percentile_ms(save_times, 95)} users={users} "
            f"requests={requests} errors={errors} think_ms={int(think * 1000)}"
        )


def _setup(users: int):
    """The cells, members, framework, secretaries and the open period (built once, then reused)."""
    call_command("load_frameworks", stdout=StringIO())
    root = PartyOrganization.objects.filter(code=ROOT_CODE).first()
    if root is None:
        if Member.objects.exists():
            raise CommandError("Hãy chạy trên một cơ sở dữ liệu riêng (mở kỳ sẽ tạo phiếu cho mọi đảng viên có sẵn).")
        root = PartyOrganization(code=ROOT_CODE, name="Đảng bộ xã Lưới", kind=OrgKind.ROOT, established_on=date(2000, 1, 1))
        root.save()
    cells = []
    for number in range(users):
        code = f"{ROOT_CODE}-{number:02d}"
        cell = PartyOrganization.objects.filter(code=code).first()
        if cell is None:
            cell = PartyOrganization(code=code, name=f"Chi bộ thôn Lưới {number + 1}", kind=OrgKind.ROOT_CELL,
                                     parent=root, established_on=date(2000, 1, 1))
            cell.save()
            Member.objects.bulk_create([
                Member(full_name=f"Đảng viên {number + 1}.{i + 1}", gender="male", card_number=f"L{number:02d}{i:05d}",
                       admitted_on=date(2010, 1, 1), official_on=date(2011, 1, 1), status="official", cell=cell,
                       search_name=f"dang vien {number + 1}.{i + 1}", sort_key=f"{i:05d}")
                for i in range(MEMBERS)
            ])
        cells.append(cell)
    if not Framework.objects.filter(code="LUOI-20").exists():
        member_framework("LUOI-20", YEAR, CRITERIA)
    staff, _ = get_user_model().objects.get_or_create(username="bench-bxd", defaults={"is_superuser": True, "is_active": False})
    period = Period.objects.filter(kind=PeriodKind.YEAR, year=YEAR).first()
    if period is None:
        period = period_create(actor=staff, kind=PeriodKind.YEAR, year=YEAR, evaluation_date=date(YEAR, 12, 15))
    period_open(actor=staff, period=period)
    return cells, period


def _session(cell) -> str:
    """A signed-in session of the cell's secretary (made directly, as signing in would)."""
    user, created = get_user_model().objects.get_or_create(username=f"bithu-{cell.code.lower()}")
    if created:
        user.set_password("bench-not-a-password")
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.SECRETARY, organization=cell)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _run(port, period, cells, sessions, rounds, think):
    page_times, save_times, errors = [], [], []
    lock = threading.Lock()
    codes = [f"1.{i}" for i in range(1, CRITERIA // 2 + 1)] + [f"2.{i}" for i in range(1, CRITERIA - CRITERIA // 2 + 1)]

    def user(cell, session_key, seed):
        rng = random.Random(seed)
        cookies = {"sessionid": session_key}
        url = reverse("appraisal:grid", args=[period.pk, cell.pk])
        request(port, "GET", url, cookies)  # warm up: the worker's first request, the framework cache
        time.sleep(rng.uniform(0, think))
        for round_ in range(rounds):
            status, html, elapsed = request(port, "GET", url, cookies)
            with lock:
                page_times.append(elapsed)
                if status != 200:
                    errors.append(("page", status))
            time.sleep(rng.uniform(0.5, 1.5) * think)
            token = TOKEN.search(html)
            versions = VERSION.findall(html)
            data = {"action": "luu", "csrfmiddlewaretoken": token.group(1) if token else ""}
            for pk, version in versions:
                data[f"row-{pk}"], data[f"ver-{pk}"] = "1", version
                for code in codes:
                    data[f"v-{pk}-{code}"] = ("2,5" if round_ % 2 else "3") if code.startswith("1.") else "6"
                data[f"t-{pk}-tasks_assigned"], data[f"t-{pk}-tasks_done"], data[f"t-{pk}-tasks_exceeded"] = "4", "4", "2"
            status, _, elapsed = request(port, "POST", url, cookies, urlencode(data))
            with lock:
                save_times.append(elapsed)
                if status != 302:
                    errors.append(("save", status))
            time.sleep(rng.uniform(0.5, 1.5) * think)

    threads = [threading.Thread(target=user, args=(cell, key, n)) for n, (cell, key) in enumerate(zip(cells, sessions, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        sys.stderr.write(f"Lỗi: {errors[:10]}\n")
    return page_times, save_times, len(errors)



