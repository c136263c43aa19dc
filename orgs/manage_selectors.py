"""Reads for running the deployment: the home dashboard, user accounts, the audit trail.

Each read costs a fixed number of queries whatever the number of rows it returns.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import capfirst

from members.models import (
    DisciplineForm,
    Exemption,
    LeaderPosition,
    Member,
    NotRatedReason,
    PositionGroup,
    Suspension,
)

from .models import AuditEntry, Block, OrgKind, PartyOrganization, Role, RoleAssignment, Unit
from .scope import Scope, visible_members, visible_orgs, visible_units
from .selectors import covering, newest_rateable_admission

# ---------------------------------------------------------------------------------------------
# Home dashboard
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count_:
    """One labelled count on the dashboard."""

    label: str
    count: int
    key: str = ""


@dataclass
class Dashboard:
    """What the home page counts in the user's part of the tree, on a date."""

    on: dt.date
    orgs_by_kind: list[Count_] = field(default_factory=list)
    members: int = 0
    rated: int = 0
    not_rated: list[Count_] = field(default_factory=list)  # by reason
    units_by_block: list[Count_] = field(default_factory=list)  # key = block id

    @property
    def orgs(self) -> int:
        return sum(c.count for c in self.orgs_by_kind)

    @property
    def not_rated_total(self) -> int:
        return sum(c.count for c in self.not_rated)

    @property
    def units(self) -> int:
        return sum(c.count for c in self.units_by_block)


def dashboard(scope: Scope, on: dt.date) -> Dashboard:
    """Counts for the home page: three queries, whatever the size of the deployment.

    A member not rated is counted under the first reason that applies, in the order of
    members.models.not_rated_reason: exempt, suspended, admitted less than 6 months before.
    """
    board = Dashboard(on=on)
    kinds = dict(
        PartyOrganization.objects.filter(pk__in=visible_orgs(scope).values("pk"), is_active=True)
        .values_list("kind").annotate(n=Count("pk")).order_by()
    )
    board.orgs_by_kind = [Count_(k.label, kinds[k.value], k.value) for k in OrgKind if kinds.get(k.value)]

    cutoff = newest_rateable_admission(on)
    plain = Q(is_exempt=False, is_suspended=False)
    totals = (
        visible_members(scope).filter(is_active=True)
        .annotate(is_exempt=covering(Exemption, on), is_suspended=covering(Suspension, on))
        .aggregate(
            total=Count("pk"),
            exempt=Count("pk", filter=Q(is_exempt=True)),
            suspended=Count("pk", filter=Q(is_exempt=False, is_suspended=True)),
            new=Count("pk", filter=plain & Q(admitted_on__gt=cutoff)),
        )
    )
    board.members = totals["total"]
    board.not_rated = [
        Count_(NotRatedReason.EXEMPT.label, totals["exempt"], NotRatedReason.EXEMPT.value),
        Count_(NotRatedReason.SUSPENDED.label, totals["suspended"], NotRatedReason.SUSPENDED.value),
        Count_(NotRatedReason.NEW.label, totals["new"], NotRatedReason.NEW.value),
    ]
    board.rated = board.members - board.not_rated_total

    per_block = (
        visible_units(scope).filter(is_active=True)
        .values("block_id", "block__name", "block__sort_order", "block__code")
        .annotate(n=Count("pk"))
        .order_by("block__sort_order", "block__code")
    )
    board.units_by_block = [Count_(row["block__name"], row["n"], str(row["block_id"])) for row in per_block]
    return board


def blocks_with_unit_counts() -> QuerySet[Block]:
    """Blocks with `active_units`: one query."""
    return Block.objects.annotate(active_units=Count("units", filter=Q(units__is_active=True)))


def position_groups_with_counts() -> QuerySet[PositionGroup]:
    """Position groups with `positions_held` (current or past posts): one query."""
    return PositionGroup.objects.annotate(positions_held=Count("positions"))


# ---------------------------------------------------------------------------------------------
# User accounts
# ---------------------------------------------------------------------------------------------


def user_list(text: str = "") -> QuerySet:
    """Accounts with their roles, scopes and member, for one page: three queries (with the count)."""
    User = get_user_model()
    qs = User.objects.select_related("member").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("organization", "unit").order_by("role", "pk"),
        )
    ).order_by("-is_active", "username")
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(username__icontains=text) | Q(last_name__icontains=text) | Q(first_name__icontains=text)
        )
    return qs


def user_detail(pk) -> object:
    """One account with its roles and member (raises DoesNotExist)."""
    return user_list().get(pk=pk)


def scope_label(assignment: RoleAssignment) -> str:
    """Where a role applies, in words."""
    if assignment.unit_id:
        return assignment.unit.name
    if assignment.organization_id:
        return f"{assignment.organization.name} và các tổ chức trực thuộc"
    return "Toàn Đảng bộ"


# ---------------------------------------------------------------------------------------------
# Audit trail
# ---------------------------------------------------------------------------------------------

