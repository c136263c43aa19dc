"""The only writers of members and their history: one service per change, each audited.

Every service is keyword-only, runs in one transaction, checks that the user may change the
member (staff anywhere, a secretary in their cell's subtree), validates dates and uniqueness
with Vietnamese messages keyed by form field, and records the change in the audit trail.
"""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.audit import record_change
from core.scope import Scope
from core.services import (
    StaleEditError,
    apply_changes,
    code_errors,
    fingerprint,
    fmt_day,
    locked,
    name_errors,
    raise_if,
    require_staff,
    save_unique,
)
from core.vntext import nfc
from orgs.models import CELL_KINDS, PartyOrganization, Unit
from orgs.scope import visible_units

from .models import (
    Discipline,
    DisciplineForm,
    Exemption,
    Gender,
    LeaderPosition,
    LeadershipRole,
    Member,
    MemberStatus,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Tier,
    Transfer,
)

MEMBER_FIELDS = (
    "full_name", "date_of_birth", "gender", "card_number", "admitted_on", "official_on",
    "status", "is_active",
)


def _require_editor(scope: Scope, org: PartyOrganization) -> None:
    if not scope.edits_org(org):
        raise PermissionDenied(
            "Đồng chí chỉ được thay đổi đảng viên thuộc chi bộ mình phụ trách."
        )


def _check_cell(cell: PartyOrganization | None, field: str = "cell") -> dict[str, list[str]]:
    if cell is None:
        return {field: ["Chưa chọn chi bộ."]}
    if cell.kind not in CELL_KINDS:
        return {field: [f"“{cell}” không phải là chi bộ hoặc tổ đảng; đảng viên sinh hoạt ở chi bộ."]}
    if not cell.is_active:
        return {field: [f"“{cell}” đã ngừng hoạt động."]}
    return {}


