"""Generated data for the rating process's benchmarks: a province of communes, or cells to score.

Written straight to the database in bulk (COPY on PostgreSQL through `core.bulk`), shaped
like the demo commune (seed 000): per commune a root, đảng bộ cơ sở with their chi bộ, chi bộ
cơ sở, chi bộ thôn; units with a head and deputies; committees of three or more seats; about 6 %
of members exempt, 1.5 % admitted within the last months, a few suspended. Deterministic.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from appraisal.models import Criterion, CriterionKind, Framework, FrameworkStatus, SubjectType
from core.bulk import insert_rows, update_rows
from core.vntext import fold, name_sort_key
from members.models import (
    Exemption,
    LeaderPosition,
    LeadershipRole,
    Member,
    MemberStatus,
    PositionGroup,
    Suspension,
)
from orgs.models import (
    PATH_STEP,
    Block,
    CommitteeMembership,
    CommitteeRole,
    OrgKind,
    PartyOrganization,
    Unit,
)

MEMBERS_PER_COMMUNE = 900
FAMILIES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Lò", "Giàng", "Sùng", "Đỗ")
MIDDLE = ("Văn", "Thị", "Đức", "A", "Minh", "Seo")
GIVEN = ("An", "Bình", "Cường", "Dung", "Đức", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Páo", "Sử", "Xuân")


@dataclass
class Province:
    communes: int
    members: int
    organizations: int
    units: int
    positions: int


def _path(parent_path: str, pk: int) -> str:
    return parent_path + str(pk).zfill(PATH_STEP) + "."


def _orgs(rows: list[PartyOrganization], parents: dict) -> list[PartyOrganization]:
    """Create organisations of one level and set their materialised paths."""
    for org in rows:
        org.search_name = fold(org.name)
    PartyOrganization.objects.bulk_create(rows, batch_size=2000)
    for org in rows:
        parent = parents.get(org.parent_id)
        org.path = _path(parent.path if parent else "", org.pk)
        org.depth = org.path.count(".") - 1
    update_rows(PartyOrganization, rows, ("path", "depth"))
    return rows


def person_name(rng: random.Random) -> str:
    """A Vietnamese full name drawn from `rng` (family, middle, given)."""
    return f"{rng.choice(FAMILIES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


@transaction.atomic
def build_province(members: int, *, reference: date, prefix: str = "P", seed: int = 0) -> Province:
    """Generate communes holding `members` members in all, with their organisations and people."""
    rng = random.Random(f"bench:{seed}:{members}")
    communes = max(1, round(members / MEMBERS_PER_COMMUNE))
    blocks = [Block.objects.get_or_create(code=f"{prefix}K{i}", defaults={"name": f"Khối {i}", "sort_order": i})[0]
              for i in range(1, 6)]
    groups = [PositionGroup.objects.get_or_create(code=f"{prefix}G{i}", defaults={"name": f"Nhóm chức danh {i}", "sort_order": i})[0]
              for i in range(1, 7)]
    established = date(2000, 1, 1)
    roots = _orgs([PartyOrganization(code=f"{prefix}{c:04d}", name=f"Đảng bộ xã Mẫu {c}", kind=OrgKind.ROOT,
                                     established_on=established) for c in range(communes)], {})
    level1, level2 = [], []
    for c, root in enumerate(roots):
        for i in range(4):
            level1.append(PartyOrganization(code=f"{prefix}{c:04d}-DB{i}", name=f"Đảng bộ cơ sở {i} xã {c}",
                                            kind=OrgKind.BASE_PARTY, parent_id=root.pk, established_on=established))
        for i in range(6):
            level1.append(PartyOrganization(code=f"{prefix}{c:04d}-CS{i}", name=f"Chi bộ cơ sở {i} xã {c}",
                                            kind=OrgKind.BASE_CELL, parent_id=root.pk, established_on=established))
        for i in range(40):
            young = i >= 38  # two cells split a few months ago: not rated [003 C.IV.1]
            level1.append(PartyOrganization(
                code=f"{prefix}{c:04d}-T{i:02d}", name=f"Chi bộ thôn {i} xã {c}", kind=OrgKind.ROOT_CELL,
                parent_id=root.pk, established_on=reference - timedelta(days=60) if young else established,
            ))
    by_pk = {o.pk: o for o in roots}
    _orgs(level1, by_pk)
    by_pk.update({o.pk: o for o in level1})
    for org in level1:
        if org.kind == OrgKind.BASE_PARTY:
            for i in range(3):
                level2.append(PartyOrganization(code=f"{org.code}-C{i}", name=f"Chi bộ {i} {org.name}",
                                                kind=OrgKind.SUB_CELL, parent_id=org.pk, established_on=established))
    _orgs(level2, by_pk)
    cells_by_commune: dict[int, list[PartyOrganization]] = {}
    for org in level1 + level2:
        if org.kind != OrgKind.BASE_PARTY:
            root_pk = org.parent_id if org.parent_id in {r.pk for r in roots} else by_pk[org.parent_id].parent_id
            cells_by_commune.setdefault(root_pk, []).append(org)
    people = _members(rng, roots, cells_by_commune, members, reference, prefix)
    units, positions = _units_and_posts(rng, roots, cells_by_commune, blocks, groups, people, prefix)
    _seats(level1 + level2, people)
    return Province(communes, members, len(roots) + len(level1) + len(level2), units, positions)


def _members(rng, roots, cells_by_commune, members: int, reference: date, prefix: str) -> dict[int, list[tuple]]:
    """Members spread over each commune's cells; some exempt, suspended or newly admitted."""
    rows, people = [], {}
    per_commune = members // len(roots)
    number = 0
    for c, root in enumerate(roots):
        count = per_commune + (members - per_commune * len(roots) if c == len(roots) - 1 else 0)
        cells = cells_by_commune[root.pk]
        for i in range(count):
            number += 1
            full_name = person_name(rng)
            new = rng.random() < 0.015
            admitted = reference - timedelta(days=rng.randint(20, 150)) if new else date(
                rng.randint(1975, 2022), rng.randint(1, 12), rng.randint(1, 28))
            official = admitted + timedelta(days=366) if admitted + timedelta(days=366) <= reference else None
            rows.append({
                "full_name": full_name, "gender": "male" if i % 3 else "female", "card_number": f"{prefix}{number:09d}",
                "admitted_on": admitted, "official_on": official,
                "status": MemberStatus.OFFICIAL if official else MemberStatus.PROBATIONARY,
                "cell_id": cells[i % len(cells)].pk, "is_active": True, "search_name": fold(full_name),
                "sort_key": name_sort_key(full_name), "version": 1,
            })
    insert_rows(Member, rows)
    ids = Member.objects.filter(card_number__startswith=prefix).order_by("card_number").values_list("pk", "cell_id", "admitted_on")
    exempt, suspended = [], []
    for pk, cell_id, admitted in ids:
        people.setdefault(cell_id, []).append((pk, admitted))
        roll = rng.random()
        if roll < 0.06 and admitted < date(2000, 1, 1):
            exempt.append({"member_id": pk, "start_on": date(2020, 1, 1), "reason": "Tuổi cao"})
        elif roll > 0.997:
            suspended.append({"member_id": pk, "start_on": reference - timedelta(days=40), "reason": "Chờ xử lý"})
    insert_rows(Exemption, exempt)
    insert_rows(Suspension, suspended)
    return people


