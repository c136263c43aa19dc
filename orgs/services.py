"""The only writers of the tree, the units and the blocks.

Every service is keyword-only, runs in one transaction, refuses a user who is not
party-building staff (the views check too), validates with Vietnamese messages keyed by form
field, and records the change in the audit trail. Edits of a row two staff may open at once
carry the fingerprint of the row as the form showed it (core.services).
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record_change
from core.scope import Scope
from core.services import (
    apply_changes,
    code_errors,
    fmt_day,
    locked,
    name_errors,
    padded,
    raise_if,
    require_staff,
    save_unique,
)
from core.vntext import nfc

from .models import Block, OrgKind, PartyOrganization, Unit

# ---------------------------------------------------------------------------------------------
# Pure rules
# ---------------------------------------------------------------------------------------------

#: Which kinds of organisation each kind may sit under; None = the top of the deployment
#: [DOMAIN §2]. A deployment may be rooted at any level, so only the relation is fixed.
PARENT_KINDS: dict[str, tuple[str | None, ...]] = {
    OrgKind.ROOT: (None,),
    OrgKind.BASE_PARTY: (OrgKind.ROOT,),
    OrgKind.BASE_CELL: (OrgKind.ROOT,),
    OrgKind.ROOT_CELL: (OrgKind.ROOT,),
    OrgKind.SUB_CELL: (OrgKind.BASE_PARTY,),
    OrgKind.GROUP: (OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL),
}


def placement_error(kind: str, parent_kind: str | None) -> str | None:
    """Why an organisation of `kind` cannot sit under a parent of `parent_kind`, or None.

    `parent_kind` None means "at the top of the deployment".
    """
    if kind not in PARENT_KINDS:
        return "Loại tổ chức đảng không hợp lệ."
    allowed = PARENT_KINDS[kind]
    if parent_kind in allowed:
        return None
    label = OrgKind(kind).label
    if allowed == (None,):
        return f"“{label}” là cấp cao nhất của Đảng bộ, không trực thuộc tổ chức nào."
    places = " hoặc ".join(f"“{OrgKind(k).label}”" for k in allowed)
    if parent_kind is None:
        return f"“{label}” phải trực thuộc {places}; chưa chọn tổ chức cấp trên."
    return f"“{label}” chỉ trực thuộc {places}, không trực thuộc “{OrgKind(parent_kind).label}”."


# ---------------------------------------------------------------------------------------------
# Party organisations
# ---------------------------------------------------------------------------------------------

ORG_FIELDS = ("name", "code", "established_on", "sort_order", "parent_id", "is_active")


def _established_errors(established_on: date | None) -> dict:
    if established_on is None:
        return {}
    if established_on > timezone.localdate():
        return {"established_on": [f"Ngày thành lập ({fmt_day(established_on)}) không được sau ngày hôm nay."]}
    return {}


@transaction.atomic
def org_create(
    *,
    actor,
    scope: Scope,
    parent: PartyOrganization | None,
    kind: str,
    code: str,
    name: str,
    established_on: date | None = None,
    sort_order: int = 0,
) -> PartyOrganization:
    """Create an organisation under `parent` (None: the top); its kind must fit the parent."""
    require_staff(scope)
    errors: dict[str, list[str]] = {}
    problem = placement_error(kind, parent.kind if parent else None)
    if problem:
        errors["kind"] = [problem]
    if parent is not None and not parent.is_active:
        errors["parent"] = [f"“{parent}” đã ngừng hoạt động; không thể thêm tổ chức trực thuộc."]
    if parent is None and kind == OrgKind.ROOT and PartyOrganization.objects.filter(parent=None).exists():
        errors["kind"] = ["Đảng bộ đã có tổ chức cấp cao nhất; tổ chức mới phải trực thuộc một tổ chức đã có."]
    errors |= code_errors(PartyOrganization, code)
    errors |= name_errors(name, "tên tổ chức đảng")
    errors |= _established_errors(established_on)
    raise_if(errors)
    org = PartyOrganization(
        parent=parent, kind=kind, code=code.strip(), name=" ".join(nfc(name).split()),
        established_on=established_on, sort_order=sort_order,
    )
    save_unique(org)
    record_change(
        actor=actor, action="org_create", obj=org,
        changes={"parent": parent, "kind": kind, "code": org.code, "name": org.name,
                 "established_on": established_on},
    )
    return org


@transaction.atomic
def org_update(
    *,
    actor,
    scope: Scope,
    org: PartyOrganization,
    fingerprint: str,
    name: str,
    code: str,
    established_on: date | None,
    sort_order: int = 0,
) -> PartyOrganization:
    """Change an organisation's name, code, date of establishment and order among its siblings."""
    require_staff(scope)
    org = locked(org, ORG_FIELDS, fingerprint)
    errors = code_errors(PartyOrganization, code, exclude_pk=org.pk)
    errors |= name_errors(name, "tên tổ chức đảng")
    errors |= _established_errors(established_on)
    raise_if(errors)
    diff = apply_changes(org, {
        "name": " ".join(nfc(name).split()), "code": code.strip(),
        "established_on": established_on, "sort_order": sort_order,
    })
    save_unique(org)
    if diff:
        record_change(actor=actor, action="org_update", obj=org, changes=diff)
    return org


