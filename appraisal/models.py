"""Criteria frameworks as data, rating periods and rating records [issue 3; DOMAIN §5–§9].

The engine (`appraisal.rules`) decides; these models only store what staff configure and what
the workflow records. `appraisal.frameworks.selectors` turns a Framework into the engine's dataclasses;
`appraisal.scoring.loader` loads ratings for the engine; only the services write here.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from core.vntext import nfc
from vnformat import fmt_period


class SubjectType(models.TextChoices):
    """Who a framework rates, and how often; values match the engine's SubjectType [DOMAIN §3]."""

    MEMBER_YEARLY = "member_yearly", "Đảng viên (hằng năm)"
    LEADER_QUARTERLY = "leader_quarterly", "Cán bộ lãnh đạo, quản lý (hằng quý)"
    LEADER_YEARLY = "leader_yearly", "Cán bộ lãnh đạo, quản lý (hằng năm)"
    BASE_ORG_YEARLY = "base_org_yearly", "Tổ chức cơ sở đảng (hằng năm)"
    COMMITTEE_YEARLY = "committee_yearly", "Tập thể cấp ủy (hằng năm)"
    COLLECTIVE_YEARLY = "collective_yearly", "Tập thể lãnh đạo, quản lý (hằng năm)"


class LevelCode(models.TextChoices):
    """The four rating levels; values are the engine's Level codes [DOMAIN §6]."""

    EXCELLENT = "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "HTTNV", "Hoàn thành tốt nhiệm vụ"
    PASS = "HTNV", "Hoàn thành nhiệm vụ"
    FAIL = "KHTNV", "Không hoàn thành nhiệm vụ"


class Rounding(models.TextChoices):
    """How the quota share is rounded [002 §4.1: 0,5 and above rounds up]."""

    HALF_UP = "ROUND_HALF_UP", "Làm tròn 0,5 lên"
    DOWN = "ROUND_DOWN", "Làm tròn xuống"
    UP = "ROUND_UP", "Làm tròn lên"


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ACTIVE = "active", "Đang áp dụng"


class CriterionKind(models.TextChoices):
    GROUP = "group", "Nhóm tiêu chí"
    QUANTITATIVE = "quantitative", "Định lượng"
    QUALITATIVE = "qualitative", "Định tính"


class ResultAxis(models.IntegerChoices):
    """The six result axes of quarterly leader evaluation [002 I.2.2]."""

    SOCIO_ECONOMIC = 1, "(1) Phát triển kinh tế - xã hội và nhiệm vụ chính trị"
    INSTITUTIONS = 2, "(2) Hoàn thiện thể chế, phân cấp, phân quyền gắn với kiểm tra, giám sát"
    SCIENCE_DIGITAL = 3, "(3) Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    PARTY_BUILDING = 4, "(4) Xây dựng Đảng và hệ thống chính trị; phòng, chống tham nhũng"
    CULTURE_SOCIAL = 5, "(5) Văn hóa, con người, an sinh xã hội"
    DEFENCE_SECURITY = 6, "(6) Quốc phòng, an ninh, đối ngoại"


class AxisWeight(models.TextChoices):
    """Primary axes carry more weight than secondary ones [002 II.1.5]."""

    PRIMARY = "primary", "Chính, chủ yếu"
    SECONDARY = "secondary", "Phụ, phối hợp, hỗ trợ"


SHARE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
POINT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class FrameworkQuerySet(models.QuerySet):
    def with_frozen(self):
        """Annotate `frozen`: a decided rating uses the framework, so it may no longer change."""
        decided = Rating.objects.filter(framework=OuterRef("pk"), status=RatingStatus.DECIDED)
        return self.annotate(frozen=Exists(decided))


# The rating settings a framework takes from its subject type's defaults when left unset.
FRAMEWORK_DEFAULTED = (
    "threshold_excellent", "threshold_good", "threshold_pass", "exceeded_share", "short_share_max", "quota_share",
    "quota_base_level", "quota_rounding", "small_group_size", "small_group_requires_all",
)


