"""Upload → preview → confirm, template and export downloads, and the management commands."""
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job, JobStatus, Role
from members.models import Member, TemporaryActivity
from members.workbook.services import import_workbook
from members.workbook.writer import build_workbook
from orgs.models import OrgKind, PartyOrganization
from tests.factories import MemberFactory, OrgFactory, user_with_role
from tests.members.test_workbook_samples import edited, sample_data, sheet_values
from tests.security.legacy_roles import user_with_unchecked_role

pytestmark = pytest.mark.django_db
IMPORT = reverse("workbook:import")


def _upload(content: bytes, name: str = "du-lieu.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    return client


def test_preview_shows_counts_and_writes_nothing_then_confirm_applies(staff_client):
    """The preview writes nothing; confirming queues a job whose page shows what it wrote."""
    response = staff_client.post(IMPORT, {"file": _upload(build_workbook(sample_data()))})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Xác nhận nhập" in html and "<td>Đảng viên</td><td class=\"num\">4</td>" in html
    assert "<td>Sinh hoạt tạm thời</td><td class=\"num\">2</td>" in html
    assert not PartyOrganization.objects.exists()
    token = response.context["token"]

    confirmed = staff_client.post(IMPORT, {"token": token})

    job = Job.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"] == job.get_absolute_url()
    assert job.kind == "workbook.import" and job.title == "Nhập tệp du-lieu.xlsx"
    assert Member.objects.count() == 4 and TemporaryActivity.objects.count() == 2
    page = staff_client.get(confirmed["Location"]).content.decode()
    assert "Đã nhập tệp du-lieu.xlsx: 21 thay đổi." in page
    assert "<td>Đảng viên</td><td class=\"num\">4</td>" in page
    # The stored upload is gone: confirming twice does nothing more.
    again = staff_client.post(IMPORT, {"token": token}, follow=True)
    assert "Không tìm thấy tệp đã xem trước" in again.content.decode()
    assert Job.objects.count() == 1


def test_preview_lists_every_error_and_offers_no_confirmation(staff_client):
    content = edited(build_workbook(sample_data()), {"Đảng viên": {"D2": "Khác"}, "Tổ chức đảng": {"D3": "KHONGCO"}})

    response = staff_client.post(IMPORT, {"file": _upload(content)})

    html = response.content.decode()
    assert "Tệp có 2 lỗi" in html
    assert "Trang tính &#x27;Tổ chức đảng&#x27;, dòng 3, cột D (Mã tổ chức cấp trên)" in html
    assert "Trang tính &#x27;Đảng viên&#x27;, dòng 2, cột D (Giới tính)" in html
    assert "token" not in response.context and "Xác nhận" not in html
    assert not PartyOrganization.objects.exists()


def test_wrong_extension_is_refused_on_the_form(staff_client):
    response = staff_client.post(IMPORT, {"file": _upload(b"a,b", "du-lieu.csv")})
    assert "Chỉ nhận tệp Excel định dạng .xlsx" in response.content.decode()


def test_confirm_refuses_a_token_that_is_not_in_the_users_session(staff_client, client):
    response = staff_client.post(IMPORT, {"file": _upload(build_workbook(sample_data()))})
    token = response.context["token"]
    other = user_with_role(Role.STAFF, username="bxd2")
    client.force_login(other)  # the same client object: a fresh session for another user

    response = client.post(IMPORT, {"token": token}, follow=True)

    assert "Không tìm thấy tệp đã xem trước" in response.content.decode()
    assert not Member.objects.exists()


def test_confirm_refuses_when_data_changed_since_the_preview(staff_client):
    """The job re-checks the file: a change made since the preview fails it, and nothing is written."""
    response = staff_client.post(IMPORT, {"file": _upload(build_workbook(sample_data()))})
    MemberFactory(card_number="00012345", full_name="Người khác", cell=OrgFactory(code="CB9"))

    confirmed = staff_client.post(IMPORT, {"token": response.context["token"]}, follow=True)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    html = confirmed.content.decode()
    assert "Không nhập được tệp du-lieu.xlsx: không dữ liệu nào được ghi." in html
    assert "đã thay đổi kể từ lúc xem trước" in html
    assert not PartyOrganization.objects.filter(code="XA").exists()


@pytest.mark.parametrize("role", [Role.STANDING, Role.VIEWER])
def test_import_is_for_staff_only(client, role):
    client.force_login(user_with_role(role))
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": _upload(build_workbook(sample_data()))}).status_code == 403
    assert not PartyOrganization.objects.exists()


def test_staff_limited_to_a_subtree_cannot_import(client, tree):
    client.force_login(user_with_unchecked_role(Role.STAFF, organization=tree["base"]))
    assert client.post(IMPORT, {"file": _upload(build_workbook(sample_data()))}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("workbook:export")).status_code == 302


def test_template_download_has_every_sheet_and_example_rows(staff_client):
    """The template shows a filled row per sheet, in grey, which an import of the template skips."""
    response = staff_client.get(reverse("workbook:template"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "Hướng dẫn"
    values = sheet_values(response.content)
    assert values["Đảng viên"][0] == ("Số thẻ đảng viên", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng",
                                      "Ngày chính thức", "Tình trạng", "Mã chi bộ", "Còn sinh hoạt")
    assert values["Đảng viên"][1] == ("VD000001", "Nguyễn Văn Ví Dụ", dt.datetime(1980, 2, 29), "Nam",
                                      dt.datetime(2005, 5, 19), dt.datetime(2006, 5, 19), "Chính thức", "VD-CB01", "Có")
    assert wb["Đảng viên"]["B2"].font.i and wb["Đảng viên"]["B2"].font.color.rgb == "006B7280"
    assert all(len(rows) >= 2 for rows in values.values())  # every data sheet has an example
    assert wb.sheetnames.index("Sinh hoạt tạm thời") == wb.sheetnames.index("Đình chỉ sinh hoạt") + 1
    validations = wb["Đảng viên"].data_validations.dataValidation
    assert any("D2" in str(dv.sqref) for dv in validations)

    result = import_workbook(actor=None, content=response.content)
    assert result.ok and result.changed == 0 and result.examples == 11
    assert not PartyOrganization.objects.exists()


def test_lists_sheet_is_headed_in_vietnamese(staff_client):
    """The hidden 'Danh mục' sheet heads each list with the column it serves, not a class name."""
    wb = load_workbook(io.BytesIO(staff_client.get(reverse("workbook:template")).content))
    lists = wb["Danh mục"]

    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists[1]] == [
        "Loại", "Có/Không", "Giới tính", "Tình trạng", "Vai trò", "Diện quản lý", "Hình thức kỷ luật",
    ]
    assert [c.value for c in lists["C"][1:3]] == ["Nam", "Nữ"]


def _export_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("workbook:export"))
    assert response.status_code == 302
    return len(ctx.captured_queries)


def test_export_runs_as_a_job_whose_page_offers_the_file(client):
    """The export page starts a job; its page links to the workbook, which holds the data."""
    user = user_with_role(Role.STANDING)
    client.force_login(user)
    import_workbook(actor=None, content=build_workbook(sample_data()))
    assert "Bắt đầu xuất dữ liệu" in client.get(reverse("workbook:export")).content.decode()

    response = client.post(reverse("workbook:export"), follow=True)

    job = Job.objects.get()
    assert job.actor == user and job.status == JobStatus.SUCCEEDED
    html = response.content.decode()
    assert "Đã xuất 4 đảng viên, 4 tổ chức đảng." in html
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and job.file_name in download["Content-Disposition"]
    values = sheet_values(b"".join(download.streaming_content))
    assert [r[0] for r in values["Đảng viên"][1:]] == ["00012345", "00012348", "00012347", "00012346"]


def test_export_query_count_does_not_grow_with_rows(client):
    client.force_login(user_with_role(Role.STANDING))
    import_workbook(actor=None, content=build_workbook(sample_data()))
    small = _export_queries(client)
    cell = PartyOrganization.objects.get(code="THON1")
    for day in range(1, 31):
        member = MemberFactory(cell=cell)
        TemporaryActivity.objects.create(member=member, place="Chi bộ nơi khác", start_on=dt.date(2026, 1, day))
    OrgFactory(code="THON2", kind=OrgKind.ROOT_CELL, parent=cell.parent)

    assert _export_queries(client) == small


def test_export_is_limited_to_the_users_subtree(tree):
    """The export holds only what the scope sees (the page itself is for whole-deployment roles)."""
    from core.scope import scope_for
    from members.workbook.export import export_workbook

    MemberFactory(card_number="11111111", cell=tree["cell_a"])
    MemberFactory(card_number="22222222", cell=tree["village"])
    user = user_with_role(Role.VIEWER, organization=tree["base"])

    values = sheet_values(export_workbook(scope_for(user)))

    assert [r[0] for r in values["Đảng viên"][1:]] == ["11111111"]
    assert {r[0] for r in values["Tổ chức đảng"][1:]} == {"DBCS1", "CB1", "CB2"}


def test_viewer_may_not_export(client):
    client.force_login(user_with_role(Role.VIEWER))
    assert client.get(reverse("workbook:export")).status_code == 403


def test_commands_round_trip_and_dry_run(tmp_path, capsys):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_workbook(sample_data()))

    call_command("import_workbook", str(path), "--dry-run")
    assert "Chạy thử" in capsys.readouterr().out and not Member.objects.exists()

    call_command("import_workbook", str(path))
    out = capsys.readouterr().out
    assert "Đảng viên" in out and Member.objects.count() == 4
    assert re.search(r"^Sinh hoạt tạm thời +2 +0 +0$", out, re.MULTILINE)

    exported = tmp_path / "xuat.xlsx"
    call_command("export_workbook", str(exported))
    call_command("import_workbook", str(exported))
    assert "Đã nhập: 0 thay đổi." in capsys.readouterr().out


