"""Importing workbooks: validate everything, then apply all or nothing; round trips."""
import datetime as dt
import io
import re
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from core.models import AuditEntry, Role
from core.scope import Scope
from members.models import (
    Discipline,
    Exemption,
    LeaderPosition,
    Member,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Transfer,
)
from members.workbook.export import export_workbook
from members.workbook.plan import CREATE, UNCHANGED, UPDATE
from members.workbook.services import STALE_PREVIEW, import_workbook
from members.workbook.writer import build_workbook
from orgs.models import Block, OrgKind, PartyOrganization, Unit
from tests.factories import MemberFactory, OrgFactory, user_with_role
from tests.members.test_workbook_samples import edited, sample_data, sheet_values, workbook_bytes

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EVERYTHING = Scope(user_id=None, is_superuser=True)


def _snapshot_db() -> dict:
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (PartyOrganization, Block, Unit, Member, PositionGroup, LeaderPosition,
                      Exemption, Suspension, TemporaryActivity, Discipline, Transfer, AuditEntry)
    }


def _empty_db() -> None:
    for model in (LeaderPosition, Exemption, Suspension, TemporaryActivity, Discipline, Transfer, Member,
                  Unit, Block, PositionGroup, AuditEntry):
        model.objects.all().delete()
    PartyOrganization.objects.update(parent=None)
    PartyOrganization.objects.all().delete()


def test_import_creates_everything_in_the_sample():
    """A clean import creates every row of every sheet, parents linked by code."""
    result = import_workbook(actor=None, content=build_workbook(sample_data()))

    assert result.ok and result.applied
    assert result.counts["orgs"] == {CREATE: 4, UPDATE: 0, UNCHANGED: 0}
    assert result.counts["members"][CREATE] == 4
    assert result.counts["groups"][CREATE] == 2
    cell = PartyOrganization.objects.get(code="CB1")
    assert cell.parent.code == "DBCS1" and cell.parent.parent.code == "XA"
    assert cell.path.startswith(PartyOrganization.objects.get(code="XA").path)
    member = Member.objects.get(card_number="00012345")
    assert member.cell == cell and member.date_of_birth == dt.date(1980, 2, 29)
    pos = LeaderPosition.objects.get(member=member)
    assert pos.unit.code == "THCS" and pos.group.name == "Hiệu trưởng các trường"
    assert Unit.objects.get(code="THCS").has_leadership_collective is False
    assert Discipline.objects.get().decision_number == "12-QĐ/UBKT"
    assert Exemption.objects.get().end_on is None and Suspension.objects.count() == 1
    assert TemporaryActivity.objects.count() == 2
    assert AuditEntry.objects.filter(action="workbook.create").count() == result.changed


def test_temporary_activity_row_creates_the_record_with_an_audit_entry():
    """A 'Sinh hoạt tạm thời' row becomes a TemporaryActivity of that member, audited like other history."""
    data = sample_data()
    data["temporary_activities"] = data["temporary_activities"][1:]

    result = import_workbook(actor=None, content=build_workbook(data))

    assert result.applied
    assert result.counts["temporary_activities"] == {CREATE: 1, UPDATE: 0, UNCHANGED: 0}
    activity = TemporaryActivity.objects.get()
    assert activity.member.card_number == "00012347"
    assert activity.place == "Chi bộ Công ty Điện lực Tuyên Quang"
    assert (activity.start_on, activity.end_on) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    entry = AuditEntry.objects.get(object_type="members.TemporaryActivity")
    assert entry.action == "workbook.create" and entry.object_id == str(activity.pk)
    assert entry.changes == {"place": "Chi bộ Công ty Điện lực Tuyên Quang", "end_on": {"date": "2026-12-31"}}


