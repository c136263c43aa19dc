"""A commune for the rating-process tests: its tree, people, posts, frameworks and one account per role.

Đảng bộ xã (root)
├── Đảng bộ cơ sở Trường THCS (base_party, a đảng ủy of 4)   ── Chi bộ Tổ Toán (sub_cell)
├── Chi bộ Quân sự (base_cell, a chi ủy of 3)
└── Chi bộ thôn Nà Bó (root_cell)
Unit "Ủy ban nhân dân xã" (party organisation: the village cell) with a head and a deputy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from appraisal.models import Period, PeriodKind, Rating, SubjectType
from appraisal.process.periods import services as period_services
from appraisal.scoring.services import ScoreInput, scores_save
from core.models import Role
from members.models import Exemption, LeaderPosition, LeadershipRole
from orgs.models import CommitteeMembership, CommitteeRole, OrgKind
from tests.factories import (
    BlockFactory,
    MemberFactory,
    OrgFactory,
    PositionGroupFactory,
    UnitFactory,
    UserFactory,
    user_with_role,
)

YEAR = 2025
EVALUATION = dt.date(2025, 12, 15)
# Member framework DV-NAM: 1.1–1.3 × 6, 1.4–1.6 × 4, 2.1 (30, key), 2.2 (40, quantitative, key).
MEMBER_MAX = {"1.1": 6, "1.2": 6, "1.3": 6, "1.4": 4, "1.5": 4, "1.6": 4, "2.1": 30, "2.2": 40}


def full_marks(framework_codes=MEMBER_MAX) -> dict[str, str]:
    return {code: str(points) for code, points in framework_codes.items()}


def scaled(total: Decimal | int | str) -> dict[str, str]:
    """Member scores adding up exactly to `total` (criteria at or above Tốt where possible)."""
    total = Decimal(str(total).replace(",", "."))
    values = {code: Decimal(points) for code, points in MEMBER_MAX.items()}
    gap = Decimal(100) - total
    # Take the gap off 2.2 first (40 points), then 2.1.
    take = min(gap, Decimal(40))
    values["2.2"] -= take
    values["2.1"] -= gap - take
    return {code: format(value.normalize(), "f").replace(".", ",") for code, value in values.items()}


@dataclass
class Commune:
    root: object
    base: object  # đảng bộ cơ sở
    sub_cell: object
    base_cell: object
    village: object
    unit: object
    members: dict  # name → Member
    head: object  # LeaderPosition
    deputy: object
    users: dict  # role → user
    period: Period | None = None


def build_commune(db=None) -> Commune:
    call_command("load_frameworks", stdout=StringIO())
    root = OrgFactory(code="XA", name="Đảng bộ xã Bình Lư", kind=OrgKind.ROOT)
    base = OrgFactory(code="DBCS", name="Đảng bộ Trường THCS", kind=OrgKind.BASE_PARTY, parent=root)
    sub_cell = OrgFactory(code="CBTOAN", name="Chi bộ Tổ Toán", kind=OrgKind.SUB_CELL, parent=base)
    base_cell = OrgFactory(code="CBQS", name="Chi bộ Quân sự", kind=OrgKind.BASE_CELL, parent=root)
    village = OrgFactory(code="THON1", name="Chi bộ thôn Nà Bó", kind=OrgKind.ROOT_CELL, parent=root)
    members = {}

    def member(name, cell, card, **kw):
        members[name] = MemberFactory(full_name=name, cell=cell, card_number=card, **kw)
        return members[name]

    for i, name in enumerate(("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"), start=1):
        member(name, village, f"V{i:07d}")
    member("Hoàng Văn Em", village, "V0000005", admitted_on=dt.date(2025, 8, 1), official_on=None,
           status="probationary")  # < 6 months
    old = member("Vàng A Páo", village, "V0000006", admitted_on=dt.date(1970, 3, 2))
    Exemption.objects.create(member=old, start_on=dt.date(2020, 1, 1), reason="Tuổi cao")
    for i, name in enumerate(("Đỗ Văn Giang", "Bùi Thị Hà", "Ngô Văn Hải"), start=1):
        member(name, sub_cell, f"T{i:07d}")
    for i, name in enumerate(("Lò Văn Khải", "Sùng A Lâm", "Giàng Thị Mai"), start=1):
        member(name, base_cell, f"Q{i:07d}")
    start = dt.date(2020, 1, 1)
    for org, names in ((base, ("Đỗ Văn Giang", "Bùi Thị Hà", "Ngô Văn Hải", "Lò Văn Khải")),
                       (base_cell, ("Lò Văn Khải", "Sùng A Lâm", "Giàng Thị Mai"))):
        for role, name in zip((CommitteeRole.SECRETARY, CommitteeRole.DEPUTY, CommitteeRole.MEMBER, CommitteeRole.MEMBER), names, strict=False):
            CommitteeMembership.objects.create(organization=org, member=members[name], role=role, start_on=start)
    block = BlockFactory(code="K-UB", name="Khối cơ quan thuộc HĐND, UBND xã")
    unit = UnitFactory(code="UBND", name="Ủy ban nhân dân xã", block=block, party_organization=village)
    group = PositionGroupFactory(code="UV_BTV", name="Ủy viên Ban Thường vụ")
    head = LeaderPosition.objects.create(
        member=members["Nguyễn Văn An"], title="Chủ tịch UBND xã", unit=unit,
        leadership_role=LeadershipRole.HEAD, group=group, start_on=start,
    )
    deputy = LeaderPosition.objects.create(
        member=members["Trần Thị Bình"], title="Phó Chủ tịch UBND xã", unit=unit,
        leadership_role=LeadershipRole.DEPUTY, group=group, start_on=start,
    )
    member_user = UserFactory(username="dangvien")
    members["Lê Văn Cường"].user = member_user
    members["Lê Văn Cường"].save()
    leader_user = UserFactory(username="canbo")
    members["Trần Thị Bình"].user = leader_user
    members["Trần Thị Bình"].save()
    users = {
        "staff": user_with_role(Role.STAFF, username="bxd"),
        "standing": user_with_role(Role.STANDING, username="btv"),
        "viewer": user_with_role(Role.VIEWER, username="xem"),
        "secretary": user_with_role(Role.SECRETARY, organization=village, username="bithu_thon"),
        "base_secretary": user_with_role(Role.SECRETARY, organization=base, username="bithu_dbcs"),
        "sub_secretary": user_with_role(Role.SECRETARY, organization=sub_cell, username="bithu_toan"),
        "cell_secretary": user_with_role(Role.SECRETARY, organization=base_cell, username="bithu_qs"),
        "unit_leadership": user_with_role(Role.UNIT_LEADERSHIP, unit=unit, username="lanhdao"),
        "member": member_user,
        "leader": leader_user,
        "norole": UserFactory(username="khongvaitro"),
    }
    return Commune(root, base, sub_cell, base_cell, village, unit, members, head, deputy, users)


def open_year(commune: Commune, **deadlines) -> Period:
    staff = commune.users["staff"]
    period = period_services.period_create(
        actor=staff, kind=PeriodKind.YEAR, year=YEAR, evaluation_date=EVALUATION, **deadlines,
    )
    period_services.period_open(actor=staff, period=period)
    period.refresh_from_db()
    commune.period = period
    return period


def rating_of(period: Period, subject, subject_type: str = SubjectType.MEMBER_YEARLY) -> Rating:
    field = {
        SubjectType.MEMBER_YEARLY: "member", SubjectType.LEADER_YEARLY: "leader_position",
        SubjectType.LEADER_QUARTERLY: "leader_position", SubjectType.BASE_ORG_YEARLY: "organization",
        SubjectType.COMMITTEE_YEARLY: "organization", SubjectType.COLLECTIVE_YEARLY: "unit",
    }[subject_type]
    return Rating.objects.get(period=period, subject_type=subject_type, is_live=True, **{field: subject})


def score(actor, rating: Rating, values: dict[str, str], *, tasks=None, facts=None):
    """Save scores as `actor` with the rating's current version; return the stored rating."""
    rating.refresh_from_db()
    scores_save(actor=actor, items=[ScoreInput(rating, rating.version, values, tasks, facts)])
    rating.refresh_from_db()
    return rating


EXCELLENT_TASKS = {"tasks_assigned": "4", "tasks_done": "4", "tasks_exceeded": "2"}