def member_field_errors(fields: dict, *, today: date, exclude_pk: int | None = None) -> dict[str, list[str]]:
    """Check a member's fields for coherence: dates in order, status, unique card number."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not nfc(fields.get("full_name")):
        add("full_name", "Chưa nhập họ và tên.")
    if fields.get("gender") not in Gender.values:
        add("gender", "Giới tính không hợp lệ.")
    if fields.get("status") not in MemberStatus.values:
        add("status", "Tình trạng không hợp lệ.")
    born, admitted, official = fields.get("date_of_birth"), fields.get("admitted_on"), fields.get("official_on")
    if admitted is None:
        add("admitted_on", "Chưa nhập ngày vào Đảng.")
    else:
        if admitted > today:
            add("admitted_on", f"Ngày vào Đảng ({fmt_day(admitted)}) không được sau ngày hôm nay.")
        if born and born >= admitted:
            add("date_of_birth", f"Ngày sinh ({fmt_day(born)}) phải trước ngày vào Đảng ({fmt_day(admitted)}).")
        if official and official < admitted:
            add("official_on", f"Ngày chính thức ({fmt_day(official)}) không được trước ngày vào Đảng ({fmt_day(admitted)}).")
    if official and official > today:
        add("official_on", f"Ngày chính thức ({fmt_day(official)}) không được sau ngày hôm nay.")
    if fields.get("status") == MemberStatus.OFFICIAL and not official:
        add("official_on", "Đảng viên chính thức phải có ngày chính thức.")
    if fields.get("status") == MemberStatus.PROBATIONARY and official:
        add("status", "Đảng viên đã có ngày chính thức thì tình trạng phải là “Chính thức”.")
    card = nfc(fields.get("card_number"))
    if not card:
        add("card_number", "Chưa nhập số thẻ đảng viên.")
    elif Member.objects.filter(card_number=card).exclude(pk=exclude_pk).exists():
        add("card_number", f"Số thẻ đảng viên {card} đã có trong hệ thống (của một đảng viên khác). Kiểm tra lại số thẻ.")
    return errors


def _save_card_safely(member: Member) -> None:
    """Save, turning a lost race on the unique card number into a form error."""
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"card_number": [f"Số thẻ đảng viên {member.card_number} đã có trong hệ thống."]}
        ) from exc


@transaction.atomic
def member_create(
    *,
    actor,
    scope: Scope,
    cell: PartyOrganization,
    full_name: str,
    gender: str,
    card_number: str,
    admitted_on: date,
    status: str = MemberStatus.PROBATIONARY,
    official_on: date | None = None,
    date_of_birth: date | None = None,
) -> Member:
    """Add a member to a cell the user may edit."""
    errors = _check_cell(cell)
    raise_if(errors)
    _require_editor(scope, cell)
    fields = {
        "full_name": full_name, "date_of_birth": date_of_birth, "gender": gender,
        "card_number": card_number, "admitted_on": admitted_on, "official_on": official_on,
        "status": status,
    }
    raise_if(member_field_errors(fields, today=timezone.localdate()))
    member = Member(cell=cell, **fields)
    _save_card_safely(member)
    record_change(
        actor=actor, action="member_create", obj=member,
        changes={**fields, "cell": cell},
    )
    return member


@transaction.atomic
def member_update(*, actor, scope: Scope, member: Member, version: int, **changes) -> Member:
    """Change a member's own fields, refusing a form opened before someone else's change.

    `version` is the Member.version the form was opened with; the update claims the next
    version in one conditional UPDATE, so of two concurrent saves exactly one wins.
    """
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"member_update does not change {sorted(unknown)}")
    _require_editor(scope, member.cell)
    fields = {name: getattr(member, name) for name in MEMBER_FIELDS} | changes
    raise_if(member_field_errors(fields, today=timezone.localdate(), exclude_pk=member.pk))
    claimed = Member.objects.filter(pk=member.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise StaleEditError(
            "Hồ sơ đảng viên này vừa được người khác sửa sau khi đồng chí mở trang. "
            "Chưa lưu gì: hãy tải lại trang để xem thông tin mới nhất rồi sửa lại."
        )
    diff = {
        name: (getattr(member, name), value)
        for name, value in changes.items()
        if getattr(member, name) != (nfc(value) if isinstance(value, str) else value)
    }
    for name, value in changes.items():
        setattr(member, name, value)
    member.version = version + 1
    _save_card_safely(member)
    record_change(actor=actor, action="member_update", obj=member, changes=diff)
    return member


@transaction.atomic
def member_transfer(
    *,
    actor,
    scope: Scope,
    member: Member,
    to_cell: PartyOrganization,
    moved_on: date,
    note: str = "",
    version: int | None = None,
) -> Transfer:
    """Move a member to another cell (chuyển sinh hoạt), keeping the move as history.

    The user must be able to edit the member's current cell; the destination may be any
    active cell of the deployment (a secretary transfers out of their own cell).
    """
    _require_editor(scope, member.cell)
    errors = _check_cell(to_cell, "to_cell")
    if not errors and to_cell.pk == member.cell_id:
        errors["to_cell"] = [f"Đảng viên đang sinh hoạt tại “{to_cell}”; chọn chi bộ khác."]
    if not member.is_active:
        errors["__all__"] = ["Đảng viên đã chuyển đi hoặc không còn sinh hoạt; không thể chuyển tiếp."]
    today = timezone.localdate()
    if moved_on > today:
        errors["moved_on"] = [f"Ngày chuyển ({fmt_day(moved_on)}) không được sau ngày hôm nay."]
    elif moved_on < member.admitted_on:
        errors["moved_on"] = [f"Ngày chuyển ({fmt_day(moved_on)}) không được trước ngày vào Đảng ({fmt_day(member.admitted_on)})."]
    else:
        last = member.transfers.order_by("-moved_on").values_list("moved_on", flat=True).first()
        if last and moved_on < last:
            errors["moved_on"] = [f"Ngày chuyển ({fmt_day(moved_on)}) không được trước lần chuyển gần nhất ({fmt_day(last)})."]
    raise_if(errors)
    expected = member.version if version is None else version
    if not Member.objects.filter(pk=member.pk, version=expected).update(
        version=F("version") + 1, cell=to_cell
    ):
        raise StaleEditError(
            "Hồ sơ đảng viên này vừa được người khác thay đổi. Chưa chuyển: hãy tải lại trang rồi thực hiện lại."
        )
    from_cell = member.cell
    transfer = Transfer.objects.create(
        member=member, from_cell=from_cell, to_cell=to_cell, moved_on=moved_on, note=nfc(note)
    )
    member.cell, member.version = to_cell, expected + 1
    record_change(
        actor=actor, action="member_transfer", obj=member,
        changes={"cell": (from_cell, to_cell), "moved_on": moved_on, "note": transfer.note},
    )
    return transfer


def _period_errors(model, member: Member, start_on: date, end_on: date | None, label: str) -> dict:
    errors: dict[str, list[str]] = {}
    if start_on < member.admitted_on:
        errors["start_on"] = [f"Ngày bắt đầu ({fmt_day(start_on)}) không được trước ngày vào Đảng ({fmt_day(member.admitted_on)})."]
    if end_on and end_on < start_on:
        errors["end_on"] = [f"Ngày kết thúc ({fmt_day(end_on)}) không được trước ngày bắt đầu ({fmt_day(start_on)})."]
    if not errors:
        overlap = model.objects.filter(member=member, start_on__lte=end_on or date.max).filter(
            Q(end_on__isnull=True) | Q(end_on__gte=start_on)
        ).first()
        if overlap:
            until = f" đến {fmt_day(overlap.end_on)}" if overlap.end_on else " (chưa kết thúc)"
            errors["start_on"] = [f"Trùng với thời gian {label} đã có: từ {fmt_day(overlap.start_on)}{until}."]
    return errors


def _add_period(model, *, actor, scope: Scope, member: Member, start_on: date, end_on: date | None,
                label: str, action: str, extra_errors: dict | None = None, **fields):
    """Record a dated status (exemption, suspension, temporary activity) after checking scope,
    dates and overlaps; `fields` are the model's other values (reason, place), already clean.

    The member's row is locked first, so two people recording at once cannot both pass the
    overlap check.
    """
    _require_editor(scope, member.cell)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    raise_if(_period_errors(model, member, start_on, end_on, label) | (extra_errors or {}))
    period = model.objects.create(member=member, start_on=start_on, end_on=end_on, **fields)
    record_change(
        actor=actor, action=action, obj=member,
        changes={"start_on": start_on, "end_on": end_on, **fields},
    )
    return period


@transaction.atomic
def member_exempt(
    *, actor, scope: Scope, member: Member, start_on: date, end_on: date | None = None, reason: str = ""
) -> Exemption:
    """Exempt a member from work and party activities (miễn công tác và sinh hoạt) from a date."""
    return _add_period(
        Exemption, actor=actor, scope=scope, member=member, start_on=start_on, end_on=end_on,
        reason=nfc(reason), label="miễn sinh hoạt", action="member_exempt",
    )


@transaction.atomic
def member_suspend(
    *, actor, scope: Scope, member: Member, start_on: date, end_on: date | None = None, reason: str = ""
) -> Suspension:
    """Suspend a member's party activities (đình chỉ sinh hoạt đảng) from a date."""
    return _add_period(
        Suspension, actor=actor, scope=scope, member=member, start_on=start_on, end_on=end_on,
        reason=nfc(reason), label="đình chỉ sinh hoạt", action="member_suspend",
    )