@transaction.atomic
def org_move(
    *, actor, scope: Scope, org: PartyOrganization, parent: PartyOrganization, fingerprint: str
) -> PartyOrganization:
    """Move an organisation (and its whole subtree) under another parent; no cycles.

    PartyOrganization.save rewrites the materialised path of every descendant.
    """
    require_staff(scope)
    org = locked(org, ORG_FIELDS, fingerprint)
    errors: dict[str, list[str]] = {}
    if parent.path.startswith(org.path):
        errors["parent"] = [
            f"Không thể chuyển “{org}” vào chính nó hoặc một tổ chức trực thuộc nó (“{parent}”)."
        ]
    elif parent.pk == org.parent_id:
        errors["parent"] = [f"“{org}” đang trực thuộc “{parent}”; hãy chọn tổ chức khác."]
    elif not parent.is_active:
        errors["parent"] = [f"“{parent}” đã ngừng hoạt động."]
    else:
        problem = placement_error(org.kind, parent.kind)
        if problem:
            errors["parent"] = [problem]
    raise_if(errors)
    old_parent = org.parent
    org.parent = parent
    org.save()
    record_change(actor=actor, action="org_move", obj=org, changes={"parent": (old_parent, parent)})
    return org


def deactivation_blockers(org: PartyOrganization) -> tuple[int, int]:
    """(active members in the organisation itself, its active sub-organisations)."""
    members = org.members.filter(is_active=True).count()
    children = PartyOrganization.objects.filter(parent=org, is_active=True).count()
    return members, children


@transaction.atomic
def org_deactivate(*, actor, scope: Scope, org: PartyOrganization, fingerprint: str) -> PartyOrganization:
    """Mark an organisation as no longer active: refused while it has active members or children."""
    require_staff(scope)
    org = locked(org, ORG_FIELDS, fingerprint)
    if not org.is_active:
        raise ValidationError(f"“{org}” đã ngừng hoạt động từ trước.")
    members, children = deactivation_blockers(org)
    if members or children:
        still = []
        if members:
            still.append(f"{padded(members)} đảng viên đang sinh hoạt")
        if children:
            still.append(f"{padded(children)} tổ chức trực thuộc đang hoạt động")
        todo = []
        if members:
            todo.append("chuyển sinh hoạt các đảng viên")
        if children:
            todo.append("ngừng hoạt động (hoặc chuyển) các tổ chức trực thuộc")
        raise ValidationError(
            f"Chưa thể ngừng hoạt động “{org}”: còn {' và '.join(still)}. "
            f"Hãy {' và '.join(todo)} trước."
        )
    org.is_active = False
    org.save()
    record_change(actor=actor, action="org_deactivate", obj=org, changes={"is_active": (True, False)})
    return org


# ---------------------------------------------------------------------------------------------
# Units, blocks, position groups
# ---------------------------------------------------------------------------------------------

UNIT_FIELDS = (
    "code", "name", "block_id", "party_organization_id", "has_leadership_collective",
    "sort_order", "is_active",
)


