"""Issuing a decision (QĐ) and a re-rating decision (QĐ 01): signed by the standing committee's signer,
stored, verifiable; a re-rating decision makes the decision it replaces superseded [003 C.IV.9]."""
import datetime as dt

import pytest
from django.urls import reverse

from appraisal.models import Decision, DecisionKind, Rating
from appraisal.process.meetings import services as meeting_services
from appraisal.process.rerating import services as rerating_services
from core.issued import issued_for, verify_file
from core.models import AuditEntry, DocumentKind, IssuedDocument
from core.signing import check_pdf
from members.models import Discipline, DisciplineForm
from reports import services
from tests.appraisal.test_workflow_process import _decide, _meeting, _ready, _verify

pytestmark = pytest.mark.django_db


def _decided(commune, name="Lê Văn Cường"):
    (rating,) = _ready(commune, [name])
    _meeting(commune, [rating], [(2, 8, 0, 0)])
    _verify(commune, [rating])
    decision = _decide(commune, [rating], ["HTTNV"])
    Decision.objects.filter(pk=decision.pk).update(signer="Tạ Thị Dung", signer_title="PHÓ BÍ THƯ")
    decision.refresh_from_db()
    return Rating.objects.get(pk=rating.pk), decision


def test_the_standing_committee_issues_a_signed_decision_once(commune, client, signing):
    _, decision = _decided(commune)
    url = reverse("reports:decision_issue", args=[decision.period.year, decision.pk])
    client.force_login(commune.users["staff"])
    assert client.post(url).status_code == 403  # staff drafts; the standing committee's signer issues
    assert issued_for(decision) is None
    client.force_login(commune.users["standing"])
    response = client.post(url, follow=True)
    issued = issued_for(decision)
    assert issued.kind == DocumentKind.DECISION and issued.signed and issued.signer_name == "Tạ Thị Dung"
    assert f"mã xác minh {issued.code}" in response.content.decode()
    pdf = client.get(reverse("reports:decision_file", args=[decision.period.year, decision.pk])).content
    check = check_pdf(pdf)
    assert (check.status, check.whole_file, check.trusted) == ("intact", True, True)
    assert verify_file(pdf).summary() == "issued=yes signature=intact superseded=no"
    assert AuditEntry.objects.filter(action="decision.issue", object_id=str(decision.pk)).count() == 1
    text = client.post(url, follow=True).content.decode()
    assert "đã ban hành, ký số; không ban hành lại" in text
    assert AuditEntry.objects.filter(action="decision.issue").count() == 1


def test_a_rerating_decision_supersedes_the_issued_decision_and_is_issued_as_qd01(commune, signing):
    old, decision = _decided(commune)
    services.decision_issue(actor=commune.users["standing"], decision=decision)
    year_report = IssuedDocument.objects.create(  # that year's report, as report_finalize records it
        code="KD-AAAA-AAAA", kind=DocumentKind.YEAR_END, title="Báo cáo số 12-BC/ĐU", issuer="Đảng ủy xã",
        issued_on=dt.date(2026, 1, 5), year=decision.period.year, sha256="0" * 64, object_type="reports.Report",
        object_id="1")
    other_year = IssuedDocument.objects.create(
        code="KD-AAAA-AAAB", kind=DocumentKind.YEAR_END, title="Báo cáo số 3-BC/ĐU", issuer="Đảng ủy xã",
        issued_on=dt.date(2025, 1, 5), year=decision.period.year - 1, sha256="1" * 64, object_type="reports.Report",
        object_id="2")
    Discipline.objects.create(member=old.member, form=DisciplineForm.WARNING, decided_on=dt.date(2026, 3, 1),
                              violation_on=dt.date(2025, 10, 1), decision_number="03-QĐ/UBKT")
    new = rerating_services.rating_rerate(actor=commune.users["staff"], rating=old, reason="QĐ kỷ luật số 03-QĐ/UBKT")
    new.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["staff"], rating=new, expected_version=new.version,
                                    level="KHTNV", note="Xếp loại lại theo 003 C.IV.9")
    rerating = _decide(commune, [new], ["KHTNV"], number="30-QĐ/ĐU")
    first = issued_for(decision)
    assert first.superseded_at is not None and "30-QĐ/ĐU" in first.superseded_note
    year_report.refresh_from_db()
    other_year.refresh_from_db()
    assert year_report.superseded_at is not None and other_year.superseded_at is None
    assert verify_file(first.file.open("rb").read()).summary() == "issued=yes signature=intact superseded=yes"
    Decision.objects.filter(pk=rerating.pk).update(signer="Tạ Thị Dung", signer_title="PHÓ BÍ THƯ")
    rerating.refresh_from_db()
    assert rerating.kind == DecisionKind.RERATING
    issued = services.decision_issue(actor=commune.users["standing"], decision=rerating)
    assert issued.kind == DocumentKind.RERATING and issued.superseded_at is None
    assert verify_file(issued.file.open("rb").read()).summary() == "issued=yes signature=intact superseded=no"
