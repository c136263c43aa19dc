"""Build the demo communes: `manage.py seed_demo [--seed N] [--communes N] [--members N] [--if-empty] [--reference-date D]`.

A province: `seed_demo --communes 170 --members 500000` makes the database hold 170 demo communes
of about 2 900 members each (the communes already there count: re-running adds nothing twice).
"""
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.builder import DEMO_MEMBERS, seed_demo
from orgs.models import OrgKind, PartyOrganization


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: Đảng bộ xã với các tổ chức đảng, cơ quan, đơn vị và khoảng 900 đảng viên."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="Hạt giống ngẫu nhiên (cùng hạt giống → cùng dữ liệu).")
        parser.add_argument("--communes", type=int, default=1, help="Số xã cần tạo (mặc định 1).")
        parser.add_argument(
            "--members", type=int, default=None,
            help="Tổng số đảng viên của cả --communes xã (một tỉnh: --communes 170 --members 500000). Khi có, "
                 "cơ sở dữ liệu được bổ sung cho đủ --communes xã mẫu: chạy lại không thêm gì trùng.",
        )
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

    def handle(self, *args, seed, communes, if_empty, reference_date, without_ratings=False, members=None, **options):
        if communes < 1:
            raise CommandError("--communes phải từ 1 trở lên.")
        scale = 1.0
        if members is not None:
            if not communes * DEMO_MEMBERS // 10 <= members <= communes * DEMO_MEMBERS * 50:
                raise CommandError(f"--members cho {communes} xã phải từ {communes * DEMO_MEMBERS // 10} "
                                   f"đến {communes * DEMO_MEMBERS * 50}.")
            scale = members / (communes * DEMO_MEMBERS)
            have = PartyOrganization.objects.filter(kind=OrgKind.ROOT, code__regex=r"^X[0-9]+-XA$").count()
            if have >= communes:
                self.stdout.write(f"Đã có {have} xã mẫu (cần {communes}): không thêm gì.")
                return
            communes -= have
        today = timezone.localdate()
        reference = reference_date or today
        if reference > today:
            raise CommandError(f"--reference-date ({reference:%d/%m/%Y}) không được sau ngày hôm nay.")
        if if_empty and PartyOrganization.objects.exists():
            self.stdout.write("Đã có dữ liệu tổ chức đảng: bỏ qua việc tạo dữ liệu mẫu.")
            return
        # The rating history runs every rating through the services: for a demo commune or three,
        # not for a generated province (its periods can be opened by staff, as a job).
        ratings = not without_ratings and communes <= 3 and members is None
        result = seed_demo(seed=seed, communes=communes, reference=reference, ratings=ratings, scale=scale)
        names = ", ".join(root.name for root in result.roots[:3])
        if len(result.roots) > 3:
            names += f" … {result.roots[-1].name}"
        self.stdout.write(self.style.SUCCESS(
            f"Đã tạo {len(result.roots)} xã ({names}): {result.organizations} tổ chức đảng, "
            f"{result.units} cơ quan, đơn vị, {result.members} đảng viên "
            f"(ngày mốc {reference:%d/%m/%Y}, hạt giống {seed})."
        ))
        if ratings:
            self.stdout.write(self.style.SUCCESS(
                "Đã tạo lịch sử đánh giá, xếp loại (năm trước, các quý đã qua; năm nay đang đánh giá)."
            ))
