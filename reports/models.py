"""Official documents and results decided outside the app [issue 9; DOMAIN §10].

`Report` keeps what staff type into a year-end BÁO CÁO (header, narrative, signer) and, once it
is made final, what it printed: its number and date, the figures and the PDF. Later data never
changes a final report; the next report says what changed.

`ImportedResult` and `ImportedCount` hold results decided before the app was used (or on paper),
imported from XLSX; the reports count them alike with the ratings stored by the workflow.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from appraisal.models import Exclusion, LevelCode, SubjectType
from core.vntext import nfc
from members.models import Tier
from vnformat import fmt_period

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
QUARTER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class ReportKind(models.TextChoices):
    YEAR_END = "year_end", "Báo cáo kết quả kiểm điểm, đánh giá, xếp loại chất lượng"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    FINAL = "final", "Đã ban hành"


class Report(models.Model):
    """One year-end report of an organisation (or of the whole deployment) and a year."""

    kind = models.CharField("loại báo cáo", max_length=16, choices=ReportKind.choices, default=ReportKind.YEAR_END)
    organization = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="đảng bộ báo cáo", null=True, blank=True,
        on_delete=models.PROTECT, related_name="reports",
        help_text="Để trống: toàn bộ các đảng bộ trong phần mềm.",
    )
    year = models.PositiveSmallIntegerField("năm đánh giá", validators=YEAR_VALIDATORS)
    superior_name = models.CharField("cấp ủy cấp trên (dòng 1)", max_length=120, blank=True)
    issuer_name = models.CharField("cơ quan ban hành (dòng 2)", max_length=120, blank=True)
    number = models.CharField("số", max_length=16, blank=True)
    document_code = models.CharField("ký hiệu", max_length=32, default="BC/ĐU")
    place = models.CharField("địa danh", max_length=80, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.TextField("trích yếu", blank=True)
    narrative = models.JSONField("nội dung các phần", default=dict, blank=True)
    quarters = models.CharField(
        "các quý báo cáo đánh giá cán bộ", max_length=64, blank=True,
        help_text="Ví dụ: 1/2026, 2/2026. Để trống: các quý của năm đánh giá.",
    )
    recipients = models.TextField("nơi nhận", blank=True)
    signer_on_behalf = models.CharField("thay mặt", max_length=80, default="T/M BAN THƯỜNG VỤ")
    signer_title = models.CharField("chức vụ người ký", max_length=80, blank=True)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    status = models.CharField("trạng thái", max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    figures = models.JSONField("số liệu đã in", null=True, blank=True, editable=False)
    pdf = models.FileField("tệp PDF đã ban hành", upload_to="bao-cao/", blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    finalized_at = models.DateTimeField("ban hành lúc", null=True, blank=True, editable=False)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ban hành", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["-year", "organization__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organization", "year"], name="report_one_per_org_year",
                condition=Q(organization__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["kind", "year"], name="report_one_per_deployment_year",
                condition=Q(organization__isnull=True),
            ),
            models.CheckConstraint(
                name="report_final_is_complete",
                condition=~Q(status="final") | (Q(issued_on__isnull=False) & ~Q(number="") & Q(figures__isnull=False)),
            ),
        ]

    def __str__(self):
        where = self.organization.name if self.organization_id else "toàn bộ"
        number = f"số {self.number}-{self.document_code}, " if self.number else ""
        return f"Báo cáo {number}năm {self.year} ({where})"

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL

    @property
    def reference(self) -> str:
        """"Số 12-BC/ĐU" as the document prints it."""
        return f"Số {self.number}-{self.document_code}" if self.number else f"Số -{self.document_code}"


class ImportKind(models.TextChoices):
    SUBJECTS = "subjects", "Từng đối tượng được xếp loại"
    COUNTS = "counts", "Số lượng theo mức xếp loại"
    PACKAGE = "package", "Gói số liệu đã ký của cấp dưới (báo cáo PDF ký số kèm số lượng)"


class ImportBatch(models.Model):
    """One confirmed import of results decided outside the app: the file and who imported it."""

    kind = models.CharField("dạng tệp", max_length=10, choices=ImportKind.choices)
    file_name = models.CharField("tên tệp", max_length=255)
    rows = models.PositiveIntegerField("số dòng", default=0)
    # A signed package (reports.package): the report it came from and whether its signature verified.
    package_reference = models.CharField("báo cáo gửi kèm", max_length=255, blank=True)
    signature_note = models.CharField("chữ ký số", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("nhập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lần nhập kết quả"
        verbose_name_plural = "lần nhập kết quả"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()}, {self.rows} dòng)"


class ImportedResult(models.Model):
    """One subject's result decided outside the app, located in the tree for counting."""

    batch = models.ForeignKey(ImportBatch, verbose_name="lần nhập", on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField("năm", validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField("quý", null=True, blank=True, validators=QUARTER_VALIDATORS)
    subject_type = models.CharField("đối tượng", max_length=24, choices=SubjectType.choices)
    subject_key = models.CharField(
        "mã đối tượng", max_length=64,
        help_text="Số thẻ đảng viên; mã tổ chức đảng; mã cơ quan, đơn vị; số thẻ của cán bộ kèm mã nhóm chức danh.",
    )
    name = models.CharField("tên", max_length=255)
    organization = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+",
        help_text="Tổ chức đảng được xếp loại, hoặc nơi đối tượng sinh hoạt, công tác.",
    )
    org_kind = models.CharField("loại tổ chức đảng", max_length=16, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="cơ quan, đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    block = models.ForeignKey("orgs.Block", verbose_name="khối", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField("diện quản lý", max_length=16, choices=Tier.choices, blank=True)
    position_group = models.ForeignKey(
        "members.PositionGroup", verbose_name="nhóm chức danh", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    position = models.CharField("chức vụ", max_length=255, blank=True)
    level = models.CharField("mức xếp loại", max_length=8, choices=LevelCode.choices, blank=True)
    not_rated = models.CharField("lý do không xếp loại", max_length=40, choices=Exclusion.choices, blank=True)
    score = models.DecimalField("điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)

    class Meta:
        verbose_name = "kết quả nhập từ ngoài"
        verbose_name_plural = "kết quả nhập từ ngoài"
        ordering = ["year", "quarter", "subject_type", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "subject_type", "subject_key"], name="imported_result_unique",
                condition=Q(quarter__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["year", "subject_type", "subject_key"], name="imported_result_unique_year",
                condition=Q(quarter__isnull=True),
            ),
            models.CheckConstraint(
                name="imported_result_level_xor_reason",
                condition=(~Q(level="") & Q(not_rated="")) | (Q(level="") & ~Q(not_rated="")),
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.get_level_display() or self.get_not_rated_display()} ({self.period_label})"

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.position = nfc(self.position)
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        return fmt_period(self.year, self.quarter, capital=True)


class ImportedCount(models.Model):
    """Counts per level for one subject type, organisation, group and period, when no list exists."""

    batch = models.ForeignKey(ImportBatch, verbose_name="lần nhập", on_delete=models.CASCADE, related_name="counts")
    year = models.PositiveSmallIntegerField("năm", validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField("quý", null=True, blank=True, validators=QUARTER_VALIDATORS)
    subject_type = models.CharField("đối tượng", max_length=24, choices=SubjectType.choices)
    organization = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="đảng bộ", on_delete=models.PROTECT, related_name="+",
        help_text="Đảng bộ (xã) mà số liệu thuộc về.",
    )
    org_kind = models.CharField("loại tổ chức đảng", max_length=16, blank=True)
    block = models.ForeignKey("orgs.Block", verbose_name="khối", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField("diện quản lý", max_length=16, choices=Tier.choices, blank=True)
    position_group = models.ForeignKey(
        "members.PositionGroup", verbose_name="nhóm chức danh", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    excellent = models.PositiveIntegerField("HTXSNV", default=0)
    good = models.PositiveIntegerField("HTTNV", default=0)
    passing = models.PositiveIntegerField("HTNV", default=0)
    failing = models.PositiveIntegerField("KHTNV", default=0)
    not_rated = models.PositiveIntegerField("không xếp loại", default=0)

    class Meta:
        verbose_name = "số lượng nhập từ ngoài"
        verbose_name_plural = "số lượng nhập từ ngoài"
        ordering = ["year", "quarter", "subject_type", "id"]

    def __str__(self):
        return f"{self.get_subject_type_display()} — {self.organization} ({fmt_period(self.year, self.quarter, capital=True)})"
