"""The workbook format: sheets, columns, accepted values (docs/import-format.md describes it).

Pure data: the reader, the planner and the writer all work from these definitions, so the
template, the export and the import can never disagree about a header or a label.
"""
import datetime as dt
from dataclasses import dataclass

from members.models import DisciplineForm, Gender, LeadershipRole, MemberStatus, Tier
from orgs.models import OrgKind

TEXT, DATE, BOOL, ENUM, INT = "text", "date", "bool", "enum", "int"

YES, NO = "Có", "Không"

# Limits of the import, sized for a province (90 036 members in 7 300 organisations; a
# province's own export must import back). docs/import-format.md states them.
MAX_ROWS = 200_000  # data rows per sheet
MAX_COLUMNS = 64  # columns a sheet may declare (the widest sheet has 10)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the .xlsx file as uploaded (compressed)
MAX_UNPACKED_BYTES = 600 * 1024 * 1024  # everything in it, unpacked
MAX_PART_BYTES = 300 * 1024 * 1024  # one part (a sheet, the shared strings), unpacked


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it fills, its Vietnamese header and its type."""

    key: str
    header: str
    kind: str = TEXT
    required: bool = False
    choices: type | None = None  # a TextChoices class, for ENUM columns
    width: int = 18
    note: str = ""
    max_length: int | None = None  # TEXT columns stored as they are: the model field's limit

    def labels(self) -> list[str]:
        """The Vietnamese labels accepted in an ENUM or BOOL column."""
        if self.kind == ENUM:
            return [str(label) for label in self.choices.labels]
        if self.kind == BOOL:
            return [YES, NO]
        return []


@dataclass(frozen=True)
class Sheet:
    """One data sheet of the workbook."""

    key: str
    title: str
    columns: tuple[Column, ...]
    description: str

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SORT_ORDER = Column("sort_order", "Thứ tự", INT, width=8, note="Để trống = 0.")
IS_ACTIVE = Column("is_active", "Đang hoạt động", BOOL, width=12, note="Để trống = Có.")

ORGS = Sheet(
    key="orgs",
    title="Tổ chức đảng",
    description="Các tổ chức đảng; thứ tự dòng tùy ý, tổ chức cấp trên luôn được tạo trước.",
    columns=(
        Column("code", "Mã tổ chức", required=True, width=14, max_length=32,
               note="Duy nhất, dùng để tham chiếu."),
        Column("name", "Tên tổ chức đảng", required=True, width=40, max_length=255),
        Column("kind", "Loại", ENUM, required=True, choices=OrgKind, width=32),
        Column("parent", "Mã tổ chức cấp trên", width=16, note="Để trống nếu là tổ chức gốc."),
        Column("established_on", "Ngày thành lập", DATE, width=14),
        IS_ACTIVE,
        SORT_ORDER,
    ),
)

BLOCKS = Sheet(
    key="blocks",
    title="Khối",
    description="Các khối cơ quan, đơn vị dùng để nhóm trong báo cáo.",
    columns=(
        Column("code", "Mã khối", required=True, width=12, max_length=32),
        Column("name", "Tên khối", required=True, width=50, max_length=255),
        SORT_ORDER,
    ),
)

UNITS = Sheet(
    key="units",
    title="Cơ quan, đơn vị",
    description="Các cơ quan, đơn vị của hệ thống chính trị.",
    columns=(
        Column("code", "Mã cơ quan, đơn vị", required=True, width=14, max_length=32),
        Column("name", "Tên cơ quan, đơn vị", required=True, width=40, max_length=255),
        Column("block", "Mã khối", required=True, width=12),
        Column("party_organization", "Mã tổ chức đảng", width=16),
        Column("has_leadership_collective", "Có tập thể lãnh đạo được đánh giá", BOOL, width=16,
               note="Để trống = Có."),
        IS_ACTIVE,
        SORT_ORDER,
    ),
)

MEMBERS = Sheet(
    key="members",
    title="Đảng viên",
    description="Đảng viên, nhận diện bằng số thẻ đảng viên.",
    columns=(
        Column("card_number", "Số thẻ đảng viên", required=True, width=16,
               note="Nhập dạng văn bản để giữ số 0 ở đầu.", max_length=32),
        Column("full_name", "Họ và tên", required=True, width=28, max_length=120),
        Column("date_of_birth", "Ngày sinh", DATE, width=12),
        Column("gender", "Giới tính", ENUM, required=True, choices=Gender, width=10),
        Column("admitted_on", "Ngày vào Đảng", DATE, required=True, width=14),
        Column("official_on", "Ngày chính thức", DATE, width=14),
        Column("status", "Tình trạng", ENUM, required=True, choices=MemberStatus, width=12),
        Column("cell", "Mã chi bộ", required=True, width=14, note="Mã một chi bộ hoặc tổ đảng."),
        Column("is_active", "Còn sinh hoạt", BOOL, width=12, note="Để trống = Có."),
    ),
)

POSITIONS = Sheet(
    key="positions",
    title="Chức vụ",
    description=(
        "Chức vụ lãnh đạo, quản lý; mỗi dòng nhận diện bằng số thẻ, chức vụ, mã cơ quan "
        "hoặc tổ chức và ngày bắt đầu."
    ),
    columns=(
        Column("card_number", "Số thẻ đảng viên", required=True, width=16),
        Column("title", "Chức vụ", required=True, width=30, max_length=255),
        Column("unit", "Mã cơ quan, đơn vị", width=14, note="Cần mã cơ quan hoặc mã tổ chức đảng."),
        Column("organization", "Mã tổ chức đảng", width=14),
        Column("leadership_role", "Vai trò", ENUM, required=True, choices=LeadershipRole, width=26),
        Column("tier", "Diện quản lý", ENUM, required=True, choices=Tier, width=32),
        Column("group", "Mã nhóm chức danh", required=True, width=14, max_length=32),
        Column("group_name", "Tên nhóm chức danh", width=36, note="Bắt buộc khi nhóm chưa có.", max_length=255),
        Column("start_on", "Từ ngày", DATE, required=True, width=12),
        Column("end_on", "Đến ngày", DATE, width=12),
        Column("group_order", "Thứ tự nhóm", INT, width=8,
               note="Thứ tự của nhóm chức danh trong báo cáo. Để trống: giữ như đã lưu (nhóm mới: 0)."),
    ),
)

EXEMPTIONS = Sheet(
    key="exemptions",
    title="Miễn sinh hoạt",
    description="Miễn công tác và sinh hoạt đảng; mỗi dòng nhận diện bằng số thẻ và ngày bắt đầu.",
    columns=(
        Column("card_number", "Số thẻ đảng viên", required=True, width=16),
        Column("start_on", "Từ ngày", DATE, required=True, width=12),
        Column("end_on", "Đến ngày", DATE, width=12),
        Column("reason", "Lý do", width=40, max_length=255),
    ),
)

SUSPENSIONS = Sheet(
    key="suspensions",
    title="Đình chỉ sinh hoạt",
    description="Đình chỉ sinh hoạt đảng; mỗi dòng nhận diện bằng số thẻ và ngày bắt đầu.",
    columns=EXEMPTIONS.columns,
)

TEMPORARY_ACTIVITIES = Sheet(
    key="temporary_activities",
    title="Sinh hoạt tạm thời",
    description="Sinh hoạt đảng tạm thời nơi khác; mỗi dòng nhận diện bằng số thẻ và ngày bắt đầu.",
    columns=(
        Column("card_number", "Số thẻ đảng viên", required=True, width=16),
        Column("place", "Nơi sinh hoạt tạm thời", required=True, width=40, max_length=255),
        Column("start_on", "Từ ngày", DATE, required=True, width=12),
        Column("end_on", "Đến ngày", DATE, width=12),
    ),
)

DISCIPLINES = Sheet(
    key="disciplines",
    title="Kỷ luật",
    description=(
        "Quyết định kỷ luật; mỗi dòng nhận diện bằng số thẻ, ngày quyết định và hình thức."
    ),
    columns=(
        Column("card_number", "Số thẻ đảng viên", required=True, width=16),
        Column("form", "Hình thức kỷ luật", ENUM, required=True, choices=DisciplineForm, width=14),
        Column("decided_on", "Ngày quyết định", DATE, required=True, width=14),
        Column("violation_on", "Ngày vi phạm", DATE, required=True, width=14),
        Column("decision_number", "Số quyết định", width=16, max_length=64),
        Column("reason", "Nội dung vi phạm", width=40, max_length=500),
        Column("related_to_duties", "Liên quan chức trách, nhiệm vụ", BOOL, width=14,
               note="Để trống = Có."),
        Column("self_detected_remedied", "Tự phát hiện và khắc phục", BOOL, width=14,
               note="Để trống = Không."),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    ORGS, BLOCKS, UNITS, MEMBERS, POSITIONS, EXEMPTIONS, SUSPENSIONS, TEMPORARY_ACTIVITIES, DISCIPLINES,
)
SHEETS_BY_KEY = {s.key: s for s in SHEETS}
INSTRUCTIONS_TITLE = "Hướng dẫn"

# Booleans left blank take these values (what a new record would get in the form).
BOOL_DEFAULTS = {
    ("orgs", "is_active"): True,
    ("units", "is_active"): True,
    ("units", "has_leadership_collective"): True,
    ("members", "is_active"): True,
    ("disciplines", "related_to_duties"): True,
    ("disciplines", "self_detected_remedied"): False,
}


# Example rows of the template (grey, codes starting "VD-"): the import skips a row left exactly
# as the template wrote it, so a user may keep them or delete them.
_d = dt.date
EXAMPLE_RECORDS: dict[str, list[dict]] = {
    "orgs": [
        {"code": "VD-XA", "name": "Đảng bộ xã Ví Dụ", "kind": "root", "parent": "",
         "established_on": _d(1990, 1, 1), "is_active": True, "sort_order": 1},
        {"code": "VD-CB01", "name": "Chi bộ thôn Nà Ví Dụ", "kind": "root_cell", "parent": "VD-XA",
         "established_on": _d(2000, 5, 19), "is_active": True, "sort_order": 1},
    ],
    "blocks": [
        {"code": "VD-K1", "name": "Khối cơ quan tham mưu, giúp việc Đảng ủy (ví dụ)", "sort_order": 1},
    ],
    "units": [
        {"code": "VD-VPDU", "name": "Văn phòng Đảng ủy (ví dụ)", "block": "VD-K1", "party_organization": "VD-CB01",
         "has_leadership_collective": True, "is_active": True, "sort_order": 1},
    ],
    "members": [
        {"card_number": "VD000001", "full_name": "Nguyễn Văn Ví Dụ", "date_of_birth": _d(1980, 2, 29),
         "gender": "male", "admitted_on": _d(2005, 5, 19), "official_on": _d(2006, 5, 19),
         "status": "official", "cell": "VD-CB01", "is_active": True},
        {"card_number": "VD000002", "full_name": "Lò Thị Ví Dụ", "date_of_birth": _d(1998, 10, 20),
         "gender": "female", "admitted_on": _d(2025, 9, 2), "official_on": None,
         "status": "probationary", "cell": "VD-CB01", "is_active": True},
    ],
    "positions": [
        {"card_number": "VD000001", "title": "Chánh Văn phòng Đảng ủy", "unit": "VD-VPDU", "organization": "",
         "leadership_role": "head", "tier": "commune", "group": "VD-TP",
         "group_name": "Trưởng các phòng, ban và tương đương (ví dụ)", "group_order": 2, "start_on": _d(2020, 8, 1),
         "end_on": None},
    ],
    "exemptions": [
        {"card_number": "VD000001", "start_on": _d(2019, 1, 1), "end_on": _d(2019, 6, 30),
         "reason": "Ốm đau kéo dài (ví dụ)"},
    ],
    "suspensions": [
        {"card_number": "VD000002", "start_on": _d(2026, 3, 1), "end_on": _d(2026, 6, 1),
         "reason": "Bị khởi tố, đang điều tra (ví dụ)"},
    ],
    "temporary_activities": [
        {"card_number": "VD000002", "place": "Chi bộ Công ty Ví Dụ (tỉnh Bắc Ninh)",
         "start_on": _d(2026, 7, 1), "end_on": _d(2026, 12, 31)},
    ],
    "disciplines": [
        {"card_number": "VD000001", "form": "reprimand", "decided_on": _d(2024, 5, 2), "violation_on": _d(2024, 3, 1),
         "decision_number": "12-QĐ/UBKT", "reason": "Vi phạm quy chế làm việc (ví dụ)",
         "related_to_duties": True, "self_detected_remedied": False},
    ],
}
