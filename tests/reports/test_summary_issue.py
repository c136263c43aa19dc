"""Issuing a summary sheet (Biểu tổng hợp): compiled and signed by Ban Xây dựng Đảng as it stands,
verifiable; issuing it again marks the earlier copy replaced [issue 15]."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.issued import verify_file
from core.models import AuditEntry, IssuedDocument, Role
from tests.factories import user_with_role
from tests.reports.builders import Ratings, one_cell_commune, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    root, _, people = one_cell_commune("T", 4, name="Tổng Hợp", cell="Chi bộ thôn Tổng Hợp")
    r = Ratings()
    for i, m in enumerate(people):
        r.add(period(2025), "member_yearly", "HTXSNV" if i == 0 else "HTTNV", member=m)
    r.save()
    return root


def _issue(client, root, signer="Lò Văn Lập"):
    return client.post(reverse("reports:summary_issue"), {
        "nam": 2025, "doi_tuong": "member_yearly", "to_chuc": root.pk, "signer_name": signer}, follow=True)


def test_staff_issue_a_signed_summary_sheet_and_a_second_issue_replaces_the_first(commune, client, signing):
    client.force_login(user_with_role(Role.STAFF, username="bxd-t"))
    text = _issue(client, commune).content.decode()
    first = IssuedDocument.objects.get()
    assert f"mã xác minh {first.code}" in text and first.kind == "summary" and first.signer_name == "Lò Văn Lập"
    signed = client.get(reverse("reports:summary", args=[2025])
                        + f"?doi_tuong=member_yearly&to_chuc={commune.pk}&dinh_dang=pdf&ban_hanh=1")
    pdf = b"".join(signed.streaming_content) if signed.streaming else signed.content
    assert verify_file(pdf).summary() == "issued=yes signature=intact superseded=no"
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "NGƯỜI LẬP BIỂU" in words and "Lò Văn Lập" in words and first.code in words
    _issue(client, commune, signer="Lò Thị Hai")
    second = IssuedDocument.objects.order_by("-id").first()
    first.refresh_from_db()
    assert second.pk != first.pk and second.superseded_at is None
    assert first.superseded_at is not None and second.code in first.superseded_note
    assert verify_file(pdf).summary() == "issued=yes signature=intact superseded=yes"
    assert AuditEntry.objects.filter(action="summary.issue").count() == 2


def test_the_standing_committee_does_not_compile_summary_sheets(commune, client):
    client.force_login(user_with_role(Role.STANDING, username="btv-t"))
    assert client.post(reverse("reports:summary_issue"), {
        "nam": 2025, "doi_tuong": "member_yearly", "signer_name": "X"}).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_a_summary_issue_without_the_compilers_name_is_refused_saying_so(commune, client):
    client.force_login(user_with_role(Role.STAFF, username="bxd-t2"))
    text = _issue(client, commune, signer="").content.decode()
    assert "Chưa nhập họ tên người lập biểu" in text and not IssuedDocument.objects.exists()
