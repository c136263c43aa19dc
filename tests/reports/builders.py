"""Datasets with known results for the report tests: seed 000's own counts, and small ones.

Decided ratings are written in bulk straight into the table (the workflow's services are the
writers in the product; here the results are given, not the process).
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from appraisal.models import (
    Decision,
    DecisionKind,
    Exclusion,
    Framework,
    Period,
    PeriodKind,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.scoring.quota import refresh_groups_of
from members.models import Gender, LeaderPosition, LeadershipRole, Member, PositionGroup, Tier
from orgs.models import Block, OrgKind, PartyOrganization, Unit

_counter = itertools.count(1)
LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")


def org(code: str, name: str, kind: str, parent=None) -> PartyOrganization:
    return PartyOrganization.objects.create(code=code, name=name, kind=kind, parent=parent,
                                            established_on=dt.date(2000, 1, 1))


def one_cell_commune(prefix: str, n: int, *, name: str = "Bình Lư",
                     cell: str = "Chi bộ thôn 1") -> tuple[PartyOrganization, PartyOrganization, list[Member]]:
    """Đảng bộ xã `name` with one village cell of `n` members, codes starting with `prefix`."""
    root = org(f"{prefix}-XA", f"Đảng bộ xã {name}", OrgKind.ROOT)
    village = org(f"{prefix}-C1", cell, OrgKind.ROOT_CELL, root)
    return root, village, members([village], n, prefix)


def framework(subject_type: str, year: int = 2025) -> Framework:
    found = Framework.objects.filter(subject_type=subject_type).first()
    return found or Framework.objects.create(code=f"T-{subject_type}", name=f"Khung {subject_type}", year=year,
                                             subject_type=subject_type)


def period(year: int, quarter: int | None = None) -> Period:
    if quarter is None:
        return Period.objects.get_or_create(kind=PeriodKind.YEAR, year=year, defaults={"evaluation_date": dt.date(year, 12, 15)})[0]
    return Period.objects.get_or_create(kind=PeriodKind.QUARTER, year=year, quarter=quarter,
                                        defaults={"evaluation_date": dt.date(year, 3 * quarter, 15)})[0]


def levels(*counts: int) -> list[str]:
    """ levels(2, 8) → ["HTXSNV", "HTXSNV", "HTTNV" × 8]: counts of HTXSNV, HTTNV, HTNV, KHTNV in order."""
    out = []
    for code, n in zip(LEVELS, counts, strict=False):
        out += [code] * n
    return out


@dataclass
class Ratings:
    """Decided ratings to write in one bulk insert."""

    rows: list[Rating] = field(default_factory=list)
    decisions: dict = field(default_factory=dict)

    def decision(self, p: Period, number: str) -> Decision:
        key = (p.pk, number)
        if key not in self.decisions:
            self.decisions[key] = Decision.objects.create(
                period=p, kind=DecisionKind.RATING, number=number, decided_on=dt.date(p.year, 12, 20),
                authority="Ban Thường vụ Đảng ủy", signer="Nguyễn Văn Bí Thư",
            )
        return self.decisions[key]

    def add(self, p: Period, subject_type: str, level: str, number: str = "01-QĐ/ĐU", *, excluded: str = "",
            peer: str = "", **subject) -> None:
        """A decided rating at `level` (or, with `excluded`, a subject left out for that reason)."""
        place = _place(subject)
        decided = not excluded
        self.rows.append(Rating(
            period=p, subject_type=subject_type, framework=framework(subject_type),
            approved_level=level if decided else "", status=RatingStatus.DECIDED if decided else RatingStatus.EXCLUDED,
            exclusion=excluded, decision_number=number if decided else "",
            decision=self.decision(p, number) if decided else None,
            decision_date=dt.date(p.year, 12, 20) if decided else None, scope_org=place,
            peer_group=peer or f"{subject_type}:{place.pk if place else 0}", **subject,
        ))

    def add_pending(self, p: Period, subject_type: str, status: str = RatingStatus.SUBMITTED, **subject) -> None:
        """A rating still in the process (no decision yet)."""
        place = _place(subject)
        self.rows.append(Rating(
            period=p, subject_type=subject_type, framework=framework(subject_type), status=status, scope_org=place,
            peer_group=f"{subject_type}:{place.pk if place else 0}", **subject,
        ))

    def save(self) -> list[Rating]:
        """Write the ratings, and each peer group's quota as a decision stores it."""
        saved = Rating.objects.bulk_create(self.rows, batch_size=1000)
        refresh_groups_of(saved)
        return saved


