"""Install the default criteria frameworks; quick and idempotent (run on every start)."""
from django.core.management.base import BaseCommand

from appraisal.frameworks.defaults import DEFAULT_FRAMEWORKS
from appraisal.frameworks.services import install_default_framework
from appraisal.models import Framework


class Command(BaseCommand):
    help = "Nạp các khung tiêu chí mặc định (theo mã); không ghi đè khung đã được sửa hoặc đã dùng."

    def handle(self, *args, **options):
        codes = [d.code for d in DEFAULT_FRAMEWORKS]
        existing = {f.code: f for f in Framework.objects.with_frozen().filter(code__in=codes)}
        for default in DEFAULT_FRAMEWORKS:
            framework = existing.get(default.code)
            digest = default.digest()
            if framework is not None and framework.defaults_digest == digest:
                self.stdout.write(f"{default.code}: không đổi")
                continue
            if framework is not None and framework.edited_by_staff:
                self.stdout.write(self.style.WARNING(
                    f"{default.code}: đã được Ban Xây dựng Đảng sửa, giữ nguyên (không nạp lại mặc định)"
                ))
                continue
            if framework is not None and framework.frozen:
                self.stdout.write(self.style.WARNING(
                    f"{default.code}: đã dùng cho kết quả đã quyết định, giữ nguyên (không nạp lại mặc định)"
                ))
                continue
            install_default_framework(
                settings=default.settings(), rows=default.rows(), caps=default.caps(),
                digest=digest, existing=framework,
            )
            verb = "đã nạp" if framework is None else "đã cập nhật theo mặc định mới"
            self.stdout.write(self.style.SUCCESS(f"{default.code}: {verb}"))
