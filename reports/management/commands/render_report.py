"""Render a document to a file: `manage.py render_report KIND --year Y [--quarter Q] [--org CODE] --format pdf|xlsx --out FILE`."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orgs.models import PartyOrganization
from reports import documents_cli

KINDS = documents_cli.KINDS


class Command(BaseCommand):
    help = "Xuất một văn bản báo cáo ra tệp PDF hoặc Excel."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="Loại văn bản: " + "; ".join(
            f"{k} — {v}" for k, v in sorted(KINDS.items())))
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá.")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="Quý (biểu tổng hợp, quyết định theo quý).")
        parser.add_argument("--org", help="Mã tổ chức đảng (mặc định: toàn bộ).")
        parser.add_argument("--subject", help="Đối tượng của biểu tổng hợp (member_yearly, leader_quarterly …).")
        parser.add_argument("--years", type=int, default=5, help="Số năm của bảng qua các năm (mặc định 5).")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--out", required=True, help="Tệp ghi ra.")

    def handle(self, *args, kind, year, quarter, org, subject, years, format, out, **options):
        organization = None
        if org:
            organization = PartyOrganization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(f"Không có tổ chức đảng mã «{org}».")
        try:
            content = documents_cli.render(kind, year=year, quarter=quarter, organization=organization,
                                           subject=subject, years=years, fmt=format)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        Path(out).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {out} ({len(content):,} byte)."))
