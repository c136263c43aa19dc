"""Restore the whole database from a backup (core.backup): `manage.py restore FILE --yes`.

Everything in the database is replaced. Afterwards the audit trail's hash chain is checked; the last
line is verify_audit's (`entries=N broken=0`), and a broken chain exits 1.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.audit_chain import verify_chain
from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục toàn bộ cơ sở dữ liệu từ tệp sao lưu (thay thế mọi dữ liệu hiện có), rồi kiểm tra nhật ký."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="không hỏi lại (mọi dữ liệu hiện có bị thay thế)")

    def handle(self, *args, file: Path, yes: bool, **options):
        if not yes:
            answer = input("Mọi dữ liệu hiện có sẽ bị thay bằng bản sao lưu. Gõ «có» để tiếp tục: ")
            if answer.strip().lower() not in ("có", "co", "yes"):
                raise CommandError("Đã hủy: không khôi phục.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        chain = verify_chain()
        self.stdout.write(f"Đã khôi phục từ {file}.")
        for item in chain.breaks[:5]:
            self.stdout.write(f"Mục nhật ký id={item.entry_id}: {item.text}.")
        self.stdout.write(chain.summary())
        if not chain.intact:
            raise SystemExit(1)