ACTION_LABELS = {
    "member_create": "Thêm đảng viên",
    "member_update": "Sửa hồ sơ đảng viên",
    "member_transfer": "Chuyển sinh hoạt",
    "member_exempt": "Miễn công tác và sinh hoạt đảng",
    "member_suspend": "Đình chỉ sinh hoạt đảng",
    "member_exempt_end": "Kết thúc miễn công tác và sinh hoạt đảng",
    "member_suspend_end": "Kết thúc đình chỉ sinh hoạt đảng",
    "member_temporary": "Sinh hoạt tạm thời",
    "member_temporary_end": "Kết thúc sinh hoạt tạm thời",
    "discipline_record": "Ghi kỷ luật",
    "position_add": "Thêm chức vụ",
    "position_end": "Thôi giữ chức vụ",
    "org_create": "Thêm tổ chức đảng",
    "org_update": "Sửa tổ chức đảng",
    "org_move": "Chuyển tổ chức đảng sang cấp trên khác",
    "org_deactivate": "Ngừng hoạt động tổ chức đảng",
    "unit_create": "Thêm cơ quan, đơn vị",
    "unit_update": "Sửa cơ quan, đơn vị",
    "unit_deactivate": "Ngừng hoạt động cơ quan, đơn vị",
    "block_create": "Thêm khối",
    "block_update": "Sửa khối",
    "position_group_create": "Thêm nhóm chức danh",
    "position_group_update": "Sửa nhóm chức danh",
    "user_create": "Tạo tài khoản",
    "user_update": "Sửa tài khoản",
    "user_deactivate": "Khóa tài khoản",
    "user_activate": "Mở lại tài khoản",
    "role_assign": "Giao vai trò",
    "role_remove": "Bỏ vai trò",
    "role_narrowed": "Đổi vai trò theo tổ chức thành Chỉ xem (nâng cấp hệ thống)",
    "password_reset": "Đặt mật khẩu tạm thời",
    "password_change": "Tự đổi mật khẩu",
    "workbook.create": "Nhập từ Excel: thêm",
    "workbook.update": "Nhập từ Excel: cập nhật",
    "admin_add": "Thêm (trang quản trị)",
    "admin_change": "Sửa (trang quản trị)",
    "admin_delete": "Xóa (trang quản trị)",
    "seed_demo": "Tạo dữ liệu mẫu",
    "demo_account_created": "Tạo tài khoản dùng thử",
    "demo_account_reset": "Đặt lại tài khoản dùng thử",
    "framework.create": "Tạo khung tiêu chí",
    "framework.copy": "Sao chép khung tiêu chí",
    "framework.import": "Nhập khung tiêu chí",
    "framework.update_settings": "Sửa thiết lập khung tiêu chí",
    "framework.save_criteria": "Sửa tiêu chí",
    "framework.save_caps": "Sửa mức trần theo trường hợp",
    "framework.activate": "Áp dụng khung tiêu chí",
    "framework.deactivate": "Ngừng áp dụng khung tiêu chí",
    "framework.load_default": "Nạp khung tiêu chí mặc định",
    "framework.refresh_default": "Cập nhật khung tiêu chí mặc định",
    "rating.create": "Tạo phiếu xếp loại",
    "rating.set_levels": "Ghi mức xếp loại",
    "rating.decide": "Quyết định xếp loại",
    "rating.rerate": "Xếp loại lại",
}

OBJECT_TYPE_LABELS = {
    "members.Member": "Đảng viên",
    "members.LeaderPosition": "Chức vụ lãnh đạo, quản lý",
    "members.PositionGroup": "Nhóm chức danh",
    "orgs.PartyOrganization": "Tổ chức đảng",
    "orgs.Unit": "Cơ quan, đơn vị",
    "orgs.Block": "Khối",
    "orgs.RoleAssignment": "Phân quyền",
    "auth.User": "Tài khoản",
    "appraisal.Framework": "Khung tiêu chí",
    "appraisal.Period": "Kỳ đánh giá",
    "appraisal.Rating": "Xếp loại",
}

# Keys the services write, labelled (these win over the model's verbose names), and, for keys that
# name another object, the model their primary keys point to.
KEY_LABELS = {
    "cell": "Chi bộ sinh hoạt", "to_cell": "Đến chi bộ", "from_cell": "Từ chi bộ",
    "parent": "Trực thuộc", "organization": "Tổ chức đảng", "party_organization": "Tổ chức đảng",
    "unit": "Cơ quan, đơn vị", "block": "Khối", "group": "Nhóm chức danh", "member": "Đảng viên",
    "role": "Vai trò", "kind": "Loại", "moved_on": "Ngày chuyển", "note": "Ghi chú",
    "start_on": "Từ ngày", "end_on": "Đến ngày", "reason": "Lý do", "discipline_id": "Mã quyết định kỷ luật",
    "username": "Tên đăng nhập", "last_name": "Họ và tên đệm", "first_name": "Tên",
    "is_active": "Đang hoạt động", "form": "Hình thức kỷ luật", "scope": "Phạm vi",
    "members": "Số đảng viên", "units": "Số cơ quan, đơn vị", "organizations": "Số tổ chức đảng",
    "place": "Nơi sinh hoạt tạm thời", "seed": "Hạt giống", "reference": "Ngày mốc dữ liệu", "digest": "Mã kiểm tra nội dung",
}
KEY_MODELS = {
    "cell": PartyOrganization, "to_cell": PartyOrganization, "from_cell": PartyOrganization,
    "parent": PartyOrganization, "organization": PartyOrganization,
    "party_organization": PartyOrganization, "unit": Unit, "block": Block, "group": PositionGroup,
    "member": Member,
}
KEY_CHOICES = {
    "role": dict(Role.choices), "kind": dict(OrgKind.choices), "form": dict(DisciplineForm.choices),
}


