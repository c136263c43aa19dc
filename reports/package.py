"""Figures that travel upward signed: a final year-end report as a package for the committee above.

The report's PDF, when made final, embeds its counts per subject type and level as JSON
(`ATTACHMENT`), so the signature covers them. The package (a zip) holds that signed PDF and the
same counts as the XLSX "counts" format the results import reads (docs/import-format.md). The
committee above imports the package (ImportKind.PACKAGE): the signature must be intact and the
XLSX must say exactly what the signed PDF says, else the package is refused with the reason; a
package signed by a certificate the deployment does not trust, or not signed, is imported with
that reason shown in the roll-up instead of "đã xác minh chữ ký".
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

from appraisal.models import SubjectType
from core.signing import check_pdf

from .figures import YearEndFigures

ATTACHMENT = "so-lieu-bao-cao.json"
FORMAT = "kiemdiem-so-lieu-1"
LEVELS = ("excellent", "good", "passing", "failing", "not_rated")
VERIFIED = "đã xác minh chữ ký"
MAX_MEMBER_BYTES = 60 * 1024 * 1024
# The "Đối tượng" column as the counts format writes it (docs/import-format.md).
SUBJECT_WORDS = {
    SubjectType.BASE_ORG_YEARLY: "Tổ chức đảng", SubjectType.COMMITTEE_YEARLY: "Tập thể cấp ủy",
    SubjectType.COLLECTIVE_YEARLY: "Tập thể lãnh đạo, quản lý", SubjectType.LEADER_YEARLY: "Cán bộ lãnh đạo, quản lý",
    SubjectType.MEMBER_YEARLY: "Đảng viên",
}


def report_counts(figures: YearEndFigures) -> list[dict]:
    """The year's counts per subject type, as the report printed them (its tables' totals)."""
    tallies = (
        (SubjectType.BASE_ORG_YEARLY, figures.organisations.tally),
        (SubjectType.COMMITTEE_YEARLY, figures.committees.tally),
        (SubjectType.COLLECTIVE_YEARLY, figures.collectives.tally),
        (SubjectType.LEADER_YEARLY, figures.leaders),
        (SubjectType.MEMBER_YEARLY, figures.members),
    )
    return [
        {"subject": str(subject), "excellent": t.excellent, "good": t.good, "passing": t.passing,
         "failing": t.failing, "not_rated": t.not_rated_total}
        for subject, t in tallies
    ]


def figures_attachment(report, figures: YearEndFigures, *, org_code: str) -> bytes:
    """What the signed PDF embeds: the report's identity and its counts (JSON)."""
    return json.dumps({
        "format": FORMAT, "year": report.year, "org_code": org_code, "reference": report.reference,
        "issued_on": report.issued_on.isoformat() if report.issued_on else "", "signer": report.signer_name,
        "counts": report_counts(figures),
    }, ensure_ascii=False, sort_keys=True, indent=1).encode()