def test_changed_place_updates_the_temporary_activity_and_records_the_difference():
    import_workbook(actor=None, content=build_workbook(sample_data()))
    data = sample_data()
    data["temporary_activities"][0]["place"] = "Chi bộ Sở Giáo dục và Đào tạo"

    result = import_workbook(actor=None, content=build_workbook(data))

    assert result.counts["temporary_activities"] == {CREATE: 0, UPDATE: 1, UNCHANGED: 1}
    assert TemporaryActivity.objects.get(member__card_number="00012346").place == "Chi bộ Sở Giáo dục và Đào tạo"
    entry = AuditEntry.objects.get(action="workbook.update", object_type="members.TemporaryActivity")
    assert entry.changes == {"place": ["Chi bộ Trường Đại học Sư phạm Thái Nguyên", "Chi bộ Sở Giáo dục và Đào tạo"]}


def test_bad_temporary_activity_rows_are_reported_and_nothing_is_written():
    """A blank place and an end before the start are named by sheet, row and column; nothing is stored."""
    before = _snapshot_db()
    content = edited(build_workbook(sample_data()), {
        "Sinh hoạt tạm thời": {"B2": None, "D3": "30/06/2026"},  # no place; ends before 01/07/2026
    })

    result = import_workbook(actor=None, content=content)

    assert [str(p) for p in result.problems] == [
        "Trang tính 'Sinh hoạt tạm thời', dòng 2, cột B (Nơi sinh hoạt tạm thời): bắt buộc, không được để trống",
        "Trang tính 'Sinh hoạt tạm thời', dòng 3, cột D (Đến ngày): Ngày kết thúc (30/6/2026) không được trước ngày bắt đầu (01/7/2026).",
    ]
    assert not result.applied
    assert _snapshot_db() == before
    assert not TemporaryActivity.objects.exists() and not Member.objects.exists()


def test_a_workbook_without_the_temporary_activity_sheet_imports_and_keeps_stored_ones():
    """Files made before the sheet existed still import; missing rows are never deleted."""
    import_workbook(actor=None, content=build_workbook(sample_data()))
    wb = load_workbook(io.BytesIO(build_workbook(sample_data())))
    del wb["Sinh hoạt tạm thời"]
    before = _snapshot_db()

    result = import_workbook(actor=None, content=workbook_bytes(wb))

    assert result.ok and "temporary_activities" not in result.counts
    assert result.changed == 0 and _snapshot_db() == before
    assert TemporaryActivity.objects.count() == 2


def test_three_bad_rows_are_all_reported_and_nothing_changes():
    """Every error is listed with sheet, row, column letter and header; the database is untouched."""
    OrgFactory(code="CU", name="Tổ chức cũ", kind=OrgKind.ROOT)
    before = _snapshot_db()
    data = sample_data()
    data["members"].append({**data["members"][0], "card_number": "00099999", "full_name": "Vi Văn Tám"})
    content = edited(build_workbook(data), {
        "Đảng viên": {"A6": "00012345", "E5": "31/02/2020"},  # duplicate card (row 2), impossible date
        "Cơ quan, đơn vị": {"C3": "K9"},  # unknown block
    })

    result = import_workbook(actor=None, content=content)

    messages = [str(p) for p in result.problems]
    assert messages == [
        "Trang tính 'Cơ quan, đơn vị', dòng 3, cột C (Mã khối): không có khối mã 'K9' trong tệp hoặc trong hệ thống",
        "Trang tính 'Đảng viên', dòng 5, cột E (Ngày vào Đảng): '31/02/2020' không phải ngày có thật",
        "Trang tính 'Đảng viên', dòng 6, cột A (Số thẻ đảng viên): trùng với dòng 2",
    ]
    assert not result.applied
    assert _snapshot_db() == before


