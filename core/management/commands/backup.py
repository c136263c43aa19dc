"""Back up the whole database to one file (core.backup): `manage.py backup --out FILE`."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.audit_chain import verify_chain
from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu ra một tệp (PostgreSQL: pg_dump -Fc; SQLite: sao lưu trực tuyến)."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="tệp sao lưu ghi ra")

    def handle(self, *args, out: Path, **options):
        try:
            size = backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from error
        chain = verify_chain()
        self.stdout.write(f"Đã sao lưu vào {out} ({size:,} byte); nhật ký: {chain.summary()}.".replace(",", "."))
        self.stdout.write(f"backup={out} bytes={size} {chain.summary()}")