def counts_workbook(*, year: int, org_code: str, counts: list[dict]) -> bytes:
    """The counts as the results import's "counts" format (one sheet, its headers)."""
    from openpyxl import Workbook

    from .results_import import COUNT_COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = "Số lượng"
    ws.append([c.header for c in COUNT_COLUMNS])
    for row in counts:
        values = {"year": year, "quarter": None, "org_code": org_code, "subject": SUBJECT_WORDS[SubjectType(row["subject"])],
                  "group": None, "tier": None, **{k: row[k] for k in LEVELS}}
        ws.append([values[c.key] for c in COUNT_COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def embedded_figures(pdf: bytes) -> dict | None:
    """The counts a signed report carries, or None."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        files = PdfReader(io.BytesIO(pdf)).attachments
        content = files.get(ATTACHMENT)
    except (PyPdfError, ValueError, KeyError, TypeError):
        return None
    if not content:
        return None
    try:
        data = json.loads(content[0])
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def package_export(report) -> bytes:
    """The package of a final report: its signed PDF and its counts as XLSX (a zip)."""
    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    data = embedded_figures(pdf)
    if data is None:
        raise ValueError(f"{report} không kèm số liệu đã ký (ban hành trước khi có gói số liệu).")
    xlsx = counts_workbook(year=data["year"], org_code=data["org_code"], counts=data["counts"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"bao-cao-{data['year']}-{data['org_code']}.pdf", pdf)
        archive.writestr(f"so-lieu-{data['year']}-{data['org_code']}.xlsx", xlsx)
    return out.getvalue()


@dataclass
class PackageCheck:
    """What the committee above learns from a package before importing it."""

    xlsx: bytes = b""
    reference: str = ""
    note: str = ""          # VERIFIED, or why the signature is not verified
    problems: list[str] = field(default_factory=list)


def _members(content: bytes) -> tuple[bytes, bytes] | str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return "Tệp không phải gói số liệu (.zip) đọc được."
    pdfs = [i for i in infos if i.filename.lower().endswith(".pdf")]
    books = [i for i in infos if i.filename.lower().endswith(".xlsx")]
    if len(pdfs) != 1 or len(books) != 1:
        return "Gói số liệu phải có đúng một tệp báo cáo PDF và một tệp số liệu Excel (.xlsx)."
    if any(i.file_size > MAX_MEMBER_BYTES for i in (pdfs[0], books[0])):
        return "Tệp trong gói quá lớn."
    try:
        return archive.read(pdfs[0]), archive.read(books[0])
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return "Gói số liệu bị hỏng, không giải nén được."


def _xlsx_counts(xlsx: bytes) -> dict[tuple, tuple] | list[str]:
    """The XLSX's rows as {(year, org_code, subject): counts}, read by the results import's reader."""
    from members.workbook.cells import CellError

    from .models import ImportKind
    from .results_import import read_count, read_sheet, read_subject, read_year

    sheet = read_sheet(xlsx, ImportKind.COUNTS, file_name="tệp số liệu trong gói")
    if sheet.problems:
        return sheet.problems
    rows = {}
    for row in sheet.dataset.dict:
        try:
            key = (read_year(row["year"]), str(row["org_code"] or "").strip(), read_subject(row["subject"], None))
            rows[key] = tuple(read_count(row.get(k)) or 0 for k in LEVELS)
        except (CellError, KeyError, ValueError):
            return ["Tệp số liệu trong gói có dòng không đọc được."]
    return rows


def package_check(content: bytes) -> PackageCheck:
    """Signature and figures of a package: refused (problems) when the signature is broken or the
    XLSX says other than the signed PDF; otherwise the XLSX to import and the roll-up's note."""
    check = PackageCheck()
    members = _members(content)
    if isinstance(members, str):
        check.problems.append(members)
        return check
    pdf, xlsx = members
    signature = check_pdf(pdf)
    if signature.status == "broken":
        check.problems.append(f"Chữ ký số của báo cáo trong gói không còn nguyên vẹn: {signature.problem}")
        return check
    data = embedded_figures(pdf)
    if data is None:
        check.problems.append("Báo cáo trong gói không kèm số liệu đã ký: không đối chiếu được tệp Excel.")
        return check
    signed = {(data["year"], data["org_code"], row["subject"]): tuple(row[k] for k in LEVELS) for row in data["counts"]}
    typed = _xlsx_counts(xlsx)
    if isinstance(typed, list):
        check.problems.extend(typed)
        return check
    if typed != signed:
        differ = []
        for key in sorted(set(signed) | set(typed)):
            if signed.get(key) != typed.get(key):
                label = SUBJECT_WORDS.get(key[2], key[2])
                differ.append(f"{label}: báo cáo đã ký {_counts(signed.get(key))}, tệp Excel {_counts(typed.get(key))}")
        check.problems.append("Số liệu trong tệp Excel khác số liệu của báo cáo đã ký (tệp đã bị sửa sau khi ký?): "
                              + "; ".join(differ) + ".")
        return check
    check.xlsx = xlsx
    check.reference = f"{data['reference']} ngày {_day(data['issued_on'])}, người ký {data['signer']}"[:255]
    if signature.status == "none":
        check.note = "chưa xác minh: báo cáo không có chữ ký số"
    elif not signature.trusted:
        check.note = f"chưa xác minh: chứng thư «{signature.certificate}» không thuộc danh sách tin cậy"[:255]
    else:
        check.note = VERIFIED + (" (chứng thư thử nghiệm)" if signature.is_test else "")
    return check


def _counts(values) -> str:
    if values is None:
        return "không có"
    return ", ".join(f"{h} {v}" for h, v in zip(("HTXSNV", "HTTNV", "HTNV", "KHTNV", "không xếp loại"), values, strict=True))


def _day(iso: str) -> str:
    from datetime import date

    from vnformat import fmt_date

    try:
        return fmt_date(date.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso or "…"


@dataclass(frozen=True)
class RollupRow:
    batch: object
    reference: str
    note: str
    verified: bool
    counts: tuple  # (subject label, excellent, good, passing, failing, not_rated)


def package_rollup(limit: int = 200) -> list[RollupRow]:
    """Each imported package: the commune's figures and "đã xác minh chữ ký" or why not (2 queries)."""
    from .models import ImportBatch, ImportKind

    batches = (ImportBatch.objects.filter(kind=ImportKind.PACKAGE).prefetch_related("counts__organization")
               .order_by("-created_at", "-id")[:limit])
    rows = []
    for batch in batches:
        counts = tuple(
            (c.organization.name, c.year, SubjectType(c.subject_type).label, c.excellent, c.good, c.passing,
             c.failing, c.not_rated)
            for c in batch.counts.all()
        )
        rows.append(RollupRow(batch, batch.package_reference, batch.signature_note,
                              batch.signature_note.startswith(VERIFIED), counts))
    return rows