class Framework(models.Model):
    """A criteria framework (khung tiêu chí, biểu điểm) and its rating settings [DOMAIN §5–§7]."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên khung tiêu chí", max_length=255)
    year = models.PositiveSmallIntegerField("năm áp dụng")
    subject_type = models.CharField("đối tượng", max_length=24, choices=SubjectType.choices)
    status = models.CharField(
        "trạng thái", max_length=8, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    description = models.TextField("căn cứ, ghi chú", blank=True)
    threshold_excellent = models.DecimalField(
        "điểm tối thiểu HTXSNV", max_digits=5, decimal_places=2,
        validators=POINT_VALIDATORS,
    )
    threshold_good = models.DecimalField(
        "điểm tối thiểu HTTNV", max_digits=5, decimal_places=2,
        validators=POINT_VALIDATORS,
    )
    threshold_pass = models.DecimalField(
        "điểm tối thiểu HTNV", max_digits=5, decimal_places=2,
        validators=POINT_VALIDATORS,
    )
    exceeded_share = models.DecimalField(
        "tỷ lệ nhiệm vụ vượt mức để đạt HTXSNV", max_digits=4, decimal_places=3,
        validators=SHARE_VALIDATORS,
        help_text="0,50 theo Hướng dẫn 19 (003 C.II.2.1); 0,30 theo Quy định 366; 0 là không xét.",
    )
    short_share_max = models.DecimalField(
        "tỷ lệ tối đa tiêu chí chưa bảo đảm (HTNV)", max_digits=4, decimal_places=3,
        validators=SHARE_VALIDATORS,
    )
    quota_share = models.DecimalField(
        "tỷ lệ HTXSNV tối đa", max_digits=4, decimal_places=3,
        validators=SHARE_VALIDATORS,
    )
    quota_base_level = models.CharField(
        "tính tỷ lệ trên số xếp loại từ", max_length=8, choices=LevelCode.choices,
    )
    quota_rounding = models.CharField(
        "cách làm tròn", max_length=16, choices=Rounding.choices
    )
    small_group_size = models.PositiveSmallIntegerField(
        "nhóm nhỏ: dưới bao nhiêu đối tượng"
    )
    small_group_requires_all = models.BooleanField(
        "nhóm nhỏ: cần 100% đạt HTTNV trở lên"
    )
    copied_from = models.ForeignKey(
        "self", verbose_name="sao chép từ", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="copies",
    )
    defaults_digest = models.CharField(max_length=64, blank=True, editable=False)
    edited_by_staff = models.BooleanField("đã được sửa", default=False, editable=False)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = "khung tiêu chí"
        verbose_name_plural = "khung tiêu chí"
        ordering = ["subject_type", "-year", "code"]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.code = nfc(self.code).strip()
        self.fill_defaults()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("appraisal:framework_detail", args=[self.pk])

    def fill_defaults(self) -> None:
        """Give every rating setting left unset its subject type's default (85 for a base
        organisation's HTXSNV [003 C.I.2], 90 for a member [002 §4.1]…): the fields have no
        default of their own, so the rules' defaults are written once (rules/defaults.py)."""
        from appraisal.frameworks.defaults import rating_defaults  # it imports this module

        unset = [name for name in FRAMEWORK_DEFAULTED if getattr(self, name) in (None, "")]
        if unset and self.subject_type in SubjectType.values:
            defaults = rating_defaults(self.subject_type)
            for name in unset:
                setattr(self, name, defaults[name])


class Criterion(models.Model):
    """A group (nhóm) or criterion (tiêu chí) of a framework, with its maximum points."""

    framework = models.ForeignKey(
        Framework, verbose_name="khung tiêu chí", on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", verbose_name="thuộc nhóm", null=True, blank=True,
        on_delete=models.CASCADE, related_name="children",
    )
    code = models.CharField("mã", max_length=16)
    title = models.CharField("nội dung", max_length=500)
    guidance = models.TextField("hướng dẫn chấm", blank=True)
    max_points = models.DecimalField(
        "điểm tối đa", max_digits=5, decimal_places=2, validators=POINT_VALIDATORS
    )
    kind = models.CharField("loại", max_length=16, choices=CriterionKind.choices)
    is_key = models.BooleanField("tiêu chí trọng tâm", default=False)
    axis = models.PositiveSmallIntegerField(
        "trục kết quả", choices=ResultAxis.choices, null=True, blank=True
    )
    axis_weight = models.CharField(
        "vai trò trục", max_length=10, choices=AxisWeight.choices, blank=True
    )
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique"),
            models.CheckConstraint(
                name="criterion_weight_needs_axis",
                condition=Q(axis_weight="") | Q(axis__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.guidance = nfc(self.guidance)
        self.code = nfc(self.code).strip()
        super().save(*args, **kwargs)

    @property
    def is_group(self) -> bool:
        return self.kind == CriterionKind.GROUP


class ConditionCap(models.Model):
    """A condition the engine checks and the highest level it allows [DOMAIN §6]."""

    framework = models.ForeignKey(
        Framework, verbose_name="khung tiêu chí", on_delete=models.CASCADE, related_name="caps"
    )
    condition = models.CharField("mã điều kiện", max_length=64)
    max_level = models.CharField(
        "mức cao nhất được xếp", max_length=8, choices=LevelCode.choices, blank=True,
        help_text="Để trống: không cao hơn mức của tập thể, tổ chức liên quan.",
    )
    step_down = models.BooleanField("hạ thêm một mức so với mức theo điểm", default=False)
    reason = models.TextField("lý do (hiển thị trong kết quả)")
    source = models.CharField("căn cứ", max_length=255, blank=True)
    enabled = models.BooleanField("áp dụng", default=True)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "điều kiện hạ mức"
        verbose_name_plural = "điều kiện hạ mức"
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "condition"], name="cap_condition_unique"),
        ]

    def __str__(self):
        return f"{self.condition} → {self.max_level or 'theo tập thể'}"

    def save(self, *args, **kwargs):
        self.reason = nfc(self.reason)
        super().save(*args, **kwargs)


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "Quý"
    YEAR = "year", "Năm"


