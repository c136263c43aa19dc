"""Party members, their history, and the leader positions they hold."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.audit import AuditAction
from core.dates import EARLIEST_BIRTH, PARTY_FOUNDED
from core.models import Dated, DatedQuerySet, dates_ordered
from core.vntext import clean_code, clean_text, fold, name_sort_key
from orgs.models import CodedList, PartyOrganization, Unit
from vnformat import fmt_date


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "Dự bị"
    OFFICIAL = "official", "Chính thức"


class MemberQuerySet(models.QuerySet):
    def search(self, text: str):
        """Members whose name or card number matches, ignoring tones and case."""
        folded = fold(text)
        if not folded:
            return self
        return self.filter(models.Q(search_name__contains=folded) | models.Q(card_number__icontains=folded))

    def in_subtree(self, organization: PartyOrganization):
        return self.filter(cell__path__startswith=organization.path)

    def by_name(self):
        return self.order_by("sort_key", "id")


class Member(models.Model):
    """A party member (đảng viên), kept in their current cell."""

    full_name = models.CharField("họ và tên", max_length=120)
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices)
    card_number = models.CharField("số thẻ đảng viên", max_length=32, unique=True)
    admitted_on = models.DateField("ngày vào Đảng")
    official_on = models.DateField("ngày chính thức", null=True, blank=True)
    status = models.CharField(
        "tình trạng", max_length=16, choices=MemberStatus.choices, default=MemberStatus.PROBATIONARY
    )
    cell = models.ForeignKey(
        PartyOrganization, verbose_name="chi bộ sinh hoạt", on_delete=models.PROTECT,
        related_name="members",
    )
    is_active = models.BooleanField(
        "còn sinh hoạt", default=True, help_text="Bỏ chọn khi đảng viên chuyển ra ngoài Đảng bộ hoặc từ trần."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="member",
    )
    search_name = models.CharField(max_length=120, editable=False, default="", db_index=True)
    sort_key = models.CharField(max_length=200, editable=False, default="", db_index=True)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(name="member_name_not_blank", condition=~models.Q(full_name="")),
            models.CheckConstraint(name="member_card_not_blank", condition=~models.Q(card_number="")),
            models.CheckConstraint(name="member_gender_known", condition=models.Q(gender__in=Gender.values)),
            models.CheckConstraint(
                name="member_admitted_after_the_party", condition=models.Q(admitted_on__gte=PARTY_FOUNDED)
            ),
            models.CheckConstraint(
                name="member_born_before_admission",
                condition=models.Q(date_of_birth__isnull=True)
                | models.Q(date_of_birth__gte=EARLIEST_BIRTH, date_of_birth__lt=models.F("admitted_on")),
            ),
            models.CheckConstraint(
                name="member_status_matches_official_date",
                condition=models.Q(status=MemberStatus.PROBATIONARY, official_on__isnull=True)
                | models.Q(status=MemberStatus.OFFICIAL, official_on__isnull=False, official_on__gte=models.F("admitted_on")),
            ),
        ]
        # The tree and the home page count active members per cell: read from this index alone.
        indexes = [models.Index(fields=["cell"], condition=models.Q(is_active=True), name="member_active_by_cell")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    def normalise(self) -> None:
        """Store the name and card number in NFC, and the keys search and sorting use.

        save() calls it; bulk writes (the workbook import) call it on each row themselves.
        """
        self.full_name = clean_text(self.full_name)
        self.card_number = clean_code(self.card_number)
        self.search_name = fold(self.full_name)
        self.sort_key = name_sort_key(self.full_name)

    @property
    def given_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""


class Transfer(models.Model):
    """A move between cells (chuyển sinh hoạt), kept as history."""

    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="transfers")
    from_cell = models.ForeignKey(
        PartyOrganization, verbose_name="từ chi bộ", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    to_cell = models.ForeignKey(
        PartyOrganization, verbose_name="đến chi bộ", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    moved_on = models.DateField("ngày chuyển")
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "chuyển sinh hoạt"
        verbose_name_plural = "chuyển sinh hoạt"
        ordering = ["member", "moved_on", "id"]

    def __str__(self):
        return f"{self.member}: {self.from_cell} → {self.to_cell} ({fmt_date(self.moved_on)})"


class TemporaryActivity(Dated, models.Model):
    """Temporary party activity elsewhere (sinh hoạt tạm thời)."""

    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="temporary_activities")
    place = models.CharField("nơi sinh hoạt tạm thời", max_length=255)
    start_on = models.DateField("từ ngày")
    end_on = models.DateField("đến ngày", null=True, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "sinh hoạt tạm thời"
        verbose_name_plural = "sinh hoạt tạm thời"
        ordering = ["member", "start_on"]
        constraints = [
            dates_ordered("temporary_activity_dates_ordered"),
            models.CheckConstraint(name="temporary_activity_place_not_blank", condition=~models.Q(place="")),
        ]

    def __str__(self):
        return f"{self.member}: {self.place}"


class PeriodStatus(Dated, models.Model):
    """A dated status of a member: shared shape of exemption and suspension."""

    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="+")
    start_on = models.DateField("từ ngày")
    end_on = models.DateField("đến ngày", null=True, blank=True)
    reason = models.CharField("lý do", max_length=255, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)

    objects = DatedQuerySet.as_manager()

    status_word: str  # what __str__ calls the status

    class Meta:
        abstract = True
        ordering = ["member", "start_on"]
        constraints = [dates_ordered("%(class)s_dates_ordered")]

    def __str__(self):
        return f"{self.member}: {self.status_word} từ {fmt_date(self.start_on)}"


class Exemption(PeriodStatus):
    """Miễn công tác và sinh hoạt đảng, from a date."""

    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="exemptions")
    status_word = "miễn"

    class Meta(PeriodStatus.Meta):
        verbose_name = "miễn công tác và sinh hoạt"
        verbose_name_plural = "miễn công tác và sinh hoạt"


class Suspension(PeriodStatus):
    """Đình chỉ sinh hoạt đảng."""

    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="suspensions")
    status_word = "đình chỉ"

    class Meta(PeriodStatus.Meta):
        verbose_name = "đình chỉ sinh hoạt"
        verbose_name_plural = "đình chỉ sinh hoạt"


class DisciplineForm(models.TextChoices):
    """Forms of party discipline, mildest first."""

    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    DISMISSAL = "dismissal", "Cách chức"
    EXPULSION = "expulsion", "Khai trừ"


DISCIPLINE_SEVERITY = {form: rank for rank, form in enumerate(DisciplineForm.values, start=1)}


class Discipline(models.Model):
    """A discipline decision against a member [003 C.II.2; C.IV.9 for re-rating]."""

    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="disciplines")
    form = models.CharField("hình thức kỷ luật", max_length=16, choices=DisciplineForm.choices)
    decided_on = models.DateField("ngày quyết định")
    violation_on = models.DateField("ngày vi phạm")
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)
    reason = models.CharField("nội dung vi phạm", max_length=500, blank=True)
    related_to_duties = models.BooleanField("liên quan đến thực hiện chức trách, nhiệm vụ", default=True)
    self_detected_remedied = models.BooleanField("tự phát hiện và khắc phục", default=False)

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["member", "decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="discipline_decided_after_violation", condition=models.Q(decided_on__gte=models.F("violation_on"))
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_form_display()} ({fmt_date(self.decided_on)})"


class Tier(models.TextChoices):
    """Who manages a leader (diện quản lý) [000 fn 4–6]."""

    PROVINCE = "province", "Diện Ban Thường vụ Tỉnh ủy quản lý"
    COMMUNE = "commune", "Diện Ban Thường vụ Đảng ủy quản lý"


class PositionGroup(CodedList):
    """A peer group of positions, in which the 20 % quota is counted [DOMAIN §7]; the reports'
    footnotes list the groups in their order ("Thứ tự")."""

    name = models.CharField("nhóm chức danh", max_length=255)

    name_label = "tên nhóm chức danh"
    audit_create = AuditAction.POSITION_GROUP_CREATE
    audit_update = AuditAction.POSITION_GROUP_UPDATE

    class Meta(CodedList.Meta):
        verbose_name = "nhóm chức danh"
        verbose_name_plural = "nhóm chức danh"


class LeadershipRole(models.TextChoices):
    HEAD = "head", "Người đứng đầu"
    DEPUTY = "deputy", "Cấp phó"
    MEMBER = "member", "Thành viên tập thể lãnh đạo"


class LeaderPosition(Dated, models.Model):
    """A leadership or management post held by a member; a person can hold several."""

    member = models.ForeignKey(Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="positions")
    title = models.CharField("chức vụ", max_length=255)
    unit = models.ForeignKey(
        Unit, verbose_name="cơ quan, đơn vị", null=True, blank=True,
        on_delete=models.PROTECT, related_name="positions",
    )
    organization = models.ForeignKey(
        PartyOrganization, verbose_name="tổ chức đảng", null=True, blank=True,
        on_delete=models.PROTECT, related_name="positions",
    )
    leadership_role = models.CharField("vai trò", max_length=16, choices=LeadershipRole.choices)
    tier = models.CharField("diện quản lý", max_length=16, choices=Tier.choices, default=Tier.COMMUNE)
    group = models.ForeignKey(
        PositionGroup, verbose_name="nhóm chức danh", on_delete=models.PROTECT, related_name="positions"
    )
    start_on = models.DateField("từ ngày")
    end_on = models.DateField("đến ngày", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "chức vụ lãnh đạo, quản lý"
        verbose_name_plural = "chức vụ lãnh đạo, quản lý"
        ordering = ["member", "start_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="position_has_unit_or_org",
                condition=models.Q(unit__isnull=False) | models.Q(organization__isnull=False),
            ),
            dates_ordered("position_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.title} — {self.member}"

    def save(self, *args, **kwargs):
        self.title = clean_text(self.title)
        super().save(*args, **kwargs)
