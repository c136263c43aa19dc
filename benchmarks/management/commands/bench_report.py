"""Time the year-end report to PDF: `manage.py bench_report [--communes N] [--members M] [--year Y] [--repeat R]`.

Without --communes: the demo commune's report (about 900 members, 60 organisations) — the whole
path (queries, counting, wording, templates, WeasyPrint) against WeasyPrint alone rendering the
same HTML in the same run. With --communes N: the roll-up of N communes (the deployment-wide report
with its per-commune table). Builds what is missing first (`seed_demo`, then decided ratings via
`benchmarks.decided`), so the database may be reused between runs. Each measurement starts after a
garbage collection (otherwise the collector's pauses for the previous round's objects land in
whichever measurement runs next: ±0,1 s on a 0,3 s render). With --communes, the multi-year
table of the same scope (five years up to the year, its PDF) is timed too (`multi_year_seconds`).
--members M builds the communes at about M ÷ N members each (seed_demo --members). Last line:
key=value pairs.
"""
from __future__ import annotations

import datetime as dt
import gc
import io
import os
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appraisal.models import PeriodKind, RatingStatus
from appraisal.selectors import live_ratings
from benchmarks.decided import generate_ratings
from core.bulk import refresh_statistics
from orgs.models import OrgKind, PartyOrganization
from reports.companions import multi_year_context, multi_year_pdf
from reports.compute import year_end_figures
from reports.data import report_scope
from reports.documents import new_report, year_end_document
from reports.pdf import html_to_pdf, print_html
from reports.render import year_end_markup


class Command(BaseCommand):
    help = "Đo thời gian xuất báo cáo cuối năm ra PDF (một xã, hoặc --communes N xã)."

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=0, help="Số xã của báo cáo tổng hợp (0: một xã).")
        parser.add_argument("--members", type=int, default=None, help="Tổng số đảng viên khi tạo các xã (seed_demo --members).")
        parser.add_argument("--year", type=int, help="Năm đánh giá (mặc định: năm trước).")
        parser.add_argument("--repeat", type=int, default=3, help="Số lần đo (lấy trung vị).")

    def handle(self, *args, communes, year, repeat, members=None, **options):
        year = year or timezone.localdate().year - 1
        if communes < 0 or repeat < 1:
            raise CommandError("--communes ≥ 0, --repeat ≥ 1.")
        self._ensure_data(max(communes, 1), year, members)
        roots = list(PartyOrganization.objects.filter(kind=OrgKind.ROOT).order_by("path"))
        organization = roots[0] if communes == 0 else None
        if communes and len(roots) != communes:
            self.stdout.write(f"Cơ sở dữ liệu có {len(roots)} xã; báo cáo tổng hợp tính cả {len(roots)} xã.")
        whole, alone, queries = [], [], 0
        html, pdf, members = self._render(organization, year)  # warm up: templates compiled, fonts loaded
        html_to_pdf(html)
        for _ in range(repeat):
            connection.queries_log.clear()  # a full log would make the capture count nothing
            gc.collect()  # each measurement starts without the previous one's garbage
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                html, pdf, members = self._render(organization, year)
            whole.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
            gc.collect()
            start = time.perf_counter()
            html_to_pdf(html)
            alone.append(time.perf_counter() - start)
        seconds, base = statistics.median(whole), statistics.median(alone)
        load = os.getloadavg()[0]
        self.stdout.write(f"PDF {len(pdf):,} byte; {members} đảng viên; tải máy {load:.2f}.")
        if communes:
            multi, multi_queries = [], 0
            for _ in range(repeat):
                connection.queries_log.clear()
                gc.collect()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    multi_year_pdf(multi_year_context(report_scope(organization), year, 5))
                multi.append(time.perf_counter() - start)
                multi_queries = len(ctx.captured_queries)
            self.stdout.write(
                f"communes={len(roots)} seconds={seconds:.3f} weasyprint_seconds={base:.3f} "
                f"ratio={seconds / base:.3f} queries={queries} members={members} "
                f"multi_year_seconds={statistics.median(multi):.3f} multi_year_queries={multi_queries} load={load:.2f}"
            )
        else:
            self.stdout.write(
                f"seconds={seconds:.3f} weasyprint_seconds={base:.3f} ratio={seconds / base:.3f} "
                f"queries={queries} members={members} load={load:.2f}"
            )

    def _render(self, organization, year: int) -> tuple[str, bytes, int]:
        """The whole path of the page's PDF download for a draft: figures, layout, HTML, WeasyPrint."""
        scope = report_scope(organization)
        report = new_report(scope, year)
        figures = year_end_figures(scope, year, exclude_report=report)
        html = print_html(year_end_markup(year_end_document(report, figures)), title=f"Báo cáo năm {year}")
        return html, html_to_pdf(html), figures.members.total

    def _ensure_data(self, communes: int, year: int, members: int | None = None) -> None:
        have = PartyOrganization.objects.filter(kind=OrgKind.ROOT).count()
        if have < communes:
            self.stdout.write(f"Tạo thêm {communes - have} xã mẫu …")
            out = io.StringIO()
            if members:
                call_command("seed_demo", communes=communes, members=members, reference_date=dt.date(year, 12, 31),
                             without_ratings=True, stdout=out)
            else:
                call_command("seed_demo", communes=communes - have, reference_date=dt.date(year, 12, 31),
                             without_ratings=True, stdout=out)
            self.stdout.write("  " + out.getvalue().split(":", 1)[-1].strip()[:200])
        decided = live_ratings().filter(period__kind=PeriodKind.YEAR, period__year=year, status=RatingStatus.DECIDED)
        if have < communes or not decided.exists():
            self.stdout.write(f"Mở kỳ và ghi quyết định xếp loại năm {year} …")
            result = generate_ratings(year=year)
            self.stdout.write(f"  {result.decided} kết quả đã quyết định, {result.excluded} không xếp loại.")
            refresh_statistics()  # fresh statistics after a bulk load
