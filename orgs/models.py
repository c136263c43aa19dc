"""The party organisation tree and the units of the political system."""

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse

from core.audit import AuditAction
from core.dates import PARTY_FOUNDED
from core.models import Dated, DatedQuerySet
from core.vntext import clean_code, clean_text, fold

PATH_STEP = 6  # characters of the materialised path per level: "000012"


class OrgKind(models.TextChoices):
    """Kinds of party organisation [DOMAIN §2]; where each may sit is data (PlacementRule)."""

    PROVINCE = "province", "Đảng bộ tỉnh, thành phố"
    DISTRICT = "district", "Đảng bộ cấp huyện và tương đương"
    ROOT = "root", "Đảng bộ cấp trên trực tiếp cơ sở"
    BASE_PARTY = "base_party", "Đảng bộ cơ sở"
    BASE_CELL = "base_cell", "Chi bộ cơ sở"
    ROOT_CELL = "root_cell", "Chi bộ trực thuộc Đảng ủy xã"
    SUB_CELL = "sub_cell", "Chi bộ trực thuộc đảng ủy cơ sở"
    GROUP = "group", "Tổ đảng"


BASE_ORG_KINDS = (OrgKind.BASE_PARTY, OrgKind.BASE_CELL)
CELL_KINDS = (OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL, OrgKind.GROUP)


def _path_of(parent_path: str, pk: int) -> str:
    """The materialised path of organisation `pk` under a parent's path: "000001.000012."."""
    return parent_path + str(pk).zfill(PATH_STEP) + "."


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
    # The letterhead of the documents the organisation issues [000; 001]: where the tree stops below
    # the province (a district or a commune at the top), the superior line is a setting, not a parent.
    letterhead_superior = models.CharField(
        "dòng cấp trên ở đầu văn bản", max_length=255, blank=True,
        help_text="Ví dụ: Đảng bộ tỉnh Lâm Đồng. Để trống: tên tổ chức đảng cấp trên trong phần mềm.",
    )
    letterhead_issuer = models.CharField(
        "tên cơ quan ban hành ở đầu văn bản", max_length=255, blank=True,
        help_text="Ví dụ: Huyện ủy Bảo Lâm. Để trống: «Đảng ủy …» theo tên tổ chức đảng.",
    )
    letterhead_place = models.CharField(
        "địa danh ở dòng ngày tháng", max_length=80, blank=True,
        help_text="Ví dụ: Bảo Lâm. Để trống: lấy từ tên tổ chức đảng.",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    search_name = models.CharField(max_length=255, editable=False, default="", db_index=True)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    objects = PartyOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(name="org_not_its_own_parent", condition=~models.Q(parent=models.F("pk"))),
            models.CheckConstraint(
                name="org_founded_after_the_party",
                condition=models.Q(established_on__isnull=True) | models.Q(established_on__gte=PARTY_FOUNDED),
            ),
            models.CheckConstraint(name="org_code_not_blank", condition=~models.Q(code="")),
            models.CheckConstraint(name="org_name_not_blank", condition=~models.Q(name="")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalise()
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = self._compute_path()
        if new_path != old_path:
            self._move_path(old_path, new_path)

    def get_absolute_url(self):
        return reverse("orgs:detail", args=[self.pk])

    def normalise(self) -> None:
        """Store the name and code in NFC and the folded name search uses (bulk writes call it too)."""
        self.name = clean_text(self.name)
        self.code = clean_code(self.code)
        self.letterhead_superior = clean_text(self.letterhead_superior)
        self.letterhead_issuer = clean_text(self.letterhead_issuer)
        self.letterhead_place = clean_text(self.letterhead_place)
        self.search_name = fold(self.name)

    def place_under(self, parent: "PartyOrganization | None") -> None:
        """Set the materialised path and depth of a saved organisation that has no children yet."""
        self.path = _path_of(parent.path if parent else "", self.pk)
        self.depth = self.path.count(".") - 1

    def _compute_path(self) -> str:
        return _path_of(self.parent.path if self.parent_id else "", self.pk)

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

    def is_ancestor_of(self, other: "PartyOrganization") -> bool:
        return other.path.startswith(self.path)


class PlacementRule(models.Model):
    """Where organisations of one kind may sit: at the top of the deployment, and under which
    kinds [DOMAIN §2]. Data, edited by staff, so a deployment may be rooted at a province or a
    district with communes below; orgs.selectors.placement_rules reads them."""

    kind = models.CharField("loại tổ chức", max_length=16, choices=OrgKind.choices, unique=True)
    top_allowed = models.BooleanField("được là tổ chức cấp cao nhất", default=False)
    parent_kinds = models.JSONField("trực thuộc được các loại", default=list, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    class Meta:
        verbose_name = "quy tắc trực thuộc"
        verbose_name_plural = "quy tắc trực thuộc"
        ordering = ["kind"]

    def __str__(self):
        return OrgKind(self.kind).label


class CommitteeRole(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy", "Phó Bí thư"
    STANDING = "standing", "Ủy viên Ban Thường vụ"
    MEMBER = "member", "Cấp ủy viên"


class CommitteeMembership(Dated, models.Model):
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

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "cấp ủy viên"
        verbose_name_plural = "cấp ủy viên"
        ordering = ["organization", "role", "start_on"]

    def __str__(self):
        return f"{self.get_role_display()} {self.organization}: {self.member}"


class CodeAndName:
    """A row known by a code and a name, both cleaned as every form cleans them before it is stored."""

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_text(self.name)
        self.code = clean_code(self.code)
        super().save(*args, **kwargs)


class CodedList(CodeAndName, models.Model):
    """A list staff keep by code, name and order ("Thứ tự"): the blocks of units, the position
    groups. Pages, imports, exports and the reports' footnotes list its rows in that order; one
    service writes them (orgs.services.coded_list_create / coded_list_update)."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=255)
    sort_order = models.PositiveIntegerField("thứ tự", default=0)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    #: How messages name the name field ("tên khối"), and the audit actions of its service.
    name_label = "tên"
    audit_create: str = ""
    audit_update: str = ""

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(name="%(class)s_code_not_blank", condition=~models.Q(code="")),
            models.CheckConstraint(name="%(class)s_name_not_blank", condition=~models.Q(name="")),
        ]


class Block(CodedList):
    """A block (khối) of units, as the reports group them [000 fn 3]."""

    name = models.CharField("tên khối", max_length=255)

    name_label = "tên khối"
    audit_create = AuditAction.BLOCK_CREATE
    audit_update = AuditAction.BLOCK_UPDATE

    class Meta(CodedList.Meta):
        verbose_name = "khối"
        verbose_name_plural = "khối"


class Unit(CodeAndName, models.Model):
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
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["block__sort_order", "sort_order", "code"]
        constraints = [
            models.CheckConstraint(name="unit_code_not_blank", condition=~models.Q(code="")),
            models.CheckConstraint(name="unit_name_not_blank", condition=~models.Q(name="")),
        ]

    def get_absolute_url(self):
        return reverse("orgs:unit", args=[self.pk])
