"""Default thresholds, condition caps and settings per subject type, with their sources.

Staff copy and edit these per province and year; the engine never hard-codes them. Each condition
also has a Vietnamese name (`CONDITION_NAMES`) and its reason template's placeholders have
Vietnamese words (`PLACEHOLDER_WORDS`), so people never see a code or a `{placeholder}`.
"""

from __future__ import annotations

from decimal import Decimal

from .framework import (
    DEFAULT_TOTAL_POINTS,
    ConditionCap,
    CriterionSpec,
    FrameworkSpec,
    GroupSpec,
    QuotaSettings,
    Thresholds,
)
from .levels import AxisRole, Level, ResultAxis, ScoringKind, SubjectType

F, P, G = Level.FAIL, Level.PASS, Level.GOOD

# "có không quá 20% số tiêu chí chưa bảo đảm chất lượng, tiến độ" [003 C.II.2.3]
DEFAULT_SHORT_SHARE_MAX = Decimal("0.2")

_INDIVIDUAL_THRESHOLDS = Thresholds(source="[002 §4.1–4.4; 004 IV.2]")
_BASE_ORG_THRESHOLDS = Thresholds(
    excellent=Decimal(85), good=Decimal(70), passing=Decimal(50), source="[003 C.I.2]"
)
_COLLECTIVE_THRESHOLDS = Thresholds(source="[004 IV.2]")

