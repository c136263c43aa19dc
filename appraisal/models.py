"""Criteria frameworks as data, rating periods and rating records [issue 3; DOMAIN §5–§9].

The engine (`appraisal.rules`) decides; these models only store what staff configure and what
the workflow records. `appraisal.queries` turns a Framework into the engine's dataclasses.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from core.vntext import nfc


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
        "điểm tối thiểu HTXSNV", max_digits=5, decimal_places=2, default=Decimal(90),
        validators=POINT_VALIDATORS,
    )
    threshold_good = models.DecimalField(
        "điểm tối thiểu HTTNV", max_digits=5, decimal_places=2, default=Decimal(70),
        validators=POINT_VALIDATORS,
    )
    threshold_pass = models.DecimalField(
        "điểm tối thiểu HTNV", max_digits=5, decimal_places=2, default=Decimal(50),
        validators=POINT_VALIDATORS,
    )
    exceeded_share = models.DecimalField(
        "tỷ lệ nhiệm vụ vượt mức để đạt HTXSNV", max_digits=4, decimal_places=3,
        default=Decimal("0.5"), validators=SHARE_VALIDATORS,
        help_text="0,50 theo Hướng dẫn 19 (003 C.II.2.1); 0,30 theo Quy định 366; 0 là không xét.",
    )
    short_share_max = models.DecimalField(
        "tỷ lệ tối đa tiêu chí chưa bảo đảm (HTNV)", max_digits=4, decimal_places=3,
        default=Decimal("0.2"), validators=SHARE_VALIDATORS,
    )
    quota_share = models.DecimalField(
        "tỷ lệ HTXSNV tối đa", max_digits=4, decimal_places=3, default=Decimal("0.2"),
        validators=SHARE_VALIDATORS,
    )
    quota_base_level = models.CharField(
        "tính tỷ lệ trên số xếp loại từ", max_length=8, choices=LevelCode.choices,
        default=LevelCode.GOOD,
    )
    quota_rounding = models.CharField(
        "cách làm tròn", max_length=16, choices=Rounding.choices, default=Rounding.HALF_UP
    )
    small_group_size = models.PositiveSmallIntegerField(
        "nhóm nhỏ: dưới bao nhiêu đối tượng", default=5
    )
    small_group_requires_all = models.BooleanField(
        "nhóm nhỏ: cần 100% đạt HTTNV trở lên", default=True
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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("appraisal:framework_detail", args=[self.pk])


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
        "trạng thái", max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )

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
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {self.quarter}/{self.year}"
        return f"Năm {self.year}"


class RatingStatus(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã đề xuất"
    VERIFIED = "verified", "Đã thẩm định"
    DECIDED = "decided", "Đã quyết định"


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


class Rating(models.Model):
    """One subject's rating in one period: scores, proposed and approved levels [DOMAIN §9].

    A decided rating is never edited in place; re-rating creates a new one that supersedes it.
    """

    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.PROTECT, related_name="ratings"
    )
    subject_type = models.CharField("đối tượng", max_length=24, choices=SubjectType.choices)
    member = models.ForeignKey(
        "members.Member", verbose_name="đảng viên", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings",
    )
    organization = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="tổ chức đảng, cấp ủy", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="tập thể lãnh đạo cơ quan, đơn vị", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings",
    )
    leader_position = models.ForeignKey(
        "members.LeaderPosition", verbose_name="chức vụ lãnh đạo, quản lý", null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratings",
    )
    framework = models.ForeignKey(
        Framework, verbose_name="khung tiêu chí", on_delete=models.PROTECT, related_name="ratings"
    )
    total_score = models.DecimalField(
        "tổng điểm", max_digits=6, decimal_places=2, null=True, blank=True
    )
    self_level = models.CharField("tự xếp loại", max_length=8, choices=LevelCode.choices, blank=True)
    proposed_level = models.CharField("đề xuất", max_length=8, choices=LevelCode.choices, blank=True)
    approved_level = models.CharField("phê duyệt", max_length=8, choices=LevelCode.choices, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=RatingStatus.choices, default=RatingStatus.DRAFT
    )
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", verbose_name="xếp loại lại thay cho", null=True, blank=True,
        on_delete=models.PROTECT, related_name="superseded_by",
    )
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
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
        ]
        indexes = [models.Index(fields=["period", "subject_type", "status"])]

    def __str__(self):
        return f"{self.get_subject_type_display()} — {self.period} (#{self.pk})"

    @property
    def subject_id(self):
        return getattr(self, f"{SUBJECT_FIELD[SubjectType(self.subject_type)]}_id")


class QualityLevel(models.IntegerChoices):
    """Quality of one criterion [003 C.I.1.4]; values are the engine's CriterionLevel."""

    EXCELLENT = 4, "Xuất sắc"
    GOOD = 3, "Tốt"
    AVERAGE = 2, "Trung bình"
    POOR = 1, "Kém"


class CriterionScore(models.Model):
    """Points of one criterion in one rating; achieved / plan for quantitative criteria."""

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
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.points}"
