"""Walk the audit trail's hash chain and name the first entry changed, deleted or inserted.

    manage.py verify_audit      # last line: entries=N broken=0 (exit 0), or … broken=K first_broken_id=X (exit 1)
"""
from django.core.management.base import BaseCommand

from core.audit_chain import verify_chain

SHOWN = 20


class Command(BaseCommand):
    help = "Kiểm tra chuỗi mã băm của nhật ký thay đổi: nêu mục đầu tiên bị sửa, xóa hoặc chèn."

    def handle(self, *args, **options):
        report = verify_chain()
        for item in report.breaks[:SHOWN]:
            self.stdout.write(f"Mục nhật ký id={item.entry_id}: {item.text}.")
        if len(report.breaks) > SHOWN:
            self.stdout.write(f"… và {len(report.breaks) - SHOWN} chỗ hỏng khác.")
        if report.intact:
            self.stdout.write(f"Nhật ký nguyên vẹn: {report.entries} mục, chuỗi mã băm khớp.")
        self.stdout.write(report.summary())
        if not report.intact:
            raise SystemExit(1)
