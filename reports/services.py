"""The only writers of reports: save a draft's typed parts, make a report final [issue 9].

Each is keyword-only, atomic, permission-checked and audited. A final report is frozen: its
number, date, signer, the figures it printed and the PDF never change again.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from appraisal import authority
from appraisal.models import Decision, DecisionKind
from core.audit import AuditAction, record_change
from core.issued import document_issue, documents_supersede, issued_for, new_code, proof_footer
from core.models import DocumentKind, IssuedDocument
from core.scope import scope_for
from core.signing import SigningUnavailable
from core.vntext import nfc

from . import companions
from .checks import finalize_problems
from .compute import latest_counted_decision, parse_quarters, year_end_figures
from .data import report_scope
from .decision_docs import decision_pdf, on_behalf
from .documents import year_end_document
from .figures import to_json
from .models import Report, ReportStatus
from .narrative import PARTS, Typed, clean_narrative, too_long, typed_parts
from .package import ATTACHMENT, figures_attachment
from .render import year_end_pdf

STALE = "Báo cáo đã được người khác sửa trong lúc đồng chí đang sửa; hãy tải lại trang để xem bản mới nhất."
HEADER_FIELDS = (
    "superior_name", "issuer_name", "document_code", "place", "title", "quarters", "recipients",
    "signer_on_behalf", "signer_title", "signer_name",
)


def require_report_drafter(actor) -> None:
    """Party-building staff draft reports; the standing committee reads and issues them."""
    if not authority.may_draft_reports(scope_for(actor)):
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng soạn, sửa dự thảo báo cáo; Ban Thường vụ xem và ban hành.")


def require_report_issuer(actor) -> None:
    """The standing committee's signer makes a report final and signs it."""
    if not authority.may_issue_reports(scope_for(actor)):
        raise PermissionDenied("Chỉ Ban Thường vụ (người ký) ban hành, ký số báo cáo; Ban Xây dựng Đảng soạn dự thảo.")


def _ensure_draft(report: Report) -> None:
    if report.is_final:
        raise ValidationError(
            f"{report} đã ban hành nên không được sửa; số liệu thay đổi sau đó sẽ được nêu ở báo cáo kỳ sau."
        )