def _place(subject: dict):
    """Where a subject lies in the tree, as the workflow sets `scope_org` at opening."""
    if "member" in subject:
        return subject["member"].cell
    if "organization" in subject:
        return subject["organization"]
    if "unit" in subject:
        return subject["unit"].party_organization
    position = subject["leader_position"]
    return position.organization or (position.unit.party_organization if position.unit else position.member.cell)


def members(cells: list[PartyOrganization], n: int, prefix: str = "M") -> list[Member]:
    """`n` members spread round-robin over `cells`."""
    made = []
    for i in range(n):
        number = next(_counter)
        made.append(Member(
            full_name=f"Đảng viên {prefix}{number}", gender=Gender.MALE, card_number=f"{prefix}{number:07d}",
            admitted_on=dt.date(2010, 1, 1), cell=cells[i % len(cells)], sort_key=f"{number:08d}",
        ))
    return Member.objects.bulk_create(made, batch_size=1000)


def positions(member_list: list[Member], group: PositionGroup, tier: str = Tier.COMMUNE, unit=None) -> list[LeaderPosition]:
    return LeaderPosition.objects.bulk_create([
        LeaderPosition(member=m, title=group.name, unit=unit, organization=None if unit else m.cell,
                       leadership_role=LeadershipRole.HEAD, tier=tier, group=group, start_on=dt.date(2020, 1, 1))
        for m in member_list
    ])


BLOCKS = (  # seed 000 fn 3: collectives per block, HTXSNV per block
    ("KHOI_THAM_MUU", "Khối cơ quan tham mưu, giúp việc Đảng ủy", 3, 1),
    ("KHOI_MTTQ", "Khối MTTQ và các tổ chức chính trị - xã hội", 5, 1),
    ("KHOI_HDND_UBND", "Khối cơ quan trực thuộc HĐND, UBND xã", 6, 1),
    ("KHOI_SU_NGHIEP", "Khối đơn vị sự nghiệp xã", 2, 0),
    ("KHOI_GIAO_DUC", "Khối đơn vị sự nghiệp giáo dục", 8, 2),
)
GROUPS = (  # seed 000 fn 4: (code, name, levels HTXSNV/HTTNV/HTNV/KHTNV)
    ("UV_BTV", "Ủy viên Ban Thường vụ Đảng ủy", (2, 6, 0, 0)),
    ("TRUONG_PHONG", "Trưởng các phòng, ban và tương đương", (2, 9, 0, 0)),
    ("PHO_PHONG", "Phó các phòng, ban và tương đương", (3, 11, 0, 1)),
    ("HIEU_TRUONG", "Hiệu trưởng các đơn vị trường học", (2, 6, 0, 0)),
    ("PHO_HIEU_TRUONG", "Phó Hiệu trưởng các đơn vị trường học", (2, 14, 0, 0)),
)


@dataclass
class Seed000:
    root: PartyOrganization
    cells: list[PartyOrganization]
    member_ratings: list[Rating]