def test_text_longer_than_the_field_is_reported_not_a_database_error():
    """A 121-character name or a 33-character card number is a cell error, on every database."""
    before = _snapshot_db()
    content = edited(build_workbook(sample_data()), {
        "Đảng viên": {"B2": "Nguyễn " + "A" * 114, "A3": "1" * 33},
        "Kỷ luật": {"F2": "x" * 501},
    })

    result = import_workbook(actor=None, content=content)

    messages = [str(p) for p in result.problems]
    assert "Trang tính 'Đảng viên', dòng 2, cột B (Họ và tên): dài 121 ký tự, tối đa 120 ký tự" in messages
    assert "Trang tính 'Đảng viên', dòng 3, cột A (Số thẻ đảng viên): dài 33 ký tự, tối đa 32 ký tự" in messages
    assert "Trang tính 'Kỷ luật', dòng 2, cột F (Nội dung vi phạm): dài 501 ký tự, tối đa 500 ký tự" in messages
    assert not result.applied
    assert _snapshot_db() == before


def test_overlapping_periods_in_the_file_are_reported_on_both_rows():
    """Two exemptions of one member that overlap: refused as the member's page refuses them (one validator)."""
    before = _snapshot_db()
    data = sample_data()
    data["exemptions"].append({"card_number": "00012348", "start_on": dt.date(2025, 6, 1), "end_on": None, "reason": ""})
    data["suspensions"].append({"card_number": "00012347", "start_on": dt.date(2026, 6, 2), "end_on": None, "reason": ""})

    result = import_workbook(actor=None, content=build_workbook(data))

    assert [str(p) for p in result.problems] == [
        "Trang tính 'Miễn sinh hoạt', dòng 2, cột B (Từ ngày): Trùng với thời gian miễn công tác và sinh hoạt đảng "
        "đã có: từ 01/6/2025 (chưa kết thúc).",
        "Trang tính 'Miễn sinh hoạt', dòng 3, cột B (Từ ngày): Trùng với thời gian miễn công tác và sinh hoạt đảng "
        "đã có: từ 01/01/2024 (chưa kết thúc).",
    ]
    assert not result.applied and _snapshot_db() == before


def test_a_row_overlapping_a_stored_period_is_reported_but_changing_that_period_is_not():
    """Overlap is judged on what the database would hold: the stored period with the same start is replaced."""
    import_workbook(actor=None, content=build_workbook(sample_data()))
    data = sample_data()
    # Same key (card, 01/01/2024): ends the stored exemption, which is an update, not an overlap.
    data["exemptions"][0]["end_on"] = dt.date(2024, 12, 31)
    assert import_workbook(actor=None, content=build_workbook(data)).applied
    assert Exemption.objects.get().end_on == dt.date(2024, 12, 31)

    later = sample_data()
    later["exemptions"] = [{"card_number": "00012348", "start_on": dt.date(2024, 6, 1), "end_on": None, "reason": ""}]
    before = _snapshot_db()
    result = import_workbook(actor=None, content=build_workbook(later))
    assert [str(p) for p in result.problems] == [
        "Trang tính 'Miễn sinh hoạt', dòng 2, cột B (Từ ngày): Trùng với thời gian miễn công tác và sinh hoạt đảng "
        "đã có: từ 01/01/2024 đến 31/12/2024.",
    ]
    assert not result.applied and _snapshot_db() == before


def test_required_enum_and_reference_errors_name_the_accepted_values():
    data = sample_data()
    data["members"][0]["cell"] = "DBCS1"  # not a cell
    content = edited(build_workbook(data), {"Đảng viên": {"D3": "Khác", "B4": None}})

    messages = [str(p) for p in import_workbook(actor=None, content=content, dry_run=True).problems]

    assert messages[0].startswith("Trang tính 'Đảng viên', dòng 2, cột H (Mã chi bộ): “DBCS1” không phải chi bộ hoặc tổ đảng")
    assert messages[1] == "Trang tính 'Đảng viên', dòng 3, cột D (Giới tính): 'Khác' không hợp lệ, chỉ nhận một trong: 'Nam', 'Nữ'"
    assert messages[2] == "Trang tính 'Đảng viên', dòng 4, cột B (Họ và tên): bắt buộc, không được để trống"


