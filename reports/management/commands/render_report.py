"""Render a document to a file: `manage.py render_report KIND --year Y [--quarter Q] [--org CODE] --format pdf|xlsx --out FILE`.

The year-end report is the one the pages show: the saved draft (or final report) of the organisation
and year; `--quarters`, `--number`, `--date`, `--signer`, `--signer-title` replace the draft's values in
the file written (the draft itself is not changed).
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orgs.models import PartyOrganization
from reports import documents_cli
from reports.forms import DraftOptionsForm
from reports.models import Report, ReportKind, ReportStatus

KINDS = documents_cli.KINDS

DESCRIPTION = (
    "Xuất một văn bản báo cáo ra tệp PDF hoặc Excel. Báo cáo năm (year_end) lấy từ dự thảo đã lưu trên trang "
    "web của tổ chức và năm đó: phần đầu (cấp trên, cơ quan ban hành, địa danh, trích yếu), nội dung các mục, "
    "nơi nhận, người ký, chức vụ và các quý báo cáo; chưa có dự thảo thì dùng nội dung mặc định như trang web. "
    "Báo cáo đã ban hành thì xuất đúng tệp đã lưu. Các tùy chọn --quarters, --number, --date, --signer, "
    "--signer-title thay giá trị của dự thảo trong tệp xuất ra (không sửa dự thảo)."
)


class Command(BaseCommand):
    help = DESCRIPTION

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="Loại văn bản: " + "; ".join(
            f"{k} — {v}" for k, v in sorted(KINDS.items())))
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá.")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="Quý (biểu tổng hợp, quyết định theo quý).")
        parser.add_argument("--org", help="Mã tổ chức đảng (mặc định: toàn bộ).")
        parser.add_argument("--subject", help="Đối tượng của biểu tổng hợp (member_yearly, leader_quarterly …).")
        parser.add_argument("--years", type=int, default=5, help="Số năm của bảng qua các năm (mặc định 5).")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--out", required=True, help="Tệp ghi ra.")
        parser.add_argument("--final", action="store_true",
                            help="year_end: chỉ ghi bản đã ban hành (tệp PDF đã ký, lưu khi ban hành); báo lỗi nếu chưa ban hành.")
        draft = parser.add_argument_group(
            "thay giá trị của dự thảo báo cáo năm (year_end)",
            "Để trống: lấy theo dự thảo đã lưu trên trang web.")
        draft.add_argument("--quarters", default="", help="Các quý báo cáo đánh giá cán bộ, ví dụ 1/2026,2/2026.")
        draft.add_argument("--number", default="", help="Số báo cáo, ví dụ 12 (in «Số 12-BC/ĐU»).")
        draft.add_argument("--date", default="", help="Ngày ban hành, dd/mm/yyyy.")
        draft.add_argument("--signer", default="", help="Họ tên người ký.")
        draft.add_argument("--signer-title", default="", help="Chức vụ người ký, ví dụ PHÓ BÍ THƯ.")

    def handle(self, *args, kind, year, quarter, org, subject, years, format, out, **options):
        organization = None
        if org:
            organization = PartyOrganization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(f"Không có tổ chức đảng mã «{org}».")
        form = DraftOptionsForm({
            "quarters": options["quarters"], "number": options["number"], "issued_on": options["date"],
            "signer_name": options["signer"], "signer_title": options["signer_title"],
        })
        if not form.is_valid():
            raise CommandError("; ".join(form.error_lines()))
        if options["final"]:
            if kind != "year_end" or format != "pdf":
                raise CommandError("--final chỉ dùng cho year_end dạng pdf.")
            stored = Report.objects.filter(kind=ReportKind.YEAR_END, organization=organization, year=year,
                                           status=ReportStatus.FINAL).first()
            if stored is None or not stored.pdf:
                raise CommandError(f"Báo cáo năm {year} chưa ban hành: chưa có bản đã ký để ghi ra.")
        try:
            content = documents_cli.render(kind, year=year, quarter=quarter, organization=organization,
                                           subject=subject, years=years, fmt=format, draft=form.changes())
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        Path(out).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {out} ({len(content):,} byte).".replace(",", ".")))