_LEADER_CAPS = (
    ConditionCap("tasks_incomplete", F, "hoàn thành {done}/{required} nhiệm vụ được giao, cần 100%", "[002 §4.4a; fn 2]"),
    ConditionCap("not_outstanding", G, "chưa có kết quả thực hiện nhiệm vụ nổi trội, sản phẩm chất lượng, hiệu quả cao, vượt mức yêu cầu đề ra", "[002 §1.3, §4.1]"),
    ConditionCap("exceeded_below_share", G, "chỉ {exceeded}/{required} nhiệm vụ hoàn thành vượt mức, cần ít nhất {share}", "[Quy định 366-QĐ/TW]"),
    ConditionCap("disciplined", F, "bị kỷ luật {discipline} do vi phạm liên quan đến chức trách, nhiệm vụ", "[002 §4.4b]"),
    ConditionCap("degradation", F, "bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”", "[002 §4.4c]"),
    ConditionCap("managed_corruption", F, "tổ chức hoặc cá nhân trong phạm vi quản lý trực tiếp xảy ra tham nhũng, lãng phí, tiêu cực và bị xử lý kỷ luật", "[002 §4.4d]"),
    ConditionCap("head_above_collective", None, "người đứng đầu không được xếp loại cao hơn tập thể do mình đứng đầu (tập thể: {collective})", "[003 C.III.5]"),
    ConditionCap("collective_below_70_head", F, "tập thể do mình đứng đầu chỉ hoàn thành {pct} nhiệm vụ, chỉ tiêu được giao (dưới 70%)", "[002 §7.3]"),
    ConditionCap("collective_below_70_member", G, "tập thể lãnh đạo, quản lý chỉ hoàn thành {pct} nhiệm vụ, chỉ tiêu được giao (dưới 70%): cấp phó, thành viên không được xếp loại Hoàn thành xuất sắc nhiệm vụ", "[002 §7.3]"),
)
_LEADER_YEARLY_CAPS = _LEADER_CAPS + (
    ConditionCap("quarter_failed", G, "có {count} quý trong năm xếp loại Không hoàn thành nhiệm vụ", "[002 §8.2]"),
)
_MEMBER_CAPS = (
    ConditionCap("not_outstanding", G, "chưa có nhiều thành tích nổi bật, chưa là điển hình để các đảng viên khác học tập, noi theo", "[003 C.II.2.1]"),
    ConditionCap("criteria_below_good", G, "tiêu chí {codes} chưa đạt mức Tốt", "[003 C.II.2.1]"),
    ConditionCap("key_below_excellent", G, "tiêu chí về kết quả thực hiện nhiệm vụ {codes} chưa đạt mức Xuất sắc", "[003 C.II.2.1]"),
    ConditionCap("exceeded_below_share", G, "chỉ {exceeded}/{required} chỉ tiêu, nhiệm vụ hoàn thành vượt mức, cần ít nhất {share}", "[003 C.II.2.1]"),
    ConditionCap("key_below_good", P, "tiêu chí về kết quả thực hiện nhiệm vụ {codes} chưa đạt mức Tốt", "[003 C.II.2.2]"),
    ConditionCap("tasks_not_on_time", P, "chỉ {on_time}/{required} chỉ tiêu, nhiệm vụ hoàn thành đúng tiến độ, bảo đảm chất lượng, cần 100%", "[003 C.II.2.2]"),
    ConditionCap("tasks_incomplete", F, "hoàn thành {done}/{required} nhiệm vụ được giao, cần hoàn thành tất cả", "[003 C.II.2.3; 002 fn 2]"),
    ConditionCap("short_over_share", F, "{short}/{count} tiêu chí chưa bảo đảm chất lượng, tiến độ (quá {share})", "[003 C.II.2.3]"),
    ConditionCap("criteria_poor", F, "tiêu chí {codes} ở mức Kém", "[003 C.II.2.4]"),
    ConditionCap("degradation", F, "bị kết luận có biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa”, vi phạm những điều đảng viên không được làm hoặc trách nhiệm nêu gương", "[003 C.II.2.4]"),
    ConditionCap("key_not_completed_over_half", F, "{count}/{total} tiêu chí về kết quả thực hiện nhiệm vụ không hoàn thành (trên 50%)", "[003 C.II.2.4]"),
    ConditionCap("low_confidence_over_half", F, "{low}/{cast} phiếu tín nhiệm thấp (trên 50%)", "[003 C.II.2.4]"),
    ConditionCap("disciplined_in_year", F, "bị xử lý kỷ luật {discipline} trong năm đánh giá", "[003 C.II.2.4]"),
)
_BASE_ORG_CAPS = (
    ConditionCap("not_outstanding", G, "chưa có nhiều thành tích nổi bật, chưa là điển hình để các tổ chức cơ sở đảng khác học tập, noi theo", "[003 C.I.2.1]"),
    ConditionCap("criteria_below_good", G, "tiêu chí {codes} dưới 70% số điểm", "[003 C.I.2.1]"),
    ConditionCap("key_below_excellent", G, "tiêu chí trọng tâm {codes} dưới 85% số điểm", "[003 C.I.2.1]"),
    ConditionCap("members_not_all_pass", G, "chỉ {count}/{total} đảng viên xếp loại Hoàn thành nhiệm vụ trở lên, cần 100%", "[003 C.I.2.1]"),
    ConditionCap("sub_good_below_80", G, "chỉ {count}/{total} {what} xếp loại Hoàn thành tốt nhiệm vụ trở lên ({pct}), cần từ 80%", "[003 C.I.2.1]"),
    ConditionCap("leadership_below_good", G, "tập thể lãnh đạo đơn vị hoặc đoàn thể chính trị - xã hội cùng cấp xếp loại {level}", "[003 C.I.2.1]"),
    ConditionCap("committee_member_disciplined_remedied", G, "có cấp ủy viên cơ sở bị kỷ luật (đã tự phát hiện và khắc phục xong hậu quả)", "[003 C.I.2.1]"),
    ConditionCap("criteria_below_average", P, "tiêu chí {codes} dưới 50% số điểm", "[003 C.I.2.2]"),
    ConditionCap("key_below_good", P, "tiêu chí trọng tâm {codes} dưới 70% số điểm", "[003 C.I.2.2]"),
    ConditionCap("suborgs_not_all_pass", P, "chỉ {count}/{total} tổ chức đảng trực thuộc xếp loại Hoàn thành nhiệm vụ trở lên, cần 100%", "[003 C.I.2.2]"),
    ConditionCap("sub_good_below_50", P, "chỉ {count}/{total} {what} xếp loại Hoàn thành tốt nhiệm vụ trở lên ({pct}), cần từ 50%", "[003 C.I.2.2]"),
    ConditionCap("leadership_below_pass", P, "tập thể lãnh đạo đơn vị hoặc đoàn thể chính trị - xã hội cùng cấp xếp loại {level}", "[003 C.I.2.2]"),
    ConditionCap("committee_member_disciplined", P, "có cấp ủy viên cơ sở bị kỷ luật (chưa tự phát hiện, khắc phục xong hậu quả)", "[003 C.I.2.2–2.3]", step_down=True),
    ConditionCap("sub_unit_violation", P, "có đơn vị trực thuộc xảy ra tham nhũng, lãng phí, tiêu cực hoặc vi phạm khác bị xử lý kỷ luật", "[003 C.I.2.3–2.4]", step_down=True),
    ConditionCap("targets_below_half", P, "chỉ hoàn thành {pct} chỉ tiêu, nhiệm vụ cấp trên giao (dưới 50%)", "[003 C.I.2.3–2.4]", step_down=True),
    ConditionCap("sub_disciplined_over_20", P, "{count}/{total} {what} bị kỷ luật (trên 20%)", "[003 C.I.2.3–2.4]", step_down=True),
    ConditionCap("org_disciplined", F, "tổ chức cơ sở đảng hoặc cấp ủy cơ sở bị xử lý kỷ luật", "[003 C.I.2.4]"),
)
_COMMITTEE_CAPS = (
    ConditionCap("above_organisation", None, "cấp ủy không được xếp loại cao hơn tổ chức đảng (tổ chức đảng: {organisation})", "[003 C.III.3.1]"),
    ConditionCap("not_outstanding", G, "chưa khẳng định rõ vai trò lãnh đạo, xây dựng đơn vị phát triển toàn diện", "[003 C.III.3.1]"),
    ConditionCap("criteria_below_good", G, "tiêu chí {codes} chưa đạt mức Tốt", "[003 C.III.3.1]"),
    ConditionCap("key_below_excellent", G, "tiêu chí trọng tâm {codes} chưa đạt mức Xuất sắc", "[003 C.III.3.1]"),
    ConditionCap("key_below_good", P, "tiêu chí trọng tâm {codes} chưa đạt mức Tốt", "[003 C.III.3.2]"),
    ConditionCap("committee_disciplined_remedied", P, "tập thể bị xử lý kỷ luật (đã tự phát hiện và khắc phục xong hậu quả)", "[003 C.III.3.3]"),
    ConditionCap("criteria_poor", F, "tiêu chí {codes} ở mức Kém", "[003 C.III.3.3–3.4]"),
    ConditionCap("disunity_or_degraded", F, "cấp có thẩm quyền kết luận mất đoàn kết nội bộ hoặc có thành viên suy thoái, “tự diễn biến”, “tự chuyển hóa”", "[003 C.III.3.4]"),
    ConditionCap("targets_below_half", F, "tổ chức, cơ quan, đơn vị trực tiếp lãnh đạo chỉ hoàn thành {pct} chỉ tiêu, nhiệm vụ được giao (dưới 50%)", "[003 C.III.3.4]"),
    ConditionCap("main_targets_missed", F, "tổ chức, cơ quan, đơn vị trực tiếp lãnh đạo có chỉ tiêu chủ yếu không đạt 100% (không do bất khả kháng)", "[003 C.III.3.4]"),
    ConditionCap("committee_disciplined", F, "tập thể bị xử lý kỷ luật", "[003 C.III.3.4]"),
    ConditionCap("member_disciplined_warning", F, "có thành viên bị kỷ luật {discipline} (từ cảnh cáo trở lên)", "[003 C.III.3.4]"),
)

