"""Reads of user accounts, their roles and scopes, each in a fixed number of queries."""
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from core.models import Role, RoleAssignment
from orgs.models import OrgKind


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


#: What a secretary is called, by the kind of organisation they lead.
SECRETARY_TITLES = {
    OrgKind.PROVINCE: "Bí thư Tỉnh ủy", OrgKind.DISTRICT: "Bí thư cấp ủy cấp huyện",
    OrgKind.ROOT: "Bí thư Đảng ủy", OrgKind.BASE_PARTY: "Bí thư đảng ủy cơ sở",
    OrgKind.GROUP: "Tổ trưởng tổ đảng",
}


def role_label(assignment: RoleAssignment) -> str:
    """A role as the user reads it: a secretary of a đảng bộ cơ sở is "Bí thư đảng ủy cơ sở"."""
    if assignment.role == Role.SECRETARY and assignment.organization_id:
        return SECRETARY_TITLES.get(assignment.organization.kind, Role.SECRETARY.label)
    return Role(assignment.role).label


def scope_label(assignment: RoleAssignment) -> str:
    """Where a role applies, in words."""
    if assignment.unit_id:
        return assignment.unit.name
    if assignment.organization_id:
        return f"{assignment.organization.name} và các tổ chức trực thuộc"
    return "Toàn Đảng bộ"