class PeriodStatus(models.TextChoices):
    """A period is prepared (deadlines), opened (ratings created), then closed [DOMAIN §4]."""

    DRAFT = "draft", "Chưa mở"
    OPEN = "open", "Đang đánh giá"
    CLOSED = "closed", "Đã kết thúc"


class Period(models.Model):
    """A rating period (quý or năm) with its own deadlines [DOMAIN §4; 002 §5]."""

    kind = models.CharField("loại kỳ", max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField(
        "quý", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    evaluation_date = models.DateField("thời điểm đánh giá")
    product_list_due = models.DateField("hạn phê duyệt danh mục sản phẩm", null=True, blank=True)
    self_assessment_due = models.DateField("hạn tự đánh giá, đề xuất", null=True, blank=True)
    decision_due = models.DateField("hạn quyết định xếp loại", null=True, blank=True)
    report_due = models.DateField("hạn báo cáo cấp trên", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    opened_at = models.DateTimeField("mở lúc", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người mở", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    class Meta:
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.CheckConstraint(
                name="period_quarter_matches_kind",
                condition=Q(kind="quarter", quarter__isnull=False, quarter__gte=1, quarter__lte=4)
                | Q(kind="year", quarter__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "quarter"], name="period_unique_quarter"
            ),
            models.UniqueConstraint(
                fields=["kind", "year"], condition=Q(kind="year"), name="period_unique_year"
            ),
        ]

    def __str__(self):
        return fmt_period(self.year, self.quarter, capital=True)

    def get_absolute_url(self):
        return reverse("appraisal:period_detail", args=[self.pk])

    @property
    def is_quarter(self) -> bool:
        return self.kind == PeriodKind.QUARTER


class RatingStatus(models.TextChoices):
    """Where a rating stands in the process [DOMAIN §9; 002 §5; 003 C.II.3]."""

    EXCLUDED = "excluded", "Không đánh giá, xếp loại"
    DRAFT = "draft", "Đang tự đánh giá, chấm điểm"
    SUBMITTED = "submitted", "Đã gửi, chờ họp xét"
    PROPOSED = "proposed", "Đã đề xuất"
    VERIFIED = "verified", "Đã thẩm định"
    DECIDED = "decided", "Đã quyết định"


# States in which scores, facts and self-assessment may still change.
EDITABLE_STATUSES = (RatingStatus.DRAFT, RatingStatus.SUBMITTED)


def counted_level(status: str, proposed_level: str, approved_level: str) -> str:
    """The level that counts for a rating at its stage: the approved level once decided, the
    proposed level once proposed or verified, none before ("" — a condition level is a ceiling,
    not a level). The one answer for the quota, the ratings that depend on others' levels, and
    the pages that count them [DOMAIN §6 "Order", §7].
    """
    if status == RatingStatus.DECIDED:
        return approved_level
    if status in (RatingStatus.PROPOSED, RatingStatus.VERIFIED):
        return proposed_level
    return ""


class Exclusion(models.TextChoices):
    """Why a subject is counted but not rated this period [003 B.I.2, C.IV.1; 002 §2.1, §8.1d].

    Values are the engine's eligibility reason codes (`appraisal.rules.eligibility`).
    """

    EXEMPT = "exempt", "Miễn công tác và sinh hoạt đảng"
    SUSPENDED = "suspended", "Đình chỉ sinh hoạt đảng"
    ADMITTED_RECENTLY = "admitted_recently", "Mới kết nạp dưới 06 tháng"
    RECENTLY_FORMED = "recently_formed", "Tổ chức đảng mới thành lập, chia tách, sáp nhập dưới 06 tháng"
    ORGANISATION_RECENTLY_FORMED = "organisation_recently_formed", "Tổ chức đảng của cấp ủy chưa đủ 06 tháng"
    NOT_REVIEWING = "not_reviewing", "Không thuộc diện phải kiểm điểm"
    YEARLY_ONLY = "yearly_only", "Chỉ đánh giá, xếp loại hằng năm"
    TRAINING = "training", "Đào tạo, bồi dưỡng tập trung từ 02 tháng (chuyển sang quý sau)"
    FIRST_APPOINTED = "first_appointed", "Mới bổ nhiệm dưới 01 tháng (chuyển sang quý sau)"
    LEAVE = "leave", "Nghỉ ốm, thai sản từ 02 tháng (chuyển sang quý sau)"
    UNDER_INVESTIGATION = "under_investigation", "Đang kiểm tra dấu hiệu vi phạm (chuyển sang quý sau)"
    OTHER = "other", "Lý do khác"


# Which subject FK each subject type uses: exactly that one is set [DOMAIN §3].
SUBJECT_FIELD = {
    SubjectType.MEMBER_YEARLY: "member",
    SubjectType.LEADER_QUARTERLY: "leader_position",
    SubjectType.LEADER_YEARLY: "leader_position",
    SubjectType.BASE_ORG_YEARLY: "organization",
    SubjectType.COMMITTEE_YEARLY: "organization",
    SubjectType.COLLECTIVE_YEARLY: "unit",
}
SUBJECT_FIELDS = ("member", "organization", "unit", "leader_position")


def _only(field: str) -> Q:
    q = Q(**{f"{field}__isnull": False})
    for other in SUBJECT_FIELDS:
        if other != field:
            q &= Q(**{f"{other}__isnull": True})
    return q


def _subject_check() -> Q:
    q = Q(pk__in=[])
    for field in SUBJECT_FIELDS:
        types = [t for t, f in SUBJECT_FIELD.items() if f == field]
        q |= Q(subject_type__in=types) & _only(field)
    return q


def _one_live(field: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["period", "subject_type", field],
        condition=Q(is_live=True, **{f"{field}__isnull": False}),
        name=f"rating_one_live_per_{field}",
    )


class DecisionKind(models.TextChoices):
    RATING = "rating", "Quyết định xếp loại chất lượng"
    RERATING = "rerating", "Quyết định hủy bỏ kết quả xếp loại cũ, công nhận kết quả mới (QĐ 01)"


class Decision(models.Model):
    """A numbered decision of the competent authority on a batch of ratings [002 §5.4; 003 C.IV.9]."""

    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField("loại quyết định", max_length=10, choices=DecisionKind.choices)
    number = models.CharField("số quyết định", max_length=64)
    decided_on = models.DateField("ngày quyết định")
    authority = models.CharField("cấp quyết định", max_length=255)
    authority_org = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="tổ chức đảng quyết định", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text="Để trống: Ban Thường vụ của Đảng bộ.",
    )
    signer = models.CharField("người ký", max_length=255, blank=True)
    signer_title = models.CharField(
        "chức vụ người ký", max_length=80, blank=True,
        help_text="Chức vụ người ký giữ trong cấp ủy quyết định, ví dụ BÍ THƯ, PHÓ BÍ THƯ.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ghi quyết định", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "quyết định xếp loại"
        verbose_name_plural = "quyết định xếp loại"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"Quyết định số {self.number} ngày {self.decided_on:%d/%m/%Y}"


class Rating(models.Model):
    """One subject's rating in one period: scores, the engine's outcome, proposed and approved levels.

    A decided rating is never edited in place; re-rating creates a new one that supersedes it.
    Exactly one rating per subject and period is live (counts); a re-rating in preparation is
    not, until its decision makes it live and the old one not [DOMAIN §9; 003 C.IV.9].
    """

    # Indexed by the (period, subject type, status) index; organisation and unit lookups go
    # through the one-live-rating indexes: fewer indexes to write when a province is opened.
    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.PROTECT, related_name="ratings", db_index=False,
    )
    subject_type = models.CharField("đối tượng", max_length=24, choices=SubjectType.choices)
    member = models.ForeignKey(
        "members.Member", verbose_name="đảng viên", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings",
    )
    organization = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="tổ chức đảng, cấp ủy", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings", db_index=False,
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="tập thể lãnh đạo cơ quan, đơn vị", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings", db_index=False,
    )
    leader_position = models.ForeignKey(
        "members.LeaderPosition", verbose_name="chức vụ lãnh đạo, quản lý", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings", db_index=False,
    )
    framework = models.ForeignKey(
        Framework, verbose_name="khung tiêu chí", on_delete=models.PROTECT, related_name="ratings"
    )
    framework_version = models.PositiveIntegerField("phiên bản khung tiêu chí", default=1)
    is_live = models.BooleanField("đang có hiệu lực", default=True)
    # Where the rating lies in the tree, for scoping and grouping (set at opening). Copies of the
    # subject's place: Django keeps them from dangling (PROTECT); the database does not check
    # them again, which would cost opening a province a check per row.
    scope_org = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="thuộc tổ chức đảng", null=True, blank=True,
        on_delete=models.PROTECT, related_name="scoped_ratings", db_constraint=False,
    )
    scope_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="thuộc cơ quan, đơn vị", null=True, blank=True,
        on_delete=models.PROTECT, related_name="scoped_ratings", db_constraint=False, db_index=False,
    )
    peer_group = models.CharField("nhóm tính tỷ lệ", max_length=64, blank=True)
    peer_group_label = models.CharField("tên nhóm tính tỷ lệ", max_length=255, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=RatingStatus.choices, default=RatingStatus.DRAFT
    )
    exclusion = models.CharField(
        "lý do không xếp loại", max_length=32, choices=Exclusion.choices, blank=True
    )
    exclusion_text = models.TextField("diễn giải lý do không xếp loại", blank=True)
    # The engine's outcome, stored by the services [docs/architecture.md: store].
    total_score = models.DecimalField(
        "tổng điểm", max_digits=6, decimal_places=2, null=True, blank=True
    )
    score_level = models.CharField(
        "mức theo điểm", max_length=8, choices=LevelCode.choices, blank=True
    )
    condition_level = models.CharField(
        "mức sau điều kiện", max_length=8, choices=LevelCode.choices, blank=True
    )
    held = models.BooleanField("chờ kết quả xếp loại liên quan", default=False)
    reasons = models.JSONField("lý do", default=list, blank=True)
    flags = models.JSONField("lưu ý", default=list, blank=True)
    workings = models.JSONField("diễn giải tính toán", default=dict, blank=True)
    outcome_at = models.DateTimeField("tính lúc", null=True, blank=True)
    # Facts entered by the people rating (judgements the engine needs); tasks of a member.
    facts = models.JSONField("tình tiết", default=dict, blank=True)
    tasks_assigned = models.PositiveIntegerField("số nhiệm vụ được giao", null=True, blank=True)
    tasks_done = models.PositiveIntegerField("số nhiệm vụ hoàn thành", null=True, blank=True)
    tasks_on_time = models.PositiveIntegerField("số nhiệm vụ đúng tiến độ, bảo đảm chất lượng", null=True, blank=True)
    tasks_exceeded = models.PositiveIntegerField("số nhiệm vụ vượt mức", null=True, blank=True)
    # A leader's own marking of their result axes (axis number → "primary" / "secondary"); empty:
    # the framework's [002 II.1.5].
    axis_roles = models.JSONField("vai trò các trục kết quả", default=dict, blank=True)
    # Bản tự kiểm điểm [003 C.II.3.1; 002 §5.2].
    review_strengths = models.TextField("ưu điểm", blank=True)
    review_weaknesses = models.TextField("hạn chế, khuyết điểm", blank=True)
    review_causes = models.TextField("nguyên nhân", blank=True)
    review_remedies = models.TextField("phương hướng, biện pháp khắc phục", blank=True)
    self_level = models.CharField("tự xếp loại", max_length=8, choices=LevelCode.choices, blank=True)
    proposed_level = models.CharField("đề xuất", max_length=8, choices=LevelCode.choices, blank=True)
    approved_level = models.CharField("phê duyệt", max_length=8, choices=LevelCode.choices, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    proposed_at = models.DateTimeField("đề xuất lúc", null=True, blank=True)
    proposal_note = models.TextField("nhận xét, đề xuất", blank=True)
    # Who recorded the proposal: they do not verify it themselves (authority.own_work) [002 §1.2].
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đề xuất", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False, db_index=False,
    )
    verified_at = models.DateTimeField("thẩm định lúc", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thẩm định", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False, db_index=False,
    )
    verification_note = models.TextField("ý kiến thẩm định", blank=True)
    decision = models.ForeignKey(
        Decision, verbose_name="quyết định", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings", db_index=False,
    )
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    announced_at = models.DateTimeField("thông báo lúc", null=True, blank=True)
    # At most one re-rating supersedes a rating (a partial unique index, like the indexes of the
    # other mostly empty keys below: opening a province writes no index entry for its empty keys).
    supersedes = models.ForeignKey(
        "self", verbose_name="xếp loại lại thay cho", null=True, blank=True,
        on_delete=models.PROTECT, related_name="superseded_by", db_index=False,
    )
    rerating_reason = models.TextField("lý do xếp loại lại", blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False, db_index=False,
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "kết quả xếp loại"
        verbose_name_plural = "kết quả xếp loại"
        ordering = ["period", "subject_type", "id"]
        constraints = [
            models.CheckConstraint(name="rating_exactly_one_subject", condition=_subject_check()),
            models.CheckConstraint(
                name="rating_decided_has_decision",
                condition=~Q(status="decided") | (~Q(approved_level="") & Q(decision_date__isnull=False)),
            ),
            models.CheckConstraint(
                name="rating_excluded_has_reason",
                condition=~Q(status="excluded") | ~Q(exclusion=""),
            ),
            *(_one_live(field) for field in SUBJECT_FIELDS),
            models.UniqueConstraint(
                fields=["supersedes"], condition=Q(supersedes__isnull=False), name="rating_supersedes_once",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "subject_type", "status"]),
            models.Index(fields=["period", "peer_group"]),
            # Keys empty in most rows (a post, a unit, the decision not yet taken): only rows that have one.
            *(models.Index(fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"rating_{name}_set")
              for name in ("leader_position", "scope_unit", "decision")),
            # The few ratings the engine flagged (the dashboard's leaders failing quarters in a row).
            models.Index(fields=["period", "subject_type"], condition=~Q(flags=[]), name="rating_flagged"),
        ]

    def __str__(self):
        return f"{self.get_subject_type_display()} — {self.period} (#{self.pk})"

    def get_absolute_url(self):
        return reverse("appraisal:rating_detail", args=[self.pk])

    @property
    def subject_id(self):
        return getattr(self, f"{SUBJECT_FIELD[SubjectType(self.subject_type)]}_id")

    @property
    def subject(self):
        """The member, organisation, unit or post rated (loaded if not selected)."""
        return getattr(self, SUBJECT_FIELD[SubjectType(self.subject_type)])

    @property
    def is_decided(self) -> bool:
        return self.status == RatingStatus.DECIDED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class QualityLevel(models.IntegerChoices):
    """Quality of one criterion [003 C.I.1.4]; values are the engine's CriterionLevel."""

    EXCELLENT = 4, "Xuất sắc"
    GOOD = 3, "Tốt"
    AVERAGE = 2, "Trung bình"
    POOR = 1, "Kém"