_CAPS = {
    SubjectType.MEMBER_YEARLY: _MEMBER_CAPS,
    SubjectType.LEADER_QUARTERLY: _LEADER_CAPS,
    SubjectType.LEADER_YEARLY: _LEADER_YEARLY_CAPS,
    SubjectType.BASE_ORG_YEARLY: _BASE_ORG_CAPS,
    SubjectType.COMMITTEE_YEARLY: _COMMITTEE_CAPS,
    SubjectType.COLLECTIVE_YEARLY: _COMMITTEE_CAPS,
}
_THRESHOLDS = {
    SubjectType.MEMBER_YEARLY: _INDIVIDUAL_THRESHOLDS,
    SubjectType.LEADER_QUARTERLY: _INDIVIDUAL_THRESHOLDS,
    SubjectType.LEADER_YEARLY: _INDIVIDUAL_THRESHOLDS,
    SubjectType.BASE_ORG_YEARLY: _BASE_ORG_THRESHOLDS,
    SubjectType.COMMITTEE_YEARLY: _COLLECTIVE_THRESHOLDS,
    SubjectType.COLLECTIVE_YEARLY: _COLLECTIVE_THRESHOLDS,
}
# 003 C.II.2.1 asks ≥ 50 % of a member's tasks exceeded; Quy định 366 uses 30 % for leaders
# (a framework setting; Decimal(0) turns the check off).
_EXCEEDED_SHARE = {
    SubjectType.MEMBER_YEARLY: Decimal("0.5"),
    SubjectType.LEADER_QUARTERLY: Decimal(0),
    SubjectType.LEADER_YEARLY: Decimal(0),
    SubjectType.BASE_ORG_YEARLY: Decimal(0),
    SubjectType.COMMITTEE_YEARLY: Decimal(0),
    SubjectType.COLLECTIVE_YEARLY: Decimal(0),
}

