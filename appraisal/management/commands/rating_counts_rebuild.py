"""manage.py rating_counts_rebuild [--year 2025]: count the live ratings again (RatingCount)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from appraisal.models import Period
from appraisal.scoring.counts import rating_counts_rebuild


class Command(BaseCommand):
    help = ("Đếm lại số kết quả xếp loại theo từng kỳ, tổ chức đảng, mức đã quyết định và lý do không xếp loại (trang chủ đọc số này) "
            "từ chính các kết quả xếp loại.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Chỉ đếm lại các kỳ của năm này.")

    def handle(self, *args, year=None, **options):
        periods = Period.objects.filter(year=year) if year is not None else None
        with transaction.atomic():
            written = rating_counts_rebuild(periods)
        self.stdout.write(f"Đã đếm lại: {written} dòng số liệu{f' của năm {year}' if year else ''}.")
