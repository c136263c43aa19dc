"""Shared records every app writes or reads: roles over the tree and the audit trail."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class DatedQuerySet(models.QuerySet):
    """Rows that hold from `start_on` to `end_on` (both days included; no end = still holding):
    a post, a committee seat, an exemption, a suspension, a temporary activity."""

    def current_on(self, day: dt.date):
        """Those holding on `day`: started that day or before, not ended before it."""
        return self.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gte=day))

    def overlapping(self, start: dt.date, end: dt.date):
        """Those holding on at least one day from `start` to `end` (a quarter, a year)."""
        return self.filter(start_on__lte=end).filter(Q(end_on__isnull=True) | Q(end_on__gte=start))

    def not_over_on(self, day: dt.date):
        """Those not yet over on `day`: holding then, or starting later."""
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=day))


def holds_on(start_on: dt.date, end_on: dt.date | None, day: dt.date) -> bool:
    """Whether a spell from `start_on` to `end_on` (no end: still holding) holds on `day` — the
    same rule as DatedQuerySet.current_on, for rows already read."""
    return start_on <= day and (end_on is None or day <= end_on)


class Dated:
    """The instance side of DatedQuerySet, for rows already loaded (prefetched posts)."""

    def covers(self, day: dt.date) -> bool:
        """Whether the row holds on `day` — the same rule as DatedQuerySet.current_on."""
        return holds_on(self.start_on, self.end_on, day)


def dates_ordered(name: str) -> models.CheckConstraint:
    """The database check of a dated row: it ends on or after its start, or has no end."""
    return models.CheckConstraint(
        name=name, condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
    )


class Role(models.TextChoices):
    """What a user may do, and where [issue 2: accounts and permissions]."""

    SECRETARY = "secretary", "Bí thư chi bộ"
    UNIT_LEADERSHIP = "unit_leadership", "Lãnh đạo cơ quan, đơn vị"
    STAFF = "staff", "Ban Xây dựng Đảng"
    STANDING = "standing", "Ban Thường vụ"
    VIEWER = "viewer", "Chỉ xem"


class RoleAssignment(models.Model):
    """A role of a user over a part of the tree: a cell, a unit, or the whole deployment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.PartyOrganization", verbose_name="tổ chức đảng", null=True, blank=True,
        on_delete=models.CASCADE, related_name="role_assignments",
        help_text="Phạm vi: tổ chức đảng và các tổ chức trực thuộc. Để trống = toàn Đảng bộ.",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="cơ quan, đơn vị", null=True, blank=True,
        on_delete=models.CASCADE, related_name="role_assignments",
    )

    class Meta:
        db_table = "orgs_roleassignment"  # made by orgs 0001; the model moved here
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    models.Q(role="secretary", organization__isnull=False, unit__isnull=True)
                    | models.Q(role="unit_leadership", unit__isnull=False, organization__isnull=True)
                    | models.Q(role__in=["staff", "standing"], unit__isnull=True, organization__isnull=True)
                    | models.Q(role="viewer", unit__isnull=True)
                ),
            )
        ]

    def __str__(self):
        scope = self.organization or self.unit or "toàn Đảng bộ"
        return f"{self.user} — {self.get_role_display()} ({scope})"


class AuditEntry(models.Model):
    """One change of state, who made it and what it was: the audit trail, a hash chain
    (core.audit_chain: each entry's digest covers its content and the entry before it)."""

    # Set when the entry is made (not at insert), so its digest is computed before the insert.
    at = models.DateTimeField("thời điểm", default=timezone.now, editable=False, db_index=True)
    # PROTECT: a user's deletion must not rewrite the entries (the digest covers the actor);
    # accounts are locked, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField("thao tác", max_length=64)
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.CharField("mã đối tượng", max_length=64)
    object_repr = models.CharField("đối tượng", max_length=255)
    changes = models.JSONField("thay đổi", default=dict, blank=True)
    prev_id = models.BigIntegerField("mục trước", null=True, blank=True, editable=False)
    prev_digest = models.CharField("mã băm mục trước", max_length=64, blank=True, editable=False)
    digest = models.CharField("mã băm", max_length=64, blank=True, editable=False)

    class Meta:
        db_table = "orgs_auditentry"  # made by orgs 0001; the model moved here
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        """A new entry joins the chain (an entry is never edited)."""
        if self._state.adding and not self.digest:
            from .audit_chain import chain_append

            chain_append([self])
            return
        super().save(*args, **kwargs)


class AuditChainHead(models.Model):
    """The last entry of the audit chain (one row, id 1): locked by each append."""

    last_id = models.BigIntegerField("mục cuối", null=True, blank=True)
    last_digest = models.CharField("mã băm mục cuối", max_length=64, blank=True)
    entries = models.PositiveBigIntegerField("số mục", default=0)

    class Meta:
        verbose_name = "đầu chuỗi nhật ký"
        verbose_name_plural = "đầu chuỗi nhật ký"

    def __str__(self):
        return f"{self.entries} mục, mục cuối id={self.last_id}"


