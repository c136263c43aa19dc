"""The only writers of members and their history: one service per change, each audited.

Every service is keyword-only, runs in one transaction, checks that the user may change the
member (staff anywhere, a secretary in their cell's subtree), validates dates and uniqueness
with Vietnamese messages keyed by form field, and records the change in the audit trail.
"""
from datetime import date
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import AuditAction, record_change
from core.scope import Scope
from core.services import (
    StaleEditError,
    claim_versions,
    raise_if,
)
from core.vntext import clean_code, clean_text
from orgs.models import PartyOrganization, Unit
from orgs.scope import visible_units
from vnformat import fmt_date

from . import validators
from .models import (
    Discipline,
    Exemption,
    LeaderPosition,
    Member,
    MemberStatus,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Tier,
    Transfer,
)
from .signals import member_facts_changed


def _same(value):
    return value


#: How each member field typed in a form is stored (the one normalisation of every path).
CLEANERS = {"full_name": clean_text, "card_number": clean_code}

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
        return validators.cell_errors(kind=None, active=False, field=field)
    return validators.cell_errors(kind=cell.kind, active=cell.is_active, name=cell.name, field=field)


def member_field_errors(fields: dict, *, today: date, exclude_pk: int | None = None) -> dict[str, list[str]]:
    """members.validators.member_errors, and the card number free (one query)."""
    errors = validators.member_errors(
        full_name=fields.get("full_name"), date_of_birth=fields.get("date_of_birth"),
        gender=fields.get("gender"), card_number=fields.get("card_number"),
        admitted_on=fields.get("admitted_on"), official_on=fields.get("official_on"),
        status=fields.get("status"), today=today,
    )
    card = clean_code(fields.get("card_number"))
    if "card_number" not in errors and Member.objects.filter(card_number=card).exclude(pk=exclude_pk).exists():
        errors["card_number"] = [
            f"Số thẻ đảng viên {card} đã có trong hệ thống (của một đảng viên khác). Kiểm tra lại số thẻ."
        ]
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
        "full_name": clean_text(full_name), "date_of_birth": date_of_birth, "gender": gender,
        "card_number": clean_code(card_number), "admitted_on": admitted_on, "official_on": official_on,
        "status": status,
    }
    raise_if(member_field_errors(fields, today=timezone.localdate()))
    member = Member(cell=cell, **fields)
    _save_card_safely(member)
    record_change(
        actor=actor, action=AuditAction.MEMBER_CREATE, obj=member,
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
    changes = {name: CLEANERS.get(name, _same)(value) for name, value in changes.items()}
    fields = {name: getattr(member, name) for name in MEMBER_FIELDS} | changes
    raise_if(member_field_errors(fields, today=timezone.localdate(), exclude_pk=member.pk))
    if claim_versions(Member, [(Member(pk=member.pk), version)]):  # the member as read stays for the diff
        raise StaleEditError(
            "Hồ sơ đảng viên này vừa được người khác sửa sau khi đồng chí mở trang. "
            "Chưa lưu gì: hãy tải lại trang để xem thông tin mới nhất rồi sửa lại."
        )
    diff = {name: (getattr(member, name), value) for name, value in changes.items() if getattr(member, name) != value}
    for name, value in changes.items():
        setattr(member, name, value)
    member.version = version + 1
    _save_card_safely(member)
    record_change(actor=actor, action=AuditAction.MEMBER_UPDATE, obj=member, changes=diff)
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
    last = member.transfers.order_by("-moved_on").values_list("moved_on", flat=True).first()
    errors |= validators.transfer_errors(
        moved_on=moved_on, admitted_on=member.admitted_on, last_moved_on=last, today=timezone.localdate()
    )
    raise_if(errors)
    expected = member.version if version is None else version
    if claim_versions(Member, [(Member(pk=member.pk), expected)], cell_id=to_cell.pk):
        raise StaleEditError(
            "Hồ sơ đảng viên này vừa được người khác thay đổi. Chưa chuyển: hãy tải lại trang rồi thực hiện lại."
        )
    from_cell = member.cell
    transfer = Transfer.objects.create(
        member=member, from_cell=from_cell, to_cell=to_cell, moved_on=moved_on, note=clean_text(note)
    )
    member.cell, member.version = to_cell, expected + 1
    record_change(
        actor=actor, action=AuditAction.MEMBER_TRANSFER, obj=member,
        changes={"cell": (from_cell, to_cell), "moved_on": moved_on, "note": transfer.note},
    )
    return transfer


def _period_errors(model, member: Member, start_on: date, end_on: date | None, label: str) -> dict:
    """members.validators.period_errors against the member's other periods of the same kind."""
    existing = model.objects.filter(member=member).values_list("start_on", "end_on")
    return validators.period_errors(
        start_on=start_on, end_on=end_on, admitted_on=member.admitted_on, existing=list(existing),
        label=label, today=timezone.localdate(),
    )


# A member's dated statuses: what each is called and the audit actions that start and end it.
class PeriodKind(NamedTuple):
    model: type
    label: str
    start_action: str
    end_action: str


PERIOD_KINDS = {
    "exemption": PeriodKind(
        Exemption, validators.PERIOD_LABELS["exemption"], AuditAction.MEMBER_EXEMPT, AuditAction.MEMBER_EXEMPT_END,
    ),
    "suspension": PeriodKind(
        Suspension, validators.PERIOD_LABELS["suspension"], AuditAction.MEMBER_SUSPEND,
        AuditAction.MEMBER_SUSPEND_END,
    ),
    "temporary": PeriodKind(
        TemporaryActivity, validators.PERIOD_LABELS["temporary"], AuditAction.MEMBER_TEMPORARY,
        AuditAction.MEMBER_TEMPORARY_END,
    ),
}


def _period_kind(kind: str) -> PeriodKind:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    return PERIOD_KINDS[kind]


@transaction.atomic
def period_start(
    *, actor, scope: Scope, member: Member, kind: str, start_on: date, end_on: date | None = None,
    reason: str = "", place: str = "",
):
    """Record from a date an exemption from work and party activities (miễn công tác và sinh hoạt),
    a suspension of party activities (đình chỉ sinh hoạt đảng), each with its `reason`, or temporary
    party activity at `place` (sinh hoạt tạm thời; the member keeps their cell).

    The member's row is locked first, so two people recording at once cannot both pass the
    overlap check.
    """
    model, label, action, _end_action = _period_kind(kind)
    if kind == "temporary":
        fields = {"place": clean_text(place)}
        errors = validators.temporary_place_errors(place=fields["place"])
    else:
        fields, errors = {"reason": clean_text(reason)}, {}
    _require_editor(scope, member.cell)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    raise_if(_period_errors(model, member, start_on, end_on, label) | errors)
    period = model.objects.create(member=member, start_on=start_on, end_on=end_on, **fields)
    record_change(
        actor=actor, action=action, obj=member,
        changes={"start_on": start_on, "end_on": end_on, **fields},
    )
    return period


def current_period(member: Member, kind: str, on: date):
    """The member's exemption, suspension or temporary activity not yet over on `on`, or None.

    Periods of one kind never overlap, so there is at most one open-ended or future-ending one;
    the latest is taken if records made before that rule disagree.
    """
    model = _period_kind(kind).model
    return (
        model.objects.filter(member=member)
        .not_over_on(on)
        .order_by("-start_on", "-pk")
        .first()
    )


@transaction.atomic
def period_end(*, actor, scope: Scope, member: Member, kind: str, end_on: date, version: int | None = None):
    """End the member's current exemption, suspension or temporary activity on `end_on`.

    Only shortens: a later end than the one recorded would be a new decision, recorded anew.
    `version` is the period's version as the user's page showed it: if someone else changed it
    since, nothing is saved and the user is asked to reload.
    """
    _model, label, _start_action, action = _period_kind(kind)
    _require_editor(scope, member.cell)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    period = current_period(member, kind, timezone.localdate())
    if period is None:
        raise ValidationError(f"Đảng viên {member} hiện không có thời gian {label} nào chưa kết thúc.")
    if version is not None and period.version != version:
        raise ValidationError(
            f"Thời gian {label} của đảng viên {member} vừa được người khác sửa sau khi đồng chí mở trang. "
            "Chưa lưu gì: hãy tải lại trang để xem thông tin mới nhất."
        )
    raise_if(validators.period_end_errors(
        start_on=period.start_on, recorded_end=period.end_on, end_on=end_on, label=label,
        today=timezone.localdate(),
    ))
    previous = period.end_on
    period.end_on = end_on
    period.version += 1
    period.save(update_fields=["end_on", "version"])
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
    raise_if(validators.discipline_errors(
        form=form, violation_on=violation_on, decided_on=decided_on, admitted_on=member.admitted_on,
        today=timezone.localdate(),
    ))
    discipline = Discipline.objects.create(
        member=member, form=form, violation_on=violation_on, decided_on=decided_on,
        decision_number=clean_code(decision_number), reason=clean_text(reason),
        related_to_duties=related_to_duties, self_detected_remedied=self_detected_remedied,
    )
    record_change(
        actor=actor, action=AuditAction.DISCIPLINE_RECORD, obj=member,
        changes={
            "form": form, "violation_on": violation_on, "decided_on": decided_on,
            "decision_number": discipline.decision_number, "discipline_id": discipline.pk,
        },
    )
    member_facts_changed.send(
        sender=discipline_record, member_ids={member.pk}, days={violation_on}, actor=actor,
        because=f"ghi kỷ luật {discipline.get_form_display().lower()} (vi phạm ngày {fmt_date(violation_on)})",
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
    title = clean_text(title)
    errors = validators.position_errors(
        title=title, leadership_role=leadership_role, tier=tier, has_unit=unit is not None,
        has_organization=organization is not None, start_on=start_on, end_on=end_on,
        today=timezone.localdate(),
    )
    if unit is not None and not visible_units(scope).filter(pk=unit.pk).exists():
        errors["unit"] = [f"“{unit}” nằm ngoài phạm vi đồng chí phụ trách."]
    if organization is not None and not scope.covers_org(organization):
        errors["organization"] = [f"“{organization}” nằm ngoài phạm vi đồng chí phụ trách."]
    raise_if(errors)
    position = LeaderPosition.objects.create(
        member=member, title=title, leadership_role=leadership_role, group=group,
        start_on=start_on, end_on=end_on, unit=unit, organization=organization, tier=tier,
    )
    record_change(
        actor=actor, action=AuditAction.POSITION_ADD, obj=position,
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
    raise_if(validators.position_end_errors(
        start_on=position.start_on, recorded_end=position.end_on, end_on=end_on, today=timezone.localdate()
    ))
    position.end_on = end_on
    position.save(update_fields=["end_on"])
    record_change(actor=actor, action=AuditAction.POSITION_END, obj=position, changes={"end_on": (None, end_on)})
    return position


# Position groups are a coded list: orgs.services.coded_list_create / coded_list_update write them.
