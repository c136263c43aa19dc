"""Build the demo communes: `manage.py seed_demo [--seed N] [--communes N] [--members N] [--history-years K] [--if-empty] [--reference-date D]`.

A province: `seed_demo --communes 170 --members 500000` makes the database hold 170 demo communes
of about 2 900 members each (the communes already there count: re-running adds nothing twice);
with `--history-years K`, the K years before the reference date's year are decided and brought
in through the results import (demo.history), a year already imported being passed over.
"""
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.builder import DEMO_MEMBERS, seed_demo
from demo.history import HistoryError, YearOutcome, import_history
from orgs.models import OrgKind, PartyOrganization
from vnformat import fmt_number

MAX_HISTORY_YEARS = 10


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
            "--history-years", type=int, default=None, metavar="K",
            help=f"Cùng --members: nhập kết quả xếp loại đã quyết định của K năm trước năm của ngày mốc (0–{MAX_HISTORY_YEARS}), "
                 "qua chức năng nhập kết quả từ tệp Excel (mỗi năm một dòng cho mỗi đảng viên, tổ chức đảng, tập thể cấp ủy, "
                 "tập thể lãnh đạo, quản lý và cán bộ lãnh đạo, quản lý của các xã mẫu, mức xếp loại rút theo hạt giống, "
                 "HTXSNV trong tỷ lệ). Năm, xã đã nhập thì bỏ qua.",
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

    def handle(self, *args, seed, communes, if_empty, reference_date, without_ratings=False, members=None,
               history_years=None, **options):
        if communes < 1:
            raise CommandError("--communes phải từ 1 trở lên.")
        if history_years is not None:
            if members is None:
                raise CommandError("--history-years chỉ dùng cùng --members (một tỉnh: --communes 170 --members 500000 "
                                   "--history-years 3).")
            if not 0 <= history_years <= MAX_HISTORY_YEARS:
                raise CommandError(f"--history-years phải từ 0 đến {MAX_HISTORY_YEARS} (số năm trước năm của ngày mốc).")
        today = timezone.localdate()
        reference = reference_date or today
        if reference > today:
            raise CommandError(f"--reference-date ({reference:%d/%m/%Y}) không được sau ngày hôm nay.")
        if members is not None:
            if not communes * DEMO_MEMBERS // 10 <= members <= communes * DEMO_MEMBERS * 50:
                raise CommandError(f"--members cho {communes} xã phải từ {communes * DEMO_MEMBERS // 10} "
                                   f"đến {communes * DEMO_MEMBERS * 50}.")
            scale = members / (communes * DEMO_MEMBERS)
            have = PartyOrganization.objects.filter(kind=OrgKind.ROOT, code__regex=r"^X[0-9]+-XA$").count()
            if have >= communes:
                self.stdout.write(f"Đã có {have} xã mẫu (cần {communes}): không thêm gì.")
            elif if_empty and PartyOrganization.objects.exists():
                self.stdout.write("Đã có dữ liệu tổ chức đảng: bỏ qua việc tạo dữ liệu mẫu.")
            else:
                self._build(seed=seed, communes=communes - have, reference=reference, ratings=False, scale=scale)
            if history_years:
                self._history(years=range(reference.year - history_years, reference.year), seed=seed)
            return
        if if_empty and PartyOrganization.objects.exists():
            self.stdout.write("Đã có dữ liệu tổ chức đảng: bỏ qua việc tạo dữ liệu mẫu.")
            return
        # The rating history runs every rating through the services: for a demo commune or three,
        # not for a generated province (its past years come through the results import, --history-years).
        ratings = not without_ratings and communes <= 3
        self._build(seed=seed, communes=communes, reference=reference, ratings=ratings, scale=1.0)
        if ratings:
            self.stdout.write(self.style.SUCCESS(
                "Đã tạo lịch sử đánh giá, xếp loại (năm trước, các quý đã qua; năm nay đang đánh giá)."
            ))

    def _build(self, *, seed, communes, reference, ratings, scale):
        result = seed_demo(seed=seed, communes=communes, reference=reference, ratings=ratings, scale=scale)
        names = ", ".join(root.name for root in result.roots[:3])
        if len(result.roots) > 3:
            names += f" … {result.roots[-1].name}"
        self.stdout.write(self.style.SUCCESS(
            f"Đã tạo {len(result.roots)} xã ({names}): {result.organizations} tổ chức đảng, "
            f"{result.units} cơ quan, đơn vị, {result.members} đảng viên "
            f"(ngày mốc {reference:%d/%m/%Y}, hạt giống {seed})."
        ))

    def _history(self, *, years, seed):
        try:
            import_history(years, seed=seed, say=self._say)
        except HistoryError as exc:
            raise CommandError(f"Không nhập được kết quả các năm trước: {exc}") from exc

    def _say(self, outcome: YearOutcome) -> None:
        """One line per year: what was imported, and which communes were passed over and why."""
        parts = []
        if outcome.files:
            levels = ", ".join(f"{code} {fmt_number(outcome.levels.get(code, 0))}"
                               for code in ("HTXSNV", "HTTNV", "HTNV", "KHTNV"))
            parts.append(
                f"đã nhập kết quả của {fmt_number(outcome.members)} đảng viên "
                f"({fmt_number(outcome.not_rated)} không xếp loại), {fmt_number(outcome.organizations)} tổ chức đảng, "
                f"{fmt_number(outcome.committees)} tập thể cấp ủy, {fmt_number(outcome.collectives)} tập thể lãnh đạo, "
                f"quản lý và {fmt_number(outcome.leaders)} cán bộ lãnh đạo, quản lý "
                f"của {outcome.communes} xã, qua {outcome.files} tệp, trong {outcome.seconds:.0f} giây ({levels})"
            )
        if outcome.skipped:
            parts.append(f"{outcome.skipped} xã đã được nhập trước đó: bỏ qua")
        if outcome.rated_in_app:
            parts.append(f"{outcome.rated_in_app} xã đã đánh giá, xếp loại năm này trong phần mềm: không nhập")
        line = f"Năm {outcome.year}: " + ("; ".join(parts) or "không có xã mẫu nào") + "."
        self.stdout.write(self.style.SUCCESS(line) if outcome.files else line)