def test_import_command_prints_errors_and_fails(tmp_path, capsys):
    wb = load_workbook(io.BytesIO(build_workbook(sample_data())))
    wb["Đảng viên"]["E3"] = "hôm qua"
    path = tmp_path / "loi.xlsx"
    wb.save(path)

    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_workbook", str(path))

    assert "dòng 3, cột E (Ngày vào Đảng)" in capsys.readouterr().err
    assert not Member.objects.exists()


def _members(cell, count: int, start: int) -> None:
    """Members written in bulk (the export test needs thousands, not the factory's pace)."""
    from core.vntext import fold, name_sort_key

    Member.objects.bulk_create([
        Member(card_number=f"E{start + i:07d}", full_name=f"Nguyễn Văn Xuất {i}", search_name=fold(f"Nguyễn Văn Xuất {i}"),
               sort_key=name_sort_key(f"Nguyễn Văn Xuất {i}"), gender="male", admitted_on=dt.date(2000, 1, 1),
               official_on=dt.date(2001, 1, 1), status="official", cell=cell)
        for i in range(count)
    ], batch_size=1000)


@pytest.mark.slow
def test_export_memory_does_not_grow_with_the_members(tmp_path, tree):
    """The export streams: 6 000 more members add no held rows, only a few bytes each of lookups
    (a province's 90 000 do not hold 90 000 rows at once)."""
    import gc
    import tracemalloc

    from core.scope import Scope
    from members.workbook.export import write_export

    def peak() -> int:
        gc.collect()  # what earlier tests left for the collector is not this export's
        tracemalloc.start()
        try:
            write_export(tmp_path / "xuat.xlsx", Scope(user_id=None, is_superuser=True))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    _members(tree["village"], 3000, 0)
    peak()  # a first export fills the caches every later one reuses (templates, styles, lookups)
    small = peak()
    _members(tree["village"], 6000, 3000)
    large = peak()

    # A member's row held in memory costs well over a kilobyte (a dozen strings and dates); what
    # may grow is a lookup of ids (tens of bytes a member). Measured: about 90 bytes a member.
    per_member = (large - small) / 6000
    assert per_member < 256, (small, large, per_member)
    assert len(sheet_values((tmp_path / "xuat.xlsx").read_bytes())["Đảng viên"]) == 9001


