"""Digital signatures on issued PDFs (PAdES, pyHanko) and their check; the demo's test certificates.

The issuing organisation's certificate and key come from a PKCS#12 file (settings
SIGNING_PKCS12, SIGNING_PASSWORD). A real USB token (chữ ký số on a PKCS#11 token) is the
alternative: pyHanko's `pyhanko.sign.pkcs11.PKCS11Signer` (pyhanko[pkcs11]) replaces
`SimpleSigner` in `_signer()`, the rest is unchanged (docs/signing.md). With SIGNING_TSA_URL
set, each signature carries an RFC 3161 timestamp; without one, the signing time is the
server's clock and the document and the verification page say "không có dấu thời gian".

Certificates the deployment trusts: SIGNING_TRUST_ROOTS (PEM files). The demo's own certificate
authority and organisation certificate (`manage.py make_test_certificates`) say
"CHỨNG THƯ THỬ NGHIỆM" in their names, so every place that shows them says so.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

TEST_LABEL = "CHỨNG THƯ THỬ NGHIỆM"
FIELD_NAME = "ChuKySo"
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
# The visible signature block: the last page's bottom margin, right of the left margin (points).
STAMP_BOX = (290, 1, 570, 57)
STAMP_FONT_SIZE = 7  # the glyph accumulator needs it too, or its line moves use its default (10)


class SigningUnavailable(RuntimeError):
    """No certificate is configured, or it cannot be read."""


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    certificate: str      # the signing certificate's subject, as people read it
    is_test: bool
    timestamped: bool


@dataclass(frozen=True)
class SignatureCheck:
    status: str           # "intact", "broken" or "none"
    certificate: str = ""
    trusted: bool = False
    is_test: bool = False
    whole_file: bool = False
    timestamped: bool = False
    signed_at: dt.datetime | None = None
    signer_name: str = ""
    problem: str = ""


def signing_configured() -> bool:
    return bool(getattr(settings, "SIGNING_PKCS12", ""))


def _password() -> bytes | None:
    password = getattr(settings, "SIGNING_PASSWORD", "")
    return password.encode() if password else None


def _signer():
    from pyhanko.sign import signers

    path = getattr(settings, "SIGNING_PKCS12", "")
    if not path or not Path(path).is_file():
        raise SigningUnavailable(
            f"Không tìm thấy tệp chứng thư số (SIGNING_PKCS12 = {path or 'chưa đặt'}); bản dùng thử: chạy "
            "manage.py make_test_certificates."
        )
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=_password())
    if signer is None:
        raise SigningUnavailable("Không đọc được tệp chứng thư số: sai mật khẩu (SIGNING_PASSWORD) hoặc tệp hỏng.")
    return signer


def _stamp_font() -> str:
    """Liberation Serif rescaled to 1000 units per em: pyHanko writes glyph widths in font
    units where PDF reads thousandths of an em, so a 2048-unit font would print letter-spaced."""
    import tempfile

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    path = Path(tempfile.gettempdir()) / "kiemdiem-stamp-font-1000.ttf"
    if not path.is_file():
        font = TTFont(FONT)
        scale_upem(font, 1000)
        partial = path.with_suffix(f".{id(font)}.tmp")
        font.save(partial)
        partial.replace(path)
    return str(path)


def _subject(cert) -> str:
    return cert.subject.human_friendly


def certificate_subject() -> str:
    """The configured signing certificate's subject, as people read it."""
    return _subject(_signer().signing_cert)