def _check_header(values: dict) -> dict:
    errors = {}
    cleaned = {}
    for name in HEADER_FIELDS:
        if name not in values:
            continue
        text = nfc(values[name])
        limit = Report._meta.get_field(name).max_length
        if limit and len(text) > limit:
            errors[name] = [f"Dài {len(text)} ký tự, tối đa {limit} ký tự."]
        cleaned[name] = text
    if "quarters" in cleaned:
        try:
            parse_quarters(cleaned["quarters"], 2000)
        except ValueError as exc:
            errors["quarters"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def report_save(*, actor, report: Report, header: dict, narrative: dict, expected_version: int | None) -> Report:
    """Save a draft's header, opening paragraph and parts of the outline; refuse a save over someone
    else's change. `narrative` is {"basis": text, "parts": {key: Typed}}; what it leaves out is kept."""
    require_report_drafter(actor)
    _ensure_draft(report)
    cleaned = _check_header(header)
    basis, parts = typed_parts(report.narrative)
    parts.update({key: value if isinstance(value, Typed) else Typed(**value)
                  for key, value in (narrative.get("parts") or {}).items()})
    text = clean_narrative(narrative.get("basis", basis), parts)
    errors = too_long(text)
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(report, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(report, name, value)
    old = clean_narrative(*typed_parts(report.narrative))
    changed_parts = (["mở đầu"] if old["basis"] != text["basis"] else []) + [
        key for key in PARTS if old["parts"].get(key) != text["parts"].get(key)]
    report.narrative = text
    if report.pk is None:
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:
            raise ValidationError(STALE) from exc
        action = AuditAction.REPORT_CREATE
    else:
        updated = Report.objects.filter(pk=report.pk, version=expected_version, status=ReportStatus.DRAFT).update(
            version=F("version") + 1, updated_at=timezone.now(),
        )
        if not updated:
            raise ValidationError(STALE)
        report.version = (expected_version or 0) + 1
        report.save(update_fields=[*cleaned, "narrative"])
        action = AuditAction.REPORT_UPDATE
    changes = {name: (before[name], cleaned[name]) for name in cleaned if before[name] != cleaned[name]}
    if changed_parts:
        changes["narrative"] = ", ".join(changed_parts)
    record_change(actor=actor, action=action, obj=report, changes=changes)
    return report


@transaction.atomic
def report_finalize(
    *, actor, report: Report, number: str, issued_on: dt.date, signer_name: str, expected_version: int,
    quota_seen: bool = False,
) -> Report:
    """Make a draft final: number, date and signer; the figures and the PDF are stored as printed.

    Refused, each named, while the text holds placeholders or lacks a header line, or when the issue
    date is before a decision the report counts or a date its text cites (reports.checks). Groups
    over the 20 % quota must have been shown to (and acknowledged by) the person finalising, the
    standing committee's signer (`authority.may_issue_reports`).
    """
    require_report_issuer(actor)
    _ensure_draft(report)
    number, signer_name = nfc(number), nfc(signer_name)
    errors = {}
    if not number:
        errors["number"] = ["Chưa nhập số báo cáo."]
    elif len(number) > Report._meta.get_field("number").max_length:
        errors["number"] = ["Số báo cáo quá dài."]
    if issued_on is None:
        errors["issued_on"] = ["Chưa nhập ngày ban hành."]
    if not signer_name:
        errors["signer_name"] = ["Chưa nhập họ tên người ký."]
    if errors:
        raise ValidationError(errors)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.version != expected_version or locked.is_final:
        raise ValidationError(STALE)
    scope = report_scope(locked.organization)
    figures = year_end_figures(scope, locked.year, locked.quarters, exclude_report=locked)
    problems = finalize_problems(locked, issued_on=issued_on, latest=latest_counted_decision(scope, locked, figures))
    if problems:
        raise ValidationError([f"Chưa ban hành được — {problem}" for problem in problems])
    if figures.quota_flags and not quota_seen:
        groups = "; ".join(f"{f.section} — {f.group}: {f.excellent}/{f.allowed}" for f in figures.quota_flags)
        raise ValidationError({"quota_seen": [
            f"Có {len(figures.quota_flags)} nhóm vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ ({groups}). "
            "Hãy xem lại, rồi đánh dấu đã xem trước khi ban hành."
        ]})
    locked.number, locked.issued_on, locked.signer_name = number, issued_on, signer_name
    locked.status = ReportStatus.FINAL
    locked.figures = to_json(figures)
    locked.finalized_at = timezone.now()
    locked.finalized_by = actor if getattr(actor, "is_authenticated", False) else None
    code = new_code()
    org_code = locked.organization.code if locked.organization_id else ",".join(c.code for c in scope.communes)
    pdf = year_end_pdf(year_end_document(locked, figures), proof=proof_footer(code),
                       attachments=((ATTACHMENT, figures_attachment(locked, figures, org_code=org_code)),))
    try:
        issued, pdf = document_issue(
            code=code, pdf=pdf, kind=DocumentKind.YEAR_END, obj=locked, title=str(locked),
            issuer=locked.issuer_name or str(locked.organization or ""), issued_on=issued_on, signer_name=signer_name,
            signer_role=" ".join(x for x in (locked.signer_on_behalf, locked.signer_title) if x),
            reason=f"Ban hành báo cáo {locked.reference}", location=locked.place, year=locked.year,
        )
    except SigningUnavailable as error:
        raise ValidationError(f"Chưa ban hành được — không ký số được: {error}") from error
    locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    locked.pdf.save(f"bao-cao-{locked.year}-{locked.pk}.pdf", ContentFile(pdf), save=False)
    locked.version = expected_version + 1
    locked.save()
    record_change(actor=actor, action=AuditAction.REPORT_FINALIZE, obj=locked, changes={
        "number": f"{number}-{locked.document_code}", "issued_on": issued_on, "signer_name": signer_name,
        "pdf_sha256": locked.pdf_sha256, "Mã xác minh": issued.code,
        "Chữ ký số": issued.certificate or "không ký (chưa cấu hình chứng thư số)",
    })
    return locked


@transaction.atomic
def decision_issue(*, actor, decision: Decision, organization=None) -> IssuedDocument:
    """Issue a decision (Quyết định xếp loại, or a re-rating decision as Mẫu QĐ 01): its PDF with
    the verification code and QR, signed with the organisation's certificate, stored as issued.
    The standing committee's signer issues; a decision is issued once."""
    if not authority.may_issue_decisions(scope_for(actor)):
        raise PermissionDenied("Chỉ Ban Thường vụ (người ký) ban hành, ký số quyết định.")
    locked = Decision.objects.select_for_update().select_related("period").get(pk=decision.pk)
    if issued_for(locked) is not None:
        raise ValidationError(f"{locked} đã ban hành, ký số; không ban hành lại.")
    if not locked.signer:
        raise ValidationError(f"{locked} chưa ghi người ký: không ký số được.")
    code = new_code()
    pdf, issuer = decision_pdf(report_scope(organization), locked, proof=proof_footer(code))
    try:
        issued, _ = document_issue(
            code=code, pdf=pdf, kind=DocumentKind.RERATING if locked.kind == DecisionKind.RERATING else DocumentKind.DECISION,
            obj=locked, title=str(locked), issuer=issuer, issued_on=locked.decided_on, signer_name=locked.signer,
            signer_role=" ".join(x for x in (on_behalf(locked.authority), locked.signer_title) if x),
            reason=f"Ban hành {locked}", year=locked.period.year, keep_file=f"quyet-dinh-{locked.pk}.pdf",
        )
    except SigningUnavailable as error:
        raise ValidationError(f"Chưa ban hành được — không ký số được: {error}") from error
    record_change(actor=actor, action=AuditAction.DECISION_ISSUE, obj=locked, changes={
        "Mã xác minh": issued.code, "sha256": issued.sha256,
        "Chữ ký số": issued.certificate or "không ký (chưa cấu hình chứng thư số)",
    })
    return issued


@transaction.atomic
def summary_issue(*, actor, organization, year: int, quarter: int | None, subject_type: str,
                  signer_name: str) -> IssuedDocument:
    """Issue a summary sheet (Biểu tổng hợp) as it stands: its PDF with the verification code and QR,
    signed and stored; the sheet issued before for the same scope, period and subject type is
    marked replaced by it. Ban Xây dựng Đảng compiles it (Người lập biểu)."""
    require_report_drafter(actor)
    signer_name = nfc(signer_name)
    if not signer_name:
        raise ValidationError("Chưa nhập họ tên người lập biểu.")
    scope = report_scope(organization)
    try:
        context = companions.summary_context(scope, year=year, quarter=quarter, subject_type=subject_type)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    key = companions.summary_key(scope, year=year, quarter=quarter, subject_type=subject_type)
    earlier = list(IssuedDocument.objects.select_for_update().filter(object_type=key[0], object_id=key[1],
                                                                     superseded_at__isnull=True))
    code = new_code()
    pdf = companions.summary_pdf(context | {"signer_name": signer_name}, proof=proof_footer(code))
    title = f"Biểu tổng hợp {context['subject_label'].lower()} {context['period']} — {scope.name}"
    try:
        issued, _ = document_issue(
            code=code, pdf=pdf, kind=DocumentKind.SUMMARY, obj=key, title=title, issuer=context["who"].issuer,
            issued_on=timezone.localdate(), signer_name=signer_name, signer_role="Người lập biểu",
            reason=f"Ban hành {title}", year=year, keep_file=f"bieu-tong-hop-{code}.pdf",
        )
    except SigningUnavailable as error:
        raise ValidationError(f"Chưa ban hành được — không ký số được: {error}") from error
    documents_supersede(earlier, note=f"thay bằng bản ban hành mã {code}")
    record_change(actor=actor, action=AuditAction.SUMMARY_ISSUE, obj=issued, changes={
        "Mã xác minh": code, "sha256": issued.sha256, "Người lập biểu": signer_name,
        "Chữ ký số": issued.certificate or "không ký (chưa cấu hình chứng thư số)",
        **({"Thay bản": ", ".join(d.code for d in earlier)} if earlier else {}),
    })
    return issued