@transaction.atomic
def member_temporary(
    *, actor, scope: Scope, member: Member, place: str, start_on: date, end_on: date | None = None
) -> TemporaryActivity:
    """Record temporary party activity elsewhere (sinh hoạt tạm thời); the member keeps their cell."""
    place = nfc(place or "").strip()
    return _add_period(
        TemporaryActivity, actor=actor, scope=scope, member=member, start_on=start_on, end_on=end_on,
        label="sinh hoạt tạm thời", action="member_temporary", place=place,
        extra_errors=None if place else {"place": ["Chưa nhập nơi sinh hoạt tạm thời."]},
    )


# What a member's dated statuses are called, and the audit action that ends each.
PERIOD_KINDS = {
    "exemption": (Exemption, "miễn công tác và sinh hoạt đảng", "member_exempt_end"),
    "suspension": (Suspension, "đình chỉ sinh hoạt đảng", "member_suspend_end"),
    "temporary": (TemporaryActivity, "sinh hoạt tạm thời", "member_temporary_end"),
}


def current_period(member: Member, kind: str, on: date):
    """The member's exemption, suspension or temporary activity not yet over on `on`, or None.

    Periods of one kind never overlap, so there is at most one open-ended or future-ending one;
    the latest is taken if records made before that rule disagree.
    """
    model = PERIOD_KINDS[kind][0]
    return (
        model.objects.filter(member=member)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .order_by("-start_on", "-pk")
        .first()
    )


