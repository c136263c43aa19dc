"""The default criteria frameworks, one per subject type, with text taken from the seeds.

Staff copy and edit them per province and year; `manage.py load_frameworks` installs them.
Structure: 30 points of common criteria (politics, ethics, discipline, remedying shortcomings)
and 70 points of task results, the key group [000 §4.2]. The leaders' common part follows the
usual reading of Quy định 366-QĐ/TW: 9 × 2 + 4 × 1 + 4 × 2 = 30 points [DOMAIN §5].
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from appraisal.models import CriterionKind, SubjectType
from appraisal.rules import (
    DEFAULT_SHORT_SHARE_MAX,
    CapRow,
    CriterionRow,
    FrameworkSettings,
    default_caps,
    default_exceeded_share,
    default_quota,
    default_thresholds,
)
from appraisal.rules import SubjectType as EngineSubject

YEAR = 2026
QUAL, QUANT, GROUP = CriterionKind.QUALITATIVE, CriterionKind.QUANTITATIVE, CriterionKind.GROUP


@dataclass(frozen=True)
class Node:
    """A group or criterion of a default framework; children make it a group."""

    code: str
    title: str
    points: int | str
    kind: str = QUAL
    key: bool = False
    axis: int | None = None
    weight: str = ""
    guidance: str = ""
    children: tuple[Node, ...] = field(default=())


def G(code, title, points, *children, key=False, guidance=""):  # noqa: N802 - reads like a table
    """A group of criteria."""
    return Node(code, title, points, GROUP, key, None, "", guidance, tuple(children))


def C(code, title, points, kind=QUAL, *, key=False, axis=None, weight="", guidance=""):  # noqa: N802
    """A scored criterion."""
    return Node(code, title, points, kind, key, axis, weight, guidance)


# ---------------------------------------------------------------- leaders (Quy định 366 reading)

LEADER_COMMON = G(
    "1", "Chính trị tư tưởng, đạo đức, lối sống, ý thức tổ chức kỷ luật, tự phê bình", 30,
    G(
        "1.1", "Phẩm chất chính trị, đạo đức, lối sống, trách nhiệm nêu gương", 18,
        C("1.1.1", "Trung thành với lợi ích của Đảng, quốc gia, dân tộc và nhân dân; kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, mục tiêu độc lập dân tộc và chủ nghĩa xã hội", 2),
        C("1.1.2", "Chấp hành nghiêm chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; nguyên tắc tập trung dân chủ, tự phê bình và phê bình", 2),
        C("1.1.3", "Nghiên cứu, học tập, quán triệt và thực hiện nghị quyết, chỉ thị, quy định của Đảng", 2),
        C("1.1.4", "Đặt lợi ích của Đảng, quốc gia - dân tộc, nhân dân, tập thể lên trên lợi ích cá nhân; đấu tranh bảo vệ nền tảng tư tưởng của Đảng", 2),
        C("1.1.5", "Giữ gìn phẩm chất đạo đức, lối sống; cần, kiệm, liêm, chính, chí công vô tư; không có biểu hiện suy thoái, \"tự diễn biến\", \"tự chuyển hóa\"", 2,
          guidance="Liên hệ các biểu hiện suy thoái theo tinh thần Nghị quyết Trung ương [003 B.III.2.1]."),
        C("1.1.6", "Trách nhiệm nêu gương của bản thân và gia đình; việc đấu tranh phòng, chống tham nhũng, lãng phí, tiêu cực", 2,
          guidance="[003 B.III.2.2]"),
        C("1.1.7", "Ý thức tổ chức kỷ luật; chấp hành sự phân công của tổ chức; thực hiện những điều đảng viên không được làm", 2),
        C("1.1.8", "Tinh thần đoàn kết, thống nhất trong nội bộ; khả năng quy tụ, xây dựng đoàn kết nội bộ", 2,
          guidance="[003 B.III.2.2]"),
        C("1.1.9", "Tác phong, lề lối làm việc; giữ mối liên hệ với cấp ủy và nhân dân nơi cư trú", 2),
    ),
    G(
        "1.2", "Tư duy đổi mới, dám nghĩ, dám làm, dám chịu trách nhiệm", 4,
        C("1.2.1", "Tinh thần năng động, đổi mới, sáng tạo trong lãnh đạo, quản lý, điều hành", 1),
        C("1.2.2", "Dám nghĩ, dám làm, dám chịu trách nhiệm vì lợi ích chung", 1),
        C("1.2.3", "Xử lý những vấn đề khó, phức tạp, nhạy cảm trong thực hiện nhiệm vụ", 1,
          guidance="[003 B.III.2.2]"),
        C("1.2.4", "Có sáng kiến, giải pháp đổi mới sáng tạo được áp dụng trong thực tiễn", 1,
          guidance="[002 II.3.4 (5)]"),
    ),
    G(
        "1.3", "Tự phê bình và phê bình; khắc phục hạn chế, khuyết điểm", 8,
        C("1.3.1", "Thực hiện tự phê bình và phê bình nghiêm túc, thẳng thắn, trung thực", 2),
        C("1.3.2", "Khắc phục hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận", 2),
        C("1.3.3", "Khắc phục hạn chế, khuyết điểm được chỉ ra ở kỳ kiểm điểm trước", 2),
        C("1.3.4", "Giải quyết những vấn đề được gợi ý kiểm điểm (nếu có)", 2),
    ),
)

LEADER_TASKS = G(
    "2", "Kết quả thực hiện chức trách, nhiệm vụ được giao (theo danh mục sản phẩm, công việc)", 70,
    C("2.1", "Trục (1): Kết quả thực hiện mục tiêu phát triển kinh tế - xã hội và nhiệm vụ chính trị được giao", 20, QUANT,
      key=True, axis=1, weight="primary",
      guidance="Người đứng đầu làm rõ: kết quả thực hiện các chỉ tiêu, nhiệm vụ trọng tâm; chất lượng lãnh đạo, điều hành [002 II.3.3]."),
    C("2.2", "Trục (2): Kết quả hoàn thiện thể chế, đẩy mạnh phân cấp, phân quyền gắn với kiểm tra, giám sát", 8, QUANT,
      key=True, axis=2, weight="secondary",
      guidance="Công tác cải cách hành chính [002 II.3.3 (3)]."),
    C("2.3", "Trục (3): Kết quả thúc đẩy phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số", 12, QUANT,
      key=True, axis=3, weight="primary",
      guidance="Gắn với Nghị quyết 57-NQ/TW: kết quả chuyển đổi số trong cơ quan, đơn vị; mức độ sử dụng dữ liệu số trong quản lý, điều hành; tỷ lệ hồ sơ công việc xử lý trên môi trường mạng; kết quả triển khai các nền tảng số dùng chung; sáng kiến đổi mới sáng tạo được áp dụng [002 II.3.4]."),
    C("2.4", "Trục (4): Kết quả xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh; giữ gìn đoàn kết, thống nhất nội bộ; phòng, chống tham nhũng, lãng phí, tiêu cực", 14, QUANT,
      key=True, axis=4, weight="primary",
      guidance="Công tác phòng, chống tham nhũng, lãng phí, tiêu cực; giữ gìn đoàn kết nội bộ; giải quyết các vấn đề tồn đọng, phức tạp, kéo dài [002 II.3.3 (5)–(7)]."),
    C("2.5", "Trục (5): Kết quả phát triển văn hóa, con người, bảo đảm an sinh xã hội, nâng cao đời sống nhân dân", 8, QUANT,
      key=True, axis=5, weight="secondary"),
    C("2.6", "Trục (6): Kết quả củng cố quốc phòng, an ninh, giữ vững ổn định chính trị - xã hội, nâng cao hiệu quả đối ngoại", 8, QUANT,
      key=True, axis=6, weight="secondary"),
    key=True,
    guidance="Điểm nhiệm vụ tính từ danh mục sản phẩm, công việc đã được phê duyệt, quy về 70 điểm; "
    "trục kết quả chính, chủ yếu chiếm tỷ trọng điểm cao hơn trục phụ, phối hợp [002 II.1.5].",
)

# ---------------------------------------------------------------- party members [003 B.III.2.1]

MEMBER_TREE = (
    G(
        "1", "Phẩm chất chính trị, đạo đức, lối sống; ý thức tổ chức kỷ luật; tu dưỡng, rèn luyện", 30,
        C("1.1", "Phẩm chất chính trị, tư tưởng; chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước", 6),
        C("1.2", "Đạo đức, lối sống; chuẩn mực đạo đức cách mạng của đảng viên; trách nhiệm nêu gương", 6),
        C("1.3", "Tinh thần đoàn kết, thống nhất trong nội bộ; ý thức tổ chức kỷ luật; việc thực hiện những điều đảng viên không được làm", 6),
        C("1.4", "Tác phong, lề lối làm việc; liên hệ các biểu hiện suy thoái, \"tự diễn biến\", \"tự chuyển hoá\"", 4),
        C("1.5", "Việc cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm", 4),
        C("1.6", "Những vấn đề được gợi ý kiểm điểm; việc khắc phục hạn chế, khuyết điểm được cấp có thẩm quyền kết luận và được chỉ ra ở kỳ kiểm điểm trước (nếu có)", 4),
    ),
    G(
        "2", "Kết quả thực hiện nhiệm vụ, quyền hạn và các chỉ tiêu, nhiệm vụ được giao trong năm", 70,
        C("2.1", "Thực hiện chức trách, nhiệm vụ, quyền hạn được giao", 30, key=True),
        C("2.2", "Kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao trong năm, lượng hóa bằng sản phẩm cụ thể", 40, QUANT,
          key=True, guidance="Điểm = tỷ lệ % đạt được so với kế hoạch × điểm chuẩn; vượt kế hoạch tính bằng điểm chuẩn [003 C.I.1.4]."),
        key=True,
    ),
)

# ---------------------------------------------------------------- base organisations [003 C.I.1]

BASE_ORG_TREE = (
    G(
        "1", "Công tác xây dựng Đảng và hệ thống chính trị", 24,
        C("1.1", "Công tác chính trị tư tưởng", 5,
          guidance="Tuyên truyền, giáo dục chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh; quán triệt, thực hiện đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước; đấu tranh với các biểu hiện suy thoái; nắm bắt kịp thời tình hình tư tưởng của cán bộ, đảng viên và người lao động."),
        C("1.2", "Công tác tổ chức, cán bộ và xây dựng đảng bộ, chi bộ", 6, key=True,
          guidance="Công tác tổ chức, cán bộ, đảng viên, bảo vệ chính trị nội bộ; nguyên tắc tập trung dân chủ, tự phê bình và phê bình; chất lượng sinh hoạt của cấp ủy, chi bộ; kết nạp đảng viên mới; nhân rộng điển hình tiên tiến."),
        C("1.3", "Lãnh đạo xây dựng cơ quan, đơn vị và các đoàn thể chính trị - xã hội", 5,
          guidance="Lãnh đạo xây dựng các tổ chức vững mạnh; phát huy hiệu lực, hiệu quả quản lý của tập thể lãnh đạo; phối hợp công tác; nâng cao chất lượng giám sát, phản biện xã hội."),
        C("1.4", "Công tác kiểm tra, giám sát và kỷ luật đảng", 4,
          guidance="Thực hiện kế hoạch kiểm tra, giám sát; phòng, chống quan liêu, tham nhũng, lãng phí, tiêu cực; giải quyết đơn thư khiếu nại, tố cáo; xử lý tổ chức đảng, đảng viên vi phạm."),
        C("1.5", "Thực hiện quy chế dân chủ ở cơ sở", 4,
          guidance="Thực hiện các quy định, hướng dẫn của cấp trên về Quy chế dân chủ ở cơ sở; mọi hoạt động được công khai, dân chủ."),
    ),
    G(
        "2", "Kết quả thực hiện nhiệm vụ", 70,
        C("2.1", "Việc cụ thể hóa, xây dựng và tổ chức thực hiện các chương trình, kế hoạch công tác năm", 15, key=True),
        C("2.2", "Kết quả lãnh đạo thực hiện các chỉ tiêu, nhiệm vụ chính trị, chỉ tiêu kế hoạch; công tác quốc phòng - an ninh của cơ quan, đơn vị", 40, QUANT, key=True,
          guidance="Điểm = tỷ lệ % chỉ tiêu đạt được so với kế hoạch × điểm chuẩn; vượt kế hoạch tính bằng điểm chuẩn [003 C.I.1.4]."),
        C("2.3", "Kết quả đánh giá, xếp loại tập thể lãnh đạo đơn vị, các đoàn thể chính trị - xã hội cùng cấp và các tổ chức đảng trực thuộc", 15, key=True),
        key=True,
    ),
    G(
        "3", "Kết quả khắc phục những hạn chế, yếu kém đã được chỉ ra", 6,
        C("3.1", "Khắc phục hạn chế, yếu kém đã được cấp ủy cơ sở chỉ ra qua tự kiểm điểm, đánh giá", 2),
        C("3.2", "Khắc phục hạn chế, yếu kém được cấp trên chỉ ra qua kiểm điểm, đánh giá chất lượng cuối năm trước", 2),
        C("3.3", "Khắc phục những nội dung được cấp ủy cấp trên gợi ý kiểm điểm hoặc phê bình (nếu có)", 2),
    ),
)

# ---------------------------------------------------------------- committees [003 C.III.2]

COMMITTEE_TREE = (
    G(
        "1", "Về xây dựng tập thể cấp ủy", 24,
        C("1.1", "Việc thực hiện nguyên tắc tập trung dân chủ, tự phê bình và phê bình; quy chế làm việc; xây dựng đoàn kết nội bộ", 12),
        C("1.2", "Trách nhiệm trong lãnh đạo, chỉ đạo, kiểm tra, giám sát việc thực hiện các nhiệm vụ chính trị của tổ chức, cơ quan, đơn vị", 12),
    ),
    G(
        "2", "Về kết quả thực hiện nhiệm vụ chính trị", 70,
        C("2.1", "Việc cụ thể hóa, xây dựng và tổ chức thực hiện các chương trình, kế hoạch công tác năm", 15, key=True),
        C("2.2", "Kết quả lãnh đạo, chỉ đạo công tác xây dựng Đảng, thực hiện nhiệm vụ chính trị của cơ quan, đơn vị", 20, key=True),
        C("2.3", "Kết quả thực hiện các chỉ tiêu, nhiệm vụ được cấp có thẩm quyền giao, phê duyệt và được lượng hóa bằng sản phẩm", 20, QUANT, key=True),
        C("2.4", "Kết quả đánh giá, xếp loại các tổ chức, đơn vị thuộc phạm vi lãnh đạo, quản lý trực tiếp", 15, key=True),
        key=True,
    ),
    G(
        "3", "Kết quả khắc phục những hạn chế, yếu kém đã được chỉ ra hoặc được cấp trên gợi ý kiểm điểm (nếu có)", 6,
        C("3.1", "Kết quả khắc phục những hạn chế, yếu kém đã được chỉ ra hoặc được cấp trên gợi ý kiểm điểm", 6),
    ),
)

# ---------------------------------------------------------------- leadership collectives [003 B.III.1; 002 II.3.3]

COLLECTIVE_TREE = (
    G(
        "1", "Nguyên tắc tổ chức, hoạt động; đoàn kết nội bộ; phòng, chống suy thoái, tham nhũng", 24,
        C("1.1", "Việc thực hiện nguyên tắc tổ chức, hoạt động, nhất là nguyên tắc tập trung dân chủ, tự phê bình và phê bình; thực hiện các quy định, quy chế, nội quy và chế độ làm việc; xây dựng đoàn kết, thống nhất trong nội bộ", 8),
        C("1.2", "Việc đấu tranh ngăn chặn, đẩy lùi những biểu hiện suy thoái, \"tự diễn biến\", \"tự chuyển hóa\" trong nội bộ gắn với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh và phòng, chống tham nhũng, lãng phí", 8),
        C("1.3", "Kết quả lãnh đạo, chỉ đạo, thực hiện công tác kiểm tra, giám sát, kỷ luật đảng và thi đua, khen thưởng", 8),
    ),
    G(
        "2", "Kết quả thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ được giao", 70,
        C("2.1", "Kết quả thực hiện các mục tiêu, chỉ tiêu, nhiệm vụ theo nghị quyết đại hội, chương trình, kế hoạch công tác được cấp có thẩm quyền giao, phê duyệt trong năm, lượng hoá bằng sản phẩm cụ thể", 45, QUANT, key=True),
        C("2.2", "Chất lượng lãnh đạo, điều hành; công tác cải cách hành chính", 10, key=True, guidance="[002 II.3.3 (2)–(3)]"),
        C("2.3", "Công tác chuyển đổi số trong cơ quan, đơn vị", 8, key=True, guidance="[002 II.3.3 (4); II.3.4]"),
        C("2.4", "Kết quả giải quyết các vấn đề tồn đọng, phức tạp, kéo dài", 7, key=True, guidance="[002 II.3.3 (7)]"),
        key=True,
    ),
    G(
        "3", "Kết quả khắc phục những hạn chế, khuyết điểm", 6,
        C("3.1", "Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc được chỉ ra ở các kỳ kiểm điểm trước hoặc những vấn đề được gợi ý kiểm điểm (nếu có)", 6),
    ),
)


def rating_defaults(subject_type: str) -> dict:
    """The engine's default rating settings for a subject type, as Framework field values.

    Thresholds 90/70/50 or 85/70/50, the quota and its small-group rule (002 §4.1 for
    quarterly leaders, 100 % HTTNV; 003 C.IV.10 for the yearly ratings) [DOMAIN §6–7].
    """
    engine_type = EngineSubject(subject_type)
    thresholds = default_thresholds(engine_type)
    quota = default_quota(engine_type)
    return {
        "threshold_excellent": thresholds.excellent,
        "threshold_good": thresholds.good,
        "threshold_pass": thresholds.passing,
        "exceeded_share": default_exceeded_share(engine_type),
        "short_share_max": DEFAULT_SHORT_SHARE_MAX,
        "quota_share": quota.share,
        "quota_base_level": quota.base_min_level.code,
        "quota_rounding": quota.rounding,
        "small_group_size": quota.small_group_size,
        "small_group_requires_all": quota.small_group_requires_all,
    }


def default_cap_rows(subject_type: str) -> list[CapRow]:
    """The engine's default condition caps for a subject type, as rows [DOMAIN §6]."""
    return [
        CapRow(
            condition=cap.code,
            max_level=cap.level.code if cap.level is not None else "",
            step_down=cap.step_down,
            reason=cap.reason,
            source=cap.source,
        )
        for cap in default_caps(EngineSubject(subject_type))
    ]


