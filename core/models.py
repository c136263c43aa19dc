"""Shared records every app writes or reads: roles over the tree and the audit trail."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


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


class Dated:
    """The instance side of DatedQuerySet, for rows already loaded (prefetched posts)."""

    def covers(self, day: dt.date) -> bool:
        """Whether the row holds on `day` — the same rule as DatedQuerySet.current_on."""
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)


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
    """One change of state, who made it and what it was: the audit trail."""

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField("thao tác", max_length=64)
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.CharField("mã đối tượng", max_length=64)
    object_repr = models.CharField("đối tượng", max_length=255)
    changes = models.JSONField("thay đổi", default=dict, blank=True)

    class Meta:
        db_table = "orgs_auditentry"  # made by orgs 0001; the model moved here
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


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