# 002 §4.1 (quarterly leaders): "dưới 05 cán bộ ... và có 100% xếp loại HTTNV" ⇒ 1 seat.
# 003 C.IV.10 (the yearly ratings): "dưới 05 tổ chức đảng; 05 tập thể ...; 05 đảng viên; 05 cán
# bộ ... xếp loại HTTNV thì chọn 01": fewer than 5 rated HTTNV or above, 100 % not required.
_QUOTA = {
    SubjectType.MEMBER_YEARLY: QuotaSettings(small_group_requires_all=False, source="[003 C.II.2.1, C.IV.10]"),
    SubjectType.LEADER_QUARTERLY: QuotaSettings(small_group_requires_all=True, source="[002 §4.1]"),
    SubjectType.LEADER_YEARLY: QuotaSettings(small_group_requires_all=False, source="[003 C.III.5, C.IV.10]"),
    SubjectType.BASE_ORG_YEARLY: QuotaSettings(small_group_requires_all=False, source="[003 C.I.2.1, C.IV.10]"),
    SubjectType.COMMITTEE_YEARLY: QuotaSettings(small_group_requires_all=False, source="[003 C.III.3.1, C.IV.10]"),
    SubjectType.COLLECTIVE_YEARLY: QuotaSettings(small_group_requires_all=False, source="[003 C.IV.10]"),
}

