"""Sample workbook data shared by the workbook tests (this module holds no tests itself)."""
import datetime as dt
import io

from openpyxl import load_workbook

from members.workbook.spec import SHEETS


def sample_data() -> dict[str, list[dict]]:
    """A small deployment touching every sheet and every kind of column."""
    d = dt.date
    return {
        "orgs": [
            {"code": "XA", "name": "Đảng bộ xã Bình Lư", "kind": "root", "parent": "", "established_on": d(1990, 1, 1), "is_active": True, "sort_order": 0},
            {"code": "DBCS1", "name": "Đảng bộ Trường THCS", "kind": "base_party", "parent": "XA", "established_on": None, "is_active": True, "sort_order": 1},
            {"code": "CB1", "name": "Chi bộ Tổ Toán", "kind": "sub_cell", "parent": "DBCS1", "established_on": d(2015, 9, 5), "is_active": True, "sort_order": 0},
            {"code": "THON1", "name": "Chi bộ thôn Nà Bó", "kind": "root_cell", "parent": "XA", "established_on": d(2025, 3, 1), "is_active": True, "sort_order": 2},
        ],
        "blocks": [
            {"code": "K1", "name": "Khối cơ quan tham mưu giúp việc Đảng ủy", "sort_order": 1},
            {"code": "K5", "name": "Khối đơn vị sự nghiệp giáo dục", "sort_order": 5},
        ],
        "units": [
            {"code": "VP", "name": "Văn phòng Đảng ủy", "block": "K1", "party_organization": "XA", "has_leadership_collective": True, "is_active": True, "sort_order": 0},
            {"code": "THCS", "name": "Trường THCS Bình Lư", "block": "K5", "party_organization": "DBCS1", "has_leadership_collective": False, "is_active": True, "sort_order": 0},
        ],
        "members": [
            {"card_number": "00012345", "full_name": "Nguyễn Văn Ánh", "date_of_birth": d(1980, 2, 29), "gender": "male", "admitted_on": d(2005, 5, 19), "official_on": d(2006, 5, 19), "status": "official", "cell": "CB1", "is_active": True},
            {"card_number": "00012346", "full_name": "Đỗ Thị Hương", "date_of_birth": d(1985, 12, 31), "gender": "female", "admitted_on": d(2010, 3, 3), "official_on": d(2011, 3, 3), "status": "official", "cell": "THON1", "is_active": True},
            {"card_number": "00012347", "full_name": "Lò Văn Đức", "date_of_birth": None, "gender": "male", "admitted_on": d(2026, 1, 10), "official_on": None, "status": "probationary", "cell": "THON1", "is_active": True},
            {"card_number": "00012348", "full_name": "Hoàng Thị Mai", "date_of_birth": d(1950, 7, 1), "gender": "female", "admitted_on": d(1975, 1, 1), "official_on": d(1976, 1, 1), "status": "official", "cell": "CB1", "is_active": False},
        ],
        "positions": [
            {"card_number": "00012345", "title": "Hiệu trưởng", "unit": "THCS", "organization": "", "leadership_role": "head", "tier": "commune", "group": "HT", "group_name": "Hiệu trưởng các trường", "start_on": d(2020, 8, 1), "end_on": None},
            {"card_number": "00012346", "title": "Phó Bí thư Đảng ủy", "unit": "", "organization": "XA", "leadership_role": "deputy", "tier": "province", "group": "BTV", "group_name": "Ủy viên Ban Thường vụ", "start_on": d(2025, 7, 1), "end_on": d(2026, 6, 30)},
        ],
        "exemptions": [
            {"card_number": "00012348", "start_on": d(2024, 1, 1), "end_on": None, "reason": "Tuổi cao, sức yếu"},
        ],
        "suspensions": [
            {"card_number": "00012347", "start_on": d(2026, 3, 1), "end_on": d(2026, 6, 1), "reason": "Đang xem xét"},
        ],
        "temporary_activities": [
            {"card_number": "00012346", "place": "Chi bộ Trường Đại học Sư phạm Thái Nguyên", "start_on": d(2025, 9, 1), "end_on": None},
            {"card_number": "00012347", "place": "Chi bộ Công ty Điện lực Tuyên Quang", "start_on": d(2026, 7, 1), "end_on": d(2026, 12, 31)},
        ],
        "disciplines": [
            {"card_number": "00012346", "form": "reprimand", "decided_on": d(2024, 5, 2), "violation_on": d(2024, 3, 1), "decision_number": "12-QĐ/UBKT", "reason": "Vi phạm quy chế", "related_to_duties": True, "self_detected_remedied": False},
        ],
    }


def sheet_values(content: bytes) -> dict[str, list[tuple]]:
    """Every data sheet's rows (header included) as plain cell values."""
    wb = load_workbook(io.BytesIO(content), data_only=True)
    return {
        s.title: [tuple(r) for r in wb[s.title].iter_rows(values_only=True)]
        for s in SHEETS
    }


def edited(content: bytes, edits: dict[str, dict[str, object]]) -> bytes:
    """The workbook with some cells overwritten: {sheet title: {"C7": value}}."""
    wb = load_workbook(io.BytesIO(content))
    for title, cells in edits.items():
        for ref, value in cells.items():
            wb[title][ref] = value
    return workbook_bytes(wb)


def workbook_bytes(wb) -> bytes:
    """The workbook saved as an upload carries it."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