def build_seed000(*, prefix: str = "BL", name: str = "Bình Lư", parent=None) -> Seed000:
    """Đảng bộ xã Bình Lư with seed 000's counts for 2025 and Q1–Q2/2026 (consistent where the seed is not:
    12 collectives HTXSNV as fn 3 gives, 11 leaders as fn 4 gives)."""
    year, q1, q2 = period(2025), period(2026, 1), period(2026, 2)
    root = org(f"{prefix}-XA", f"Đảng bộ xã {name}", OrgKind.ROOT, parent)
    r = Ratings()
    base = [org(f"{prefix}-DB{i}", f"Đảng bộ cơ sở {i}", OrgKind.BASE_PARTY, root) for i in range(1, 6)]
    base += [org(f"{prefix}-CBCS{i}", f"Chi bộ cơ sở {i}", OrgKind.BASE_CELL, root) for i in range(1, 6)]
    root_cells = [org(f"{prefix}-THON{i}", f"Chi bộ thôn {i}", OrgKind.ROOT_CELL, root) for i in range(1, 45)]
    sub_cells = [org(f"{prefix}-CBTT{i}", f"Chi bộ trực thuộc {i}", OrgKind.SUB_CELL, base[i % 5]) for i in range(1, 19)]
    for o, level in zip(base, levels(2, 8), strict=True):
        r.add(year, SubjectType.BASE_ORG_YEARLY, level, organization=o)
    for o, level in zip(root_cells, levels(9, 35), strict=True):
        r.add(year, SubjectType.BASE_ORG_YEARLY, level, organization=o)
    for o, level in zip(sub_cells, levels(4, 14), strict=True):
        r.add(year, SubjectType.BASE_ORG_YEARLY, level, organization=o)
    for o, level in zip(base[:9], levels(2, 7), strict=True):
        r.add(year, SubjectType.COMMITTEE_YEARLY, level, organization=o)
    for o, level in zip(root_cells[:24], levels(5, 19), strict=True):
        r.add(year, SubjectType.COMMITTEE_YEARLY, level, organization=o)
    for order, (code, block_name, count, excellent) in enumerate(BLOCKS, start=1):
        block, _ = Block.objects.get_or_create(code=code, defaults={"name": block_name, "sort_order": order})
        for i, level in enumerate(levels(excellent, count - excellent)):
            unit = Unit.objects.create(code=f"{prefix}-{code}-{i}", name=f"{block_name} {i}", block=block,
                                       party_organization=root_cells[i])
            r.add(year, SubjectType.COLLECTIVE_YEARLY, level, unit=unit)
    cells = root_cells + sub_cells + base[5:]
    people = members(cells, 882, prefix)
    province, _ = PositionGroup.objects.get_or_create(code="BTV_TINH", defaults={"name": "Bí thư, Phó Bí thư Đảng ủy xã", "sort_order": 0})
    for p, level in zip(positions(people[:3], province, Tier.PROVINCE), levels(0, 3), strict=True):
        r.add(year, SubjectType.LEADER_YEARLY, level, leader_position=p)
    start = 3
    for order, (code, group_name, counts) in enumerate(GROUPS, start=1):
        group, _ = PositionGroup.objects.get_or_create(code=code, defaults={"name": group_name, "sort_order": order})
        held = people[start:start + sum(counts)]
        start += sum(counts)
        for p, level in zip(positions(held, group), levels(*counts), strict=True):
            r.add(year, SubjectType.LEADER_YEARLY, level, leader_position=p)
    # The quarters: seed 000 §6 and fn 5–6 group trưởng and phó together.
    merged, _ = PositionGroup.objects.get_or_create(code="TRUONG_PHO", defaults={
        "name": "Trưởng, phó các cơ quan, đơn vị và tương đương", "sort_order": 9})
    uv = PositionGroup.objects.get(code="UV_BTV")
    q_province = positions(people[100:103], province, Tier.PROVINCE)
    q_uv = positions(people[103:112], uv)
    q_heads = positions(people[112:164], merged)
    for p, level in zip(q_province, levels(2, 1), strict=True):
        r.add(q1, SubjectType.LEADER_QUARTERLY, level, leader_position=p)
        r.add(q2, SubjectType.LEADER_QUARTERLY, level, leader_position=p)
    for p, level in zip(q_uv[:8], levels(2, 6), strict=True):
        r.add(q1, SubjectType.LEADER_QUARTERLY, level, leader_position=p)
    for p, level in zip(q_uv, levels(2, 7), strict=True):
        r.add(q2, SubjectType.LEADER_QUARTERLY, level, leader_position=p)
    for p, level in zip(q_heads[:51], levels(8, 43), strict=True):
        r.add(q1, SubjectType.LEADER_QUARTERLY, level, leader_position=p)
    for p, level in zip(q_heads, levels(10, 42), strict=True):
        r.add(q2, SubjectType.LEADER_QUARTERLY, level, leader_position=p)
    # Members: 808 rated (139 / 664 / 4 / 1), 74 not rated (60 exempt, 14 admitted < 6 months).
    for m, level in zip(people[:808], levels(139, 664, 4, 1), strict=True):
        r.add(year, SubjectType.MEMBER_YEARLY, level, member=m)
    for i, m in enumerate(people[808:]):
        r.add(year, SubjectType.MEMBER_YEARLY, "", member=m,
              excluded=Exclusion.EXEMPT if i < 60 else Exclusion.ADMITTED_RECENTLY)
    saved = r.save()
    member_ratings = [x for x in saved if x.subject_type == SubjectType.MEMBER_YEARLY and x.approved_level]
    return Seed000(root, cells, member_ratings)


