"""Enumerations shared by the rating rules: levels, criterion quality, subject types."""

from __future__ import annotations

import enum


class Level(enum.IntEnum):
    """The four rating levels, ordered FAIL < PASS < GOOD < EXCELLENT [002 §4]."""

    FAIL = 1
    PASS = 2
    GOOD = 3
    EXCELLENT = 4

    @property
    def code(self) -> str:
        return _LEVEL_CODES[self]

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]

    @classmethod
    def from_code(cls, code: str) -> Level:
        """Return the level for a code such as "HTXSNV" [002 §4]."""
        return _LEVEL_BY_CODE[code.strip().upper()]


_LEVEL_CODES = {
    Level.EXCELLENT: "HTXSNV",
    Level.GOOD: "HTTNV",
    Level.PASS: "HTNV",
    Level.FAIL: "KHTNV",
}
_LEVEL_LABELS = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.PASS: "Hoàn thành nhiệm vụ",
    Level.FAIL: "Không hoàn thành nhiệm vụ",
}
_LEVEL_BY_CODE = {code: level for level, code in _LEVEL_CODES.items()}


class CriterionLevel(enum.IntEnum):
    """Quality of one criterion: Kém < Trung bình < Tốt < Xuất sắc [003 C.I.1.4]."""

    POOR = 1
    AVERAGE = 2
    GOOD = 3
    EXCELLENT = 4

    @property
    def label(self) -> str:
        return _CRITERION_LABELS[self]


_CRITERION_LABELS = {
    CriterionLevel.EXCELLENT: "Xuất sắc",
    CriterionLevel.GOOD: "Tốt",
    CriterionLevel.AVERAGE: "Trung bình",
    CriterionLevel.POOR: "Kém",
}


class ScoringKind(enum.Enum):
    """How a criterion is scored [003 C.I.1.4]."""

    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"

    @property
    def label(self) -> str:
        return "Định lượng" if self is ScoringKind.QUANTITATIVE else "Định tính"


class ResultAxis(enum.IntEnum):
    """The six result axes of quarterly leader evaluation [002 I.2.2]."""

    SOCIO_ECONOMIC = 1
    INSTITUTIONS = 2
    SCIENCE_DIGITAL = 3
    PARTY_BUILDING = 4
    CULTURE_SOCIAL = 5
    DEFENCE_SECURITY = 6

    @property
    def label(self) -> str:
        return _AXIS_LABELS[self]


_AXIS_LABELS = {
    ResultAxis.SOCIO_ECONOMIC: "Phát triển kinh tế - xã hội và nhiệm vụ chính trị",
    ResultAxis.INSTITUTIONS: "Hoàn thiện thể chế, phân cấp, phân quyền gắn với kiểm tra, giám sát",
    ResultAxis.SCIENCE_DIGITAL: "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    ResultAxis.PARTY_BUILDING: "Xây dựng Đảng và hệ thống chính trị; phòng, chống tham nhũng",
    ResultAxis.CULTURE_SOCIAL: "Văn hóa, con người, an sinh xã hội",
    ResultAxis.DEFENCE_SECURITY: "Quốc phòng, an ninh, đối ngoại",
}


class AxisRole(enum.Enum):
    """Whether a result axis is primary or secondary for the person [002 II.1.5]."""

    PRIMARY = "primary"
    SECONDARY = "secondary"

    @property
    def label(self) -> str:
        return "Chính, chủ yếu" if self is AxisRole.PRIMARY else "Phụ, phối hợp, hỗ trợ"


class SubjectType(enum.Enum):
    """Who is rated, and how often [DOMAIN §3; 004 II.2; 003 B.I]."""

    MEMBER_YEARLY = "member_yearly"
    LEADER_QUARTERLY = "leader_quarterly"
    LEADER_YEARLY = "leader_yearly"
    BASE_ORG_YEARLY = "base_org_yearly"
    COMMITTEE_YEARLY = "committee_yearly"
    COLLECTIVE_YEARLY = "collective_yearly"

    @property
    def label(self) -> str:
        return _SUBJECT_LABELS[self]

    @property
    def is_individual(self) -> bool:
        return self in (
            SubjectType.MEMBER_YEARLY,
            SubjectType.LEADER_QUARTERLY,
            SubjectType.LEADER_YEARLY,
        )


_SUBJECT_LABELS = {
    SubjectType.MEMBER_YEARLY: "Đảng viên (hằng năm)",
    SubjectType.LEADER_QUARTERLY: "Cán bộ lãnh đạo, quản lý (hằng quý)",
    SubjectType.LEADER_YEARLY: "Cán bộ lãnh đạo, quản lý (hằng năm)",
    SubjectType.BASE_ORG_YEARLY: "Tổ chức cơ sở đảng (hằng năm)",
    SubjectType.COMMITTEE_YEARLY: "Tập thể cấp ủy (hằng năm)",
    SubjectType.COLLECTIVE_YEARLY: "Tập thể lãnh đạo, quản lý (hằng năm)",
}


class BaseOrgKind(enum.Enum):
    """Kind of base organisation: đảng bộ cơ sở or chi bộ cơ sở [003 C.I.2]."""

    PARTY_COMMITTEE = "dang_bo_co_so"
    CELL = "chi_bo_co_so"


class Discipline(enum.IntEnum):
    """Party discipline forms, mildest first [002 §4.4b; 003 C.III.3.4]."""

    NONE = 0
    REPRIMAND = 1
    WARNING = 2
    DISMISSAL = 3
    EXPULSION = 4

    @property
    def label(self) -> str:
        return _DISCIPLINE_LABELS[self]


_DISCIPLINE_LABELS = {
    Discipline.NONE: "không",
    Discipline.REPRIMAND: "khiển trách",
    Discipline.WARNING: "cảnh cáo",
    Discipline.DISMISSAL: "cách chức",
    Discipline.EXPULSION: "khai trừ",
}
