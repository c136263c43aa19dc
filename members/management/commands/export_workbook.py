"""manage.py export_workbook FILE.xlsx"""
from pathlib import Path

from django.core.management.base import BaseCommand

from core.scope import Scope
from members.workbook.export import export_workbook


class Command(BaseCommand):
    help = "Xuất toàn bộ dữ liệu ra tệp Excel (.xlsx) theo đúng mẫu nhập."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .xlsx sẽ ghi.")

    def handle(self, *args, path, **options):
        """Write the whole deployment, in the import format."""
        content = export_workbook(Scope(user_id=None, is_superuser=True))
        Path(path).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {path}."))
