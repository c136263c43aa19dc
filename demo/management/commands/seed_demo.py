"""Build the demo communes: `manage.py seed_demo [--seed N] [--communes N] [--if-empty] [--reference-date D]`."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.builder import seed_demo
from orgs.models import PartyOrganization


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: Đảng bộ xã với các tổ chức đảng, cơ quan, đơn vị và khoảng 900 đảng viên."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="Hạt giống ngẫu nhiên (cùng hạt giống → cùng dữ liệu).")
        parser.add_argument("--communes", type=int, default=1, help="Số xã cần tạo (mặc định 1).")
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Không làm gì nếu cơ sở dữ liệu đã có tổ chức đảng.",
        )
        parser.add_argument(
            "--without-ratings", action="store_true",
            help="Không tạo lịch sử đánh giá, xếp loại (mặc định có, khi tạo từ 1 đến 3 xã và chưa có kỳ đánh giá nào).",
        )
        parser.add_argument(
            "--reference-date", type=date.fromisoformat, default=None,
            help="Ngày mốc của dữ liệu, dạng YYYY-MM-DD (mặc định hôm nay). "
                 "Cùng hạt giống và cùng ngày mốc → cùng dữ liệu.",
        )

    def handle(self, *args, seed, communes, if_empty, reference_date, without_ratings=False, **options):
        if communes < 1:
            raise CommandError("--communes phải từ 1 trở lên.")
        today = timezone.localdate()
        reference = reference_date or today
        if reference > today:
            raise CommandError(f"--reference-date ({reference:%d/%m/%Y}) không được sau ngày hôm nay.")
        if if_empty and PartyOrganization.objects.exists():
            self.stdout.write("Đã có dữ liệu tổ chức đảng: bỏ qua việc tạo dữ liệu mẫu.")
            return
        # The rating history runs every rating through the services: for a demo commune or three,
        # not for a generated province (its periods can be opened by staff, as a job).
        ratings = not without_ratings and communes <= 3
        result = seed_demo(seed=seed, communes=communes, reference=reference, ratings=ratings)
        names = ", ".join(root.name for root in result.roots)
        self.stdout.write(self.style.SUCCESS(
            f"Đã tạo {len(result.roots)} xã ({names}): {result.organizations} tổ chức đảng, "
            f"{result.units} cơ quan, đơn vị, {result.members} đảng viên "
            f"(ngày mốc {reference:%d/%m/%Y}, hạt giống {seed})."
        ))
        if ratings:
            self.stdout.write(self.style.SUCCESS(
                "Đã tạo lịch sử đánh giá, xếp loại (năm trước, các quý đã qua; năm nay đang đánh giá)."
            ))
