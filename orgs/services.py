"""The only writers of the tree, the units, blocks, position groups and user accounts.

Every service is keyword-only, runs in one transaction, refuses a user who is not
party-building staff (the views check too), validates with Vietnamese messages keyed by form
field, and records the change in the audit trail. Edits of a row two staff may open at once
carry the fingerprint of the row as the form showed it: a save over someone else's change is
refused and changes nothing.
"""
import hashlib
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from members.models import LeaderPosition, Member, PositionGroup

from .audit import record_change
from .models import AccountState, Block, OrgKind, PartyOrganization, Role, RoleAssignment, Unit
from .scope import Scope
from .vntext import nfc

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


#: What each role's scope must be, as RoleAssignment's check constraint requires:
#: (organisation, unit), each "required", "optional" or "forbidden". Staff and the standing
#: committee act on the whole deployment (orgs 0004); a narrower reader is a viewer.
ROLE_SCOPES: dict[str, tuple[str, str]] = {
    Role.SECRETARY: ("required", "forbidden"),
    Role.UNIT_LEADERSHIP: ("forbidden", "required"),
    Role.STAFF: ("forbidden", "forbidden"),
    Role.STANDING: ("forbidden", "forbidden"),
    Role.VIEWER: ("optional", "forbidden"),
}


def role_scope_errors(role: str, *, has_organization: bool, has_unit: bool) -> dict[str, list[str]]:
    """Why a role cannot be given over this scope, keyed by form field (empty if it can)."""
    if role not in ROLE_SCOPES:
        return {"role": ["Vai trò không hợp lệ."]}
    label = Role(role).label
    org_rule, unit_rule = ROLE_SCOPES[role]
    errors: dict[str, list[str]] = {}
    if org_rule == "required" and not has_organization:
        errors["organization"] = [f"Vai trò “{label}” phải gắn với một tổ chức đảng: hãy chọn tổ chức đảng."]
    if org_rule == "forbidden" and has_organization:
        if unit_rule == "forbidden":
            errors["organization"] = [
                f"Vai trò “{label}” áp dụng cho toàn Đảng bộ: để trống ô tổ chức đảng "
                f"(muốn cho xem riêng một tổ chức, hãy giao vai trò “{Role.VIEWER.label}”)."
            ]
        else:
            errors["organization"] = [f"Vai trò “{label}” áp dụng cho một cơ quan, đơn vị: để trống ô tổ chức đảng."]
    if unit_rule == "required" and not has_unit:
        errors["unit"] = [f"Vai trò “{label}” phải gắn với một cơ quan, đơn vị: hãy chọn cơ quan, đơn vị."]
    if unit_rule == "forbidden" and has_unit:
        errors["unit"] = [f"Vai trò “{label}” không gắn với cơ quan, đơn vị: để trống ô cơ quan, đơn vị."]
    return errors


def split_full_name(full_name: str) -> tuple[str, str]:
    """Split a Vietnamese full name into (family and middle names, given name).

    "Vàng A Páo" → ("Vàng A", "Páo"): Django's last_name holds the family and middle names,
    first_name the given name, so "last_name first_name" prints the name in Vietnamese order.
    """
    words = nfc(full_name).split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def padded(count: int) -> str:
    """A count as the documents write it in prose: "03", "12" [DOMAIN §10]."""
    return f"{count:02d}"


def fingerprint(obj: models.Model, fields: tuple[str, ...]) -> str:
    """A short hash of the row's values of `fields`: a form carries it to detect a concurrent edit."""
    values = "\x1f".join(repr(getattr(obj, name)) for name in fields)
    return hashlib.sha256(values.encode()).hexdigest()[:20]


TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def temporary_password() -> str:
    """A random password to read out over the phone: 4-4-4 lowercase letters and digits."""
    chars = "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


# ---------------------------------------------------------------------------------------------
# Shared checks
# ---------------------------------------------------------------------------------------------


class StaleEditError(ValidationError):
    """The row changed since the form was opened; nothing was saved."""


STALE_MESSAGE = (
    "“{obj}” vừa được người khác sửa sau khi đồng chí mở trang. Chưa lưu gì: "
    "hãy tải lại trang để xem thông tin mới nhất rồi sửa lại."
)