def sign_pdf(pdf: bytes, *, signer_name: str, signer_role: str, reason: str, location: str = "") -> Signed:
    """Sign `pdf` (PAdES baseline, SHA-256) with the organisation's certificate, with a visible
    block on the last page naming the signer and role; timestamped when a TSA is configured."""
    from pyhanko import stamp
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" is not news
    signer = _signer()
    tsa_url = getattr(settings, "SIGNING_TSA_URL", "")
    timestamper = _timestamper(tsa_url) if tsa_url else None
    certificate = _subject(signer.signing_cert)
    is_test = TEST_LABEL in certificate
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    last_page = int(writer.root["/Pages"]["/Count"]) - 1
    time_line = "Thời gian: %(ts)s" + ("" if timestamper else "\n(giờ máy chủ, không có dấu thời gian)")
    style = stamp.TextStampStyle(
        stamp_text="Ký số bởi: %(signer)s\n%(role)s\n" + time_line + ("\n" + TEST_LABEL if is_test else ""),
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(_stamp_font(), font_size=STAMP_FONT_SIZE),
                                    font_size=STAMP_FONT_SIZE),
        border_width=1, timestamp_format="%d/%m/%Y %H:%M:%S %z",
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, name=signer_name, reason=reason, location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=last_page, box=STAMP_BOX),
    )
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params={"signer": signer_name, "role": signer_role})
    except OSError as error:  # the timestamp server unreachable or refusing (TimestampRequestError)
        raise SigningUnavailable(f"Không lấy được dấu thời gian từ {tsa_url}: {error}") from error
    return Signed(pdf=out.getvalue(), certificate=certificate, is_test=is_test, timestamped=timestamper is not None)


def _timestamper(url: str):
    """The RFC 3161 timestamp server's client (a test replaces it with a local one)."""
    from pyhanko.sign import timestamps

    return timestamps.HTTPTimeStamper(url)


def _trust_roots():
    from asn1crypto import pem, x509

    roots = []
    for path in getattr(settings, "SIGNING_TRUST_ROOTS", ()) or ():
        if not Path(path).is_file():
            continue
        data = Path(path).read_bytes()
        for _, _, der in pem.unarmor(data, multiple=True) if pem.detect(data) else [(None, None, data)]:
            roots.append(x509.Certificate.load(der))
    return roots


def check_pdf(data: bytes) -> SignatureCheck:
    """Is the file signed, is the signature intact over the whole file, by a trusted certificate?"""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # noqa: BLE001 - any unreadable file is "not a signed PDF we can read"
        if b"/ByteRange" in data:
            return SignatureCheck("broken", problem=f"Tệp đã bị thay đổi, không đọc được chữ ký ({type(error).__name__}).")
        return SignatureCheck("none", problem="Không đọc được tệp PDF.")
    if not signatures:
        return SignatureCheck("none")
    signature = signatures[-1]
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as error:  # noqa: BLE001 - a mangled signature is a broken one
        return SignatureCheck("broken", problem=f"Chữ ký không kiểm tra được ({type(error).__name__}).")
    certificate = _subject(status.signing_cert) if status.signing_cert is not None else ""
    from pyhanko.sign.validation import SignatureCoverageLevel

    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact and status.valid and whole)
    problem = ""
    if not (status.intact and status.valid):
        problem = "Nội dung tệp không còn khớp với chữ ký: tệp đã bị sửa sau khi ký."
    elif not whole:
        problem = "Tệp có thêm nội dung sau khi ký."
    return SignatureCheck(
        "intact" if intact else "broken", certificate=certificate, trusted=bool(status.trusted),
        is_test=TEST_LABEL in certificate, whole_file=whole, timestamped=status.timestamp_validity is not None,
        signed_at=status.signer_reported_dt, signer_name=str(signature.sig_object.get("/Name", "") or ""),
        problem=problem,
    )


def _fit(text: str, limit: int = 64) -> str:
    """`text` cut to `limit` UTF-8 bytes (X.509's bound for a name), never inside a letter."""
    return text.encode()[:limit].decode(errors="ignore").strip()


def make_test_pki(directory: Path, *, organization: str, password: str) -> dict[str, Path]:
    """Generate the demo's certificate authority and the organisation's certificate, both labelled
    "CHỨNG THƯ THỬ NGHIỆM" (never valid for real documents): ca.pem, organisation.p12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)

    def name(common: str):
        return x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{TEST_LABEL} - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"),
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(common)),
        ])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name(f"{TEST_LABEL}: CA kiemdiem")
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(name(f"{TEST_LABEL}: {organization}")).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1095))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"ca": directory / "ca.pem", "pkcs12": directory / "organisation.p12"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    paths["pkcs12"].write_bytes(pkcs12.serialize_key_and_certificates(
        b"kiemdiem", key, cert, [ca], encryption,
    ))
    return paths
