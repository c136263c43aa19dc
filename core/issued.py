"""Issued documents: a verification code and QR printed in the document, the signature, the record
the public verification page reads (/xac-minh/, `manage.py verify_document`).

    code = new_code()
    pdf = render(..., proof=proof_footer(code))         # the code and QR are in the signed file
    record, signed = document_issue(code=code, pdf=pdf, kind=DocumentKind.YEAR_END, obj=report, …)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from .models import DocumentKind, IssuedDocument
from .signing import (
    TEST_LABEL,
    SignatureCheck,
    certificate_subject,
    check_pdf,
    sign_pdf,
    signing_configured,
)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def new_code() -> str:
    """A short verification code not used yet, "KD-7Q4M-X2PA"."""
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
        code = f"KD-{raw[:4]}-{raw[4:]}"
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def clean_code(text: str) -> str:
    """A code as typed ("kd 7q4m x2pa") in its stored form."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if raw.startswith("KD"):
        raw = raw[2:]
    return f"KD-{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else ""


def verify_url(code: str) -> str:
    base = getattr(settings, "PUBLIC_URL", "").rstrip("/")
    return f"{base}/xac-minh/?ma={code}"


@dataclass(frozen=True)
class ProofFooter:
    """What the document prints at its end: the code, where to check it, the QR (inline SVG)."""

    code: str
    url: str
    qr_svg: str
    signed: bool
    timestamped: bool
    test_certificate: bool


def proof_footer(code: str) -> ProofFooter:
    import segno

    url = verify_url(code)
    svg = segno.make(url, error="m").svg_inline(scale=2, border=0, omitsize=False)
    tsa = bool(getattr(settings, "SIGNING_TSA_URL", ""))
    signed = signing_configured()
    return ProofFooter(code=code, url=url, qr_svg=svg, signed=signed, timestamped=signed and tsa,
                       test_certificate=signed and TEST_LABEL in certificate_subject())


def document_issue(
    *, code: str, pdf: bytes, kind: str, obj: models.Model | tuple[str, str], title: str, issuer: str,
    issued_on: dt.date,
    signer_name: str, signer_role: str, reason: str, location: str = "", year: int | None = None,
    keep_file: str = "",
) -> tuple[IssuedDocument, bytes]:
    """Sign `pdf` (when a certificate is configured) and record it as issued; return the record and
    the file as issued (kept in the record under the name `keep_file` when given). `obj` is the row
    issued, or (type, key) for a document no row holds (a summary sheet). Called inside the issuing
    service's transaction."""
    object_type, object_id = obj if isinstance(obj, tuple) else (obj._meta.label, str(obj.pk))
    signed = None
    if signing_configured():
        signed = sign_pdf(pdf, signer_name=signer_name, signer_role=signer_role, reason=reason, location=location)
        pdf = signed.pdf
    record = IssuedDocument.objects.create(
        code=code, kind=DocumentKind(kind), title=title[:255], issuer=issuer[:255], issued_on=issued_on,
        sha256=hashlib.sha256(pdf).hexdigest(), signed=signed is not None,
        certificate=signed.certificate[:500] if signed else "", test_certificate=bool(signed and signed.is_test),
        timestamped=bool(signed and signed.timestamped), signer_name=signer_name[:120],
        signer_role=signer_role[:120], object_type=object_type, object_id=object_id[:64], year=year,
    )
    if keep_file:
        record.file.save(keep_file, ContentFile(pdf), save=True)
    return record, pdf


def documents_supersede(documents, *, note: str) -> int:
    """Mark issued documents as superseded (a re-rating, a replacement), saying by what."""
    return IssuedDocument.objects.filter(pk__in=[d.pk for d in documents], superseded_at__isnull=True).update(
        superseded_at=timezone.now(), superseded_note=note[:255],
    )


def documents_superseded_by_rerating(*, year: int, decision_ids, note: str) -> int:
    """A re-rating decision supersedes the documents of the decisions it replaces and the year-end
    reports of that year (their figures no longer hold) [003 C.IV.9]."""
    found = IssuedDocument.objects.filter(
        models.Q(object_type="appraisal.Decision", object_id__in=[str(pk) for pk in decision_ids if pk])
        | models.Q(kind=DocumentKind.YEAR_END, year=year)
    )
    return documents_supersede(found, note=note)


def issued_for(obj: models.Model | tuple[str, str]) -> IssuedDocument | None:
    """The (latest) issued document of a report, a decision or a (type, key), if it was issued."""
    object_type, object_id = obj if isinstance(obj, tuple) else (obj._meta.label, str(obj.pk))
    return IssuedDocument.objects.filter(object_type=object_type, object_id=object_id).order_by("-id").first()


@dataclass(frozen=True)
class Verification:
    """What the public page and the command answer about a file: nothing else about the data."""

    document: IssuedDocument | None
    signature: SignatureCheck

    @property
    def issued(self) -> bool:
        return self.document is not None

    @property
    def superseded(self) -> bool:
        return bool(self.document and self.document.superseded_at)

    def summary(self) -> str:
        return (f"issued={'yes' if self.issued else 'no'} signature={self.signature.status} "
                f"superseded={'yes' if self.superseded else 'no'}")


def verify_file(data: bytes) -> Verification:
    """Is this file exactly an issued document, is its signature intact and trusted, superseded?"""
    digest = hashlib.sha256(data).hexdigest()
    document = IssuedDocument.objects.filter(sha256=digest).first()
    return Verification(document=document, signature=check_pdf(data))


def document_by_code(code: str) -> IssuedDocument | None:
    code = clean_code(code)
    return IssuedDocument.objects.filter(code=code).first() if code else None