@pytest.fixture
def checked_by_a_job(monkeypatch):
    """Every upload counts as too large to check within the request (a province's file)."""
    from members import workbook_views

    monkeypatch.setattr(workbook_views, "PREVIEW_IN_REQUEST_BYTES", 0)


def test_a_large_file_is_checked_by_a_job_whose_page_offers_the_confirmation(staff_client, checked_by_a_job):
    """Upload → a check job (nothing written) → its page: the counts and a button → the import job."""
    response = staff_client.post(IMPORT, {"file": _upload(build_workbook(sample_data()))}, follow=True)

    check = Job.objects.get(kind="workbook.check")
    assert check.status == JobStatus.SUCCEEDED and not PartyOrganization.objects.exists()
    html = response.content.decode()
    assert "Tệp du-lieu.xlsx hợp lệ: 21 thay đổi sẽ được ghi khi đồng chí xác nhận." in html
    assert "<td>Đảng viên</td><td class=\"num\">4</td>" in html
    assert f'<input type="hidden" name="preview" value="{check.pk}">' in html

    confirmed = staff_client.post(IMPORT, {"preview": check.pk}, follow=True)

    imported = Job.objects.get(kind="workbook.import")
    assert imported.status == JobStatus.SUCCEEDED and Member.objects.count() == 4
    assert "Đã nhập tệp du-lieu.xlsx: 21 thay đổi." in confirmed.content.decode()
    again = staff_client.post(IMPORT, {"preview": check.pk}, follow=True)  # confirmed once only
    assert "Không tìm thấy tệp đã kiểm tra" in again.content.decode()
    assert Job.objects.filter(kind="workbook.import").count() == 1
    assert "preview" not in staff_client.get(check.get_absolute_url()).content.decode()


