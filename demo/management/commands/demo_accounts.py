"""Create (or reset) the demo accounts and print them with their passwords; safe to run again.

The passwords are fixed demo strings, printed on purpose: these accounts exist to show the
application. The command refuses to run without DEBUG unless told `--allow-production`, so a
server cannot get a superuser with a published password by accident.
"""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Q

from accounts.selectors import role_label
from core.audit import AuditAction, record_change
from core.models import Role, RoleAssignment
from members.models import LeadershipRole, Member
from orgs.models import CommitteeMembership, CommitteeRole, OrgKind, PartyOrganization, Unit


@dataclass(frozen=True)
class DemoAccount:
    """One demo account: who it is, what it may do, and where."""

    username: str
    password: str
    last_name: str
    first_name: str
    role: str | None  # None: a superuser without a role assignment (or, for "member", no role)
    scope: str = "all"  # "all", "village", "base", "unit" or "member"

    @property
    def superuser(self) -> bool:
        return self.role is None and self.scope == "all"


ACCOUNTS = (
    DemoAccount("quantri", "quantri@2025", "Nguyễn Văn", "Quản", None),
    DemoAccount("bxd", "bxd@2025", "Trần Thị", "Hạnh", Role.STAFF),
    DemoAccount("btv", "btv@2025", "Hoàng Đức", "Thắng", Role.STANDING),
    DemoAccount("xem", "xem@2025", "Lê Thị", "Ngọc", Role.VIEWER),
    DemoAccount("bithu", "bithu@2025", "Vàng A", "Páo", Role.SECRETARY, "village"),
    DemoAccount("bithucs", "bithucs@2025", "Phạm Minh", "Tuấn", Role.SECRETARY, "base"),
    DemoAccount("lanhdao", "lanhdao@2025", "Lò Thị", "Hương", Role.UNIT_LEADERSHIP, "unit"),
    # A party member's own account: no role, only their self-assessment and results.
    DemoAccount("dangvien", "dangvien@2025", "Đảng", "Viên", None, "member"),
)


class Command(BaseCommand):
    help = "Tạo các tài khoản dùng thử (quản trị, Ban Xây dựng Đảng, Ban Thường vụ, bí thư, lãnh đạo đơn vị) và in mật khẩu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Cho phép chạy khi DEBUG tắt (máy chủ thật): chỉ dùng cho bản trình diễn.",
        )

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG đang tắt: không tạo tài khoản dùng thử với mật khẩu công khai. "
                "Thêm --allow-production nếu đây là máy chủ trình diễn."
            )
        with transaction.atomic():
            rows = [self._ensure(account) for account in ACCOUNTS]
        self._print_table(rows)

    def _ensure(self, account: DemoAccount) -> list[str]:
        """Create or reset one account and its single role assignment; return its table row."""
        target, where, member = self._scope_target(account)
        if account.scope != "all" and target is None:
            return [account.username, "—", _role_label(account), "chưa có dữ liệu (chạy seed_demo)", ""]
        first_name, last_name = account.first_name, account.last_name
        if member is not None:  # the account belongs to the member who holds the post
            *rest, given = member.full_name.split()
            first_name, last_name = given, " ".join(rest)
        user, created = get_user_model().objects.get_or_create(username=account.username)
        user.first_name, user.last_name = first_name, last_name
        user.is_active = True
        user.is_staff = user.is_superuser = account.superuser
        user.set_password(account.password)
        user.save()
        assignments = RoleAssignment.objects.filter(user=user)
        wanted = {
            "role": account.role,
            "organization": target if isinstance(target, PartyOrganization) else None,
            "unit": target if isinstance(target, Unit) else None,
        }
        current = list(assignments.values("role", "organization", "unit"))
        expected = [] if account.role is None else [
            {"role": wanted["role"], "organization": getattr(wanted["organization"], "pk", None),
             "unit": getattr(wanted["unit"], "pk", None)}
        ]
        if current != expected:
            assignments.delete()
            if account.role is not None:
                RoleAssignment.objects.create(user=user, **wanted)
        if member is not None and member.user_id in (None, user.pk):
            # One account per member: unlink a member this account was given by an earlier run.
            Member.objects.filter(user=user).exclude(pk=member.pk).update(user=None, version=F("version") + 1)
            Member.objects.filter(pk=member.pk, user__isnull=True).update(user=user, version=F("version") + 1)
        record_change(
            actor=None, action=AuditAction.DEMO_ACCOUNT_CREATE if created else AuditAction.DEMO_ACCOUNT_RESET, obj=user,
            changes={"role": account.role, "is_superuser": account.superuser, "scope": where},
        )
        assignment = RoleAssignment.objects.filter(user=user).select_related("organization").first()
        return [account.username, account.password, _role_label(account, assignment), where, f"{last_name} {first_name}"]

    def _scope_target(self, account: DemoAccount):
        """The organisation or unit the account covers, its description, and the member behind it."""
        if account.scope == "all":
            return None, "toàn Đảng bộ", None
        if account.scope == "member":
            # An ordinary member of the secretary's village cell: no committee seat, no post.
            _, _, secretary = self._scope_target(ACCOUNTS[4])
            cell = secretary.cell if secretary else None
            member = (
                Member.objects.filter(cell=cell, is_active=True, committee_seats__isnull=True, positions__isnull=True)
                .filter(Q(user__isnull=True) | Q(user__username=account.username))
                .order_by("pk").first()
            ) if cell else None
            if member is None:
                return None, "", None
            return member, f"phiếu của mình ({cell.name})", member
        if account.scope in ("village", "base"):
            kind = OrgKind.ROOT_CELL if account.scope == "village" else OrgKind.BASE_PARTY
            orgs = PartyOrganization.objects.filter(kind=kind).order_by("path")
            if account.scope == "village":
                orgs = orgs.filter(name__startswith="Chi bộ thôn") | orgs.filter(name__startswith="Chi bộ bản")
            org = orgs.order_by("path").first()
            if org is None:
                return None, "", None
            seat = (
                CommitteeMembership.objects.filter(organization=org, role=CommitteeRole.SECRETARY)
                .select_related("member").first()
            )
            return org, org.name, seat.member if seat else None
        unit = Unit.objects.filter(code__endswith="PKT").order_by("code").first() or Unit.objects.order_by("code").first()
        if unit is None:
            return None, "", None
        head = (
            Member.objects.filter(positions__unit=unit, positions__leadership_role=LeadershipRole.HEAD)
            .order_by("pk").first()
        )
        return unit, unit.name, head

    def _print_table(self, rows: list[list[str]]) -> None:
        header = ["Tài khoản", "Mật khẩu", "Vai trò", "Phạm vi", "Họ và tên"]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

        def line(cells):
            return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))

        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write(self.style.WARNING("Đây là tài khoản dùng thử: đổi hoặc xóa trước khi dùng thật."))


def _role_label(account: DemoAccount, assignment: RoleAssignment | None = None) -> str:
    """The role as the account's page names it (a secretary by the kind of organisation led)."""
    if assignment is not None:
        return role_label(assignment)
    if account.role:
        return Role(account.role).label
    return "Quản trị hệ thống (superuser)" if account.superuser else "Đảng viên (tự đánh giá, xem kết quả của mình)"
