"""manage.py import_workbook FILE.xlsx [--dry-run] [--user USERNAME]"""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from members.workbook.services import import_workbook


class Command(BaseCommand):
    help = "Nhập tổ chức, cơ quan, đảng viên, chức vụ và lịch sử từ tệp Excel (.xlsx) theo mẫu."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx theo mẫu (xem docs/import-format.md).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và báo cáo, không ghi.")
        parser.add_argument(
            "--user", help="Tên tài khoản ghi vào nhật ký thay đổi (mặc định: hệ thống).",
        )

    def handle(self, *args, path, dry_run, user, **options):
        """Print the per-sheet summary, or every problem and fail with a non-zero exit."""
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"Không có tài khoản '{user}'.") from exc
        result = import_workbook(actor=actor, content=file.read_bytes(), dry_run=dry_run, filename=file.name)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Tệp có {len(result.problems)} lỗi; không dữ liệu nào được ghi.")
        self.stdout.write(f"{'Sheet':<22} {'Thêm mới':>9} {'Cập nhật':>9} {'Giữ nguyên':>11}")
        for title, created, updated, unchanged in result.summary_rows():
            self.stdout.write(f"{title:<22} {created:>9} {updated:>9} {unchanged:>11}")
        if dry_run:
            self.stdout.write("Chạy thử (--dry-run): chưa ghi gì.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập: {result.changed} thay đổi."))