@dataclass(frozen=True)
class DefaultFramework:
    """One default framework: settings, tree and (from the engine) condition caps."""

    code: str
    name: str
    subject_type: str
    tree: tuple[Node, ...]
    description: str
    exceeded_share: Decimal

    def settings(self) -> FrameworkSettings:
        return FrameworkSettings(
            code=self.code,
            name=self.name,
            year=YEAR,
            subject_type=self.subject_type,
            description=self.description,
            **{**rating_defaults(self.subject_type), "exceeded_share": self.exceeded_share},
        )

    def rows(self) -> list[CriterionRow]:
        rows: list[CriterionRow] = []

        def walk(node: Node, parent: str) -> None:
            rows.append(
                CriterionRow(
                    code=node.code,
                    parent_code=parent,
                    title=node.title,
                    guidance=node.guidance,
                    max_points=Decimal(node.points),
                    kind=node.kind,
                    is_key=node.key,
                    axis=node.axis,
                    axis_weight=node.weight,
                )
            )
            for child in node.children:
                walk(child, node.code)

        for node in self.tree:
            walk(node, "")
        return rows

    def caps(self) -> list[CapRow]:
        return default_cap_rows(self.subject_type)

    def digest(self) -> str:
        """A fingerprint of the definition: `load_frameworks` skips work when it is unchanged."""
        payload = {
            "settings": asdict(self.settings()),
            "rows": [asdict(r) for r in self.rows()],
            "caps": [asdict(c) for c in self.caps()],
        }
        text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