PERIOD_FINGERPRINT_FIELDS = ("pk", "start_on", "end_on")


def period_fingerprint(period) -> str:
    """What the end page saw of a period: a form carries it back to detect a concurrent change."""
    return fingerprint(period, PERIOD_FINGERPRINT_FIELDS)


@transaction.atomic
def period_end(*, actor, scope: Scope, member: Member, kind: str, end_on: date, seen: str | None = None):
    """End the member's current exemption, suspension or temporary activity on `end_on`.

    Only shortens: a later end than the one recorded would be a new decision, recorded anew.
    `seen` is `period_fingerprint` of the period as the user's page showed it: if someone else
    changed it since, nothing is saved and the user is asked to reload.
    """
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    _require_editor(scope, member.cell)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    _model, label, action = PERIOD_KINDS[kind]
    period = current_period(member, kind, timezone.localdate())
    if period is None:
        raise ValidationError(f"Đảng viên {member} hiện không có thời gian {label} nào chưa kết thúc.")
    if seen is not None and period_fingerprint(period) != seen:
        raise ValidationError(
            f"Thời gian {label} của đảng viên {member} vừa được người khác sửa sau khi đồng chí mở trang. "
            "Chưa lưu gì: hãy tải lại trang để xem thông tin mới nhất."
        )
    if end_on < period.start_on:
        raise ValidationError({"end_on": [
            f"Ngày kết thúc ({fmt_day(end_on)}) không được trước ngày bắt đầu {label} ({fmt_day(period.start_on)})."
        ]})
    if period.end_on and end_on > period.end_on:
        raise ValidationError({"end_on": [
            f"Ngày kết thúc ({fmt_day(end_on)}) sau ngày kết thúc đã ghi ({fmt_day(period.end_on)}): "
            f"muốn kéo dài, hãy ghi một lần {label} mới."
        ]})
    previous = period.end_on
    period.end_on = end_on
    period.save(update_fields=["end_on"])
    record_change(
        actor=actor, action=action, obj=member,
        changes={"start_on": period.start_on, "end_on": (previous, end_on)},
    )
    return period


@transaction.atomic
def discipline_record(
    *,
    actor,
    scope: Scope,
    member: Member,
    form: str,
    violation_on: date,
    decided_on: date,
    decision_number: str = "",
    reason: str = "",
    related_to_duties: bool = True,
    self_detected_remedied: bool = False,
) -> Discipline:
    """Record a discipline decision against a member."""
    _require_editor(scope, member.cell)
    errors: dict[str, list[str]] = {}
    if form not in DisciplineForm.values:
        errors["form"] = ["Hình thức kỷ luật không hợp lệ."]
    if decided_on < violation_on:
        errors["decided_on"] = [f"Ngày quyết định ({fmt_day(decided_on)}) không được trước ngày vi phạm ({fmt_day(violation_on)})."]
    if decided_on > timezone.localdate():
        errors.setdefault("decided_on", []).append(f"Ngày quyết định ({fmt_day(decided_on)}) không được sau ngày hôm nay.")
    if violation_on < member.admitted_on:
        errors["violation_on"] = [f"Ngày vi phạm ({fmt_day(violation_on)}) trước ngày vào Đảng ({fmt_day(member.admitted_on)}): không thể kỷ luật đảng."]
    raise_if(errors)
    discipline = Discipline.objects.create(
        member=member, form=form, violation_on=violation_on, decided_on=decided_on,
        decision_number=nfc(decision_number), reason=nfc(reason),
        related_to_duties=related_to_duties, self_detected_remedied=self_detected_remedied,
    )
    record_change(
        actor=actor, action="discipline_record", obj=member,
        changes={
            "form": form, "violation_on": violation_on, "decided_on": decided_on,
            "decision_number": discipline.decision_number, "discipline_id": discipline.pk,
        },
    )
    return discipline