class CriterionScore(models.Model):
    """Points of one criterion in one rating; achieved / plan for quantitative criteria.

    Ban Xây dựng Đảng may change the points in verification, only with a written reason;
    the points before the change are kept beside it [002 §5; DOMAIN §9.3].
    """

    rating = models.ForeignKey(
        Rating, verbose_name="kết quả xếp loại", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField("điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    quality = models.PositiveSmallIntegerField(
        "mức chất lượng", choices=QualityLevel.choices, null=True, blank=True
    )
    achieved = models.DecimalField("kết quả đạt", max_digits=14, decimal_places=2, null=True, blank=True)
    plan = models.DecimalField("kế hoạch", max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    adjusted_from = models.DecimalField(
        "điểm trước thẩm định", max_digits=5, decimal_places=2, null=True, blank=True
    )
    adjustment_reason = models.TextField("lý do điều chỉnh khi thẩm định", blank=True)

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        ordering = ["rating", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(
                name="score_points_not_negative",
                condition=Q(points__isnull=True) | Q(points__gte=0),
            ),
            models.CheckConstraint(
                name="score_adjustment_has_reason",
                condition=Q(adjusted_from__isnull=True) | ~Q(adjustment_reason=""),
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.points}"


class Meeting(models.Model):
    """A meeting that votes on ratings: the cell, the unit leadership or the whole staff [003 C.IV.11; 002 §5.3]."""

    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.PROTECT, related_name="meetings"
    )
    organization = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="tổ chức đảng họp", null=True, blank=True,
        on_delete=models.PROTECT, related_name="meetings",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="cơ quan, đơn vị họp", null=True, blank=True,
        on_delete=models.PROTECT, related_name="meetings",
    )
    held_on = models.DateField("ngày họp")
    place = models.CharField("địa điểm", max_length=255, blank=True)
    chair = models.CharField("chủ trì", max_length=255)
    clerk = models.CharField("thư ký", max_length=255, blank=True)
    counting_team = models.CharField("tổ kiểm phiếu", max_length=500, blank=True)
    full_staff = models.BooleanField("họp toàn thể cơ quan (đơn vị có từ 03 lãnh đạo trở xuống)", default=False)
    attendance_expected = models.PositiveIntegerField("số được triệu tập")
    attendance_present = models.PositiveIntegerField("số có mặt")
    ballots_issued = models.PositiveIntegerField("số phiếu phát ra")
    ballots_collected = models.PositiveIntegerField("số phiếu thu về")
    ballots_valid = models.PositiveIntegerField("số phiếu hợp lệ")
    ballots_invalid = models.PositiveIntegerField("số phiếu không hợp lệ")
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ghi", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    # A tally recorded wrongly is voided (kept, marked, no longer counted) and recorded again.
    voided_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người hủy", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    void_reason = models.TextField("lý do hủy", blank=True)

    class Meta:
        verbose_name = "hội nghị bỏ phiếu"
        verbose_name_plural = "hội nghị bỏ phiếu"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="meeting_has_org_or_unit",
                condition=Q(organization__isnull=False) | Q(unit__isnull=False),
            ),
            models.CheckConstraint(
                name="meeting_ballots_add_up",
                condition=Q(ballots_collected=models.F("ballots_valid") + models.F("ballots_invalid"))
                & Q(ballots_collected__lte=models.F("ballots_issued"))
                & Q(attendance_present__lte=models.F("attendance_expected")),
            ),
            models.CheckConstraint(
                name="meeting_void_has_reason",
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
            ),
        ]

    def __str__(self):
        return f"Hội nghị ngày {self.held_on:%d/%m/%Y} ({self.organization or self.unit})"

    def get_absolute_url(self):
        return reverse("appraisal:meeting_detail", args=[self.pk])

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class BallotLine(models.Model):
    """The tally of one subject's line on the valid ballots, and its low-confidence votes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="hội nghị", on_delete=models.CASCADE, related_name="lines"
    )
    rating = models.ForeignKey(
        Rating, verbose_name="kết quả xếp loại", on_delete=models.PROTECT, related_name="ballot_lines"
    )
    excellent = models.PositiveIntegerField("phiếu HTXSNV", default=0)
    good = models.PositiveIntegerField("phiếu HTTNV", default=0)
    passing = models.PositiveIntegerField("phiếu HTNV", default=0)
    fail = models.PositiveIntegerField("phiếu KHTNV", default=0)
    low_confidence = models.PositiveIntegerField("phiếu tín nhiệm thấp", default=0)
    reached_level = models.CharField("mức đạt theo phiếu", max_length=8, choices=LevelCode.choices, blank=True)
    steps = models.JSONField("các bước kiểm phiếu", default=list, blank=True)

    class Meta:
        verbose_name = "kết quả kiểm phiếu"
        verbose_name_plural = "kết quả kiểm phiếu"
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "rating"], name="ballot_line_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.meeting}: #{self.rating_id}"

    @property
    def total(self) -> int:
        return self.excellent + self.good + self.passing + self.fail


class ProductQuality(models.IntegerChoices):
    """Quality of a work product's output [002 §5.3]."""

    PROACTIVE = 1, "1 - Chủ động, giải quyết hiệu quả, có kết quả cụ thể"
    BASIC = 2, "2 - Cơ bản đáp ứng yêu cầu, còn hạn chế"
    UNMET = 3, "3 - Không đáp ứng yêu cầu"