def _units_and_posts(rng, roots, cells_by_commune, blocks, groups, people, prefix) -> tuple[int, int]:
    units = []
    for c, root in enumerate(roots):
        cells = cells_by_commune[root.pk]
        for i in range(24):
            units.append(Unit(code=f"{prefix}{c:04d}-U{i:02d}", name=f"Đơn vị {i} xã {c}", block=blocks[i % 5],
                              party_organization=cells[i % len(cells)], sort_order=i))
    Unit.objects.bulk_create(units, batch_size=2000)
    used, posts = set(), []
    for unit in units:
        members = [p for p in people.get(unit.party_organization_id, []) if p[0] not in used]
        for role in (LeadershipRole.HEAD, LeadershipRole.DEPUTY, LeadershipRole.DEPUTY):
            if not members:
                break
            pk, admitted = members.pop()
            used.add(pk)
            posts.append({
                "member_id": pk, "title": "Trưởng đơn vị" if role == LeadershipRole.HEAD else "Phó đơn vị",
                "unit_id": unit.pk, "leadership_role": role, "tier": "commune",
                "group_id": groups[0 if role == LeadershipRole.HEAD else 1].pk, "start_on": max(admitted, date(2020, 1, 1)),
            })
    insert_rows(LeaderPosition, posts)
    return len(units), len(posts)


def _seats(orgs, people) -> None:
    """A committee of three or more where the cell is large, four in each đảng bộ cơ sở."""
    seats = []
    for org in orgs:
        members = people.get(org.pk, [])
        if org.kind == OrgKind.BASE_PARTY:
            children = [o for o in orgs if o.parent_id == org.pk]
            members = [m for child in children for m in people.get(child.pk, [])[:2]]
            wanted = 4
        else:
            wanted = 3 if len(members) >= 9 else 1
        for role, (pk, _) in zip((CommitteeRole.SECRETARY, CommitteeRole.DEPUTY, CommitteeRole.MEMBER, CommitteeRole.MEMBER),
                                 members[:wanted], strict=False):
            seats.append({"organization_id": org.pk, "member_id": pk, "role": role, "start_on": date(2020, 1, 1)})
    insert_rows(CommitteeMembership, seats)


def member_framework(code: str, year: int, criteria: int = 20) -> Framework:
    """An active member framework of `criteria` criteria (qualitative, key ones in group 2)."""
    framework = Framework.objects.create(
        code=code, name=f"Khung tiêu chí đảng viên {criteria} tiêu chí", year=year,
        subject_type=SubjectType.MEMBER_YEARLY, status=FrameworkStatus.ACTIVE, exceeded_share=Decimal("0.5"),
    )
    g1 = Criterion.objects.create(framework=framework, code="1", title="Phẩm chất chính trị", max_points=30,
                                  kind=CriterionKind.GROUP, order=1)
    g2 = Criterion.objects.create(framework=framework, code="2", title="Kết quả thực hiện nhiệm vụ", max_points=70,
                                  kind=CriterionKind.GROUP, is_key=True, order=2)
    half = criteria // 2
    rows = []
    for i in range(1, half + 1):
        rows.append(Criterion(framework=framework, parent=g1, code=f"1.{i}", title=f"Tiêu chí 1.{i}",
                              max_points=Decimal(30) / half, kind=CriterionKind.QUALITATIVE, order=10 + i))
    for i in range(1, criteria - half + 1):
        rows.append(Criterion(framework=framework, parent=g2, code=f"2.{i}", title=f"Tiêu chí 2.{i}",
                              max_points=Decimal(70) / (criteria - half), kind=CriterionKind.QUALITATIVE,
                              is_key=True, order=100 + i))
    Criterion.objects.bulk_create(rows)
    return framework