def complete_narrative(basis: str = "Thực hiện Công văn số 1311-CV/TU của Ban Thường vụ Tỉnh ủy; "
                                    "Ban Thường vụ Đảng ủy xã báo cáo kết quả thực hiện như sau:") -> dict:
    """A narrative with every part of the outline written, as report_save takes it: nothing left to fill in."""
    from reports.narrative import numbered_parts

    return {"basis": basis, "parts": {p.part.key: {"text": f"Nội dung mục {p.number} đã soạn."}
                                      for p in numbered_parts({}) if p.needs_text}}


def final_report(root: PartyOrganization, *, who: str, number: str, issued_on: dt.date):
    """`root`'s 2025 report, complete with a proposal in part III, saved by a Ban Xây dựng Đảng user
    (`bxd-<who>`) and made final by a Ban Thường vụ member (`btv-<who>`) for Tạ Thị Dung to sign.
    Returns the final report and the staff user."""
    from core.models import Role
    from reports import services
    from reports.data import report_scope
    from reports.documents import new_report
    from tests.factories import user_with_role

    staff = user_with_role(Role.STAFF, username=f"bxd-{who}")
    narrative = complete_narrative()
    narrative["parts"]["III"] = {"text": "Đề nghị tăng cường tập huấn."}
    report = services.report_save(actor=staff, report=new_report(report_scope(root), 2025),
                                  header={"signer_title": "PHÓ BÍ THƯ"}, narrative=narrative, expected_version=None)
    signer = user_with_role(Role.STANDING, username=f"btv-{who}")
    final = services.report_finalize(actor=signer, report=report, number=number, issued_on=issued_on,
                                     signer_name="Tạ Thị Dung", expected_version=report.version)
    return final, staff


def supersede(old: Rating, **decided) -> Rating:
    """A decided re-rating of `old`, in the order the process writes it and the database allows:
    the new rating (not live yet), then the old one stops counting, then the new one is decided and
    counts [003 C.IV.9; core.db_guard]."""
    rating = Rating.objects.create(
        period=old.period, subject_type=old.subject_type, member=old.member, framework=old.framework,
        scope_org=old.scope_org, supersedes=old, status=RatingStatus.VERIFIED, is_live=False,
    )
    Rating.objects.filter(pk=old.pk).update(is_live=False)
    Rating.objects.filter(pk=rating.pk).update(is_live=True, status=RatingStatus.DECIDED, **decided)
    rating.refresh_from_db()
    return rating