def test_parent_cycle_is_reported_even_through_the_database():
    """A → B in the file and B → A already stored is a cycle."""
    a = OrgFactory(code="A", kind=OrgKind.ROOT)
    OrgFactory(code="B", kind=OrgKind.BASE_PARTY, parent=a)
    data = {"orgs": [{"code": "A", "name": "A", "kind": "root", "parent": "B"}]}

    problems = import_workbook(actor=None, content=build_workbook(data)).problems

    assert [str(p) for p in problems] == [
        "Trang tính 'Tổ chức đảng', dòng 2, cột D (Mã tổ chức cấp trên): tạo vòng lặp cấp trên: A → B → A",
    ]
    assert PartyOrganization.objects.get(code="A").parent is None


def test_children_listed_before_parents_are_created_in_tree_order():
    data = sample_data()
    data["orgs"].reverse()

    result = import_workbook(actor=None, content=build_workbook(data))

    assert result.applied
    for org in PartyOrganization.objects.exclude(parent=None):
        assert org.path.startswith(org.parent.path) and org.depth == org.parent.depth + 1


def test_second_import_changes_nothing_and_writes_no_audit():
    content = build_workbook(sample_data())
    import_workbook(actor=None, content=content)
    before = _snapshot_db()

    result = import_workbook(actor=None, content=content)

    assert result.changed == 0
    assert all(c[UNCHANGED] > 0 and c[CREATE] == c[UPDATE] == 0 for c in result.counts.values())
    assert result.counts["temporary_activities"] == {CREATE: 0, UPDATE: 0, UNCHANGED: 2}
    assert _snapshot_db() == before


def test_update_records_differences_bumps_version_and_records_a_transfer():
    import_workbook(actor=None, content=build_workbook(sample_data()))
    member = Member.objects.get(card_number="00012345")
    data = sample_data()
    data["members"][0].update(full_name="Nguyễn Văn Anh", cell="THON1")

    result = import_workbook(actor=None, content=build_workbook(data))

    assert result.counts["members"] == {CREATE: 0, UPDATE: 1, UNCHANGED: 3}
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn Anh" and member.cell.code == "THON1"
    assert member.version == 2
    transfer = Transfer.objects.get(member=member)
    assert transfer.from_cell.code == "CB1" and transfer.to_cell.code == "THON1"
    entry = AuditEntry.objects.get(action="workbook.update", object_type="members.Member")
    assert entry.changes["full_name"] == ["Nguyễn Văn Ánh", "Nguyễn Văn Anh"]


def test_decomposed_unicode_is_stored_nfc_and_matches_existing_rows():
    """NFD text from some Excel files is normalised; the NFC twin is 'unchanged', not a duplicate."""
    nfd = {k: [dict(r) for r in v] for k, v in sample_data().items()}
    for rows in nfd.values():
        for row in rows:
            for key, value in row.items():
                if isinstance(value, str):
                    row[key] = unicodedata.normalize("NFD", value)
    assert nfd["orgs"][0]["name"] != sample_data()["orgs"][0]["name"]

    import_workbook(actor=None, content=build_workbook(nfd))

    assert Member.objects.get(card_number="00012346").full_name == "Đỗ Thị Hương"
    assert PartyOrganization.objects.get(code="THON1").name == "Chi bộ thôn Nà Bó"
    assert LeaderPosition.objects.get(title="Hiệu trưởng").group.name == "Hiệu trưởng các trường"
    assert import_workbook(actor=None, content=build_workbook(sample_data())).changed == 0


def test_round_trip_export_import_export_is_identical():
    """Export → import into an empty database → export again: the same cells; and re-import is a no-op."""
    import_workbook(actor=None, content=build_workbook(sample_data()))
    first = export_workbook(EVERYTHING)
    assert import_workbook(actor=None, content=first).changed == 0

    _empty_db()
    result = import_workbook(actor=None, content=first)
    second = export_workbook(EVERYTHING)

    assert result.applied and result.counts["members"][CREATE] == 4
    assert result.counts["temporary_activities"][CREATE] == 2
    assert sheet_values(second) == sheet_values(first)
    assert sheet_values(first)["Đảng viên"][1][0] == "00012345"
    assert sheet_values(first)["Sinh hoạt tạm thời"] == [
        ("Số thẻ đảng viên", "Nơi sinh hoạt tạm thời", "Từ ngày", "Đến ngày"),
        ("00012346", "Chi bộ Trường Đại học Sư phạm Thái Nguyên", dt.datetime(2025, 9, 1), None),
        ("00012347", "Chi bộ Công ty Điện lực Tuyên Quang", dt.datetime(2026, 7, 1), dt.datetime(2026, 12, 31)),
    ]


