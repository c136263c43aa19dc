"""Check a PDF as the public verification page does (core.issued.verify_file).

    manage.py verify_document FILE.pdf
    # last line: issued=yes|no signature=intact|broken|none superseded=yes|no
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.issued import verify_file


class Command(BaseCommand):
    help = "Kiểm tra một tệp PDF: có đúng văn bản đã ban hành, chữ ký số còn nguyên vẹn, đã bị thay thế chưa."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        result = verify_file(file.read_bytes())
        doc, sig = result.document, result.signature
        if doc:
            self.stdout.write(f"Văn bản đã ban hành: {doc.title}, ngày {doc.issued_on:%d/%m/%Y}, mã xác minh {doc.code}.")
        else:
            self.stdout.write("Tệp không trùng với văn bản nào đã ban hành.")
        if sig.status == "intact":
            trust = "được tin cậy" if sig.trusted else "KHÔNG thuộc danh sách tin cậy"
            test = "; CHỨNG THƯ THỬ NGHIỆM, không có giá trị pháp lý" if sig.is_test else ""
            stamp = "có dấu thời gian" if sig.timestamped else "không có dấu thời gian"
            self.stdout.write(f"Chữ ký số nguyên vẹn, toàn bộ tệp; người ký {sig.signer_name}; {sig.certificate} "
                              f"({trust}{test}); {stamp}.")
        elif sig.status == "broken":
            self.stdout.write(f"Chữ ký số không còn nguyên vẹn: {sig.problem}")
        else:
            self.stdout.write("Tệp không có chữ ký số.")
        if result.superseded:
            self.stdout.write(f"Đã bị thay thế: {doc.superseded_note}.")
        self.stdout.write(result.summary())
