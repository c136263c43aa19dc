"""The letterhead and the signature block of the documents: the superior line where the tree stops
below the superior, the place of the dateline, the title the signer holds [000; 001]."""
import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from appraisal.models import Decision, DecisionKind, Rating, SubjectType
from core.models import Role
from core.scope import scope_for
from orgs import services as org_services
from orgs.models import CommitteeMembership, CommitteeRole, OrgKind
from reports.data import report_scope
from reports.letterhead import letterhead, scope_letterhead
from tests.factories import MemberFactory, user_with_role
from tests.reports.builders import Ratings, members, org, period, supersede

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
                    .stdout.decode().split())


@pytest.fixture
def district():
    """A deployment rooted at a district (seed 001): its province is not in the tree."""
    top = org("BL-HUYEN", "Đảng bộ huyện Bảo Lâm", OrgKind.DISTRICT)
    commune = org("BL-XA", "Đảng bộ xã Lộc Bảo", OrgKind.ROOT, top)
    cell = org("BL-THON", "Chi bộ thôn 1", OrgKind.ROOT_CELL, commune)
    return top, commune, cell


def test_a_district_at_the_top_prints_its_superior_line_from_its_settings(district):
    """ "ĐẢNG BỘ TỈNH LÂM ĐỒNG / HUYỆN ỦY BẢO LÂM", placed at Bảo Lâm: settings of the top organisation."""
    top, _, _ = district
    assert letterhead(top).superior == ""  # nothing above it in the tree, nothing set yet
    staff = user_with_role(Role.STAFF, username="bxd")
    org_services.org_update(actor=staff, scope=scope_for(staff), org=top, version=top.version, name=top.name,
                            code=top.code, established_on=None, letterhead_superior="Đảng bộ tỉnh Lâm Đồng",
                            letterhead_issuer="Huyện ủy Bảo Lâm")
    top.refresh_from_db()
    who = letterhead(top)
    assert (who.superior, who.issuer, who.place) == ("Đảng bộ tỉnh Lâm Đồng", "Huyện ủy Bảo Lâm", "Bảo Lâm")
    # The whole deployment (no organisation chosen) speaks through its one top organisation.
    assert scope_letterhead(report_scope(None)) == who


def test_below_the_top_the_tree_gives_the_lines(district):
    """A commune under the district: the district above it; a cell: its commune above it, the commune's place."""
    _, commune, cell = district
    assert letterhead(commune) == letterhead(commune).__class__("Đảng bộ huyện Bảo Lâm", "Đảng ủy xã Lộc Bảo", "Lộc Bảo")
    assert (letterhead(cell).superior, letterhead(cell).issuer, letterhead(cell).place) == (
        "Đảng bộ xã Lộc Bảo", "Chi bộ thôn 1", "Lộc Bảo")


def test_the_letterhead_is_edited_where_the_organisation_is(client, district):
    """The organisation's edit page has the three lines; what is saved is in the audit trail."""
    top, _, _ = district
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    url = reverse("orgs:edit", args=[top.pk])
    page = client.get(url)
    assert "Dòng cấp trên ở đầu văn bản" in page.content.decode()
    response = client.post(url, {"code": top.code, "name": top.name, "established_on": "01/01/2000", "sort_order": "0",
                                 "letterhead_superior": "Đảng bộ tỉnh Lâm Đồng", "letterhead_issuer": "",
                                 "letterhead_place": "", "version": top.version})
    assert response.status_code == 302
    top.refresh_from_db()
    assert top.letterhead_superior == "Đảng bộ tỉnh Lâm Đồng"
    from core.models import AuditEntry

    entry = AuditEntry.objects.get(action="org.update", object_id=str(top.pk))
    assert entry.changes == {"letterhead_superior": ["", "Đảng bộ tỉnh Lâm Đồng"]}


def test_the_district_multi_year_pdf_has_the_superior_line_the_dateline_and_the_closing(client, district):
    """Seed 001's district: the header lines, "Bảo Lâm, ngày …", Nơi nhận and the secretary's signature."""
    top, commune, cell = district
    top.letterhead_superior, top.letterhead_issuer = "Đảng bộ tỉnh Lâm Đồng", "Huyện ủy Bảo Lâm"
    top.save()
    secretary = MemberFactory(full_name="Hoàng Văn Thụ", cell=cell)
    CommitteeMembership.objects.create(organization=top, member=secretary, role=CommitteeRole.SECRETARY,
                                       start_on=dt.date(2020, 10, 1))
    r = Ratings()
    for m in members([cell], 3, "D"):
        r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV", member=m)
    r.save()
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    response = client.get(reverse("reports:multi_year") + f"?to_chuc={top.pk}&den_nam=2025&so_nam=3&dinh_dang=pdf")
    text = pdf_text(response.content)
    assert text.index("ĐẢNG BỘ TỈNH LÂM ĐỒNG") < text.index("HUYỆN ỦY BẢO LÂM")
    assert "ĐẢNG ỦY HUYỆN BẢO LÂM" not in text
    assert "Bảo Lâm, ngày … tháng … năm" in text
    assert "1. Kết quả xếp loại đảng viên" in text and "2. Kết quả xếp loại" not in text  # types without data skipped
    assert "Nơi nhận:" in text and "- Ban Tổ chức Tỉnh ủy;" in text
    assert "T/M BAN THƯỜNG VỤ BÍ THƯ Hoàng Văn Thụ" in text