def test_position_groups_carry_their_order_thu_tu_nhom_in_and_out():
    """"Thứ tự nhóm" of the positions sheet sets each group's order (the reports list groups by it),
    a blank one keeps what is stored, two rows disagreeing are both named, and the export writes it."""
    data = sample_data()
    data["positions"][0]["group_order"] = 2
    data["positions"][1]["group_order"] = 1
    assert import_workbook(actor=None, content=build_workbook(data)).ok
    assert dict(PositionGroup.objects.values_list("code", "sort_order")) == {"HT": 2, "BTV": 1}

    rows = sheet_values(export_workbook(EVERYTHING))["Chức vụ"]
    column = rows[0].index("Thứ tự nhóm")
    assert {(row[rows[0].index("Mã nhóm chức danh")], row[column]) for row in rows[1:]} == {("HT", 2), ("BTV", 1)}

    data["positions"][0]["group_order"] = None  # blank: kept
    data["positions"][1]["group_order"] = 0
    result = import_workbook(actor=None, content=build_workbook(data))
    assert result.counts["groups"] == {CREATE: 0, UPDATE: 1, UNCHANGED: 1}
    assert dict(PositionGroup.objects.values_list("code", "sort_order")) == {"HT": 2, "BTV": 0}

    data["positions"][1].update(group="HT", group_order=5)  # HT is 2 on the first row, 5 on the second
    before = _snapshot_db()
    data["positions"][0]["group_order"] = 3
    refused = import_workbook(actor=None, content=build_workbook(data))
    assert not refused.ok and _snapshot_db() == before
    assert any("khác với thứ tự '3' của nhóm 'HT'" in str(p) for p in refused.problems)


def test_libreoffice_saved_workbook_imports():
    """tests/fixtures/workbook_libreoffice.xlsx is the sample written by the app, saved by LibreOffice Calc."""
    content = (FIXTURES / "workbook_libreoffice.xlsx").read_bytes()

    result = import_workbook(actor=None, content=content)

    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["members"][CREATE] == 4  # ~1000 styled empty rows LibreOffice keeps are skipped
    # The fixture predates the 'Sinh hoạt tạm thời' sheet: the sample's temporary activities are all it lacks.
    assert "temporary_activities" not in result.counts
    again = import_workbook(actor=None, content=build_workbook(sample_data()))
    assert again.changed == 2 and again.counts["temporary_activities"][CREATE] == 2


def test_inline_strings_numbers_as_text_serial_dates_and_a_merged_banner():
    """What other programs write: inline strings, a numeric card number, a date serial, a title row."""
    data = sample_data()
    data["members"] = data["members"][:1]
    data["positions"] = data["exemptions"] = data["suspensions"] = data["temporary_activities"] = []
    data["disciplines"] = []
    data["members"][0]["card_number"] = "12345678"
    wb = load_workbook(io.BytesIO(build_workbook(data)))
    ws = wb["Đảng viên"]
    ws["A2"] = 12345678  # typed as a number
    ws["E2"] = 38491  # 19/05/2005 as a bare serial number
    ws["E2"].number_format = "General"
    ws.insert_rows(1)
    ws["A1"] = "DANH SÁCH ĐẢNG VIÊN"
    ws.merge_cells("A1:I1")
    ws.append([None] * 9)
    content = workbook_bytes(wb)
    # openpyxl writes inline strings; the LibreOffice fixture covers shared strings.
    sheet_file = f"xl/worksheets/sheet{wb.sheetnames.index('Đảng viên') + 1}.xml"
    assert re.search(rb'<c r="B3"[^>]*t="inlineStr"', zipfile.ZipFile(io.BytesIO(content)).read(sheet_file))

    result = import_workbook(actor=None, content=content)

    assert result.ok, [str(p) for p in result.problems]
    member = Member.objects.get()
    assert member.card_number == "12345678" and member.admitted_on == dt.date(2005, 5, 19)
    assert member.full_name == "Nguyễn Văn Ánh"


