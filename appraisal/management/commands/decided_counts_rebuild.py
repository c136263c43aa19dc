"""manage.py decided_counts_rebuild [--year 2025]: count the decided results again from the ratings."""
from django.core.management.base import BaseCommand
from django.db import transaction

from appraisal.models import Period
from appraisal.scoring.counts import decided_counts_rebuild


class Command(BaseCommand):
    help = ("Đếm lại số kết quả đã quyết định theo từng kỳ, tổ chức đảng và mức (trang chủ đọc số này) "
            "từ chính các kết quả xếp loại.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Chỉ đếm lại các kỳ của năm này.")

    def handle(self, *args, year=None, **options):
        periods = Period.objects.filter(year=year) if year is not None else None
        with transaction.atomic():
            written = decided_counts_rebuild(periods)
        self.stdout.write(f"Đã đếm lại: {written} dòng số liệu{f' của năm {year}' if year else ''}.")
