"""Generate the demo's test certificate authority and organisation certificate (never for real use).

    manage.py make_test_certificates [--out var/signing] [--org "Đảng ủy xã Bình Lư"] [--if-missing]

Writes ca.pem (trust it: SIGNING_TRUST_ROOTS) and organisation.p12 (SIGNING_PKCS12, password
SIGNING_PASSWORD). Both say "CHỨNG THƯ THỬ NGHIỆM" in their names.
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.signing import make_test_pki


class Command(BaseCommand):
    help = "Tạo chứng thư số thử nghiệm (CA và chứng thư của tổ chức) để ký văn bản trong bản dùng thử."

    def add_arguments(self, parser):
        default = Path(settings.SIGNING_PKCS12).parent if settings.SIGNING_PKCS12 else Path("var/signing")
        parser.add_argument("--out", type=Path, default=default)
        parser.add_argument("--org", default="Đảng ủy xã (bản dùng thử)")
        parser.add_argument("--if-missing", action="store_true", help="không làm gì nếu đã có")

    def handle(self, *args, out: Path, org: str, if_missing: bool, **options):
        if if_missing and (out / "organisation.p12").is_file() and (out / "ca.pem").is_file():
            self.stdout.write(f"Đã có chứng thư thử nghiệm ở {out}.")
            return
        paths = make_test_pki(out, organization=org, password=settings.SIGNING_PASSWORD)
        self.stdout.write(
            f"Đã tạo chứng thư thử nghiệm (CHỨNG THƯ THỬ NGHIỆM, không có giá trị pháp lý): "
            f"{paths['pkcs12']} và CA {paths['ca']}."
        )