def _unit_errors(*, code, name, party_organization, exclude_pk=None) -> dict[str, list[str]]:
    errors = code_errors(Unit, code, exclude_pk=exclude_pk)
    errors |= name_errors(name, "tên cơ quan, đơn vị")
    if party_organization is not None and not party_organization.is_active:
        errors["party_organization"] = [f"“{party_organization}” đã ngừng hoạt động."]
    return errors


@transaction.atomic
def unit_create(
    *,
    actor,
    scope: Scope,
    code: str,
    name: str,
    block: Block,
    party_organization: PartyOrganization | None = None,
    has_leadership_collective: bool = True,
    sort_order: int = 0,
) -> Unit:
    """Add a unit of the political system to a block."""
    require_staff(scope)
    raise_if(_unit_errors(code=code, name=name, party_organization=party_organization))
    unit = Unit(
        code=code.strip(), name=" ".join(nfc(name).split()), block=block,
        party_organization=party_organization, has_leadership_collective=has_leadership_collective,
        sort_order=sort_order,
    )
    save_unique(unit)
    record_change(
        actor=actor, action="unit_create", obj=unit,
        changes={"code": unit.code, "name": unit.name, "block": block,
                 "party_organization": party_organization,
                 "has_leadership_collective": has_leadership_collective},
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor,
    scope: Scope,
    unit: Unit,
    fingerprint: str,
    code: str,
    name: str,
    block: Block,
    party_organization: PartyOrganization | None,
    has_leadership_collective: bool,
    sort_order: int = 0,
) -> Unit:
    """Change a unit: its name, code, block, party organisation, whether its leadership is rated."""
    require_staff(scope)
    unit = locked(unit, UNIT_FIELDS, fingerprint)
    raise_if(_unit_errors(code=code, name=name, party_organization=party_organization, exclude_pk=unit.pk))
    diff = apply_changes(unit, {
        "code": code.strip(), "name": " ".join(nfc(name).split()), "block": block,
        "party_organization": party_organization,
        "has_leadership_collective": has_leadership_collective, "sort_order": sort_order,
    })
    save_unique(unit)
    if diff:
        record_change(actor=actor, action="unit_update", obj=unit, changes=diff)
    return unit


@transaction.atomic
def unit_deactivate(*, actor, scope: Scope, unit: Unit, fingerprint: str) -> Unit:
    """Mark a unit as no longer active: refused while people still hold posts in it."""
    require_staff(scope)
    unit = locked(unit, UNIT_FIELDS, fingerprint)
    if not unit.is_active:
        raise ValidationError(f"“{unit}” đã ngừng hoạt động từ trước.")
    today = timezone.localdate()
    holding = unit.positions.filter(start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    ).count()
    if holding:
        raise ValidationError(
            f"Chưa thể ngừng hoạt động “{unit}”: còn {padded(holding)} người đang giữ chức vụ "
            "lãnh đạo, quản lý tại đây. Hãy ghi thôi giữ chức vụ cho họ trước."
        )
    unit.is_active = False
    unit.save()
    record_change(actor=actor, action="unit_deactivate", obj=unit, changes={"is_active": (True, False)})
    return unit


BLOCK_FIELDS = ("code", "name", "sort_order")


@transaction.atomic
def block_create(*, actor, scope: Scope, code: str, name: str, sort_order: int = 0) -> Block:
    """Add a block (khối) in which reports group the units."""
    require_staff(scope)
    raise_if(code_errors(Block, code) | name_errors(name, "tên khối"))
    block = Block(code=code.strip(), name=" ".join(nfc(name).split()), sort_order=sort_order)
    save_unique(block)
    record_change(actor=actor, action="block_create", obj=block,
                  changes={"code": block.code, "name": block.name, "sort_order": sort_order})
    return block


@transaction.atomic
def block_update(
    *, actor, scope: Scope, block: Block, fingerprint: str, code: str, name: str, sort_order: int = 0
) -> Block:
    """Rename, recode or reorder a block."""
    require_staff(scope)
    block = locked(block, BLOCK_FIELDS, fingerprint)
    raise_if(code_errors(Block, code, exclude_pk=block.pk) | name_errors(name, "tên khối"))
    diff = apply_changes(block, {"code": code.strip(), "name": " ".join(nfc(name).split()), "sort_order": sort_order})
    save_unique(block)
    if diff:
        record_change(actor=actor, action="block_update", obj=block, changes=diff)
    return block
