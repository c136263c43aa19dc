"""What the database refuses to change in a final report (core.db_guard) [issue 15]."""
from core.db_guard import Guard

FINAL_REPORT = Guard(
    name="report_final",
    table="reports_report",
    locked="OLD.status = 'final'",
    frozen=(
        "status", "kind", "organization_id", "year", "number", "document_code", "issued_on", "figures",
        "pdf", "pdf_sha256", "signer_name",
    ),
    message="Báo cáo đã ban hành: cơ sở dữ liệu không cho sửa số liệu, tệp đã ban hành hay xóa báo cáo.",
)