@pytest.fixture
def decided():
    """A commune whose standing committee has a secretary and a deputy, and one decided member."""
    root = org("S-XA", "Đảng bộ xã Bình Lư", OrgKind.ROOT)
    cell = org("S-C1", "Chi bộ thôn Nà Bó", OrgKind.ROOT_CELL, root)
    secretary, deputy = MemberFactory(full_name="Lò Văn Bí", cell=cell), MemberFactory(full_name="Tạ Thị Dung", cell=cell)
    for person, role in ((secretary, CommitteeRole.SECRETARY), (deputy, CommitteeRole.DEPUTY)):
        CommitteeMembership.objects.create(organization=root, member=person, role=role, start_on=dt.date(2025, 7, 1))
    r = Ratings()
    r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV", number="50-QĐ/ĐU", member=members([cell], 1, "S")[0])
    r.save()
    return root, deputy


def test_a_decision_signed_by_a_deputy_prints_phó_bí_thư(client, decided):
    """The decision prints the title its signer holds on the committee, not "BÍ THƯ" over any name."""
    from appraisal.selectors import standing_org
    from orgs.selectors import committee_title

    root, deputy = decided
    decision = Decision.objects.get()
    title = committee_title(standing_org(Rating.objects.get().scope_org), deputy.full_name, decision.decided_on)
    assert title == "PHÓ BÍ THƯ"
    Decision.objects.filter(pk=decision.pk).update(signer=deputy.full_name, signer_title=title)
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    response = client.get(reverse("reports:decision", args=[2025]) + f"?to_chuc={root.pk}&qd={decision.pk}&dinh_dang=pdf")
    text = pdf_text(response.content)
    assert "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ Tạ Thị Dung" in text
    assert "BÍ THƯ Tạ Thị Dung" not in text.replace("PHÓ BÍ THƯ Tạ Thị Dung", "")


def test_a_signer_who_holds_no_seat_gets_no_invented_title(client, decided):
    """Someone typed who is not on the committee: dots where the title goes, never "BÍ THƯ"."""
    root, _ = decided
    decision = Decision.objects.get()
    Decision.objects.filter(pk=decision.pk).update(signer="Người Ngoài", signer_title="")
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    response = client.get(reverse("reports:decision", args=[2025]) + f"?to_chuc={root.pk}&qd={decision.pk}&dinh_dang=pdf")
    assert "T/M BAN THƯỜNG VỤ …… Người Ngoài" in pdf_text(response.content)


def test_the_rerating_decision_has_its_signer(client, decided):
    """Mẫu QĐ 01 is signed: the re-rating decision's signer and title under "T/M BAN THƯỜNG VỤ"."""
    root, deputy = decided
    old = Rating.objects.get()
    new_decision = Decision.objects.create(period=old.period, kind=DecisionKind.RERATING, number="03-QĐ/ĐU",
                                           decided_on=dt.date(2026, 3, 20), authority="Ban Thường vụ Đảng ủy",
                                           signer=deputy.full_name, signer_title="PHÓ BÍ THƯ")
    supersede(old, approved_level="KHTNV", decision=new_decision, decision_number="03-QĐ/ĐU",
              decision_date=dt.date(2026, 3, 20))
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    response = client.get(reverse("reports:rerating_decision", args=[2025]) + f"?to_chuc={root.pk}&dinh_dang=pdf")
    text = pdf_text(response.content)
    assert "Mẫu QĐ 01" in text and "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ Tạ Thị Dung" in text


def test_a_decision_download_keeps_its_vietnamese_name(client, decided):
    """ "Tải PDF" of 50-QĐ/ĐU: Django's header, the exact name beside an ASCII one (issue 14)."""
    root, _ = decided
    decision = Decision.objects.get()
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    response = client.get(reverse("reports:decision", args=[2025]) + f"?to_chuc={root.pk}&qd={decision.pk}&dinh_dang=pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"quyet-dinh-50-QD-DU.pdf\"; filename*=utf-8''quyet-dinh-50-Q%C4%90-%C4%90U.pdf")
    assert response.content.startswith(b"%PDF")