def _require_staff(scope: Scope) -> None:
    if not scope.is_staff_member:
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng được thực hiện thao tác này.")


def _require_may_manage(scope: Scope, user) -> None:
    """Staff manage ordinary accounts; an administrator's account only another administrator.

    A temporary password, a closed account or a new name on an administrator's account would
    hand its powers (the admin site, every permission) to whoever set it.
    """
    _require_staff(scope)
    if (user.is_superuser or user.is_staff) and not scope.is_superuser:
        raise PermissionDenied("Tài khoản quản trị hệ thống chỉ do quản trị viên thay đổi.")


def _raise_if(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _locked(obj: models.Model, fields: tuple[str, ...], expected: str) -> models.Model:
    """The row re-read under a lock, or StaleEditError if it changed since `expected` was taken."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if fingerprint(current, fields) != expected:
        raise StaleEditError(STALE_MESSAGE.format(obj=current))
    return current


def _apply(obj: models.Model, changes: dict) -> dict:
    """Set `changes` on `obj`; return field → (old, new) for those that differ."""
    diff = {}
    for name, value in changes.items():
        value = nfc(value) if isinstance(value, str) else value
        old = getattr(obj, name)
        if old != value:
            diff[name] = (old, value)
        setattr(obj, name, value)
    return diff


def _code_errors(model, code: str, exclude_pk=None, field: str = "code") -> dict[str, list[str]]:
    code = nfc(code).strip()
    if not code:
        return {field: ["Chưa nhập mã."]}
    if model.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        return {field: [f"Mã “{code}” đã được dùng cho một {model._meta.verbose_name} khác."]}
    return {}


def _save_unique(obj: models.Model, field: str = "code") -> None:
    """Save, turning a lost race on a unique column into a form error."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({field: [f"“{getattr(obj, field)}” vừa được dùng cho một bản ghi khác."]}) from exc


def _name_errors(name: str, label: str = "tên") -> dict[str, list[str]]:
    return {} if nfc(name).strip() else {"name": [f"Chưa nhập {label}."]}


# ---------------------------------------------------------------------------------------------
# Party organisations
# ---------------------------------------------------------------------------------------------

ORG_FIELDS = ("name", "code", "established_on", "sort_order", "parent_id", "is_active")


def _established_errors(established_on: date | None) -> dict:
    if established_on is None:
        return {}
    if established_on > timezone.localdate():
        return {"established_on": [f"Ngày thành lập ({_d(established_on)}) không được sau ngày hôm nay."]}
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
    _require_staff(scope)
    errors: dict[str, list[str]] = {}
    problem = placement_error(kind, parent.kind if parent else None)
    if problem:
        errors["kind"] = [problem]
    if parent is not None and not parent.is_active:
        errors["parent"] = [f"“{parent}” đã ngừng hoạt động; không thể thêm tổ chức trực thuộc."]
    if parent is None and kind == OrgKind.ROOT and PartyOrganization.objects.filter(parent=None).exists():
        errors["kind"] = ["Đảng bộ đã có tổ chức cấp cao nhất; tổ chức mới phải trực thuộc một tổ chức đã có."]
    errors |= _code_errors(PartyOrganization, code)
    errors |= _name_errors(name, "tên tổ chức đảng")
    errors |= _established_errors(established_on)
    _raise_if(errors)
    org = PartyOrganization(
        parent=parent, kind=kind, code=code.strip(), name=" ".join(nfc(name).split()),
        established_on=established_on, sort_order=sort_order,
    )
    _save_unique(org)
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
    _require_staff(scope)
    org = _locked(org, ORG_FIELDS, fingerprint)
    errors = _code_errors(PartyOrganization, code, exclude_pk=org.pk)
    errors |= _name_errors(name, "tên tổ chức đảng")
    errors |= _established_errors(established_on)
    _raise_if(errors)
    diff = _apply(org, {
        "name": " ".join(nfc(name).split()), "code": code.strip(),
        "established_on": established_on, "sort_order": sort_order,
    })
    _save_unique(org)
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
    _require_staff(scope)
    org = _locked(org, ORG_FIELDS, fingerprint)
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
    _raise_if(errors)
    old_parent = org.parent
    org.parent = parent
    org.save()
    record_change(actor=actor, action="org_move", obj=org, changes={"parent": (old_parent, parent)})
    return org


def deactivation_blockers(org: PartyOrganization) -> tuple[int, int]:
    """(active members in the organisation itself, its active sub-organisations)."""
    members = Member.objects.filter(cell=org, is_active=True).count()
    children = PartyOrganization.objects.filter(parent=org, is_active=True).count()
    return members, children


@transaction.atomic
def org_deactivate(*, actor, scope: Scope, org: PartyOrganization, fingerprint: str) -> PartyOrganization:
    """Mark an organisation as no longer active: refused while it has active members or children."""
    _require_staff(scope)
    org = _locked(org, ORG_FIELDS, fingerprint)
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
    errors = _code_errors(Unit, code, exclude_pk=exclude_pk)
    errors |= _name_errors(name, "tên cơ quan, đơn vị")
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
    _require_staff(scope)
    _raise_if(_unit_errors(code=code, name=name, party_organization=party_organization))
    unit = Unit(
        code=code.strip(), name=" ".join(nfc(name).split()), block=block,
        party_organization=party_organization, has_leadership_collective=has_leadership_collective,
        sort_order=sort_order,
    )
    _save_unique(unit)
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
    _require_staff(scope)
    unit = _locked(unit, UNIT_FIELDS, fingerprint)
    _raise_if(_unit_errors(code=code, name=name, party_organization=party_organization, exclude_pk=unit.pk))
    diff = _apply(unit, {
        "code": code.strip(), "name": " ".join(nfc(name).split()), "block": block,
        "party_organization": party_organization,
        "has_leadership_collective": has_leadership_collective, "sort_order": sort_order,
    })
    _save_unique(unit)
    if diff:
        record_change(actor=actor, action="unit_update", obj=unit, changes=diff)
    return unit


@transaction.atomic
def unit_deactivate(*, actor, scope: Scope, unit: Unit, fingerprint: str) -> Unit:
    """Mark a unit as no longer active: refused while people still hold posts in it."""
    _require_staff(scope)
    unit = _locked(unit, UNIT_FIELDS, fingerprint)
    if not unit.is_active:
        raise ValidationError(f"“{unit}” đã ngừng hoạt động từ trước.")
    today = timezone.localdate()
    holding = LeaderPosition.objects.filter(unit=unit, start_on__lte=today).filter(
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
    _require_staff(scope)
    _raise_if(_code_errors(Block, code) | _name_errors(name, "tên khối"))
    block = Block(code=code.strip(), name=" ".join(nfc(name).split()), sort_order=sort_order)
    _save_unique(block)
    record_change(actor=actor, action="block_create", obj=block,
                  changes={"code": block.code, "name": block.name, "sort_order": sort_order})
    return block


@transaction.atomic
def block_update(
    *, actor, scope: Scope, block: Block, fingerprint: str, code: str, name: str, sort_order: int = 0
) -> Block:
    """Rename, recode or reorder a block."""
    _require_staff(scope)
    block = _locked(block, BLOCK_FIELDS, fingerprint)
    _raise_if(_code_errors(Block, code, exclude_pk=block.pk) | _name_errors(name, "tên khối"))
    diff = _apply(block, {"code": code.strip(), "name": " ".join(nfc(name).split()), "sort_order": sort_order})
    _save_unique(block)
    if diff:
        record_change(actor=actor, action="block_update", obj=block, changes=diff)
    return block


GROUP_FIELDS = ("code", "name", "sort_order")


@transaction.atomic
def position_group_create(*, actor, scope: Scope, code: str, name: str, sort_order: int = 0) -> PositionGroup:
    """Add a position group: the peer group in which the 20 % quota is counted [DOMAIN §7]."""
    _require_staff(scope)
    _raise_if(_code_errors(PositionGroup, code) | _name_errors(name, "tên nhóm chức danh"))
    group = PositionGroup(code=nfc(code).strip(), name=" ".join(nfc(name).split()), sort_order=sort_order)
    _save_unique(group)
    record_change(actor=actor, action="position_group_create", obj=group,
                  changes={"code": group.code, "name": group.name, "sort_order": sort_order})
    return group


@transaction.atomic
def position_group_update(
    *, actor, scope: Scope, group: PositionGroup, fingerprint: str, code: str, name: str, sort_order: int = 0
) -> PositionGroup:
    """Rename, recode or reorder a position group."""
    _require_staff(scope)
    group = _locked(group, GROUP_FIELDS, fingerprint)
    _raise_if(_code_errors(PositionGroup, code, exclude_pk=group.pk) | _name_errors(name, "tên nhóm chức danh"))
    diff = _apply(group, {"code": nfc(code).strip(), "name": " ".join(nfc(name).split()), "sort_order": sort_order})
    _save_unique(group)
    if diff:
        record_change(actor=actor, action="position_group_update", obj=group, changes=diff)
    return group


# ---------------------------------------------------------------------------------------------
# User accounts
# ---------------------------------------------------------------------------------------------

USER_FIELDS = ("username", "last_name", "first_name", "is_active")


def _member_errors(card_number: str, user_pk=None) -> tuple[Member | None, dict]:
    """The member with this card number, free to link to the account, or errors."""
    card = nfc(card_number).strip()
    if not card:
        return None, {}
    member = Member.objects.filter(card_number=card).select_related("user").first()
    if member is None:
        return None, {"card_number": [f"Không có đảng viên nào có số thẻ {card}."]}
    if member.user_id and member.user_id != user_pk:
        return None, {"card_number": [
            f"Đảng viên {member} (số thẻ {card}) đã gắn với tài khoản “{member.user.username}”."
        ]}
    return member, {}


def _link_member(user, member: Member | None) -> tuple[Member | None, Member | None]:
    """Link `member` to `user` (unlinking any previous one); return (old, new)."""
    old = Member.objects.filter(user=user).first()
    if old is not None and (member is None or old.pk != member.pk):
        Member.objects.filter(pk=old.pk).update(user=None)
    if member is not None and (old is None or old.pk != member.pk):
        Member.objects.filter(pk=member.pk).update(user=user)
    return old, member


@transaction.atomic
def user_create(
    *, actor, scope: Scope, username: str, full_name: str = "", card_number: str = ""
) -> tuple[object, str]:
    """Create an account with a temporary password; return (user, password) to show once.

    The full name is split the Vietnamese way (family and middle names, then given name); left
    blank, it is taken from the linked member.
    """
    _require_staff(scope)
    User = get_user_model()
    username = nfc(username).strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["Chưa nhập tên đăng nhập."]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [f"Tên đăng nhập “{username}” đã có người dùng."]
    member, member_errors = _member_errors(card_number)
    errors |= member_errors
    if not nfc(full_name).strip() and member is None:
        errors["full_name"] = ["Chưa nhập họ và tên (hoặc số thẻ đảng viên để lấy họ tên từ hồ sơ)."]
    _raise_if(errors)
    last_name, first_name = split_full_name(full_name or member.full_name)
    password = temporary_password()
    user = User(username=username, last_name=last_name, first_name=first_name)
    user.set_password(password)
    _save_unique(user, "username")
    _link_member(user, member)
    _require_password_change(user)
    record_change(
        actor=actor, action="user_create", obj=user,
        changes={"username": username, "last_name": last_name, "first_name": first_name, "member": member,
                 "must_change_password": True},
    )
    return user, password


@transaction.atomic
def user_update(*, actor, scope: Scope, user, fingerprint: str, full_name: str, card_number: str = ""):
    """Change an account's full name and the member it belongs to."""
    _require_may_manage(scope, user)
    user = _locked(user, USER_FIELDS, fingerprint)
    member, errors = _member_errors(card_number, user_pk=user.pk)
    if not nfc(full_name).strip():
        errors["full_name"] = ["Chưa nhập họ và tên."]
    _raise_if(errors)
    last_name, first_name = split_full_name(full_name)
    diff = _apply(user, {"last_name": last_name, "first_name": first_name})
    user.save(update_fields=["last_name", "first_name"])
    old, new = _link_member(user, member)
    if old != new:
        diff["member"] = (old, new)
    if diff:
        record_change(actor=actor, action="user_update", obj=user, changes=diff)
    return user


@transaction.atomic
def role_assign(
    *,
    actor,
    scope: Scope,
    user,
    role: str,
    organization: PartyOrganization | None = None,
    unit: Unit | None = None,
) -> RoleAssignment:
    """Give a user a role over a scope, checked the way RoleAssignment's constraint requires."""
    _require_staff(scope)
    # Lock the account so two staff giving the same role at once cannot both pass the check below.
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    errors = role_scope_errors(role, has_organization=organization is not None, has_unit=unit is not None)
    if not errors:
        if organization is not None and not organization.is_active:
            errors["organization"] = [f"“{organization}” đã ngừng hoạt động."]
        if unit is not None and not unit.is_active:
            errors["unit"] = [f"“{unit}” đã ngừng hoạt động."]
        if RoleAssignment.objects.filter(user=user, role=role, organization=organization, unit=unit).exists():
            where = organization or unit or "toàn Đảng bộ"
            errors["role"] = [f"Tài khoản “{user.username}” đã có vai trò “{Role(role).label}” ({where})."]
    _raise_if(errors)
    assignment = RoleAssignment.objects.create(user=user, role=role, organization=organization, unit=unit)
    record_change(
        actor=actor, action="role_assign", obj=user,
        changes={"role": role, "organization": organization, "unit": unit},
    )
    return assignment


def _is_whole_staff(assignment: RoleAssignment) -> bool:
    return assignment.role == Role.STAFF and assignment.organization_id is None and assignment.unit_id is None


@transaction.atomic
def role_remove(*, actor, scope: Scope, assignment: RoleAssignment) -> None:
    """Take a role away; staff cannot remove their own last staff role (they would lock themselves out)."""
    _require_staff(scope)
    user = get_user_model().objects.select_for_update().get(pk=assignment.user_id)
    if user.pk == getattr(actor, "pk", None) and _is_whole_staff(assignment):
        others = RoleAssignment.objects.filter(
            user=user, role=Role.STAFF, organization=None, unit=None
        ).exclude(pk=assignment.pk)
        if not others.exists():
            raise ValidationError(
                "Đồng chí không thể tự bỏ vai trò Ban Xây dựng Đảng cuối cùng của mình; "
                "hãy nhờ một đồng chí khác trong Ban thực hiện."
            )
    changes = {"role": assignment.role, "organization": assignment.organization, "unit": assignment.unit}
    assignment.delete()
    record_change(actor=actor, action="role_remove", obj=user, changes=changes)


def _require_password_change(user) -> bool:
    """Make the account change its password at its next request; return whether it already had to."""
    state, _ = AccountState.objects.select_for_update().get_or_create(user=user)
    previous = state.must_change_password
    if not previous:
        state.must_change_password = True
        state.save(update_fields=["must_change_password"])
    return previous


def must_change_password(user) -> bool:
    """Whether the signed-in account holds a temporary password it has not changed yet (one query)."""
    return AccountState.objects.filter(user_id=user.pk, must_change_password=True).exists()


@transaction.atomic
def password_reset(*, actor, scope: Scope, user) -> str:
    """Set a temporary password on the account and return it, to be shown once.

    The account must change it at its next sign-in (orgs.middleware.TemporaryPasswordMiddleware).
    """
    _require_may_manage(scope, user)
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    previous = _require_password_change(user)
    record_change(actor=actor, action="password_reset", obj=user,
                  changes={"must_change_password": (previous, True)})
    return password


@transaction.atomic
def own_password_change(*, user, new_password: str) -> None:
    """A user changes their own password (the form checked the old one and the rules).

    A temporary password is thereby replaced: the account is free to work again.
    """
    user.set_password(new_password)
    user.save(update_fields=["password"])
    cleared = AccountState.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
    changes = {"must_change_password": (True, False)} if cleared else {}
    record_change(actor=user, action="password_change", obj=user, changes=changes)


@transaction.atomic
def user_set_active(*, actor, scope: Scope, user, active: bool):
    """Close an account (it can no longer sign in) or open it again; not one's own."""
    _require_may_manage(scope, user)
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError("Đồng chí không thể tự khóa hoặc mở tài khoản của chính mình.")
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        state = "đang hoạt động" if active else "đã bị khóa"
        raise ValidationError(f"Tài khoản “{user.username}” {state} từ trước.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_change(
        actor=actor, action="user_activate" if active else "user_deactivate", obj=user,
        changes={"is_active": (not active, active)},
    )
    return user