# A Vietnamese name for every condition code, shown wherever a code would be [issue 6].
CONDITION_NAMES = {
    "tasks_incomplete": "Chưa hoàn thành hết nhiệm vụ được giao",
    "not_outstanding": "Chưa có kết quả nổi trội, vượt mức yêu cầu",
    "exceeded_below_share": "Nhiệm vụ hoàn thành vượt mức chưa đủ tỷ lệ",
    "disciplined": "Bị kỷ luật do vi phạm liên quan đến chức trách, nhiệm vụ",
    "degradation": "Bị kết luận suy thoái, “tự diễn biến”, “tự chuyển hóa”",
    "managed_corruption": "Tham nhũng, lãng phí, tiêu cực trong phạm vi quản lý trực tiếp",
    "head_above_collective": "Người đứng đầu không cao hơn tập thể do mình đứng đầu",
    "collective_below_70_head": "Tập thể hoàn thành dưới 70% nhiệm vụ: người đứng đầu",
    "collective_below_70_member": "Tập thể hoàn thành dưới 70% nhiệm vụ: cấp phó, thành viên",
    "quarter_failed": "Có quý xếp loại Không hoàn thành nhiệm vụ",
    "criteria_below_good": "Có tiêu chí chưa đạt mức Tốt (dưới 70% số điểm)",
    "key_below_excellent": "Tiêu chí trọng tâm chưa đạt mức Xuất sắc (dưới 85% số điểm)",
    "key_below_good": "Tiêu chí trọng tâm chưa đạt mức Tốt (dưới 70% số điểm)",
    "tasks_not_on_time": "Nhiệm vụ chưa đúng tiến độ, chưa bảo đảm chất lượng",
    "short_over_share": "Quá tỷ lệ tiêu chí chưa bảo đảm chất lượng, tiến độ",
    "criteria_poor": "Có tiêu chí ở mức Kém (dưới 50% số điểm)",
    "key_not_completed_over_half": "Trên 50% tiêu chí về kết quả nhiệm vụ không hoàn thành",
    "low_confidence_over_half": "Trên 50% phiếu tín nhiệm thấp",
    "disciplined_in_year": "Bị xử lý kỷ luật trong năm đánh giá",
    "members_not_all_pass": "Chưa 100% đảng viên Hoàn thành nhiệm vụ trở lên",
    "suborgs_not_all_pass": "Chưa 100% tổ chức đảng trực thuộc Hoàn thành nhiệm vụ trở lên",
    "sub_good_below_80": "Dưới 80% Hoàn thành tốt nhiệm vụ trở lên",
    "sub_good_below_50": "Dưới 50% Hoàn thành tốt nhiệm vụ trở lên",
    "leadership_below_good": "Tập thể lãnh đạo, đoàn thể cùng cấp dưới mức Hoàn thành tốt nhiệm vụ",
    "leadership_below_pass": "Tập thể lãnh đạo, đoàn thể cùng cấp dưới mức Hoàn thành nhiệm vụ",
    "committee_member_disciplined_remedied": "Cấp ủy viên bị kỷ luật, đã tự phát hiện và khắc phục",
    "committee_member_disciplined": "Cấp ủy viên bị kỷ luật",
    "criteria_below_average": "Có tiêu chí dưới mức Trung bình (dưới 50% số điểm)",
    "sub_unit_violation": "Đơn vị trực thuộc có vi phạm bị xử lý kỷ luật",
    "targets_below_half": "Hoàn thành dưới 50% chỉ tiêu, nhiệm vụ được giao",
    "sub_disciplined_over_20": "Trên 20% tổ chức đảng trực thuộc hoặc đảng viên bị kỷ luật",
    "org_disciplined": "Tổ chức đảng hoặc cấp ủy bị xử lý kỷ luật",
    "above_organisation": "Cấp ủy không cao hơn tổ chức đảng",
    "committee_disciplined_remedied": "Tập thể bị kỷ luật, đã tự phát hiện và khắc phục",
    "disunity_or_degraded": "Mất đoàn kết nội bộ hoặc có thành viên suy thoái",
    "main_targets_missed": "Chỉ tiêu chủ yếu không đạt 100%",
    "committee_disciplined": "Tập thể bị xử lý kỷ luật",
    "member_disciplined_warning": "Có thành viên bị kỷ luật từ cảnh cáo trở lên",
}

# The figures a reason template may name, as people read them ("[số vượt mức]" for {exceeded}).
# Editors and workbooks show these words; `template_from_words` turns them back into placeholders.
PLACEHOLDER_WORDS = {
    "codes": "mã tiêu chí",
    "done": "số đã hoàn thành",
    "required": "số phải hoàn thành",
    "exceeded": "số vượt mức",
    "on_time": "số đúng tiến độ",
    "share": "tỷ lệ",
    "short": "số tiêu chí chưa bảo đảm",
    "count": "số lượng",
    "total": "tổng số",
    "low": "số phiếu tín nhiệm thấp",
    "cast": "tổng số phiếu",
    "discipline": "hình thức kỷ luật",
    "collective": "mức của tập thể",
    "organisation": "mức của tổ chức đảng",
    "pct": "tỷ lệ hoàn thành",
    "level": "mức xếp loại",
    "what": "đảng viên hoặc tổ chức đảng trực thuộc",
}