def test_service_refuses_users_who_are_not_deployment_staff():
    viewer = user_with_role(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        import_workbook(actor=viewer, content=build_workbook(sample_data()))
    staff = user_with_role(Role.STAFF)
    assert import_workbook(actor=staff, content=build_workbook(sample_data())).applied
    assert AuditEntry.objects.filter(actor=staff).exists()


def test_stale_preview_digest_is_refused():
    """If what the file would change differs from the preview, nothing is written."""
    content = build_workbook(sample_data())
    preview = import_workbook(actor=None, content=content, dry_run=True)
    MemberFactory(card_number="00012345", full_name="Người khác", cell=OrgFactory(code="CB9"))

    result = import_workbook(actor=None, content=content, expected_digest=preview.digest)

    assert [str(p) for p in result.problems] == [STALE_PREVIEW]
    assert not PartyOrganization.objects.filter(code="XA").exists()


def test_not_a_workbook_is_a_clear_error():
    problems = import_workbook(actor=None, content=b"not a zip", dry_run=True).problems
    assert "không đọc được như bảng tính Excel (.xlsx)" in str(problems[0])


def _big(n_orgs: int, n_members: int) -> dict:
    orgs = [{"code": "XA", "name": "Đảng bộ xã", "kind": "root", "parent": ""}]
    orgs += [
        {"code": f"CB{i:03d}", "name": f"Chi bộ thôn {i}", "kind": "root_cell", "parent": "XA", "established_on": dt.date(2000, 1, 1)}
        for i in range(n_orgs - 1)
    ]
    members = [
        {"card_number": f"{i:08d}", "full_name": f"Trần Thị Ngọc {i}", "gender": "female", "admitted_on": dt.date(2001, 1, 1) + dt.timedelta(days=i),
         "official_on": None, "status": "probationary", "cell": f"CB{i % (n_orgs - 1):03d}"}
        for i in range(n_members)
    ]
    return {"orgs": orgs, "members": members}


def test_nine_hundred_members_import_in_seconds_with_bulk_lookups(django_assert_max_num_queries):
    content = build_workbook(_big(60, 900))
    started = time.monotonic()
    result = import_workbook(actor=None, content=content)
    elapsed = time.monotonic() - started
    assert result.counts["members"][CREATE] == 900 and elapsed < 10

    # Re-reading the same file: lookups are bulk, the query count does not depend on the rows.
    with django_assert_max_num_queries(15):
        again = import_workbook(actor=None, content=content)
    assert again.changed == 0


def test_a_row_created_concurrently_makes_the_import_fail_cleanly(monkeypatch):
    """A unique code written by someone else after the snapshot: nothing is written, a clear message."""
    from members.workbook import services

    real_apply = services._apply

    def racing_apply(plan, snap, actor):
        OrgFactory(code="THON1", kind=OrgKind.ROOT_CELL)  # another user's insert wins the race
        real_apply(plan, snap, actor)

    monkeypatch.setattr(services, "_apply", racing_apply)

    result = import_workbook(actor=None, content=build_workbook(sample_data()))

    assert [str(p) for p in result.problems] == [services.CONCURRENT_WRITE]
    assert not result.applied and not Member.objects.exists()
    assert not PartyOrganization.objects.filter(code="XA").exists()


def test_audit_of_an_import_names_the_organisations_it_points_to():
    """Formerly "(đã xóa, mã CB1)": the import records references as ids, as the audit pages expect."""
    from core.audit import audit_rows

    import_workbook(actor=None, content=build_workbook(sample_data()))
    data = sample_data()
    data["members"][0]["cell"] = "THON1"
    import_workbook(actor=None, content=build_workbook(data))

    created = AuditEntry.objects.get(action="workbook.create", object_type="members.Member", object_repr="Đỗ Thị Hương")
    updated = AuditEntry.objects.get(action="workbook.update", object_type="members.Member")
    rows = audit_rows([created, updated])
    created_cell = next(line for line in rows[0].lines if line.label == "Chi bộ sinh hoạt")
    moved_cell = next(line for line in rows[1].lines if line.label == "Chi bộ sinh hoạt")
    assert created_cell.new == "Chi bộ thôn Nà Bó"
    assert (moved_cell.old, moved_cell.new) == ("Chi bộ Tổ Toán", "Chi bộ thôn Nà Bó")
    assert not any("(đã xóa" in str(line) for row in rows for line in row.lines)
    org_entry = AuditEntry.objects.get(action="workbook.create", object_type="orgs.PartyOrganization", object_repr="Chi bộ Tổ Toán")
    assert org_entry.changes["parent"] == {"ref": "orgs.PartyOrganization", "id": PartyOrganization.objects.get(code="DBCS1").pk}


def test_an_import_moves_every_row_it_changes_to_its_next_version():
    """A form opened before the import (it carries the old version) is refused on save afterwards."""
    import_workbook(actor=None, content=build_workbook(sample_data()))
    before = {
        model: dict(model.objects.values_list("pk", "version"))
        for model in (PartyOrganization, Unit, Block, PositionGroup, Member, TemporaryActivity)
    }
    data = sample_data()
    data["orgs"][2]["name"] = "Chi bộ Tổ Toán - Tin"
    data["units"][0]["sort_order"] = 5
    data["blocks"][0]["name"] = "Khối tham mưu"
    data["positions"][0]["group_name"] = "Hiệu trưởng"
    data["members"][1]["full_name"] = "Đỗ Thị Hường"
    data["temporary_activities"][0]["place"] = "Chi bộ nơi khác"

    assert import_workbook(actor=None, content=build_workbook(data)).changed == 6

    moved = {
        model: {pk for pk, version in model.objects.values_list("pk", "version") if version != before[model][pk]}
        for model in before
    }
    assert moved[PartyOrganization] == {PartyOrganization.objects.get(code="CB1").pk}
    assert moved[Unit] == {Unit.objects.get(code="VP").pk} and moved[Block] == {Block.objects.get(code="K1").pk}
    assert moved[PositionGroup] == {PositionGroup.objects.get(code="HT").pk}
    assert moved[Member] == {Member.objects.get(card_number="00012346").pk}
    assert len(moved[TemporaryActivity]) == 1
    assert PartyOrganization.objects.get(code="CB1").version == before[PartyOrganization][PartyOrganization.objects.get(code="CB1").pk] + 1


def test_the_import_reports_rows_read_of_rows_and_its_steps():
    """What a job's page shows: rows read of the rows the sheets declare, then the write step."""
    calls = []

    def progress(done=None, total=None, step=None):
        calls.append((done, total, step))

    content = edited(build_workbook(_big(5, 1500)), {})  # saved by openpyxl: the sheets declare their extent
    import_workbook(actor=None, content=content, progress=progress)

    reads = [(done, total) for done, total, step in calls if step and step.startswith("Đang đọc")]
    assert reads[-1] == (1505, 1505) and (1000, 1505) in reads
    assert calls[-1] == (None, None, "Đang kiểm tra và ghi dữ liệu (tất cả hoặc không gì cả)")

    calls.clear()
    import_workbook(actor=None, content=build_workbook(_big(5, 1500)), dry_run=True, progress=progress)
    assert {total for _, total, step in calls if step and step.startswith("Đang đọc")} == {None}
    assert max(done for done, _, _ in calls if done) == 1505
