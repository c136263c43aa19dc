"""The only writers of the tree, the units and the blocks.

Every service is keyword-only, runs in one transaction, refuses a user who is not
party-building staff (the views check too), validates with orgs.validators (Vietnamese messages
keyed by form field, the same checks as the import and the admin), and records the change in the audit trail. Edits of a row two staff may open at once
carry the version the form was opened with (core.services.claim_version).
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import AuditAction, record_change
from core.scope import Scope
from core.services import (
    apply_changes,
    claim_version,
    code_taken_errors,
    raise_if,
    require_staff,
    save_unique,
)
from core.validators import merge
from core.vntext import clean_code, clean_text
from vnformat import fmt_count

from .models import Block, CodedList, OrgKind, PartyOrganization, PlacementRule, Unit
from .selectors import placement_rules
from .validators import (
    DEFAULT_PLACEMENT,
    code_name_errors,
    org_errors,
    org_fields_errors,
    placement_error,
    placement_rule_errors,
    unit_errors,
)

# ---------------------------------------------------------------------------------------------
# Party organisations
# ---------------------------------------------------------------------------------------------

def _top_errors(kind: str, rules) -> dict[str, list[str]]:
    """A second organisation at the top only to build a level above the present top.

    Staff who leave "Trực thuộc" empty by mistake would otherwise start a second deployment;
    a district or province created to sit above the commune (then moved under) is allowed.
    """
    tops = list(PartyOrganization.objects.filter(parent=None).values_list("kind", flat=True)[:5])
    if tops and not all(kind in rules.get(top, frozenset()) for top in tops):
        return {"kind": ["Đảng bộ đã có tổ chức cấp cao nhất; tổ chức mới phải trực thuộc một tổ chức đã có."]}
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
    code, name = clean_code(code), clean_text(name)
    rules = placement_rules()
    errors = org_errors(
        code=code, name=name, kind=kind, parent_kind=parent.kind if parent else None,
        parent_active=parent is None or parent.is_active, established_on=established_on,
        rules=rules, today=timezone.localdate(), sort_order=sort_order,
    )
    if parent is not None and not parent.is_active:
        errors["parent"] = [f"“{parent}” đã ngừng hoạt động; không thể thêm tổ chức trực thuộc."]
    if parent is None and "kind" not in errors:
        errors |= _top_errors(kind, rules)
    raise_if(merge(errors, code_taken_errors(PartyOrganization, code)))
    org = PartyOrganization(
        parent=parent, kind=kind, code=code, name=name, established_on=established_on, sort_order=sort_order,
    )
    save_unique(org)
    record_change(
        actor=actor, action=AuditAction.ORG_CREATE, obj=org,
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
    version: int,
    name: str,
    code: str,
    established_on: date | None,
    sort_order: int = 0,
    letterhead_superior: str | None = None,
    letterhead_issuer: str | None = None,
    letterhead_place: str | None = None,
) -> PartyOrganization:
    """Change an organisation's name, code, date of establishment, order among its siblings and the
    letterhead its documents print (None leaves a letterhead line as it is)."""
    require_staff(scope)
    org = claim_version(org, version)
    code, name = clean_code(code), clean_text(name)
    raise_if(merge(
        org_fields_errors(code=code, name=name, established_on=established_on,
                          today=timezone.localdate(), sort_order=sort_order),
        code_taken_errors(PartyOrganization, code, exclude_pk=org.pk),
    ))
    letterhead = {
        field: clean_text(value) for field, value in (
            ("letterhead_superior", letterhead_superior), ("letterhead_issuer", letterhead_issuer),
            ("letterhead_place", letterhead_place),
        ) if value is not None
    }
    diff = apply_changes(org, {
        "name": name, "code": code, "established_on": established_on, "sort_order": sort_order, **letterhead,
    })
    save_unique(org)
    if diff:
        record_change(actor=actor, action=AuditAction.ORG_UPDATE, obj=org, changes=diff)
    return org


@transaction.atomic
def org_move(
    *, actor, scope: Scope, org: PartyOrganization, parent: PartyOrganization, version: int
) -> PartyOrganization:
    """Move an organisation (and its whole subtree) under another parent; no cycles.

    PartyOrganization.save rewrites the materialised path of every descendant.
    """
    require_staff(scope)
    org = claim_version(org, version)
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
        problem = placement_error(org.kind, parent.kind, placement_rules())
        if problem:
            errors["parent"] = [problem]
    raise_if(errors)
    old_parent = org.parent
    org.parent = parent
    org.save()
    record_change(actor=actor, action=AuditAction.ORG_MOVE, obj=org, changes={"parent": (old_parent, parent)})
    return org


def deactivation_blockers(org: PartyOrganization) -> tuple[int, int]:
    """(active members in the organisation itself, its active sub-organisations)."""
    members = org.members.filter(is_active=True).count()
    children = PartyOrganization.objects.filter(parent=org, is_active=True).count()
    return members, children


def _deactivate(row, *, actor, scope: Scope, version: int, action: str, refusal):
    """Mark an organisation or a unit as no longer active, unless `refusal(row)` says why not yet."""
    require_staff(scope)
    row = claim_version(row, version)
    if not row.is_active:
        raise ValidationError(f"“{row}” đã ngừng hoạt động từ trước.")
    reason = refusal(row)
    if reason:
        raise ValidationError(f"Chưa thể ngừng hoạt động “{row}”: {reason}")
    row.is_active = False
    row.save()
    record_change(actor=actor, action=action, obj=row, changes={"is_active": (True, False)})
    return row


def _org_refusal(org: PartyOrganization) -> str:
    """What still keeps an organisation active (its members, its active children), or ""."""
    members, children = deactivation_blockers(org)
    if not (members or children):
        return ""
    still = []
    if members:
        still.append(f"{fmt_count(members)} đảng viên đang sinh hoạt")
    if children:
        still.append(f"{fmt_count(children)} tổ chức trực thuộc đang hoạt động")
    todo = []
    if members:
        todo.append("chuyển sinh hoạt các đảng viên")
    if children:
        todo.append("ngừng hoạt động (hoặc chuyển) các tổ chức trực thuộc")
    return f"còn {' và '.join(still)}. Hãy {' và '.join(todo)} trước."


@transaction.atomic
def org_deactivate(*, actor, scope: Scope, org: PartyOrganization, version: int) -> PartyOrganization:
    """Mark an organisation as no longer active: refused while it has active members or children."""
    return _deactivate(org, actor=actor, scope=scope, version=version, action=AuditAction.ORG_DEACTIVATE,
                       refusal=_org_refusal)


# ---------------------------------------------------------------------------------------------
# Units, blocks, position groups
# ---------------------------------------------------------------------------------------------

def _unit_errors(*, code, name, party_organization, sort_order, exclude_pk=None) -> dict[str, list[str]]:
    errors = unit_errors(
        code=code, name=name, sort_order=sort_order,
        party_organization_active=party_organization is None or party_organization.is_active,
    )
    if "party_organization" in errors:
        errors["party_organization"] = [f"“{party_organization}” đã ngừng hoạt động."]
    return merge(errors, code_taken_errors(Unit, code, exclude_pk=exclude_pk))


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
    code, name = clean_code(code), clean_text(name)
    raise_if(_unit_errors(code=code, name=name, party_organization=party_organization, sort_order=sort_order))
    unit = Unit(
        code=code, name=name, block=block,
        party_organization=party_organization, has_leadership_collective=has_leadership_collective,
        sort_order=sort_order,
    )
    save_unique(unit)
    record_change(
        actor=actor, action=AuditAction.UNIT_CREATE, obj=unit,
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
    version: int,
    code: str,
    name: str,
    block: Block,
    party_organization: PartyOrganization | None,
    has_leadership_collective: bool,
    sort_order: int = 0,
) -> Unit:
    """Change a unit: its name, code, block, party organisation, whether its leadership is rated."""
    require_staff(scope)
    unit = claim_version(unit, version)
    code, name = clean_code(code), clean_text(name)
    raise_if(_unit_errors(code=code, name=name, party_organization=party_organization,
                          sort_order=sort_order, exclude_pk=unit.pk))
    diff = apply_changes(unit, {
        "code": code, "name": name, "block": block,
        "party_organization": party_organization,
        "has_leadership_collective": has_leadership_collective, "sort_order": sort_order,
    })
    save_unique(unit)
    if diff:
        record_change(actor=actor, action=AuditAction.UNIT_UPDATE, obj=unit, changes=diff)
    return unit


def _unit_refusal(unit: Unit) -> str:
    """Who still holds a post in the unit today, or ""."""
    holding = unit.positions.current_on(timezone.localdate()).count()
    if not holding:
        return ""
    return (f"còn {fmt_count(holding)} người đang giữ chức vụ lãnh đạo, quản lý tại đây. "
            "Hãy ghi thôi giữ chức vụ cho họ trước.")


@transaction.atomic
def unit_deactivate(*, actor, scope: Scope, unit: Unit, version: int) -> Unit:
    """Mark a unit as no longer active: refused while people still hold posts in it."""
    return _deactivate(unit, actor=actor, scope=scope, version=version, action=AuditAction.UNIT_DEACTIVATE,
                       refusal=_unit_refusal)


@transaction.atomic
def coded_list_create(*, actor, scope: Scope, model: type[CodedList], code: str, name: str,
                      sort_order: int | None = 0) -> CodedList:
    """Add a row to a coded list: a block (khối) in which reports group the units, a position group
    in which the 20 % quota is counted [DOMAIN §7]."""
    require_staff(scope)
    code, name, sort_order = clean_code(code), clean_text(name), sort_order or 0
    raise_if(merge(code_name_errors(code=code, name=name, name_label=model.name_label, sort_order=sort_order),
                   code_taken_errors(model, code)))
    row = model(code=code, name=name, sort_order=sort_order)
    save_unique(row)
    record_change(actor=actor, action=model.audit_create, obj=row,
                  changes={"code": row.code, "name": row.name, "sort_order": sort_order})
    return row


@transaction.atomic
def coded_list_update(*, actor, scope: Scope, row: CodedList, version: int, code: str, name: str,
                      sort_order: int | None = 0) -> CodedList:
    """Rename, recode or reorder a row of a coded list (a block, a position group)."""
    require_staff(scope)
    row = claim_version(row, version)
    code, name, sort_order = clean_code(code), clean_text(name), sort_order or 0
    raise_if(merge(code_name_errors(code=code, name=name, name_label=row.name_label, sort_order=sort_order),
                   code_taken_errors(type(row), code, exclude_pk=row.pk)))
    diff = apply_changes(row, {"code": code, "name": name, "sort_order": sort_order})
    save_unique(row)
    if diff:
        record_change(actor=actor, action=row.audit_update, obj=row, changes=diff)
    return row


# ---------------------------------------------------------------------------------------------
# Placement rules
# ---------------------------------------------------------------------------------------------


def _placements_in_use(kind: str) -> dict[str | None, int]:
    """Parent kind (None: at the top) → how many organisations of `kind` sit there now."""
    rows = PartyOrganization.objects.filter(kind=kind).values_list("parent__kind", flat=True)
    used: dict[str | None, int] = {}
    for parent_kind in rows:
        used[parent_kind] = used.get(parent_kind, 0) + 1
    return used


@transaction.atomic
def placement_rule_update(
    *, actor, scope: Scope, kind: str, top_allowed: bool, parent_kinds: list[str], version: int
) -> PlacementRule:
    """Set where organisations of `kind` may sit; refused while existing ones sit elsewhere."""
    require_staff(scope)
    parent_kinds = sorted(set(parent_kinds), key=OrgKind.values.index) if all(
        k in OrgKind.values for k in parent_kinds) else list(parent_kinds)
    raise_if(placement_rule_errors(kind=kind, top_allowed=top_allowed, parent_kinds=parent_kinds))
    default = DEFAULT_PLACEMENT[kind]
    rule, _ = PlacementRule.objects.get_or_create(kind=kind, defaults={
        "top_allowed": None in default, "parent_kinds": sorted((k for k in default if k), key=OrgKind.values.index),
    })
    rule = claim_version(rule, version)
    allowed = set(parent_kinds) | ({None} if top_allowed else set())
    stranded = {k: n for k, n in _placements_in_use(kind).items() if k not in allowed}
    if stranded:
        where = "; ".join(
            f"{fmt_count(n)} tổ chức " + ("ở cấp cao nhất" if k is None else f"trực thuộc “{OrgKind(k).label}”")
            for k, n in stranded.items()
        )
        raise ValidationError({"parent_kinds": [
            f"Chưa thể bỏ: đang có {where}. Hãy chuyển các tổ chức đó trước."
        ]})
    before = {"top_allowed": rule.top_allowed, "parent_kinds": list(rule.parent_kinds)}
    rule.top_allowed, rule.parent_kinds = top_allowed, parent_kinds
    rule.save(update_fields=["top_allowed", "parent_kinds"])
    diff = {key: (before[key], getattr(rule, key)) for key in before if before[key] != getattr(rule, key)}
    if diff:
        record_change(actor=actor, action=AuditAction.PLACEMENT_RULE_UPDATE, obj=rule, changes=diff)
    return rule