def default_thresholds(subject_type: SubjectType) -> Thresholds:
    """Return the default score thresholds for a subject type [002 §4; 003 C.I.2; 004 IV.2]."""
    return _THRESHOLDS[subject_type]


def default_caps(subject_type: SubjectType) -> tuple[ConditionCap, ...]:
    """Return the default condition caps for a subject type [002 §4, §7.3, §8.2; 003 C.I–C.III]."""
    return _CAPS[subject_type]


def default_exceeded_share(subject_type: SubjectType) -> Decimal:
    """Return the default share of exceeded tasks needed for HTXSNV [003 C.II.2.1]."""
    return _EXCEEDED_SHARE[subject_type]


def default_quota(subject_type: SubjectType) -> QuotaSettings:
    """Return the default HTXSNV quota settings for a subject type [002 §4.1; 003 C.IV.10]."""
    return _QUOTA[subject_type]


def condition_codes(subject_type: SubjectType) -> frozenset[str]:
    """Return the condition codes the engine checks for a subject type [DOMAIN §6]."""
    return frozenset(cap.code for cap in _CAPS[subject_type])


def condition_name(code: str) -> str:
    """Return the Vietnamese name of a condition ("Có tiêu chí ở mức Kém …"); an unknown code is quoted."""
    return CONDITION_NAMES.get(code, f"Điều kiện «{code}»")


def words_from_template(template: str) -> str:
    """Show a reason template with Vietnamese words for its placeholders: "{exceeded}" → "[số vượt mức]"."""
    for key, word in PLACEHOLDER_WORDS.items():
        template = template.replace("{" + key + "}", f"[{word}]")
    return template


def template_from_words(text: str) -> str:
    """Turn the words `words_from_template` shows back into placeholders: "[số vượt mức]" → "{exceeded}"."""
    for key, word in PLACEHOLDER_WORDS.items():
        text = text.replace(f"[{word}]", "{" + key + "}")
    return text


def framework_spec(
    code: str,
    title: str,
    subject_type: SubjectType,
    groups: tuple[GroupSpec, ...],
    *,
    thresholds: Thresholds | None = None,
    caps: tuple[ConditionCap, ...] | None = None,
    exceeded_share: Decimal | None = None,
    short_share_max: Decimal | None = None,
    quota: QuotaSettings | None = None,
    total_points: Decimal | None = None,
) -> FrameworkSpec:
    """Return a FrameworkSpec whose settings left out are the subject type's defaults [DOMAIN §5–7]."""
    return FrameworkSpec(
        code=code,
        title=title,
        subject_type=subject_type,
        groups=groups,
        thresholds=default_thresholds(subject_type) if thresholds is None else thresholds,
        caps=default_caps(subject_type) if caps is None else caps,
        exceeded_share=default_exceeded_share(subject_type) if exceeded_share is None else exceeded_share,
        short_share_max=DEFAULT_SHORT_SHARE_MAX if short_share_max is None else short_share_max,
        quota=default_quota(subject_type) if quota is None else quota,
        total_points=DEFAULT_TOTAL_POINTS if total_points is None else total_points,
    )


def _c(code, title, points, kind=ScoringKind.QUALITATIVE, key=False, axis=None, role=None):
    return CriterionSpec(code, title, Decimal(points), kind, key, axis, role)


def _g(code, title, points, *children):
    return GroupSpec(code, title, Decimal(points), tuple(children))