MEMBER_NOTE = "Theo Hướng dẫn 19-HD/ĐUK, mục B.III.2.1 và C.II; thang điểm 30 + 70 [000 §4.2]."
LEADER_NOTE = (
    "Phần chung 30 điểm (9 × 2 + 4 × 1 + 4 × 2) theo cách vận dụng Quy định 366-QĐ/TW; phần nhiệm "
    "vụ 70 điểm theo 06 trục kết quả [002 I.2.2, II.1.5, II.3.3–3.4]."
)

DEFAULT_FRAMEWORKS: tuple[DefaultFramework, ...] = (
    DefaultFramework(
        "DV-NAM", "Khung tiêu chí đánh giá đảng viên hằng năm", SubjectType.MEMBER_YEARLY,
        MEMBER_TREE, MEMBER_NOTE, Decimal("0.5"),
    ),
    DefaultFramework(
        "CB-QUY", "Khung tiêu chí đánh giá cán bộ lãnh đạo, quản lý hằng quý",
        SubjectType.LEADER_QUARTERLY, (LEADER_COMMON, LEADER_TASKS), LEADER_NOTE, Decimal("0.3"),
    ),
    DefaultFramework(
        "CB-NAM", "Khung tiêu chí đánh giá cán bộ lãnh đạo, quản lý hằng năm",
        SubjectType.LEADER_YEARLY, (LEADER_COMMON, LEADER_TASKS), LEADER_NOTE, Decimal("0.3"),
    ),
    DefaultFramework(
        "TCCSD-NAM", "Khung tiêu chí đánh giá tổ chức cơ sở đảng hằng năm",
        SubjectType.BASE_ORG_YEARLY, BASE_ORG_TREE,
        "Theo Hướng dẫn 19-HD/ĐUK, mục C.I.1; ngưỡng 85/70/50 [003 C.I.2].", Decimal(0),
    ),
    DefaultFramework(
        "CAPUY-NAM", "Khung tiêu chí đánh giá tập thể cấp ủy hằng năm",
        SubjectType.COMMITTEE_YEARLY, COMMITTEE_TREE,
        "Theo Hướng dẫn 19-HD/ĐUK, mục C.III.2.", Decimal(0),
    ),
    DefaultFramework(
        "TTLD-NAM", "Khung tiêu chí đánh giá tập thể lãnh đạo, quản lý hằng năm",
        SubjectType.COLLECTIVE_YEARLY, COLLECTIVE_TREE,
        "Theo Hướng dẫn 19-HD/ĐUK, mục B.III.1; Kế hoạch Đảng ủy xã Thanh Lâm, mục II.3.3.", Decimal(0),
    ),
)
