"""The audit trail: every service that changes state records one entry here; pages read it here."""
import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import capfirst

from .models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def audit_entry(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """The entry recording that `actor` did `action` to `obj`, not yet saved.

    `changes` maps field → (old, new) or a value. Bulk writers (the workbook import) make one
    per row and save them together with `record_changes`.
    """
    plain = {}
    for key, value in (changes or {}).items():
        plain[key] = [_plain(v) for v in value] if isinstance(value, tuple) else _plain(value)
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=plain,
    )


def record_change(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Record that `actor` did `action` to `obj`; `changes` maps field → (old, new) or a value."""
    entry = audit_entry(actor=actor, action=action, obj=obj, changes=changes)
    entry.save()
    return entry


def record_changes(entries: list[AuditEntry]) -> None:
    """Save entries made by `audit_entry`, in a few INSERTs whatever their number."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def record_many(*, actor, action: str, items) -> None:
    """Record one entry per (object, changes) pair of `items`, in one INSERT (a grid of 60 members)."""
    record_changes([audit_entry(actor=actor, action=action, obj=obj, changes=changes) for obj, changes in items])


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
    "period.create": "Tạo kỳ đánh giá",
    "period.update": "Sửa hạn của kỳ đánh giá",
    "period.open": "Mở kỳ đánh giá",
    "period.close": "Kết thúc kỳ đánh giá",
    "rating.scores": "Chấm điểm",
    "rating.self_review": "Bản tự kiểm điểm",
    "rating.submit": "Gửi tự đánh giá, chấm điểm",
    "rating.reopen": "Mở lại để sửa tự đánh giá",
    "rating.propose": "Đề xuất mức xếp loại",
    "rating.adjust": "Điều chỉnh điểm khi thẩm định",
    "rating.verify": "Thẩm định",
    "rating.return": "Trả lại đề xuất",
    "rating.announce": "Thông báo kết quả",
    "rating.superseded": "Hủy kết quả xếp loại cũ (xếp loại lại)",
    "rating.products": "Danh mục sản phẩm, công việc",
    "rating.products_approve": "Phê duyệt danh mục sản phẩm",
    "meeting.record": "Ghi hội nghị, kết quả kiểm phiếu",
    "complaint.file": "Ghi khiếu nại về xếp loại",
    "complaint.resolve": "Giải quyết khiếu nại về xếp loại",
    "report.create": "Tạo báo cáo",
    "report.update": "Sửa dự thảo báo cáo",
    "report.finalize": "Ban hành báo cáo",
    "results.import": "Nhập kết quả xếp loại từ Excel",
    "job.start": "Bắt đầu công việc nền",
    "job.succeed": "Công việc nền đã xong",
    "job.fail": "Công việc nền không thành công",
}

OBJECT_TYPE_LABELS = {
    "members.Member": "Đảng viên",
    "members.LeaderPosition": "Chức vụ lãnh đạo, quản lý",
    "members.PositionGroup": "Nhóm chức danh",
    "orgs.PartyOrganization": "Tổ chức đảng",
    "orgs.Unit": "Cơ quan, đơn vị",
    "orgs.Block": "Khối",
    "core.RoleAssignment": "Phân quyền",
    "auth.User": "Tài khoản",
    "appraisal.Framework": "Khung tiêu chí",
    "appraisal.Period": "Kỳ đánh giá",
    "appraisal.Rating": "Xếp loại",
    "appraisal.Meeting": "Hội nghị bỏ phiếu",
    "appraisal.Complaint": "Khiếu nại về xếp loại",
    "reports.Report": "Báo cáo",
    "reports.ImportBatch": "Nhập kết quả xếp loại",
    "core.Job": "Công việc nền",
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
    "title": "Công việc", "message": "Kết quả", "error": "Lý do",
}
KEY_MODELS = {
    "cell": "orgs.PartyOrganization", "to_cell": "orgs.PartyOrganization",
    "from_cell": "orgs.PartyOrganization", "parent": "orgs.PartyOrganization",
    "organization": "orgs.PartyOrganization", "party_organization": "orgs.PartyOrganization",
    "unit": "orgs.Unit", "block": "orgs.Block", "group": "members.PositionGroup",
    "member": "members.Member",
}
# Keys whose stored value is a choice of this model field ("app.Model", field).
KEY_CHOICES = {
    "role": ("core.RoleAssignment", "role"), "kind": ("orgs.PartyOrganization", "kind"),
    "form": ("members.Discipline", "form"),
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
    label = KEY_MODELS.get(key)
    return _model_of(label) if label else None


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
    if (f is None or not f.choices) and key in KEY_CHOICES:
        label, name = KEY_CHOICES[key]
        f = _model_of(label)._meta.get_field(name)
    choices = dict(f.flatchoices) if f is not None and f.choices else None
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


def object_history(obj, *, related: QuerySet | None = None) -> QuerySet[AuditEntry]:
    """Entries about one object, newest first, and about the objects of `related` (a member's posts)."""
    qs = AuditEntry.objects.select_related("actor")
    q = Q(object_type=obj._meta.label, object_id=str(obj.pk))
    if related is not None:
        ids = [str(pk) for pk in related.values_list("pk", flat=True)]
        q |= Q(object_type=related.model._meta.label, object_id__in=ids)
    return qs.filter(q).order_by("-at", "-id")