def sample_framework(subject_type: SubjectType) -> FrameworkSpec:
    """Return a 100-point example framework for a subject type, to copy and edit [000 §2.2; DOMAIN §5]."""
    q, A, R = ScoringKind.QUANTITATIVE, ResultAxis, AxisRole  # noqa: N806 - reads like a table
    if subject_type in (SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY):
        groups = (
            _g("1", "Chính trị tư tưởng, đạo đức, lối sống, trách nhiệm nêu gương", 18,
               *(_c(f"1.{i}", f"Tiêu chí 1.{i}", 2) for i in range(1, 10))),
            _g("2", "Tư duy đổi mới, dám nghĩ, dám làm, dám chịu trách nhiệm", 4,
               *(_c(f"2.{i}", f"Tiêu chí 2.{i}", 1) for i in range(1, 5))),
            _g("3", "Tự phê bình và khắc phục hạn chế, khuyết điểm", 8,
               *(_c(f"3.{i}", f"Tiêu chí 3.{i}", 2) for i in range(1, 5))),
            _g("4", "Kết quả thực hiện chức trách, nhiệm vụ được giao", 70,
               _c("4.1", A.SOCIO_ECONOMIC.label, 25, q, True, A.SOCIO_ECONOMIC, R.PRIMARY),
               _c("4.2", A.PARTY_BUILDING.label, 20, q, True, A.PARTY_BUILDING, R.PRIMARY),
               _c("4.3", A.SCIENCE_DIGITAL.label, 10, q, True, A.SCIENCE_DIGITAL, R.SECONDARY),
               _c("4.4", A.INSTITUTIONS.label, 5, q, True, A.INSTITUTIONS, R.SECONDARY),
               _c("4.5", A.CULTURE_SOCIAL.label, 5, q, True, A.CULTURE_SOCIAL, R.SECONDARY),
               _c("4.6", A.DEFENCE_SECURITY.label, 5, q, True, A.DEFENCE_SECURITY, R.SECONDARY)),
        )
    elif subject_type is SubjectType.MEMBER_YEARLY:
        groups = (
            _g("1", "Phẩm chất chính trị, đạo đức, lối sống, ý thức tổ chức kỷ luật", 30,
               *(_c(f"1.{i}", f"Tiêu chí 1.{i}", 6) for i in range(1, 6))),
            _g("2", "Kết quả thực hiện chỉ tiêu, nhiệm vụ được giao trong năm", 60,
               *(_c(f"2.{i}", f"Nhiệm vụ 2.{i}", 20, q, True) for i in range(1, 4))),
            _g("3", "Khắc phục hạn chế, khuyết điểm đã được chỉ ra", 10,
               _c("3.1", "Tiêu chí 3.1", 5), _c("3.2", "Tiêu chí 3.2", 5)),
        )
    elif subject_type is SubjectType.BASE_ORG_YEARLY:
        groups = (
            _g("1", "Công tác xây dựng Đảng và hệ thống chính trị", 40,
               *(_c(f"1.{i}", f"Tiêu chí 1.{i}", 8) for i in range(1, 6))),
            _g("2", "Kết quả thực hiện nhiệm vụ", 50,
               _c("2.1", "Chương trình, kế hoạch công tác xây dựng Đảng, đoàn thể", 20, q, True),
               _c("2.2", "Nhiệm vụ sản xuất kinh doanh, chính trị", 20, q, True),
               _c("2.3", "Kết quả xếp loại tổ chức trực thuộc", 10)),
            _g("3", "Khắc phục hạn chế, yếu kém đã được chỉ ra", 10,
               _c("3.1", "Tiêu chí 3.1", 5), _c("3.2", "Tiêu chí 3.2", 5)),
        )
    else:
        groups = (
            _g("1", "Xây dựng tập thể: tập trung dân chủ, quy chế làm việc, đoàn kết", 30,
               *(_c(f"1.{i}", f"Tiêu chí 1.{i}", 10) for i in range(1, 4))),
            _g("2", "Kết quả thực hiện nhiệm vụ chính trị", 60,
               *(_c(f"2.{i}", f"Chỉ tiêu 2.{i}", 15, q, True) for i in range(1, 5))),
            _g("3", "Khắc phục hạn chế, yếu kém", 10, _c("3.1", "Tiêu chí 3.1", 10)),
        )
    return framework_spec(f"mau-{subject_type.value}", f"Khung mẫu: {subject_type.label}", subject_type, groups)