class WorkProduct(models.Model):
    """One task or product of a leader's quarterly list (danh mục sản phẩm) [002 §5.1, §5.3; DOMAIN §5]."""

    rating = models.ForeignKey(
        Rating, verbose_name="kết quả xếp loại", on_delete=models.CASCADE, related_name="products"
    )
    order = models.PositiveIntegerField("thứ tự", default=0)
    title = models.CharField("nhiệm vụ, công việc", max_length=500)
    product = models.CharField("sản phẩm đầu ra", max_length=500, blank=True)
    due_on = models.DateField("thời hạn", null=True, blank=True)
    axis = models.PositiveSmallIntegerField(
        "trục kết quả", choices=ResultAxis.choices, null=True, blank=True
    )
    approved_at = models.DateTimeField("phê duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người phê duyệt", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    completed = models.BooleanField("hoàn thành", null=True, blank=True)
    on_time = models.BooleanField("đúng tiến độ", null=True, blank=True)
    exceeded = models.BooleanField("vượt mức", default=False)
    quality = models.PositiveSmallIntegerField(
        "chất lượng sản phẩm", choices=ProductQuality.choices, null=True, blank=True
    )
    force_majeure = models.BooleanField("không hoàn thành do bất khả kháng", default=False)
    force_majeure_confirmed_by = models.CharField(
        "cấp có thẩm quyền xác nhận bất khả kháng", max_length=255, blank=True
    )
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "sản phẩm, công việc"
        verbose_name_plural = "sản phẩm, công việc"
        ordering = ["rating", "order", "id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.product = nfc(self.product)
        super().save(*args, **kwargs)


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "Đang giải quyết"
    UPHELD = "upheld", "Đã giải quyết: có cơ sở, xếp loại lại"
    REJECTED = "rejected", "Đã giải quyết: không có cơ sở"


class Complaint(models.Model):
    """A complaint about a rating, recorded and resolved [002 III.5.2]."""

    rating = models.ForeignKey(
        Rating, verbose_name="kết quả xếp loại", on_delete=models.PROTECT, related_name="complaints"
    )
    complainant = models.CharField("người khiếu nại", max_length=255)
    received_on = models.DateField("ngày nhận")
    content = models.TextField("nội dung khiếu nại")
    status = models.CharField(
        "tình trạng", max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    resolution = models.TextField("kết quả giải quyết", blank=True)
    resolved_on = models.DateField("ngày giải quyết", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ghi", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người giải quyết", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "khiếu nại về xếp loại"
        verbose_name_plural = "khiếu nại về xếp loại"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="complaint_resolved_has_resolution",
                condition=Q(status="open") | (~Q(resolution="") & Q(resolved_on__isnull=False)),
            ),
        ]

    def __str__(self):
        return f"Khiếu nại của {self.complainant} ({self.received_on:%d/%m/%Y})"


class QuotaStatus(models.TextChoices):
    FINE = "fine", "Trong tỷ lệ"
    OVER = "over", "Vượt tỷ lệ"
    TIE = "tie", "Bằng nhau tại ngưỡng cắt: cấp ủy quyết định"


class PeerGroupQuota(models.Model):
    """The HTXSNV quota of one peer group in a period, as the engine worked it out with the
    group's own framework, stored each time a level of the group changes [002 §4.1; 003 C.IV.10–11].

    The verification queue, the quota page, the decision's check and the report's flags read
    this; nothing recomputes it. `size` is the whole group (rated or not yet), `known` those whose
    level counts at their stage (`counted_level`), `base` those at the quota's base level or above,
    `excellent` those at HTXSNV. `places` lists every HTXSNV candidate in rank order.
    """

    period = models.ForeignKey(Period, verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="quotas")
    peer_group = models.CharField("nhóm tính tỷ lệ", max_length=64)
    label = models.CharField("tên nhóm", max_length=255, blank=True)
    framework = models.ForeignKey(
        Framework, verbose_name="khung tiêu chí", on_delete=models.PROTECT, related_name="+", db_constraint=False,
    )
    subject_type = models.CharField("đối tượng", max_length=24, choices=SubjectType.choices)
    size = models.PositiveIntegerField("số đối tượng của nhóm")
    known = models.PositiveIntegerField("số đã có mức (đề xuất, quyết định)")
    base = models.PositiveIntegerField("số xếp loại từ mức cơ sở trở lên")
    allowed = models.PositiveIntegerField("số HTXSNV tối đa")
    excellent = models.PositiveIntegerField("số HTXSNV")
    status = models.CharField("tình trạng", max_length=8, choices=QuotaStatus.choices)
    base_text = models.CharField("cơ sở tính", max_length=255)
    arithmetic_text = models.TextField("cách tính")
    ranked_by = models.CharField("xếp thứ tự theo", max_length=255)
    places = models.JSONField("thứ tự các đề xuất HTXSNV", default=list)
    tie_text = models.TextField("bằng nhau tại ngưỡng cắt", blank=True)
    computed_at = models.DateTimeField("tính lúc")

    class Meta:
        verbose_name = "tỷ lệ HTXSNV của nhóm"
        verbose_name_plural = "tỷ lệ HTXSNV của các nhóm"
        ordering = ["period", "label"]
        constraints = [
            models.UniqueConstraint(fields=["period", "peer_group"], name="quota_once_per_group"),
        ]

    def __str__(self):
        return f"{self.label}: {self.excellent}/{self.allowed}"

    @property
    def over_by(self) -> int:
        return max(self.excellent - self.allowed, 0)

    @property
    def pending(self) -> int:
        """Members of the group whose level does not count yet (not proposed)."""
        return self.size - self.known


class OutcomeChange(models.Model):
    """A decided rating whose outcome, worked out again after something it depends on changed
    (a discipline recorded later, a level it reads), would now differ. The decided rating is never
    edited: this asks staff to consider a re-rating [003 C.IV.9; DOMAIN §9]."""

    rating = models.ForeignKey(
        Rating, verbose_name="kết quả xếp loại", on_delete=models.CASCADE, related_name="outcome_changes"
    )
    found_at = models.DateTimeField("phát hiện lúc")
    because = models.TextField("do thay đổi", blank=True)
    level_before = models.CharField("mức sau điều kiện đã quyết định", max_length=8, choices=LevelCode.choices, blank=True)
    level_now = models.CharField("mức sau điều kiện tính lại", max_length=8, choices=LevelCode.choices, blank=True)
    total_now = models.DecimalField("tổng điểm tính lại", max_digits=6, decimal_places=2, null=True, blank=True)
    reasons_now = models.JSONField("lý do tính lại", default=list, blank=True)
    resolved_by = models.ForeignKey(
        Rating, verbose_name="đã xếp loại lại bằng", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "kết quả tính lại khác kết quả đã quyết định"
        verbose_name_plural = "kết quả tính lại khác kết quả đã quyết định"
        ordering = ["-found_at", "-id"]

    def __str__(self):
        return f"#{self.rating_id}: {self.level_before or '—'} → {self.level_now or 'chờ'}"


class RatingCount(models.Model):
    """How many live ratings of a period, subject type and place in the tree stand at a decided level
    (none until decided) and a reason for being left out (none when rated).

    The counts of `live_ratings()`, stored so that a page which only counts (the home page) sums a
    few rows per organisation instead of reading every rating of the year. Written only by
    `scoring.counts`, from the ratings themselves, in the transaction of the service that changed
    them: opening a period and a decision (`rating_counts_refresh`); `manage.py
    rating_counts_rebuild` writes them again.
    """

    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="rating_counts", db_index=False,
    )
    subject_type = models.CharField("đối tượng", max_length=24, choices=SubjectType.choices)
    # The ratings' own place (`Rating.scope_org`, `scope_unit`): the scope filters of ratings apply as they are.
    scope_org = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="thuộc tổ chức đảng", null=True, blank=True,
        on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
    )
    scope_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="thuộc cơ quan, đơn vị", null=True, blank=True,
        on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False,
    )
    level = models.CharField("mức đã quyết định", max_length=8, choices=LevelCode.choices, blank=True)
    exclusion = models.CharField("lý do không xếp loại", max_length=32, choices=Exclusion.choices, blank=True)
    count = models.PositiveIntegerField("số lượng")

    class Meta:
        verbose_name = "số kết quả xếp loại"
        verbose_name_plural = "số kết quả xếp loại"

    def __str__(self):
        return f"{self.period} — {self.get_subject_type_display()} — {self.level or self.exclusion or '…'}: {self.count}"
