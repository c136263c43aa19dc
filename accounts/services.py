"""The only writers of user accounts, their roles and passwords."""
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import AuditAction, record_change
from core.models import Role, RoleAssignment
from core.scope import Scope
from core.services import apply_changes, locked, raise_if, require_staff, save_unique
from core.vntext import nfc
from members.models import Member
from orgs.models import PartyOrganization, Unit

from .login import clear_failures, paused_until
from .models import AccountState

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



TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def temporary_password() -> str:
    """A random password to read out over the phone: 4-4-4 lowercase letters and digits."""
    chars = "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def _require_may_manage(scope: Scope, user) -> None:
    """Staff manage ordinary accounts; an administrator's account only another administrator.

    A temporary password, a closed account or a new name on an administrator's account would
    hand its powers (the admin site, every permission) to whoever set it.
    """
    require_staff(scope)
    if (user.is_superuser or user.is_staff) and not scope.is_superuser:
        raise PermissionDenied("Tài khoản quản trị hệ thống chỉ do quản trị viên thay đổi.")


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
    require_staff(scope)
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
    raise_if(errors)
    last_name, first_name = split_full_name(full_name or member.full_name)
    password = temporary_password()
    user = User(username=username, last_name=last_name, first_name=first_name)
    user.set_password(password)
    save_unique(user, "username")
    _link_member(user, member)
    _require_password_change(user)
    record_change(
        actor=actor, action=AuditAction.USER_CREATE, obj=user,
        changes={"username": username, "last_name": last_name, "first_name": first_name, "member": member,
                 "must_change_password": True},
    )
    return user, password


@transaction.atomic
def user_update(*, actor, scope: Scope, user, fingerprint: str, full_name: str, card_number: str = ""):
    """Change an account's full name and the member it belongs to."""
    _require_may_manage(scope, user)
    user = locked(user, USER_FIELDS, fingerprint)
    member, errors = _member_errors(card_number, user_pk=user.pk)
    if not nfc(full_name).strip():
        errors["full_name"] = ["Chưa nhập họ và tên."]
    raise_if(errors)
    last_name, first_name = split_full_name(full_name)
    diff = apply_changes(user, {"last_name": last_name, "first_name": first_name})
    user.save(update_fields=["last_name", "first_name"])
    old, new = _link_member(user, member)
    if old != new:
        diff["member"] = (old, new)
    if diff:
        record_change(actor=actor, action=AuditAction.USER_UPDATE, obj=user, changes=diff)
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
    require_staff(scope)
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
    raise_if(errors)
    assignment = RoleAssignment.objects.create(user=user, role=role, organization=organization, unit=unit)
    record_change(
        actor=actor, action=AuditAction.ROLE_ASSIGN, obj=user,
        changes={"role": role, "organization": organization, "unit": unit},
    )
    return assignment


def _is_whole_staff(assignment: RoleAssignment) -> bool:
    return assignment.role == Role.STAFF and assignment.organization_id is None and assignment.unit_id is None


@transaction.atomic
def role_remove(*, actor, scope: Scope, assignment: RoleAssignment) -> None:
    """Take a role away; staff cannot remove their own last staff role (they would lock themselves out)."""
    require_staff(scope)
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
    record_change(actor=actor, action=AuditAction.ROLE_REMOVE, obj=user, changes=changes)


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

    The account must change it at its next sign-in (accounts.middleware.TemporaryPasswordMiddleware).
    """
    _require_may_manage(scope, user)
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    previous = _require_password_change(user)
    record_change(actor=actor, action=AuditAction.PASSWORD_RESET, obj=user,
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
    record_change(actor=user, action=AuditAction.PASSWORD_CHANGE, obj=user, changes=changes)


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
        actor=actor, action=AuditAction.USER_ACTIVATE if active else AuditAction.USER_DEACTIVATE, obj=user,
        changes={"is_active": (not active, active)},
    )
    return user


@transaction.atomic
def signin_resume(*, actor, scope: Scope, user) -> None:
    """Lift the pause on an account's sign-in after wrong passwords (the account page's button)."""
    _require_may_manage(scope, user)
    until = paused_until(user.get_username())
    if until is None:
        raise ValidationError(f"Đăng nhập của tài khoản “{user.username}” không bị tạm dừng.")
    clear_failures(user.get_username())
    record_change(actor=actor, action=AuditAction.SIGNIN_RESUME, obj=user, changes={"paused_until": until})
