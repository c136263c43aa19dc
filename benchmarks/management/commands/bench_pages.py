"""manage.py bench_pages --communes 100 [--members 500000]: the province's pages, timed through the test client.

Builds the province if the database holds fewer demo communes than asked (seed_demo adds the
missing ones — with --members, communes of about members ÷ communes each — then ANALYZE on PostgreSQL), signs in as party-building staff (who sees all of it)
and times, over repeated requests after a warm-up:
- tree: the organisation tree's root page (/to-chuc/), folded;
- commune: one commune's organisation page (/to-chuc/<id>/: its sub-organisations and the first
  page of its members);
- search: the tree's search for an organisation typed without tones (?q=chi bo thon …);
- dashboard: the home page with its counts;
- branch: opening one commune in the tree (the htmx partial);
- queue and quota, when a yearly period exists (bench_report makes one): the verification queue
  of the latest one (staff) and its quota page as the secretary of that commune's committee (the
  commune's peer groups and their stored quota);
- base: the list of background jobs (a signed-in page that reads almost nothing), the baseline
  of the same run: what any page costs on this machine now.
Each is reported as p50/p95 in milliseconds. The last line is
`tree_ms=… commune_ms=… search_ms=… dashboard_ms=… queries_max=… branch_ms=… base_ms=… tree_kb=… organizations=… members=…`
(queries_max: the most queries any measured request made).
"""
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal.models import Period, PeriodKind
from core.bulk import refresh_statistics
from core.models import Role, RoleAssignment
from members.models import Member
from orgs.models import OrgKind, PartyOrganization

BENCH_USER = "bench-pages"


class Command(BaseCommand):
    help = "Đo thời gian các trang của một tỉnh (cây tổ chức, trang xã, tìm kiếm, trang chủ) qua test client."

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=100)
        parser.add_argument("--members", type=int, default=None,
                            help="Tổng số đảng viên của tỉnh (mặc định: khoảng 900 một xã).")
        parser.add_argument("--repeat", type=int, default=20, help="Số lần đo mỗi trang (sau 2 lần khởi động).")

    def handle(self, *args, communes, repeat, members=None, **options):
        if communes < 1 or repeat < 2:
            raise CommandError("--communes phải từ 1 trở lên, --repeat từ 2 trở lên.")
        self._province(communes, members)
        client = Client(HTTP_HOST="localhost")
        client.force_login(self._staff())
        commune = PartyOrganization.objects.filter(kind=OrgKind.ROOT, code__endswith="-XA").order_by("code")[communes // 2]
        pages = {
            "tree": reverse("orgs:tree"),
            "commune": reverse("orgs:detail", args=[commune.pk]),
            "search": reverse("orgs:tree") + "?q=chi bo thon na",
            "dashboard": reverse("home"),
            "branch": reverse("orgs:tree_branch", args=[commune.pk]),
            "base": reverse("jobs:list"),
        }
        clients = dict.fromkeys(pages, client)
        period = Period.objects.filter(kind=PeriodKind.YEAR).order_by("-year").first()
        if period is not None:
            pages["queue"] = reverse("appraisal:verify_queue", args=[period.pk])
            pages["quota"] = reverse("appraisal:quota", args=[period.pk])
            clients["queue"] = client
            clients["quota"] = Client(HTTP_HOST="localhost")
            clients["quota"].force_login(self._secretary(commune))
        results, queries_max, sizes = {}, 0, {}
        with override_settings(DEBUG=False):
            for _ in range(2):  # warm-up: templates compiled, caches filled
                for name, url in pages.items():
                    self._get(clients[name], url, htmx=name == "branch")
            timings = {name: [] for name in pages}
            for _ in range(repeat):
                for name, url in pages.items():  # interleaved: load on the machine falls on all alike
                    elapsed, queries, size = self._get(clients[name], url, htmx=name == "branch")
                    timings[name].append(elapsed)
                    queries_max = max(queries_max, queries)
                    sizes[name] = size
        for name, values in timings.items():
            results[name] = self._p50_p95(values)
            self.stdout.write(
                f"{name:<10} p50 {results[name][0]:7.1f} ms  p95 {results[name][1]:7.1f} ms  "
                f"{sizes[name] / 1024:6.1f} KB  {pages[name]}"
            )
        org_count, member_count = PartyOrganization.objects.count(), Member.objects.count()
        in_commune = Member.objects.filter(cell__path__startswith=commune.path).count()
        self.stdout.write(f"Cơ sở dữ liệu: {connection.vendor}, {org_count} tổ chức đảng, {member_count} đảng viên.")

        def ms(name):
            return f"{results[name][0]:.0f}/{results[name][1]:.0f}"

        self.stdout.write(
            f"tree_ms={ms('tree')} commune_ms={ms('commune')} search_ms={ms('search')} "
            f"dashboard_ms={ms('dashboard')} queries_max={queries_max} branch_ms={ms('branch')} "
            f"base_ms={ms('base')} tree_kb={sizes['tree'] / 1024:.0f} organizations={org_count} members={member_count}"
            + (f" queue_ms={ms('queue')} quota_ms={ms('quota')} commune_members={in_commune}" if "quota" in pages else "")
        )

    def _province(self, communes: int, members: int | None) -> None:
        """Add demo communes until there are `communes`; analyse the tables after a bulk load."""
        have = PartyOrganization.objects.filter(kind=OrgKind.ROOT, code__regex=r"^X[0-9]+-XA$").count()
        if have >= communes:
            self.stdout.write(f"Dùng lại {have} xã đã có.")
            return
        started = time.perf_counter()
        if members:
            call_command("seed_demo", "--communes", str(communes), "--members", str(members), stdout=self.stdout)
        else:
            call_command("seed_demo", "--communes", str(communes - have), stdout=self.stdout)
        self.stdout.write(f"Đã thêm {communes - have} xã trong {time.perf_counter() - started:.1f} s.")
        refresh_statistics()  # fresh statistics after a bulk load

    def _secretary(self, commune):
        user, _ = get_user_model().objects.get_or_create(username=f"{BENCH_USER}-bithu", defaults={"last_name": "Đo thử"})
        RoleAssignment.objects.get_or_create(user=user, role=Role.SECRETARY, organization=commune, unit=None)
        return user

    def _staff(self):
        user, _ = get_user_model().objects.get_or_create(username=BENCH_USER, defaults={"last_name": "Đo thử"})
        RoleAssignment.objects.get_or_create(user=user, role=Role.STAFF, organization=None, unit=None)
        return user

    @staticmethod
    def _get(client, url: str, *, htmx: bool) -> tuple[float, int, int]:
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url}: {response.status_code}")
        return elapsed, len(ctx.captured_queries), len(response.content)

    @staticmethod
    def _p50_p95(values: list[float]) -> tuple[float, float]:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return statistics.median(ordered), p95
