"""manage.py export_workbook FILE.xlsx"""
from django.core.management.base import BaseCommand

from core.scope import Scope
from members.workbook.export import write_export
from vnformat import fmt_number


class Command(BaseCommand):
    help = "Xuất toàn bộ dữ liệu ra tệp Excel (.xlsx) theo đúng mẫu nhập."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx sẽ ghi.")

    def handle(self, *args, path, **options):
        """Write the whole deployment, in the import format, streamed to the file."""
        counts = write_export(path, Scope(user_id=None, is_superuser=True))
        self.stdout.write(self.style.SUCCESS(
            f"Đã ghi {path}: {fmt_number(counts['members'])} đảng viên, {fmt_number(counts['orgs'])} tổ chức đảng."
        ))
