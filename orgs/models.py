"""The party organisation tree, the units of the political system, roles and the audit trail."""
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse

from .dates import add_months
from .vntext import fold, nfc

PATH_STEP = 6  # characters of the materialised path per level: "000012"


class OrgKind(models.TextChoices):
    """Kinds of party organisation [DOMAIN §2]."""

    ROOT = "root", "Đảng bộ cấp trên trực tiếp cơ sở"
    BASE_PARTY = "base_party", "Đảng bộ cơ sở"
    BASE_CELL = "base_cell", "Chi bộ cơ sở"
    ROOT_CELL = "root_cell", "Chi bộ trực thuộc Đảng ủy xã"
    SUB_CELL = "sub_cell", "Chi bộ trực thuộc đảng ủy cơ sở"
    GROUP = "group", "Tổ đảng"


BASE_ORG_KINDS = (OrgKind.BASE_PARTY, OrgKind.BASE_CELL)
CELL_KINDS = (OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL, OrgKind.GROUP)


class PartyOrganizationQuerySet(models.QuerySet):
    def subtree(self, root: "PartyOrganization"):
        """The organisation and everything below it, in one query."""
        return self.filter(path__startswith=root.path)

    def cells(self):
        return self.filter(kind__in=CELL_KINDS)


class PartyOrganization(models.Model):
    """A node of the party tree: root, đảng bộ cơ sở, chi bộ or tổ đảng, of any depth."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=255)
    kind = models.CharField("loại", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="trực thuộc", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    established_on = models.DateField("ngày thành lập", null=True, blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    sort_order = models.PositiveIntegerField("thứ tự", default=0)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    search_name = models.CharField(max_length=255, editable=False, default="", db_index=True)

    objects = PartyOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.code = nfc(self.code)
        self.search_name = fold(self.name)
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = self._compute_path()
        if new_path != old_path:
            self._move_path(old_path, new_path)

    def get_absolute_url(self):
        return reverse("orgs:detail", args=[self.pk])

    def _compute_path(self) -> str:
        own = str(self.pk).zfill(PATH_STEP)
        return (self.parent.path if self.parent_id else "") + own + "."

    def _move_path(self, old_path: str, new_path: str) -> None:
        """Store the new path and rewrite it in every descendant (a move keeps the subtree).

        Two UPDATEs whatever the size of the subtree: descendants keep their path below
        `old_path` and their depth shifts by the same amount as this node's.
        """
        new_depth = new_path.count(".") - 1
        if old_path:
            shift = new_depth - (old_path.count(".") - 1)
            PartyOrganization.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + shift,
            )
        PartyOrganization.objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
        self.path = new_path
        self.depth = new_path.count(".") - 1

    @property
    def is_base_organization(self) -> bool:
        """Tổ chức cơ sở đảng: đảng bộ cơ sở or chi bộ cơ sở [DOMAIN §2]."""
        return self.kind in BASE_ORG_KINDS

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    def is_rateable_on(self, on: date) -> bool:
        """Organisations established less than 6 months before are not rated [003 C.IV.1]."""
        if not self.is_active:
            return False
        return self.established_on is None or add_months(self.established_on, 6) <= on

    def is_ancestor_of(self, other: "PartyOrganization") -> bool:
        return other.path.startswith(self.path)


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy", "Phó Bí thư"
    STANDING = "standing", "Ủy viên Ban Thường vụ"
    MEMBER = "member", "Cấp ủy viên"


class CommitteeMembership(models.Model):
    """A seat on an organisation's committee (cấp ủy), the collective rated on its own."""

    organization = models.ForeignKey(
        PartyOrganization, verbose_name="tổ chức đảng", on_delete=models.CASCADE,
        related_name="committee_seats",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="đảng viên", on_delete=models.CASCADE,
        related_name="committee_seats",
    )
    role = models.CharField("chức danh", max_length=16, choices=CommitteeRole.choices)
    start_on = models.DateField("từ ngày")
    end_on = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "cấp ủy viên"
        verbose_name_plural = "cấp ủy viên"
        ordering = ["organization", "role", "start_on"]

    def __str__(self):
        return f"{self.get_role_display()} {self.organization}: {self.member}"


class Block(models.Model):
    """A block (khối) of units, as the reports group them [000 fn 3]."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên khối", max_length=255)
    sort_order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "khối"
        verbose_name_plural = "khối"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.code = nfc(self.code)
        super().save(*args, **kwargs)


class Unit(models.Model):
    """A unit of the political system (cơ quan, đơn vị); its leadership collective is rated."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên cơ quan, đơn vị", max_length=255)
    block = models.ForeignKey(
        Block, verbose_name="khối", on_delete=models.PROTECT, related_name="units"
    )
    party_organization = models.ForeignKey(
        PartyOrganization, verbose_name="tổ chức đảng", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="units",
        help_text="Chi bộ, đảng bộ của cơ quan, đơn vị (nếu có).",
    )
    has_leadership_collective = models.BooleanField("có tập thể lãnh đạo được đánh giá", default=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    sort_order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["block__sort_order", "sort_order", "code"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.code = nfc(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orgs:unit", args=[self.pk])


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
        PartyOrganization, verbose_name="tổ chức đảng", null=True, blank=True,
        on_delete=models.CASCADE, related_name="role_assignments",
        help_text="Phạm vi: tổ chức đảng và các tổ chức trực thuộc. Để trống = toàn Đảng bộ.",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="cơ quan, đơn vị", null=True, blank=True,
        on_delete=models.CASCADE, related_name="role_assignments",
    )

    class Meta:
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
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


class AccountState(models.Model):
    """What the application must ask of an account before anything else.

    A row exists only once something was set: an account without one has nothing pending.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", primary_key=True,
        on_delete=models.CASCADE, related_name="account_state",
    )
    must_change_password = models.BooleanField(
        "phải đổi mật khẩu", default=False,
        help_text="Mật khẩu tạm thời: lần đăng nhập sau phải đổi trước khi làm việc khác.",
    )

    class Meta:
        verbose_name = "trạng thái tài khoản"
        verbose_name_plural = "trạng thái tài khoản"

    def __str__(self):
        return f"{self.user}: {'phải đổi mật khẩu' if self.must_change_password else 'bình thường'}"