@transaction.atomic
def position_add(
    *,
    actor,
    scope: Scope,
    member: Member,
    title: str,
    leadership_role: str,
    group: PositionGroup,
    start_on: date,
    unit: Unit | None = None,
    organization: PartyOrganization | None = None,
    tier: str = Tier.COMMUNE,
    end_on: date | None = None,
) -> LeaderPosition:
    """Record a leadership post held by a member, in a unit or a party organisation."""
    _require_editor(scope, member.cell)
    errors: dict[str, list[str]] = {}
    if not nfc(title):
        errors["title"] = ["Chưa nhập chức vụ."]
    if unit is None and organization is None:
        errors["unit"] = ["Chọn cơ quan, đơn vị hoặc tổ chức đảng nơi giữ chức vụ."]
    if unit is not None and not visible_units(scope).filter(pk=unit.pk).exists():
        errors["unit"] = [f"“{unit}” nằm ngoài phạm vi đồng chí phụ trách."]
    if organization is not None and not scope.covers_org(organization):
        errors["organization"] = [f"“{organization}” nằm ngoài phạm vi đồng chí phụ trách."]
    if leadership_role not in LeadershipRole.values:
        errors["leadership_role"] = ["Vai trò không hợp lệ."]
    if tier not in Tier.values:
        errors["tier"] = ["Diện quản lý không hợp lệ."]
    if end_on and end_on < start_on:
        errors["end_on"] = [f"Ngày kết thúc ({fmt_day(end_on)}) không được trước ngày bắt đầu ({fmt_day(start_on)})."]
    raise_if(errors)
    position = LeaderPosition.objects.create(
        member=member, title=title, leadership_role=leadership_role, group=group,
        start_on=start_on, end_on=end_on, unit=unit, organization=organization, tier=tier,
    )
    record_change(
        actor=actor, action="position_add", obj=position,
        changes={
            "member": member, "title": position.title, "unit": unit, "organization": organization,
            "leadership_role": leadership_role, "group": group, "start_on": start_on, "end_on": end_on,
        },
    )
    return position


@transaction.atomic
def position_end(*, actor, scope: Scope, position: LeaderPosition, end_on: date) -> LeaderPosition:
    """End a post on `end_on` (thôi giữ chức vụ)."""
    _require_editor(scope, position.member.cell)
    position = LeaderPosition.objects.select_for_update().get(pk=position.pk)
    if position.end_on is not None:
        raise ValidationError(
            {"end_on": [f"Chức vụ này đã kết thúc ngày {fmt_day(position.end_on)}."]}
        )
    if end_on < position.start_on:
        raise ValidationError(
            {"end_on": [f"Ngày thôi giữ chức vụ ({fmt_day(end_on)}) không được trước ngày bắt đầu ({fmt_day(position.start_on)})."]}
        )
    position.end_on = end_on
    position.save(update_fields=["end_on"])
    record_change(actor=actor, action="position_end", obj=position, changes={"end_on": (None, end_on)})
    return position


# ---------------------------------------------------------------------------------------------
# Position groups
# ---------------------------------------------------------------------------------------------

GROUP_FIELDS = ("code", "name", "sort_order")


@transaction.atomic
def position_group_create(*, actor, scope: Scope, code: str, name: str, sort_order: int = 0) -> PositionGroup:
    """Add a position group: the peer group in which the 20 % quota is counted [DOMAIN §7]."""
    require_staff(scope)
    raise_if(code_errors(PositionGroup, code) | name_errors(name, "tên nhóm chức danh"))
    group = PositionGroup(code=nfc(code).strip(), name=" ".join(nfc(name).split()), sort_order=sort_order)
    save_unique(group)
    record_change(actor=actor, action="position_group_create", obj=group,
                  changes={"code": group.code, "name": group.name, "sort_order": sort_order})
    return group


@transaction.atomic
def position_group_update(
    *, actor, scope: Scope, group: PositionGroup, fingerprint: str, code: str, name: str, sort_order: int = 0
) -> PositionGroup:
    """Rename, recode or reorder a position group."""
    require_staff(scope)
    group = locked(group, GROUP_FIELDS, fingerprint)
    raise_if(code_errors(PositionGroup, code, exclude_pk=group.pk) | name_errors(name, "tên nhóm chức danh"))
    diff = apply_changes(group, {"code": nfc(code).strip(), "name": " ".join(nfc(name).split()), "sort_order": sort_order})
    save_unique(group)
    if diff:
        record_change(actor=actor, action="position_group_update", obj=group, changes=diff)
    return group
