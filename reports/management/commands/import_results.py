"""Import results decided outside the app: `manage.py import_results FILE.xlsx [--counts] [--dry-run]`."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.models import ImportKind
from reports.results_import import run_import


class Command(BaseCommand):
    help = ("Nhập kết quả xếp loại từ tệp Excel (một dòng cho mỗi đối tượng, hoặc --counts: số lượng theo mức); "
            "có lỗi thì không ghi gì.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx")
        parser.add_argument("--counts", action="store_true", help="Tệp số lượng theo mức xếp loại và đối tượng.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args, file, counts, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp «{file}».")
        kind = ImportKind.COUNTS if counts else ImportKind.SUBJECTS
        outcome = run_import(content=path.read_bytes(), kind=kind, file_name=path.name, commit=not dry_run)
        if outcome.problems:
            for problem in outcome.problems:
                self.stderr.write(problem)
            raise CommandError(f"Tệp có {len(outcome.problems)} lỗi; không ghi gì.")
        verb = "Kiểm tra xong (chưa ghi)" if dry_run else "Đã nhập"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} «{path.name}»: {outcome.created} dòng thêm mới, {outcome.updated} dòng cập nhật."
        ))