def object_type_choices() -> list[tuple[str, str]]:
    """Object types for the audit filter, labelled in Vietnamese."""
    return sorted(OBJECT_TYPE_LABELS.items(), key=lambda kv: kv[1])


def object_type_label(object_type: str) -> str:
    """"Đảng viên" for "members.Member": our label, else the model's Vietnamese name."""
    if object_type in OBJECT_TYPE_LABELS:
        return OBJECT_TYPE_LABELS[object_type]
    model = _model_of(object_type)
    return capfirst(model._meta.verbose_name) if model else object_type


def _model_of(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    """The model's own (concrete) field named `key`; reverse relations do not count."""
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return found if found.concrete else None


@dataclass(frozen=True)
class ChangeLine:
    """One changed field, readable: "Tên: Chi bộ thôn 1 → Chi bộ thôn Nà Bó"."""

    label: str
    old: str | None  # None when the entry records a value, not a change
    new: str


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    action: str
    object_type: str
    lines: tuple[ChangeLine, ...]


def _related_model(model, key: str):
    f = _field(model, key)
    if f is not None and f.is_relation and f.many_to_one:
        return f.related_model
    return KEY_MODELS.get(key)


def _names_of(entries) -> dict[tuple, str]:
    """Names of every object the entries' changes point to: one query per kind of object."""
    wanted: dict[type, set[str]] = {}
    for entry in entries:
        model = _model_of(entry.object_type)
        for key, value in (entry.changes or {}).items():
            related = _related_model(model, key)
            if related is None:
                continue
            for v in value if isinstance(value, list) else [value]:
                if v not in (None, ""):
                    wanted.setdefault(related, set()).add(str(v))
    names = {}
    for related, pks in wanted.items():
        valid = [pk for pk in pks if pk.isdigit()]
        for obj in related.objects.filter(pk__in=valid):
            names[(related, str(obj.pk))] = str(obj)
    return names


def _show(value, *, model, key: str, names: dict) -> str:
    """A stored value as the Vietnamese page shows it."""
    if value is None or value == "":
        return "—"
    related = _related_model(model, key)
    if related is not None:
        return names.get((related, str(value)), f"(đã xóa, mã {value})")
    f = _field(model, key)
    choices = dict(f.flatchoices) if f is not None and f.choices else KEY_CHOICES.get(key)
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and (day := parse_date(value)):
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return str(value)


def _label(model, key: str) -> str:
    """The label of a changed key: ours first (Django's own user fields read poorly), then the model's."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    f = _field(model, key)
    if f is not None and getattr(f, "verbose_name", None):
        label = str(f.verbose_name)
        return label[:1].upper() + label[1:]
    return key


def audit_rows(entries) -> list[AuditRow]:
    """Readable rows for a page of entries: field labels and values in Vietnamese."""
    entries = list(entries)
    names = _names_of(entries)
    rows = []
    for entry in entries:
        model = _model_of(entry.object_type)
        lines = []
        changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
        for key, value in changes.items():
            show = {"model": model, "key": key, "names": names}
            if isinstance(value, list) and len(value) == 2:
                lines.append(ChangeLine(_label(model, key), _show(value[0], **show), _show(value[1], **show)))
            else:
                lines.append(ChangeLine(_label(model, key), None, _show(value, **show)))
        rows.append(AuditRow(
            entry=entry,
            action=ACTION_LABELS.get(entry.action, entry.action),
            object_type=object_type_label(entry.object_type),
            lines=tuple(lines),
        ))
    return rows


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(
    *,
    object_type: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The audit trail, newest first, filtered; `actor` matches username or name, without case.

    Dates are local (Asia/Ho_Chi_Minh) days: `date_to` includes the whole day.
    """
    qs = AuditEntry.objects.select_related("actor")
    if object_type:
        qs = qs.filter(object_type=object_type)
    actor = actor.strip()
    if actor:
        qs = qs.filter(
            Q(actor__username__icontains=actor) | Q(actor__last_name__icontains=actor)
            | Q(actor__first_name__icontains=actor)
        )
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def object_history(obj) -> QuerySet[AuditEntry]:
    """Entries about one object, newest first; a member's include those of their posts."""
    qs = AuditEntry.objects.select_related("actor")
    q = Q(object_type=obj._meta.label, object_id=str(obj.pk))
    if isinstance(obj, Member):
        posts = LeaderPosition.objects.filter(member=obj).values_list("pk", flat=True)
        q |= Q(object_type=LeaderPosition._meta.label, object_id__in=[str(pk) for pk in posts])
    return qs.filter(q).order_by("-at", "-id")
