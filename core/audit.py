"""The audit trail: every service that changes state records one entry here; pages read it here.

Actions are one enumeration, `AuditAction`, with dotted values ("member.update") and Vietnamese
labels: add yours there (a member `NOUN_VERB = "noun.verb", "Vietnamese label"`); recording an
action that is not in it raises, so a typo is caught by the first test that records it.

Values are stored typed, so the pages never guess by shape (a member named "0000-00-00" is a
name, not a date): dates as {"date": "2026-06-24"}, date-times as {"datetime": …}, decimals as
{"decimal": "8.5"}, references to another row as {"ref": "orgs.PartyOrganization", "id": 12};
text, numbers, booleans and None as they are. Pass model instances and they are stored as
references; a caller that holds only a primary key (the workbook import resolving codes) passes
`ref(PartyOrganization, pk)`; a code is never stored where an id belongs.

    record_change(actor=user, action=AuditAction.MEMBER_UPDATE, obj=member,
                  changes={"cell": (old_cell, new_cell), "admitted_on": (old_day, new_day)})
    record_change(actor=user, action=AuditAction.WORKBOOK_CREATE, obj=member,
                  changes={"cell": ref(PartyOrganization, cell_pk), "full_name": "Nguyễn Văn An"})
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from .audit_chain import chain_append
from .dates import fmt_date, format_moment
from .models import AuditEntry


class AuditAction(models.TextChoices):
    """Every change of state the audit trail records, labelled in Vietnamese."""

    MEMBER_CREATE = "member.create", "Thêm đảng viên"
    MEMBER_UPDATE = "member.update", "Sửa hồ sơ đảng viên"
    MEMBER_TRANSFER = "member.transfer", "Chuyển sinh hoạt"
    MEMBER_EXEMPT = "member.exempt", "Miễn công tác và sinh hoạt đảng"
    MEMBER_SUSPEND = "member.suspend", "Đình chỉ sinh hoạt đảng"
    MEMBER_EXEMPT_END = "member.exempt_end", "Kết thúc miễn công tác và sinh hoạt đảng"
    MEMBER_SUSPEND_END = "member.suspend_end", "Kết thúc đình chỉ sinh hoạt đảng"
    MEMBER_TEMPORARY = "member.temporary", "Sinh hoạt tạm thời"
    MEMBER_TEMPORARY_END = "member.temporary_end", "Kết thúc sinh hoạt tạm thời"
    DISCIPLINE_RECORD = "discipline.record", "Ghi kỷ luật"
    POSITION_ADD = "position.add", "Thêm chức vụ"
    POSITION_END = "position.end", "Thôi giữ chức vụ"
    POSITION_GROUP_CREATE = "position_group.create", "Thêm nhóm chức danh"
    POSITION_GROUP_UPDATE = "position_group.update", "Sửa nhóm chức danh"
    ORG_CREATE = "org.create", "Thêm tổ chức đảng"
    ORG_UPDATE = "org.update", "Sửa tổ chức đảng"
    ORG_MOVE = "org.move", "Chuyển tổ chức đảng sang cấp trên khác"
    ORG_DEACTIVATE = "org.deactivate", "Ngừng hoạt động tổ chức đảng"
    PLACEMENT_RULE_UPDATE = "placement_rule.update", "Sửa quy tắc trực thuộc"
    UNIT_CREATE = "unit.create", "Thêm cơ quan, đơn vị"
    UNIT_UPDATE = "unit.update", "Sửa cơ quan, đơn vị"
    UNIT_DEACTIVATE = "unit.deactivate", "Ngừng hoạt động cơ quan, đơn vị"
    BLOCK_CREATE = "block.create", "Thêm khối"
    BLOCK_UPDATE = "block.update", "Sửa khối"
    USER_CREATE = "user.create", "Tạo tài khoản"
    USER_UPDATE = "user.update", "Sửa tài khoản"
    USER_DEACTIVATE = "user.deactivate", "Khóa tài khoản"
    USER_ACTIVATE = "user.activate", "Mở lại tài khoản"
    ROLE_ASSIGN = "role.assign", "Giao vai trò"
    ROLE_REMOVE = "role.remove", "Bỏ vai trò"
    ROLE_NARROW = "role.narrow", "Đổi vai trò theo tổ chức thành Chỉ xem (nâng cấp hệ thống)"
    PASSWORD_RESET = "password.reset", "Đặt mật khẩu tạm thời"
    PASSWORD_CHANGE = "password.change", "Tự đổi mật khẩu"
    SIGNIN_RESUME = "signin.resume", "Mở lại đăng nhập bị tạm dừng"
    WORKBOOK_CREATE = "workbook.create", "Nhập từ Excel: thêm"
    WORKBOOK_UPDATE = "workbook.update", "Nhập từ Excel: cập nhật"
    ADMIN_ADD = "admin.add", "Thêm (trang quản trị)"
    ADMIN_CHANGE = "admin.change", "Sửa (trang quản trị)"
    ADMIN_DELETE = "admin.delete", "Xóa (trang quản trị)"
    DEMO_SEED = "demo.seed", "Tạo dữ liệu mẫu"
    DEMO_ACCOUNT_CREATE = "demo.account_create", "Tạo tài khoản dùng thử"
    DEMO_ACCOUNT_RESET = "demo.account_reset", "Đặt lại tài khoản dùng thử"
    FRAMEWORK_CREATE = "framework.create", "Tạo khung tiêu chí"
    FRAMEWORK_COPY = "framework.copy", "Sao chép khung tiêu chí"
    FRAMEWORK_IMPORT = "framework.import", "Nhập khung tiêu chí"
    FRAMEWORK_UPDATE_SETTINGS = "framework.update_settings", "Sửa thiết lập khung tiêu chí"
    FRAMEWORK_SAVE_CRITERIA = "framework.save_criteria", "Sửa tiêu chí"
    FRAMEWORK_SAVE_CAPS = "framework.save_caps", "Sửa mức trần theo trường hợp"
    FRAMEWORK_ACTIVATE = "framework.activate", "Áp dụng khung tiêu chí"
    FRAMEWORK_DEACTIVATE = "framework.deactivate", "Ngừng áp dụng khung tiêu chí"
    FRAMEWORK_LOAD_DEFAULT = "framework.load_default", "Nạp khung tiêu chí mặc định"
    FRAMEWORK_REFRESH_DEFAULT = "framework.refresh_default", "Cập nhật khung tiêu chí mặc định"
    RATING_CREATE = "rating.create", "Tạo phiếu xếp loại"
    RATING_SET_LEVELS = "rating.set_levels", "Ghi mức xếp loại"
    RATING_DECIDE = "rating.decide", "Quyết định xếp loại"
    RATING_RERATE = "rating.rerate", "Xếp loại lại"
    JOB_START = "job.start", "Bắt đầu công việc nền"
    JOB_SUCCEED = "job.succeed", "Công việc nền đã xong"
    JOB_FAIL = "job.fail", "Công việc nền không thành công"
    JOB_INTERRUPT = "job.interrupt", "Công việc nền bị gián đoạn"
    JOB_RETRY = "job.retry", "Chạy lại công việc nền"
    PERIOD_CREATE = "period.create", "Tạo kỳ đánh giá"
    PERIOD_UPDATE = "period.update", "Sửa hạn của kỳ đánh giá"
    PERIOD_OPEN = "period.open", "Mở kỳ đánh giá"
    PERIOD_CLOSE = "period.close", "Kết thúc kỳ đánh giá"
    RATING_SCORES = "rating.scores", "Chấm điểm"
    RATING_SELF_REVIEW = "rating.self_review", "Bản tự kiểm điểm"
    RATING_SUBMIT = "rating.submit", "Gửi tự đánh giá, chấm điểm"
    RATING_REOPEN = "rating.reopen", "Mở lại để sửa tự đánh giá"
    RATING_PROPOSE = "rating.propose", "Đề xuất mức xếp loại"
    RATING_ADJUST = "rating.adjust", "Điều chỉnh điểm khi thẩm định"
    RATING_VERIFY = "rating.verify", "Thẩm định"
    RATING_UNVERIFY = "rating.unverify", "Bỏ thẩm định (trở về đã đề xuất)"
    RATING_RETURN = "rating.return", "Trả lại đề xuất"
    RATING_ANNOUNCE = "rating.announce", "Thông báo kết quả"
    RATING_SUPERSEDED = "rating.superseded", "Hủy kết quả xếp loại cũ (xếp loại lại)"
    RATING_PRODUCTS = "rating.products", "Danh mục sản phẩm, công việc"
    RATING_PRODUCTS_APPROVE = "rating.products_approve", "Phê duyệt danh mục sản phẩm"
    RATING_OUTCOME = "rating.outcome", "Tính lại kết quả do thay đổi liên quan"
    RATING_AXES = "rating.axes", "Xác định trục kết quả chính, phụ"
    MEETING_RECORD = "meeting.record", "Ghi hội nghị, kết quả kiểm phiếu"
    MEETING_VOID = "meeting.void", "Hủy kết quả hội nghị, kiểm phiếu"
    COMPLAINT_FILE = "complaint.file", "Ghi khiếu nại về xếp loại"
    COMPLAINT_RESOLVE = "complaint.resolve", "Giải quyết khiếu nại về xếp loại"
    REPORT_CREATE = "report.create", "Tạo báo cáo"
    REPORT_UPDATE = "report.update", "Sửa dự thảo báo cáo"
    REPORT_FINALIZE = "report.finalize", "Ban hành báo cáo"
    DECISION_ISSUE = "decision.issue", "Ban hành, ký số quyết định"
    SUMMARY_ISSUE = "summary.issue", "Ban hành, ký số biểu tổng hợp"
    RESULTS_IMPORT = "results.import", "Nhập kết quả xếp loại từ Excel"


@dataclass(frozen=True)
class Ref:
    """A reference to a row by model and primary key, for a caller that holds only the key."""

    label: str  # "orgs.PartyOrganization"
    pk: int | str


def ref(model, pk) -> Ref:
    """A reference to row `pk` of `model` (a model class or "app.Model"), stored as its id."""
    label = model if isinstance(model, str) else model._meta.label
    return Ref(label, pk)


def typed(value):
    """A value as the audit stores it, with its type (see the module docstring)."""
    if isinstance(value, models.Model):
        return {"ref": value._meta.label, "id": value.pk}
    if isinstance(value, Ref):
        return {"ref": value.label, "id": value.pk}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, models.Choices):
        return value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, set, frozenset)):
        return {"list": [typed(v) for v in value]}
    return str(value)


def audit_entry(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """The entry recording that `actor` did `action` (an AuditAction) to `obj`, not yet saved.

    `changes` maps a field to (old, new) or to a value. Bulk writers (the workbook import, the
    scoring grid) make one per row and save them together with `record_changes`.
    """
    action = AuditAction(action)  # an action missing from the enumeration is a programming error
    stored = {}
    for key, value in (changes or {}).items():
        stored[key] = [typed(v) for v in value] if isinstance(value, tuple) else typed(value)
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action.value,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=stored,
    )


def record_change(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Record that `actor` did `action` (an AuditAction) to `obj`; `changes` maps a field to
    (old, new) or to a value."""
    entry = audit_entry(actor=actor, action=action, obj=obj, changes=changes)
    chain_append([entry])
    return entry


