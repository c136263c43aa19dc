"""Who may see and change what: every view and service asks here [issue 2: permissions].

A user's scope is the union of their role assignments. Secretaries see their cell (and the
organisations under it); unit leadership see their unit and the people holding posts in it;
party-building staff and the standing committee see the whole deployment; viewers see the
part they were given (or everything) but change nothing.
"""
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Role, RoleAssignment

WIDE_ROLES = (Role.STAFF, Role.STANDING)
# Not assigned: every account linked to a party member holds it, and with it sees only that
# member's own self-assessment and results (the URL × role matrix calls it "member").
MEMBER = "member"


@dataclass(frozen=True)
class Scope:
    """The roles of one user and the parts of the tree they cover."""

    user_id: int | None
    is_superuser: bool = False
    roles: frozenset[str] = frozenset()
    wide_roles: frozenset[str] = frozenset()  # roles held over the whole deployment
    org_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role → subtree paths
    unit_ids: frozenset[int] = frozenset()
    member_id: int | None = None  # the party member the account belongs to, if any

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or bool(self.wide_roles)

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or any(r in self.roles for r in roles)

    @property
    def holds_a_role(self) -> bool:
        """Whether the account holds a role in the tree (not only its own member's results)."""
        return self.is_superuser or any(r in ALL_ROLES for r in self.roles)

    @property
    def is_staff_member(self) -> bool:
        """Party-building staff (or an administrator): may edit anything in the deployment."""
        return self.is_superuser or Role.STAFF in self.wide_roles

    def all_paths(self) -> tuple[str, ...]:
        return tuple(p for paths in self.org_paths.values() for p in paths)

    def covers_org(self, org) -> bool:
        """Whether the organisation lies in the user's part of the tree."""
        return self.sees_everything or any(org.path.startswith(p) for p in self.all_paths())

    def edits_org(self, org) -> bool:
        """Whether the user may change the organisation's members: staff, or its secretary."""
        if self.is_staff_member:
            return True
        return any(org.path.startswith(p) for p in self.org_paths.get(Role.SECRETARY, ()))


ANONYMOUS = Scope(user_id=None)


def scope_for(user) -> Scope:
    """Load the user's scope in one query; cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    roles, wide, units = set(), set(), set()
    paths: dict[str, list[str]] = {}
    for a in RoleAssignment.objects.filter(user=user).select_related("organization"):
        role = a.role
        if a.organization_id and not a.unit_id and role in WIDE_ROLES:
            # Staff and the standing committee act on the whole deployment. Held over one
            # organisation (only rows older than migration orgs 0004 can be) such a role must not
            # open the deployment's pages: it reads that part of the tree, as a viewer.
            role = Role.VIEWER
        roles.add(role)
        if a.unit_id:
            units.add(a.unit_id)
        elif a.organization_id:
            paths.setdefault(role, []).append(a.organization.path)
        elif role in (*WIDE_ROLES, Role.VIEWER):
            wide.add(role)
    # The member the account is linked to (members.Member.user), read through the relation so
    # that core imports no app above it.
    member_id = get_user_model().objects.filter(pk=user.pk).values_list("member__pk", flat=True).first()
    if member_id is not None:
        roles.add(MEMBER)
    scope = Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        roles=frozenset(roles),
        wide_roles=frozenset(wide),
        org_paths={role: tuple(p) for role, p in paths.items()},
        unit_ids=frozenset(units),
        member_id=member_id,
    )
    user._scope_cache = scope
    return scope


def path_q(paths, prefix: str = "") -> Q:
    """Rows whose `<prefix>path` lies under one of `paths` (a materialised-path subtree)."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{prefix}path__startswith": p})
    return q


ALL_ROLES = frozenset(Role.values)
# Not a role: `role_required(SIGNED_IN)` lets in every signed-in user, even one without a role
# yet (they must still be able to change a temporary password).
SIGNED_IN = "signed_in"
WRITER_ROLES = frozenset({Role.SECRETARY, Role.UNIT_LEADERSHIP, Role.STAFF, Role.STANDING})


def role_required(*roles: str, check=None):
    """Let in only signed-in users holding one of `roles` (all roles if none are named) and, if
    `check` is given, whose scope it accepts (an `appraisal.authority` rule such as
    `may_draft_reports`, the same function the services call).

    Sets `request.scope`; the view then narrows objects to the scope (404 outside it). The
    roles are kept on the view as `allowed_roles` and the rule as `allowed_check`, so the URL
    walk test and the `may_open` filter know what to expect.
    """
    allowed = frozenset(roles) or ALL_ROLES
    if SIGNED_IN in allowed:
        allowed = allowed | ALL_ROLES

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = scope_for(request.user)
            if SIGNED_IN not in allowed and not scope.has_role(*allowed):
                raise PermissionDenied("Tài khoản không có quyền thực hiện thao tác này.")
            if check is not None and not check(scope):
                raise PermissionDenied("Tài khoản không có quyền thực hiện thao tác này.")
            request.scope = scope
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        wrapped.allowed_check = check
        return wrapped

    return decorator