class JobStatus(models.TextChoices):
    """Where a background job stands."""

    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    SUCCEEDED = "succeeded", "Đã xong"
    FAILED = "failed", "Không thành công"
    INTERRUPTED = "interrupted", "Bị gián đoạn"


class Job(models.Model):
    """One long piece of work run by the background worker (core.jobs): who, progress, outcome."""

    kind = models.CharField("loại công việc", max_length=64)
    title = models.CharField("công việc", max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="jobs",
    )
    status = models.CharField("trạng thái", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField("tham số", default=dict, blank=True)
    task_id = models.CharField("mã trong hàng đợi", max_length=64, blank=True)
    task_path = models.CharField("tác vụ", max_length=255, blank=True)
    created_at = models.DateTimeField("bắt đầu lúc", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("chạy lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField("báo còn chạy lúc", null=True, blank=True)
    worker = models.CharField("tiến trình nền chạy", max_length=64, blank=True)
    attempt = models.PositiveSmallIntegerField("lần chạy", default=1)
    done = models.PositiveIntegerField("đã làm", default=0)
    total = models.PositiveIntegerField("tổng số", null=True, blank=True)
    step = models.CharField("bước", max_length=255, blank=True)
    result = models.JSONField("kết quả", default=dict, blank=True)
    error = models.TextField("lý do không thành công", blank=True)
    problems = models.JSONField("các lỗi", default=list, blank=True)
    file = models.CharField("tệp kết quả", max_length=255, blank=True)
    file_name = models.CharField("tên tệp", max_length=255, blank=True)

    class Meta:
        verbose_name = "công việc nền"
        verbose_name_plural = "công việc nền"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.INTERRUPTED)

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, when the total is known."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class DocumentKind(models.TextChoices):
    YEAR_END = "year_end", "Báo cáo kết quả kiểm điểm, đánh giá, xếp loại cuối năm"
    DECISION = "decision", "Quyết định xếp loại chất lượng"
    RERATING = "rerating", "Quyết định xếp loại lại (QĐ 01)"
    SUMMARY = "summary", "Biểu tổng hợp"


class IssuedDocument(models.Model):
    """A document made final ("Ban hành"): its verification code, the SHA-256 of the file as issued
    (signed), who signed it with which certificate, and whether it has since been superseded.
    The public verification page (/xac-minh/) answers from these rows and nothing else."""

    code = models.CharField("mã xác minh", max_length=16, unique=True)
    kind = models.CharField("loại văn bản", max_length=16, choices=DocumentKind.choices)
    title = models.CharField("văn bản", max_length=255)
    issuer = models.CharField("cơ quan ban hành", max_length=255)
    issued_on = models.DateField("ngày ban hành")
    year = models.PositiveSmallIntegerField("năm đánh giá", null=True, blank=True)
    file = models.FileField("tệp đã ban hành", upload_to="van-ban/", blank=True,
                            help_text="Tệp PDF đã ký (báo cáo năm giữ tệp của mình).")
    sha256 = models.CharField("mã băm SHA-256 của tệp", max_length=64, db_index=True)
    signed = models.BooleanField("có chữ ký số", default=False)
    certificate = models.CharField("chứng thư số", max_length=500, blank=True)
    test_certificate = models.BooleanField("chứng thư thử nghiệm", default=False)
    timestamped = models.BooleanField("có dấu thời gian", default=False)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    signer_role = models.CharField("chức vụ người ký", max_length=120, blank=True)
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.CharField("mã đối tượng", max_length=64)
    superseded_at = models.DateTimeField("bị thay thế lúc", null=True, blank=True)
    superseded_note = models.CharField("thay thế bởi", max_length=255, blank=True)
    created_at = models.DateTimeField("ban hành lúc", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "văn bản đã ban hành"
        verbose_name_plural = "văn bản đã ban hành"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.title} (mã {self.code})"


class VerifyAttempt(models.Model):
    """One use of the public verification page, counted per client address in the database (every
    worker sees the same count) to limit how often one address may ask."""

    client = models.CharField("địa chỉ", max_length=64, db_index=True)
    at = models.DateTimeField("lúc", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "lượt xác minh"
        verbose_name_plural = "lượt xác minh"

    def __str__(self):
        return f"{self.client} {self.at:%d/%m/%Y %H:%M}"


class JobWorker(models.Model):
    """A `db_worker` process, alive while it beats (core.jobs.Reporter: its own thread and connection)."""

    worker_id = models.CharField("mã tiến trình", max_length=64, primary_key=True)
    host = models.CharField("máy", max_length=255, blank=True)
    pid = models.PositiveIntegerField("số hiệu tiến trình", default=0)
    started_at = models.DateTimeField("khởi động lúc")
    beat_at = models.DateTimeField("báo còn chạy lúc", db_index=True)

    class Meta:
        verbose_name = "tiến trình nền"
        verbose_name_plural = "tiến trình nền"
        ordering = ["-beat_at"]

    def __str__(self):
        return f"{self.host}:{self.pid}"