def record_changes(entries: list[AuditEntry]) -> None:
    """Save entries made by `audit_entry` together at the end of the audit chain (core.bulk: COPY
    on PostgreSQL), whatever their number."""
    chain_append(list(entries))


def action_label(action: str) -> str:
    """The Vietnamese label of a stored action (the stored value itself if unknown)."""
    try:
        return AuditAction(action).label
    except ValueError:
        return action


ACTION_LABELS = dict(AuditAction.choices)

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
    "appraisal.Decision": "Quyết định xếp loại",
    "core.IssuedDocument": "Văn bản đã ban hành",
    "reports.ImportBatch": "Nhập kết quả xếp loại",
    "core.Job": "Công việc nền",
}

# Keys the services write, labelled (these win over the model's verbose names).
KEY_LABELS = {
    "cell": "Chi bộ sinh hoạt", "to_cell": "Đến chi bộ", "from_cell": "Từ chi bộ",
    "parent": "Trực thuộc", "organization": "Tổ chức đảng", "party_organization": "Tổ chức đảng",
    "unit": "Cơ quan, đơn vị", "block": "Khối", "group": "Nhóm chức danh", "member": "Đảng viên",
    "role": "Vai trò", "kind": "Loại", "moved_on": "Ngày chuyển", "note": "Ghi chú",
    "start_on": "Từ ngày", "end_on": "Đến ngày", "reason": "Lý do", "discipline_id": "Mã quyết định kỷ luật",
    "username": "Tên đăng nhập", "last_name": "Họ và tên đệm", "first_name": "Tên",
    "is_active": "Đang hoạt động", "form": "Hình thức kỷ luật", "scope": "Phạm vi",
    "members": "Số đảng viên", "units": "Số cơ quan, đơn vị", "organizations": "Số tổ chức đảng",
    "place": "Nơi sinh hoạt tạm thời", "is_superuser": "Quản trị hệ thống",
    "paused_until": "Tạm dừng đăng nhập đến", "must_change_password": "Phải đổi mật khẩu",
    "top_allowed": "Được là cấp cao nhất", "parent_kinds": "Trực thuộc được các loại", "seed": "Hạt giống", "reference": "Ngày mốc dữ liệu", "digest": "Mã kiểm tra nội dung",
    "title": "Công việc", "message": "Kết quả", "error": "Lý do",
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


def _refs_in(value):
    """The references a stored value holds (a change [old, new], a list, or one value)."""
    if isinstance(value, list):
        for item in value:
            yield from _refs_in(item)
    elif isinstance(value, dict):
        if "ref" in value and "id" in value:
            yield str(value["ref"]), str(value["id"])
        elif isinstance(value.get("list"), list):
            yield from _refs_in(value["list"])


def _names_of(entries) -> dict[tuple[str, str], str]:
    """Names of every row the entries' changes refer to: one query per kind of row."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for value in changes.values():
            for label, pk in _refs_in(value):
                wanted.setdefault(label, set()).add(pk)
    names = {}
    for label, pks in wanted.items():
        model = _model_of(label)
        valid = [pk for pk in pks if pk.isdigit()]
        if model is None or not valid:
            continue
        for obj in model.objects.filter(pk__in=valid):
            names[(label, str(obj.pk))] = str(obj)
    return names


def _parsed(kind: str, text):
    try:
        return dt.date.fromisoformat(text) if kind == "date" else dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _show_typed(value: dict, names: dict) -> str | None:
    """A typed value (see the module docstring) in Vietnamese, or None if it is not one."""
    if "ref" in value and "id" in value:
        return names.get((str(value["ref"]), str(value["id"])), f"(đã xóa, mã {value['id']})")
    if "date" in value:
        day = _parsed("date", value["date"])
        return fmt_date(day) if day else str(value["date"])
    if "datetime" in value:
        moment = _parsed("datetime", value["datetime"])
        return format_moment(moment) if moment else str(value["datetime"])
    if "decimal" in value:
        return str(value["decimal"]).replace(".", ",")
    if isinstance(value.get("list"), list):
        return ", ".join(_show(v, model=None, key="", names=names) for v in value["list"])
    return None


def _show(value, *, model, key: str, names: dict) -> str:
    """A stored value as the Vietnamese page shows it; text is text, whatever it looks like."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        shown = _show_typed(value, names)
        return shown if shown is not None else str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, str):
        f = _field(model, key)
        if (f is None or not f.choices) and key in KEY_CHOICES:
            label, name = KEY_CHOICES[key]
            f = _model_of(label)._meta.get_field(name)
        choices = dict(f.flatchoices) if f is not None and f.choices else {}
        if value in choices:
            return str(choices[value])
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
            action=action_label(entry.action),
            object_type=object_type_label(entry.object_type),
            lines=tuple(lines),
        ))
    return rows


# Filter days outside these bounds leave that end of the range open: nothing was recorded before
# the software existed, and 31/12/9999 + 1 day does not exist (it used to be a 500).
_FIRST_DAY, _LAST_DAY = dt.date(2000, 1, 1), dt.date(9000, 1, 1)


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
    if date_from and date_from > _FIRST_DAY:
        qs = qs.filter(at__gte=_day_start(min(date_from, _LAST_DAY)))
    if date_to and date_to < _LAST_DAY:
        qs = qs.filter(at__lt=_day_start(max(date_to, _FIRST_DAY) + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def object_history(obj, *, related: QuerySet | None = None) -> QuerySet[AuditEntry]:
    """Entries about one object, newest first, and about the objects of `related` (a member's posts)."""
    qs = AuditEntry.objects.select_related("actor")
    q = Q(object_type=obj._meta.label, object_id=str(obj.pk))
    if related is not None:
        ids = [str(pk) for pk in related.values_list("pk", flat=True)]
        q |= Q(object_type=related.model._meta.label, object_id__in=ids)
    return qs.filter(q).order_by("-at", "-id")