def test_a_large_file_with_errors_fails_its_check_and_lists_them(staff_client, checked_by_a_job):
    data = sample_data()
    data["members"][0]["cell"] = "KHONGCO"

    response = staff_client.post(IMPORT, {"file": _upload(build_workbook(data))}, follow=True)

    check = Job.objects.get(kind="workbook.check")
    assert check.status == JobStatus.FAILED
    assert check.error == "Tệp du-lieu.xlsx có 1 lỗi; không dữ liệu nào được ghi. Hãy sửa tệp rồi tải lên lại."
    assert check.problems == [
        "Trang tính 'Đảng viên', dòng 2, cột H (Mã chi bộ): không có tổ chức mã 'KHONGCO' trong tệp hoặc trong hệ thống"
    ]
    assert "không có tổ chức mã &#x27;KHONGCO&#x27;" in response.content.decode()
    assert not PartyOrganization.objects.exists()


def test_only_who_uploaded_the_file_may_confirm_its_check(staff_client, client, checked_by_a_job):
    staff_client.post(IMPORT, {"file": _upload(build_workbook(sample_data()))})
    check = Job.objects.get(kind="workbook.check")
    client.force_login(user_with_role(Role.STAFF, username="bxd2"))

    assert "preview" not in client.get(check.get_absolute_url()).content.decode()  # no button for others
    response = client.post(IMPORT, {"preview": check.pk}, follow=True)

    assert "Không tìm thấy tệp đã kiểm tra" in response.content.decode()
    assert not Member.objects.exists() and not Job.objects.filter(kind="workbook.import").exists()
