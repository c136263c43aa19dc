"""Issued documents signed (PAdES) and verifiable: a final report is signed by the demo's test
certificate, pyHanko's validator finds it intact over the whole file; one changed byte breaks it;
`verify_document` and the public page /xac-minh/ say so, and say when it was superseded."""
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from core.issued import documents_supersede, verify_file
from core.models import AuditEntry, IssuedDocument
from core.signing import TEST_LABEL, check_pdf
from orgs.models import OrgKind
from reports.pdf import html_to_pdf, print_html
from tests.reports.builders import Ratings, final_report, one_cell_commune, org, period

pytestmark = pytest.mark.django_db


def _final_report():
    root, _, people = one_cell_commune("S", 10, cell="Chi bộ thôn Nà Bó")
    r = Ratings()
    for i, m in enumerate(people):
        r.add(period(2025), "member_yearly", "HTXSNV" if i < 2 else "HTTNV", member=m)
    r.save()
    return final_report(root, who="s", number="12", issued_on=dt.date(2026, 1, 15))[0]


def _verify_command(path, capsys) -> str:
    call_command("verify_document", str(path))
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_a_final_report_is_signed_intact_over_the_whole_file_by_the_test_certificate(signing, tmp_path, capsys):
    report = _final_report()
    pdf = report.pdf.open("rb").read()
    check = check_pdf(pdf)
    assert (check.status, check.whole_file, check.trusted, check.is_test) == ("intact", True, True, True)
    assert "Đảng ủy xã Bình Lư" in check.certificate and TEST_LABEL in check.certificate
    assert check.signer_name == "Tạ Thị Dung" and not check.timestamped
    issued = IssuedDocument.objects.get(object_type="reports.Report", object_id=str(report.pk))
    assert issued.signed and issued.test_certificate and issued.sha256 == report.pdf_sha256
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Mã xác minh: {issued.code}" in text and "không có dấu thời gian" in text
    audit = AuditEntry.objects.get(action="report.finalize")
    assert audit.changes["Mã xác minh"] == issued.code

    good = tmp_path / "bao-cao.pdf"
    good.write_bytes(pdf)
    assert _verify_command(good, capsys) == "issued=yes signature=intact superseded=no"
    changed = bytearray(pdf)
    changed[len(changed) // 3] ^= 0x01
    bad = tmp_path / "bao-cao-sua.pdf"
    bad.write_bytes(bytes(changed))
    assert _verify_command(bad, capsys) == "issued=no signature=broken superseded=no"
    documents_supersede([issued], note="Xếp loại lại theo Quyết định số 05-QĐ/ĐU")
    assert _verify_command(good, capsys) == "issued=yes signature=intact superseded=yes"


def test_an_unknown_unsigned_pdf_is_neither_issued_nor_signed(tmp_path, capsys):
    unknown = tmp_path / "la.pdf"
    unknown.write_bytes(html_to_pdf(print_html("<p>Văn bản lạ</p>", title="x")))
    assert _verify_command(unknown, capsys) == "issued=no signature=none superseded=no"


def test_without_a_certificate_the_report_is_issued_unsigned_and_says_so(settings):
    settings.SIGNING_PKCS12 = ""
    report = _final_report()
    pdf = report.pdf.open("rb").read()
    assert verify_file(pdf).summary() == "issued=yes signature=none superseded=no"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Văn bản chưa được ký số" in text


def test_the_public_page_checks_a_file_and_a_code_without_sign_in(signing, client):
    report = _final_report()
    pdf = report.pdf.open("rb").read()
    issued = IssuedDocument.objects.get()
    url = reverse("verify_document")
    assert client.get(url).status_code == 200
    text = client.post(url, {"file": io.BytesIO(pdf)}, format="multipart").content.decode()
    assert "Đúng là văn bản đã ban hành" in text and "Chữ ký số nguyên vẹn" in text
    assert "chứng thư thử nghiệm, không có giá trị pháp lý" in text.lower()
    assert "không có dấu thời gian" in text
    text = client.get(url, {"ma": issued.code.lower().replace("-", " ")}).content.decode()
    assert "Mã này thuộc văn bản đã ban hành" in text and "Báo cáo số 12-BC/ĐU" in text
    text = client.get(url, {"ma": "KD-AAAA-BBBB"}).content.decode()
    assert "Không có văn bản nào đã ban hành mang mã này" in text


def test_a_changed_file_on_the_public_page_is_not_the_issued_one(signing, client):
    pdf = bytearray(_final_report().pdf.open("rb").read())
    pdf[len(pdf) // 2] ^= 0x01
    file = io.BytesIO(bytes(pdf))
    file.name = "bao-cao.pdf"
    text = client.post(reverse("verify_document"), {"file": file}).content.decode()
    assert "Không phải văn bản đã ban hành" in text and "Chữ ký số không còn nguyên vẹn" in text


def test_the_public_page_is_rate_limited_in_the_database_and_size_limited(settings, client):
    settings.VERIFY_PER_HOUR = 2
    url = reverse("verify_document")
    assert client.get(url, {"ma": "KD-AAAA-BBBB"}).status_code == 200
    assert client.get(url, {"ma": "KD-AAAA-BBBC"}).status_code == 200
    response = client.get(url, {"ma": "KD-AAAA-BBBD"})
    assert response.status_code == 429 and "quá 2 lần trong một giờ" in response.content.decode()
    settings.VERIFY_PER_HOUR = 30
    settings.VERIFY_UPLOAD_MAX_BYTES = 1024 * 1024
    big = io.BytesIO(b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    big.name = "to.pdf"
    response = client.post(url, {"file": big})
    assert response.status_code == 400 and "Tệp quá lớn: tối đa 1 MB" in response.content.decode()


def test_render_report_final_writes_the_signed_stored_pdf(signing, tmp_path, capsys):
    report = _final_report()
    out = tmp_path / "bc.pdf"
    call_command("render_report", "year_end", "--year", "2025", "--org", "S-XA", "--final", "--out", str(out))
    assert out.read_bytes() == report.pdf.open("rb").read()
    assert _verify_command(out, capsys) == "issued=yes signature=intact superseded=no"


def test_render_report_final_refuses_a_report_not_issued(tmp_path):
    from django.core.management.base import CommandError

    org("S-XB", "Đảng bộ xã Chưa Ban Hành", OrgKind.ROOT)
    with pytest.raises(CommandError, match="chưa ban hành"):
        call_command("render_report", "year_end", "--year", "2025", "--org", "S-XB", "--final",
                     "--out", str(tmp_path / "x.pdf"))


def _tsa(directory):
    """A local RFC 3161 timestamp authority (its own test CA), as pyHanko's dummy client serves it."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA signs with RSA
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA CA thử nghiệm")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA thử nghiệm")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ca_key, hashes.SHA256()))
    path = directory / "tsa-ca.pem"
    path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    der = serialization.Encoding.DER
    key_info = keys.PrivateKeyInfo.load(key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return (asn1_x509.Certificate.load(cert.public_bytes(der)), key_info,
            asn1_x509.Certificate.load(ca.public_bytes(der)), path)


def test_with_a_timestamp_server_the_signature_is_timestamped_and_says_so(signing, settings, monkeypatch, tmp_path):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from core import signing as signing_module

    tsa_cert, tsa_key, tsa_ca, tsa_root = _tsa(tmp_path)
    settings.SIGNING_TSA_URL = "http://tsa.example.vn/rfc3161"
    settings.SIGNING_TRUST_ROOTS = [*settings.SIGNING_TRUST_ROOTS, str(tsa_root)]
    asked = []

    def local_tsa(url):
        asked.append(url)
        return DummyTimeStamper(tsa_cert, tsa_key, certs_to_embed=SimpleCertificateStore.from_certs([tsa_ca]))

    monkeypatch.setattr(signing_module, "_timestamper", local_tsa)
    pdf = _final_report().pdf.open("rb").read()
    assert asked == ["http://tsa.example.vn/rfc3161"]
    check = check_pdf(pdf)
    assert check.status == "intact" and check.timestamped
    assert IssuedDocument.objects.get().timestamped
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "chữ ký có dấu thời gian" in text and "không có dấu thời gian" not in text


def test_an_unreachable_timestamp_server_refuses_the_issue_and_changes_nothing(signing, settings):
    from django.core.exceptions import ValidationError

    from reports.models import Report

    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/khong-co"  # nothing listens on the discard port
    with pytest.raises(ValidationError, match="Không lấy được dấu thời gian"):
        _final_report()
    assert not IssuedDocument.objects.exists() and not Report.objects.filter(status="final").exists()


def test_the_sign_in_page_links_to_the_public_verification(client):
    text = client.get(reverse("login")).content.decode()
    assert reverse("verify_document") in text


def test_test_certificates_for_a_long_vietnamese_name_keep_their_label(tmp_path):
    """X.509 bounds a name to 64 bytes; a long name loses its tail, never the test label."""
    from pyhanko.sign import signers

    from core.signing import make_test_pki

    paths = make_test_pki(tmp_path, organization="Ban Thường vụ Đảng ủy xã Phong Thổ huyện Phong Thổ tỉnh Lai Châu",
                          password="x")
    signer = signers.SimpleSigner.load_pkcs12(str(paths["pkcs12"]), passphrase=b"x")
    subject = signer.signing_cert.subject.native
    assert subject["common_name"].startswith(TEST_LABEL) and len(subject["common_name"].encode()) <= 64
