"""One small deployment with a user per role, shared by the view, service and URL-walk tests."""
import datetime as dt
from dataclasses import dataclass

from appraisal.models import Framework, SubjectType
from core.models import Role, RoleAssignment
from members.models import LeaderPosition, LeadershipRole
from tests.factories import (
    BlockFactory,
    MemberFactory,
    PositionGroupFactory,
    UnitFactory,
    UserFactory,
    user_with_role,
)


@dataclass
class Scenario:
    """Cell A (and unit A, whose party cell it is) is the secretary's; cell B and unit U2 lie
    outside it; unit U (party organisation: the village cell) is the unit leader's."""

    tree: dict
    member_a: object
    member_b: object
    member_u: object
    unit_a: object
    unit_u: object
    unit_u2: object
    position_a: object
    position_b: object
    position_u: object
    group: object
    framework: object
    users: dict  # role name → user ("anonymous" is absent; "norole" has no role)
    block: object = None  # the block of every unit above
    assignment: object = None  # the secretary's role assignment


def build_scenario(tree) -> Scenario:
    block = BlockFactory(code="K1", name="Khối cơ quan thuộc HĐND, UBND xã")
    unit_u = UnitFactory(code="UBND", name="Ủy ban nhân dân xã", block=block, party_organization=tree["village"])
    unit_a = UnitFactory(code="TOTOAN", name="Tổ Toán", block=block, party_organization=tree["cell_a"])
    unit_u2 = UnitFactory(code="TRUONG", name="Trường THCS", block=block, party_organization=tree["cell_b"])
    group = PositionGroupFactory(code="TP", name="Trưởng các phòng, ban")
    member_a = MemberFactory(full_name="Nguyễn Văn Ánh", card_number="A0000001", cell=tree["cell_a"])
    member_b = MemberFactory(full_name="Trần Thị Bình", card_number="B0000001", cell=tree["cell_b"])
    member_u = MemberFactory(full_name="Lê Văn Cường", card_number="U0000001", cell=tree["village"])
    start = dt.date(2021, 1, 1)
    position_a = LeaderPosition.objects.create(
        member=member_a, title="Bí thư chi bộ", organization=tree["cell_a"],
        leadership_role=LeadershipRole.HEAD, group=group, start_on=start,
    )
    position_b = LeaderPosition.objects.create(
        member=member_b, title="Hiệu trưởng", unit=unit_u2,
        leadership_role=LeadershipRole.HEAD, group=group, start_on=start,
    )
    position_u = LeaderPosition.objects.create(
        member=member_u, title="Chủ tịch UBND xã", unit=unit_u,
        leadership_role=LeadershipRole.HEAD, group=group, start_on=start,
    )
    framework = Framework.objects.create(
        code="DV-THU", name="Khung tiêu chí đảng viên (thử)", year=2025,
        subject_type=SubjectType.MEMBER_YEARLY,
    )
    users = {
        "secretary": user_with_role(Role.SECRETARY, organization=tree["cell_a"], username="bithu_a"),
        "unit_leadership": user_with_role(Role.UNIT_LEADERSHIP, unit=unit_u, username="lanhdao_u"),
        "staff": user_with_role(Role.STAFF, username="bxd"),
        "standing": user_with_role(Role.STANDING, username="btv"),
        "viewer": user_with_role(Role.VIEWER, username="xem"),
        "norole": UserFactory(username="khongvaitro"),
        "member": UserFactory(username="dangvien_a"),  # linked to member A: sees only their own ratings
    }
    member_a.user = users["member"]
    member_a.save()
    return Scenario(
        tree=tree, member_a=member_a, member_b=member_b, member_u=member_u, unit_a=unit_a, unit_u=unit_u,
        unit_u2=unit_u2, position_a=position_a, position_b=position_b, position_u=position_u,
        group=group, framework=framework, users=users, block=block,
        assignment=RoleAssignment.objects.get(user=users["secretary"]),
    )
