"""Demo data: communes modelled on Đảng bộ xã Bình Lư [000 §4], deterministic for a seed.

`seed_demo` is the only entry point. Everything random comes from one `random.Random` per
commune, seeded from the seed and the commune's number, and every date is computed from a
reference date (any day; "this year" means the twelve months ending on it), never from the
clock: the same seed and reference date build the same names, card numbers and dates on any
machine and any day. `manage.py seed_demo` takes today as the reference unless told otherwise,
so the demo's new members and young cells are new on the day it is built.

Shape of one commune (seed 000 §4.3 and footnotes 3–6):
- the root "Đảng bộ xã …"; 10 tổ chức cơ sở đảng (5 đảng bộ cơ sở with 18 chi bộ trực thuộc,
  5 chi bộ cơ sở); 44 chi bộ trực thuộc Đảng ủy xã (38 thôn/bản, 6 cơ quan), 3 of them
  established less than 6 months before the reference date;
- 24 units in the five blocks (3 / 5 / 6 / 2 / 8) with 64 leader posts: 3 diện BTV Tỉnh ủy
  quản lý, 8 ủy viên BTV, 11 trưởng and 15 phó phòng, ban, 8 hiệu trưởng, 16 phó hiệu trưởng;
- about 900 members, of whom about 60 exempt, 14 admitted less than 6 months before the
  reference date, a few suspended, disciplined, transferred or gone.
"""
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from appraisal.rules.calendar import add_months
from core.audit import AuditAction, record_change
from core.bulk import bulk_insert
from core.vntext import fold, name_sort_key, nfc
from members.models import (
    Discipline,
    DisciplineForm,
    Exemption,
    Gender,
    LeaderPosition,
    LeadershipRole,
    Member,
    MemberStatus,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Tier,
    Transfer,
)
from orgs.models import Block, CommitteeMembership, CommitteeRole, OrgKind, PartyOrganization, Unit

REFERENCE_DATE = date(2025, 12, 31)
DEMO_PROVINCE = "Đảng bộ tỉnh Lai Châu"  # the communes' superior, above the deployment's root

COMMUNE_NAMES = (
    "Bình Lư", "Lùng Phình", "Thanh Lâm", "Phong Thổ", "Sìn Hồ", "Mường Khương", "Bản Hồ",
    "Tả Van", "Nậm Xé", "Khun Há", "Pa Tần", "Bắc Hà", "Si Ma Cai", "Mường Hum", "Dền Sáng",
    "Trịnh Tường", "Ý Tý", "Quảng Kim", "Thu Lũm", "Hồng Ca",
)

# Blocks of units [000 fn 3] and position groups [000 fn 4–6]: shared by every commune.
BLOCKS = (
    ("KHOI_THAM_MUU", "Khối cơ quan tham mưu, giúp việc Đảng ủy"),
    ("KHOI_MTTQ", "Khối MTTQ và các tổ chức chính trị - xã hội"),
    ("KHOI_HDND_UBND", "Khối cơ quan trực thuộc HĐND, UBND xã"),
    ("KHOI_SU_NGHIEP", "Khối đơn vị sự nghiệp xã"),
    ("KHOI_GIAO_DUC", "Khối đơn vị sự nghiệp giáo dục"),
)
POSITION_GROUPS = (
    ("BTV_TINH", "Bí thư, Phó Bí thư Đảng ủy xã (diện Ban Thường vụ Tỉnh ủy quản lý)"),
    ("UV_BTV", "Ủy viên Ban Thường vụ Đảng ủy, phó chủ tịch UBND xã"),
    ("TRUONG_PHONG", "Trưởng các phòng, ban và tương đương"),
    ("PHO_PHONG", "Phó các phòng, ban và tương đương"),
    ("HIEU_TRUONG", "Hiệu trưởng các đơn vị trường học"),
    ("PHO_HIEU_TRUONG", "Phó Hiệu trưởng các đơn vị trường học"),
)

KINH_FAMILIES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Hoàng", "Đỗ",
    "Đặng", "Bùi", "Vũ", "Ngô", "Dương", "Đinh", "Phan", "Hà", "Triệu",
)
MINORITY_FAMILIES = (
    "Vàng", "Vàng", "Lò", "Lò", "Sùng", "Giàng", "Giàng", "Lý", "Thào", "Hầu", "Tẩn", "Chảo",
    "Lù", "Má", "Cứ", "Mùa", "Hạng", "Lường", "Tòng", "Điêu",
)
KINH_MIDDLE = {
    Gender.MALE: ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Đình", "Mạnh"),
    Gender.FEMALE: ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Hồng", "Thanh", "Minh", "Phương", "Kim"),
}
MINORITY_MIDDLE = {
    Gender.MALE: ("A", "A", "Seo", "Văn", "Văn", "Chẩn", "Láo"),
    Gender.FEMALE: ("Thị", "Thị", "Mí", "Thị", "Xuân"),
}
GIVEN = {
    Gender.MALE: (
        "Anh", "Bình", "Cường", "Chiến", "Dũng", "Đức", "Đạt", "Giang", "Hải", "Hùng", "Hưng",
        "Khải", "Khoa", "Lâm", "Long", "Lợi", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
        "Quý", "Sơn", "Tài", "Thắng", "Thành", "Thông", "Toản", "Trung", "Tuấn", "Tùng", "Vinh",
        "Vũ", "Ước", "Ơn", "Páo", "Chứ", "Sử", "Dế", "Lử", "Súa", "Pử", "Khày", "Ẩn", "Dìn",
    ),
    Gender.FEMALE: (
        "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hiền", "Hoa",
        "Hồng", "Huế", "Hương", "Huyền", "Lan", "Liên", "Loan", "Lụa", "Mai", "Mỵ", "Nga", "Ngọc",
        "Nhung", "Oanh", "Phượng", "Quỳnh", "Sính", "Thảo", "Thơm", "Thủy", "Trang", "Tươi",
        "Uyên", "Vân", "Xuân", "Yến", "Dợ", "Máy", "Ỷ", "Ếch", "Ươi",
    ),
}
PLACE_FIRST = (
    "Nà", "Nậm", "Pá", "Phiêng", "Huổi", "Cốc", "Lũng", "Khuổi", "Tà", "Sin", "Hố", "Séo", "Lao",
    "Chu", "Thẩm", "Tả", "Mường", "Co", "Phìn", "Ngài", "Sì", "Bó", "Làng",
)
PLACE_SECOND = (
    "Bó", "Lìu", "Cang", "Hon", "Pắc", "Chải", "Sáng", "Thàng", "Mu", "Dào", "Phát", "Vàng",
    "Lếch", "Cuổi", "Ngoại", "Mòn", "Chồ", "Tủng", "Khoang", "Nhìu", "Đớ", "Ổ", "Ươn", "Mạ",
)

EXEMPTION_REASONS = (
    "Tuổi cao, sức khỏe yếu (đơn đề nghị của đảng viên)",
    "Đảng viên tuổi cao, được chi bộ đồng ý miễn công tác và sinh hoạt đảng",
    "Ốm đau kéo dài, không đủ sức khỏe tham gia sinh hoạt",
)
SUSPENSION_REASONS = (
    "Bị khởi tố, tạm giam để điều tra",
    "Bị truy tố, chờ xét xử",
)
DISCIPLINE_REASONS = (
    "Vi phạm quy định về những điều đảng viên không được làm",
    "Thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
    "Vi phạm chính sách dân số - kế hoạch hóa gia đình",
    "Vi phạm quy định về quản lý đất đai",
)
TEMPORARY_PLACES = (
    "Chi bộ Công ty TNHH Samsung Electronics Việt Nam (tỉnh Bắc Ninh)",
    "Chi bộ Công ty Cổ phần May Sông Hồng (tỉnh Nam Định)",
    "Chi bộ Trường Chính trị tỉnh (học tập trung)",
    "Đảng bộ Khu công nghiệp Quang Châu (tỉnh Bắc Giang)",
)


@dataclass(frozen=True)
class SeedResult:
    """What one run of `seed_demo` built."""

    roots: tuple[PartyOrganization, ...]
    organizations: int
    units: int
    members: int


@dataclass
class _Person:
    """A member before they are saved: the plan the builder fills in, then bulk-creates."""

    full_name: str
    gender: str
    born_on: date
    admitted_on: date
    cell: str
    card_number: str
    is_new: bool = False
    reserved: bool = False  # holds a post or a committee seat: never exempt or suspended
    exempt: bool = False
    suspended: bool = False
    is_active: bool = True
    pk: int | None = None


@dataclass
class _OrgPlan:
    key: str
    name: str
    kind: str
    parent: str | None
    size: tuple[int, int] = (0, 0)  # members to draw, inclusive range
    profile: str = "office"  # "village", "office" or "school": who the members are
    new: bool = False
    instance: PartyOrganization | None = None


@dataclass
class _UnitPlan:
    key: str
    name: str
    block: str
    org: str | None
    head: tuple[str, str] | None  # (title, position group) of a head who is not a BTV member
    deputies: tuple[tuple[str, str], ...] = ()
    instance: Unit | None = None


@dataclass
class _Commune:
    index: int
    name: str
    prefix: str
    orgs: dict[str, _OrgPlan] = field(default_factory=dict)
    units: dict[str, _UnitPlan] = field(default_factory=dict)
    people: list[_Person] = field(default_factory=list)


DEMO_MEMBERS = 900  # about how many members a demo commune has at scale 1


def seed_demo(
    *, seed: int = 0, communes: int = 1, reference: date = REFERENCE_DATE, ratings: bool = False,
    scale: float = 1.0,
) -> SeedResult:
    """Build `communes` demo communes, all or nothing; record one audit entry per commune.

    With `ratings`, rate them through the rating process (demo.ratings): last year decided,
    this year's past quarters decided, this year open with work in progress. `scale` multiplies
    the members of every cell (a province of 500 000 in 170 communes: about 3.3), the
    organisations and posts staying as they are.
    """
    if communes < 1:
        raise ValueError("Số xã phải từ 1 trở lên.")
    if not 0.1 <= scale <= 50:
        raise ValueError("Hệ số số đảng viên phải từ 0,1 đến 50.")
    with transaction.atomic():
        blocks = _ensure_blocks()
        groups = _ensure_position_groups()
        roots, org_count, unit_count, member_count = [], 0, 0, 0
        for index in _free_commune_indexes(communes):
            builder = _CommuneBuilder(
                rng=random.Random(f"kiemdiem-demo:{seed}:{index}"),
                index=index, seed=seed, reference=reference, blocks=blocks, groups=groups, scale=scale,
            )
            commune = builder.build()
            root = commune.orgs["root"].instance
            roots.append(root)
            org_count += len(commune.orgs)
            unit_count += len(commune.units)
            member_count += len(commune.people)
            record_change(
                actor=None, action=AuditAction.DEMO_SEED, obj=root,
                changes={
                    "seed": seed, "reference": reference.isoformat(), "organizations": len(commune.orgs),
                    "units": len(commune.units), "members": len(commune.people),
                },
            )
        if ratings:
            from .ratings import seed_ratings

            seed_ratings(seed=seed, reference=reference)
    return SeedResult(tuple(roots), org_count, unit_count, member_count)


def commune_name(seed: int, index: int) -> str:
    """The commune's name: one of a list, numbered when the list runs out."""
    position = (seed + index - 1) % len(COMMUNE_NAMES)
    lap = (seed + index - 1) // len(COMMUNE_NAMES)
    name = COMMUNE_NAMES[position]
    return f"{name} {lap + 1}" if lap else name


def _ensure_blocks() -> dict[str, Block]:
    blocks = {}
    for order, (code, name) in enumerate(BLOCKS, start=1):
        blocks[code], _ = Block.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    return blocks


def _ensure_position_groups() -> dict[str, PositionGroup]:
    groups = {}
    for order, (code, name) in enumerate(POSITION_GROUPS, start=1):
        groups[code], _ = PositionGroup.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    return groups


def _free_commune_indexes(count: int) -> list[int]:
    """The first `count` commune numbers whose code prefix no organisation or unit uses yet.

    A second run (or a hundredth) adds communes to whatever is there, even beside codes that
    were imported or typed by hand.
    """
    pattern = r"^X[0-9]+-"
    codes = [
        *PartyOrganization.objects.filter(code__regex=pattern).values_list("code", flat=True),
        *Unit.objects.filter(code__regex=pattern).values_list("code", flat=True),
    ]
    taken = {code.split("-", 1)[0] + "-" for code in codes}
    free, index = [], 1
    while len(free) < count:
        if _prefix(index) not in taken:
            free.append(index)
        index += 1
    return free


def _prefix(index: int) -> str:
    return f"X{index:02d}-"


class _CommuneBuilder:
    """Plans one commune in memory with its own random stream, then writes it in bulk."""

    def __init__(self, *, rng, index, seed, reference, blocks, groups, scale=1.0):
        self.rng = rng
        self.scale = scale
        self.reference = reference
        self.blocks = blocks
        self.groups = groups
        name = commune_name(seed, index)
        self.commune = _Commune(index=index, name=name, prefix=_prefix(index))
        self._cards = self._card_numbers(rng, index, max(4000, int(DEMO_MEMBERS * scale * 1.5)))
        self._places = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
        rng.shuffle(self._places)
        self._deputies: list[_Person] = []

    @staticmethod
    def _card_numbers(rng, index: int, count: int = 4000):
        """Card numbers for the commune: its number, then five random digits; any already taken
        (a member imported or typed by hand) is passed over, so no run collides with the data."""
        prefix = f"{index:03d}"
        taken = set(Member.objects.filter(card_number__startswith=prefix).values_list("card_number", flat=True))
        for number in rng.sample(range(1, 100_000), count):
            card = f"{prefix}{number:05d}"
            if card not in taken:
                yield card

    # -- planning -------------------------------------------------------------------------

    def build(self) -> _Commune:
        self._plan_orgs()
        self._plan_units()
        self._plan_people()
        self._save_orgs()
        self._save_units()
        self._save_people()
        self._save_posts_and_seats()
        self._save_history()
        return self.commune

    def _date_between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def _place(self) -> str:
        return self._places.pop()

    def _plan_orgs(self) -> None:
        c = self.commune
        name = c.name
        village_word = self.rng.choice(("thôn", "bản"))
        school_places = [self._place() for _ in range(6)]
        plans = [
            _OrgPlan("root", f"Đảng bộ xã {name}", OrgKind.ROOT, None),
            _OrgPlan("DB_CQD", f"Đảng bộ các cơ quan Đảng xã {name}", OrgKind.BASE_PARTY, "root"),
            _OrgPlan("CB_VPDU", "Chi bộ Văn phòng Đảng ủy", OrgKind.SUB_CELL, "DB_CQD", (8, 12)),
            _OrgPlan("CB_BXD", "Chi bộ Ban Xây dựng Đảng - Ủy ban Kiểm tra", OrgKind.SUB_CELL, "DB_CQD", (10, 14)),
            _OrgPlan("CB_MTTQ", "Chi bộ Ủy ban MTTQ và các đoàn thể", OrgKind.SUB_CELL, "DB_CQD", (11, 15)),
            _OrgPlan("DB_UB", f"Đảng bộ Ủy ban nhân dân xã {name}", OrgKind.BASE_PARTY, "root"),
            _OrgPlan("CB_VPUB", "Chi bộ Văn phòng HĐND và UBND", OrgKind.SUB_CELL, "DB_UB", (10, 14)),
            _OrgPlan("CB_PKT", "Chi bộ Phòng Kinh tế", OrgKind.SUB_CELL, "DB_UB", (7, 12)),
            _OrgPlan("CB_VHXH", "Chi bộ Phòng Văn hóa - Xã hội", OrgKind.SUB_CELL, "DB_UB", (7, 12)),
            _OrgPlan("CB_HCC", "Chi bộ Trung tâm Phục vụ hành chính công", OrgKind.SUB_CELL, "DB_UB", (6, 10)),
            _OrgPlan("CB_TYT", "Chi bộ Trạm Y tế", OrgKind.SUB_CELL, "DB_UB", (7, 12)),
            _OrgPlan("CB_TTDV", "Chi bộ Trung tâm Dịch vụ tổng hợp", OrgKind.SUB_CELL, "DB_UB", (6, 10), new=True),
            _OrgPlan("DB_CA", f"Đảng bộ Công an xã {name}", OrgKind.BASE_PARTY, "root"),
            _OrgPlan("CB_CA1", "Chi bộ Tổ Tổng hợp", OrgKind.SUB_CELL, "DB_CA", (6, 10)),
            _OrgPlan("CB_CA2", "Chi bộ Tổ An ninh", OrgKind.SUB_CELL, "DB_CA", (6, 10)),
            _OrgPlan("CB_CA3", "Chi bộ Tổ Cảnh sát", OrgKind.SUB_CELL, "DB_CA", (6, 10)),
            _OrgPlan("DB_THCS", f"Đảng bộ Trường PTDTBT THCS {name}", OrgKind.BASE_PARTY, "root"),
            _OrgPlan("CB_THCS1", "Chi bộ Tổ Khoa học tự nhiên", OrgKind.SUB_CELL, "DB_THCS", (8, 13), "school"),
            _OrgPlan("CB_THCS2", "Chi bộ Tổ Khoa học xã hội", OrgKind.SUB_CELL, "DB_THCS", (8, 13), "school"),
            _OrgPlan("CB_THCS3", "Chi bộ Tổ Văn phòng - Thư viện", OrgKind.SUB_CELL, "DB_THCS", (5, 9), "school"),
            _OrgPlan("DB_TH", f"Đảng bộ Trường PTDTBT Tiểu học {name}", OrgKind.BASE_PARTY, "root"),
            _OrgPlan("CB_TH1", "Chi bộ Điểm trường trung tâm", OrgKind.SUB_CELL, "DB_TH", (8, 13), "school"),
            _OrgPlan("CB_TH2", f"Chi bộ Điểm trường {school_places[0]}", OrgKind.SUB_CELL, "DB_TH", (6, 10), "school"),
            _OrgPlan("CB_TH3", f"Chi bộ Điểm trường {school_places[1]}", OrgKind.SUB_CELL, "DB_TH", (6, 10), "school"),
            _OrgPlan("CB_QS", "Chi bộ Quân sự xã", OrgKind.BASE_CELL, "root", (10, 16)),
            _OrgPlan("CB_SCH_THCS2", f"Chi bộ Trường THCS {school_places[2]}", OrgKind.BASE_CELL, "root", (12, 20), "school"),
            _OrgPlan("CB_SCH_TH2", f"Chi bộ Trường Tiểu học {school_places[3]}", OrgKind.BASE_CELL, "root", (12, 20), "school"),
            _OrgPlan("CB_SCH_MN", f"Chi bộ Trường Mầm non {name}", OrgKind.BASE_CELL, "root", (12, 20), "school"),
            _OrgPlan("CB_SCH_MN2", f"Chi bộ Trường Mầm non {school_places[4]}", OrgKind.BASE_CELL, "root", (10, 16), "school"),
        ]
        for number in range(1, 39):
            plans.append(
                _OrgPlan(
                    f"CB_V{number:02d}", f"Chi bộ {village_word} {self._place()}", OrgKind.ROOT_CELL,
                    "root", (10, 21), "village",
                )
            )
        # Two villages were split this year: their cells are younger than 6 months [003 C.IV.1].
        plans[-1].new = True
        plans[-2].new = True
        plans += [
            _OrgPlan("CB_SCH_TH3", f"Chi bộ Trường Tiểu học số 3 {name}", OrgKind.ROOT_CELL, "root", (6, 11), "school"),
            _OrgPlan("CB_SCH_MN3", f"Chi bộ Trường Mầm non {school_places[5]}", OrgKind.ROOT_CELL, "root", (6, 11), "school"),
            _OrgPlan("CB_BD", "Chi bộ Bưu điện - Văn hóa xã", OrgKind.ROOT_CELL, "root", (5, 8)),
            _OrgPlan("CB_DL", "Chi bộ Đội Quản lý điện", OrgKind.ROOT_CELL, "root", (5, 9)),
            _OrgPlan("CB_HTX", f"Chi bộ Hợp tác xã Nông lâm nghiệp {name}", OrgKind.ROOT_CELL, "root", (5, 9)),
            _OrgPlan("CB_RPH", "Chi bộ Ban Quản lý rừng phòng hộ", OrgKind.ROOT_CELL, "root", (6, 10)),
        ]
        self.commune.orgs = {p.key: p for p in plans}

    def _plan_units(self) -> None:
        o = self.commune.orgs

        def school(key: str, org: str, name: str) -> _UnitPlan:
            return _UnitPlan(
                key, name, "KHOI_GIAO_DUC", org, ("Hiệu trưởng", "HIEU_TRUONG"),
                (("Phó Hiệu trưởng", "PHO_HIEU_TRUONG"),) * 2,
            )

        def school_name(org_key: str, kind_word: str) -> str:
            return o[org_key].name.replace(kind_word, "", 1)

        dep = "PHO_PHONG"
        plans = [
            _UnitPlan("VPDU", "Văn phòng Đảng ủy", "KHOI_THAM_MUU", "CB_VPDU",
                      ("Chánh Văn phòng Đảng ủy", "TRUONG_PHONG"), (("Phó Chánh Văn phòng Đảng ủy", dep),)),
            _UnitPlan("BXD", "Ban Xây dựng Đảng", "KHOI_THAM_MUU", "CB_BXD", None,
                      (("Phó Trưởng Ban Xây dựng Đảng", dep),) * 2),
            _UnitPlan("UBKT", "Ủy ban Kiểm tra Đảng ủy", "KHOI_THAM_MUU", "CB_BXD", None,
                      (("Phó Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", dep),) * 2),
            _UnitPlan("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "KHOI_MTTQ", "CB_MTTQ", None,
                      (("Phó Chủ tịch Ủy ban MTTQ Việt Nam xã", dep),) * 2),
            _UnitPlan("DOAN", "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã", "KHOI_MTTQ", "CB_MTTQ",
                      ("Bí thư Đoàn xã", "TRUONG_PHONG")),
            _UnitPlan("PHUNU", "Hội Liên hiệp Phụ nữ xã", "KHOI_MTTQ", "CB_MTTQ",
                      ("Chủ tịch Hội Liên hiệp Phụ nữ xã", "TRUONG_PHONG")),
            _UnitPlan("NONGDAN", "Hội Nông dân xã", "KHOI_MTTQ", "CB_MTTQ",
                      ("Chủ tịch Hội Nông dân xã", "TRUONG_PHONG")),
            _UnitPlan("CCB", "Hội Cựu chiến binh xã", "KHOI_MTTQ", "CB_MTTQ",
                      ("Chủ tịch Hội Cựu chiến binh xã", "TRUONG_PHONG")),
            _UnitPlan("TTHDND", "Thường trực Hội đồng nhân dân xã", "KHOI_HDND_UBND", "DB_UB", None),
            _UnitPlan("UBND", "Ủy ban nhân dân xã", "KHOI_HDND_UBND", "DB_UB", None),
            _UnitPlan("VPUB", "Văn phòng HĐND và UBND xã", "KHOI_HDND_UBND", "CB_VPUB",
                      ("Chánh Văn phòng HĐND và UBND xã", "TRUONG_PHONG"), (("Phó Chánh Văn phòng HĐND và UBND xã", dep),)),
            _UnitPlan("PKT", "Phòng Kinh tế", "KHOI_HDND_UBND", "CB_PKT",
                      ("Trưởng phòng Kinh tế", "TRUONG_PHONG"), (("Phó Trưởng phòng Kinh tế", dep),) * 2),
            _UnitPlan("PVHXH", "Phòng Văn hóa - Xã hội", "KHOI_HDND_UBND", "CB_VHXH",
                      ("Trưởng phòng Văn hóa - Xã hội", "TRUONG_PHONG"), (("Phó Trưởng phòng Văn hóa - Xã hội", dep),) * 2),
            _UnitPlan("TTHCC", "Trung tâm Phục vụ hành chính công xã", "KHOI_HDND_UBND", "CB_HCC",
                      ("Giám đốc Trung tâm Phục vụ hành chính công", "TRUONG_PHONG"),
                      (("Phó Giám đốc Trung tâm Phục vụ hành chính công", dep),)),
            _UnitPlan("TYT", "Trạm Y tế xã", "KHOI_SU_NGHIEP", "CB_TYT",
                      ("Trạm trưởng Trạm Y tế xã", "TRUONG_PHONG"), (("Phó Trạm trưởng Trạm Y tế xã", dep),)),
            _UnitPlan("TTDV", "Trung tâm Dịch vụ tổng hợp xã", "KHOI_SU_NGHIEP", "CB_TTDV",
                      ("Giám đốc Trung tâm Dịch vụ tổng hợp xã", "TRUONG_PHONG"),
                      (("Phó Giám đốc Trung tâm Dịch vụ tổng hợp xã", dep),)),
            school("THCS", "DB_THCS", school_name("DB_THCS", "Đảng bộ ")),
            school("TH", "DB_TH", school_name("DB_TH", "Đảng bộ ")),
            school("THCS2", "CB_SCH_THCS2", school_name("CB_SCH_THCS2", "Chi bộ ")),
            school("TH2", "CB_SCH_TH2", school_name("CB_SCH_TH2", "Chi bộ ")),
            school("TH3", "CB_SCH_TH3", school_name("CB_SCH_TH3", "Chi bộ ")),
            school("MN", "CB_SCH_MN", school_name("CB_SCH_MN", "Chi bộ ")),
            school("MN2", "CB_SCH_MN2", school_name("CB_SCH_MN2", "Chi bộ ")),
            school("MN3", "CB_SCH_MN3", school_name("CB_SCH_MN3", "Chi bộ ")),
        ]
        self.commune.units = {u.key: u for u in plans}

    def _name(self, gender: str, minority: bool) -> str:
        rng = self.rng
        family = rng.choice(MINORITY_FAMILIES if minority else KINH_FAMILIES)
        middle = rng.choice((MINORITY_MIDDLE if minority else KINH_MIDDLE)[gender])
        return f"{family} {middle} {rng.choice(GIVEN[gender])}"

    def _person(self, cell: str, profile: str, *, new: bool = False, working: bool = False) -> _Person:
        """One member of `cell`; `working` ones are 28–55 and long admitted (leader material)."""
        rng, ref = self.rng, self.reference
        female_share = {"village": 0.3, "office": 0.4, "school": 0.7}[profile]
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        minority = rng.random() < {"village": 0.8, "office": 0.45, "school": 0.35}[profile]
        if new:
            age = rng.randint(19, 35)
        elif working:
            age = rng.randint(28, 55)
        elif profile == "village":
            age = rng.randint(22, 84)
        else:
            age = rng.randint(23, 59)
        born = self._date_between(date(ref.year - age - 1, ref.month, 1), date(ref.year - age, 11, 30))
        if new:
            # Admitted less than 6 months before the reference date [003 B.I.2].
            admitted = self._date_between(add_months(ref, -6) + timedelta(days=2), ref - timedelta(days=10))
        else:
            earliest = max(add_months(born, 12 * 20), date(1965, 1, 1))
            latest = add_months(ref, -8)
            if working:
                latest = min(latest, add_months(ref, -36))
            admitted = self._date_between(earliest, latest)
        card = next(self._cards)
        return _Person(self._name(gender, minority), gender, born, admitted, cell, card, is_new=new)

    def _plan_people(self) -> None:
        rng = self.rng
        needed = self._posts_needed_per_cell()
        people: list[_Person] = []
        for plan in self.commune.orgs.values():
            if plan.size == (0, 0):
                continue
            lo, hi = plan.size
            drawn = rng.randint(lo, hi)
            if self.scale != 1.0:  # the same draw at scale 1, so a demo commune stays as it was
                drawn = round(drawn * self.scale)
            count = max(drawn, needed.get(plan.key, 0) + 2)
            for i in range(count):
                people.append(self._person(plan.key, plan.profile, working=i < needed.get(plan.key, 0) + 2))
        villages = [k for k, p in self.commune.orgs.items() if p.profile == "village"]
        for _ in range(14):
            people.append(self._person(rng.choice(villages), "village", new=True))
        self.commune.people = people

    def _posts_needed_per_cell(self) -> dict[str, int]:
        """How many working-age members each cell needs for its posts and committee seats."""
        orgs = self.commune.orgs
        needed: dict[str, int] = {}

        def add(cell: str, count: int) -> None:
            needed[cell] = needed.get(cell, 0) + count

        for unit in self.commune.units.values():
            add(self._cell_of(unit.org), (1 if unit.head else 0) + len(unit.deputies))
        # The standing committee and the other seats of the Ban Chấp hành (see below).
        for cell, count in (("CB_VPDU", 2), ("CB_BXD", 3), ("CB_MTTQ", 2), ("CB_VPUB", 4), ("CB_CA1", 1),
                            ("CB_CA2", 1), ("CB_CA3", 1), ("CB_QS", 1), ("CB_PKT", 1), ("CB_VHXH", 1),
                            ("CB_HCC", 1), ("CB_TYT", 1)):
            add(cell, count)
        for key, plan in orgs.items():
            if plan.kind == OrgKind.BASE_PARTY:
                for child in [k for k, c in orgs.items() if c.parent == key][:4]:
                    add(child, 1)
            elif plan.size != (0, 0):
                add(key, 3)  # bí thư, phó bí thư, chi ủy viên
        return needed

    def _cell_of(self, org_key: str) -> str:
        """The cell where the people of an organisation live (the first cell of a đảng bộ)."""
        plans = self.commune.orgs
        if plans[org_key].size != (0, 0):
            return org_key
        return next(k for k, p in plans.items() if p.parent == org_key)

    # -- writing --------------------------------------------------------------------------

    def _save_orgs(self) -> None:
        """Bulk-create the organisations level by level (a child's path needs its parent's id)."""
        rng, ref, prefix = self.rng, self.reference, self.commune.prefix
        order: dict[str | None, int] = {}
        levels: dict[int, list[_OrgPlan]] = {}
        for plan in self.commune.orgs.values():
            if plan.new:
                established = self._date_between(add_months(ref, -5), add_months(ref, -1))
            elif plan.kind == OrgKind.ROOT:
                established = date(rng.randint(1947, 1960), rng.randint(1, 12), rng.randint(1, 28))
            else:
                established = date(rng.randint(1975, 2020), rng.randint(1, 12), rng.randint(1, 28))
            order[plan.parent] = order.get(plan.parent, 0) + 1
            plan.instance = PartyOrganization(
                code=prefix + ("XA" if plan.key == "root" else plan.key.replace("_", "")),
                name=plan.name, kind=plan.kind, established_on=established, sort_order=order[plan.parent],
                # The province is not in the demo's tree: its line above the issuer is a setting of the root.
                letterhead_superior=DEMO_PROVINCE if plan.kind == OrgKind.ROOT else "",
            )
            plan.instance.normalise()
            levels.setdefault(self._level(plan), []).append(plan)
        created = []
        for level in sorted(levels):
            objects = []
            for plan in levels[level]:
                parent = self.commune.orgs[plan.parent].instance if plan.parent else None
                plan.instance.parent = parent
                objects.append(plan.instance)
            PartyOrganization.objects.bulk_create(objects)
            for org in objects:
                org.place_under(org.parent)
            created += objects
        PartyOrganization.objects.bulk_update(created, ["path", "depth"])

    def _level(self, plan: _OrgPlan) -> int:
        return 0 if plan.parent is None else 1 + self._level(self.commune.orgs[plan.parent])

    def _save_units(self) -> None:
        units = []
        for order, plan in enumerate(self.commune.units.values(), start=1):
            plan.instance = Unit(
                code=self.commune.prefix + plan.key, name=nfc(plan.name),
                block=self.blocks[plan.block],
                party_organization=self.commune.orgs[plan.org].instance if plan.org else None,
                sort_order=order,
            )
            units.append(plan.instance)
        Unit.objects.bulk_create(units)

    def _save_people(self) -> None:
        """Bulk-create the members, setting what Member.save would compute."""
        orgs = self.commune.orgs
        ref = self.reference
        rows = []
        for p in self.commune.people:
            full_name = " ".join(nfc(p.full_name).split())
            probationary = add_months(p.admitted_on, 12) > ref
            rows.append(
                Member(
                    full_name=full_name, date_of_birth=p.born_on, gender=p.gender,
                    card_number=nfc(p.card_number), admitted_on=p.admitted_on,
                    official_on=None if probationary else add_months(p.admitted_on, 12),
                    status=MemberStatus.PROBATIONARY if probationary else MemberStatus.OFFICIAL,
                    cell=orgs[p.cell].instance, is_active=p.is_active,
                    search_name=fold(full_name), sort_key=name_sort_key(full_name),
                )
            )
        bulk_insert(Member, rows)  # COPY on PostgreSQL: a province's communes hold thousands each
        for person, row in zip(self.commune.people, rows, strict=True):
            person.pk = row.pk

    def _pick(self, cell: str, *, gender: str | None = None) -> _Person:
        """A free, working-age, long-admitted member of the cell, marked as holding a post."""
        ref = self.reference
        candidates = [
            p for p in self.commune.people
            if p.cell == cell and not p.reserved and not p.is_new
            and 28 <= ref.year - p.born_on.year <= 56 and add_months(p.admitted_on, 36) <= ref
        ]
        if gender:
            candidates = [p for p in candidates if p.gender == gender] or candidates
        if not candidates:  # a small cell: anyone free who is not newly admitted
            candidates = [p for p in self.commune.people if p.cell == cell and not p.reserved and not p.is_new]
        person = self.rng.choice(candidates)
        person.reserved = True
        return person

    def _save_posts_and_seats(self) -> None:
        """Leader posts [000 fn 4–6] and committee seats of the root, base orgs and cells."""
        rng, ref = self.rng, self.reference
        orgs, units, groups = self.commune.orgs, self.commune.units, self.groups
        term_start = date(2025, 7, 1) if ref >= date(2025, 7, 1) else add_months(ref, -12)
        posts: list[LeaderPosition] = []
        seats: list[CommitteeMembership] = []

        def post(person, title, group, role, *, unit=None, org=None, tier=Tier.COMMUNE, start=None):
            posts.append(LeaderPosition(
                member_id=person.pk, title=nfc(title), unit=units[unit].instance if unit else None,
                organization=orgs[org].instance if org else None, leadership_role=role, tier=tier,
                group=groups[group], start_on=start or self._date_between(date(2015, 1, 1), add_months(ref, -6)),
            ))

        def seat(person, org_key, role):
            seats.append(CommitteeMembership(
                organization=orgs[org_key].instance, member_id=person.pk, role=role,
                start_on=term_start if org_key == "root" else add_months(term_start, -rng.randint(1, 4)),
            ))

        # The standing committee of the commune: 3 diện BTV Tỉnh ủy, 8 ủy viên BTV.
        secretary = self._pick("CB_VPDU")
        post(secretary, "Bí thư Đảng ủy, Chủ tịch HĐND xã", "BTV_TINH", LeadershipRole.HEAD,
             unit="TTHDND", org="root", tier=Tier.PROVINCE, start=term_start)
        seat(secretary, "root", CommitteeRole.SECRETARY)
        standing_deputy = self._pick("CB_VPDU")
        post(standing_deputy, "Phó Bí thư Thường trực Đảng ủy xã", "BTV_TINH", LeadershipRole.DEPUTY,
             org="root", tier=Tier.PROVINCE, start=term_start)
        seat(standing_deputy, "root", CommitteeRole.DEPUTY)
        chairman = self._pick("CB_VPUB")
        post(chairman, "Phó Bí thư Đảng ủy, Chủ tịch UBND xã", "BTV_TINH", LeadershipRole.HEAD,
             unit="UBND", tier=Tier.PROVINCE, start=term_start)
        seat(chairman, "root", CommitteeRole.DEPUTY)
        standing = [
            ("CB_BXD", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", LeadershipRole.HEAD, "UBKT", None),
            ("CB_BXD", "Trưởng Ban Xây dựng Đảng", LeadershipRole.HEAD, "BXD", None),
            ("CB_MTTQ", "Chủ tịch Ủy ban MTTQ Việt Nam xã", LeadershipRole.HEAD, "MTTQ", None),
            ("CB_VPUB", "Phó Chủ tịch HĐND xã", LeadershipRole.DEPUTY, "TTHDND", None),
            ("CB_VPUB", "Phó Chủ tịch UBND xã", LeadershipRole.DEPUTY, "UBND", None),
            ("CB_VPUB", "Phó Chủ tịch UBND xã", LeadershipRole.DEPUTY, "UBND", None),
            ("CB_CA1", "Trưởng Công an xã", LeadershipRole.HEAD, None, "DB_CA"),
            ("CB_QS", "Chỉ huy trưởng Ban Chỉ huy Quân sự xã", LeadershipRole.HEAD, None, "CB_QS"),
        ]
        for cell, title, role, unit, org in standing:
            person = self._pick(cell)
            post(person, title, "UV_BTV", role, unit=unit, org=org, start=term_start)
            seat(person, "root", CommitteeRole.STANDING)
        # Other posts, unit by unit.
        for plan in units.values():
            cell = self._cell_of(plan.org)
            if plan.head:
                title, group = plan.head
                gender = Gender.FEMALE if plan.key == "PHUNU" else None
                head = self._pick(cell, gender=gender)
                if group == "HIEU_TRUONG":
                    title = f"{title} {plan.name}"
                post(head, title, group, LeadershipRole.HEAD, unit=plan.key)
            for title, group in plan.deputies:
                if group == "PHO_HIEU_TRUONG":
                    title = f"{title} {plan.name}"
                deputy = self._pick(cell)
                post(deputy, title, group, LeadershipRole.DEPUTY, unit=plan.key)
                if group == "PHO_PHONG":
                    self._deputies.append(deputy)
        # The rest of the Ban Chấp hành Đảng bộ xã, from the offices and the larger villages.
        offices = ("CB_PKT", "CB_VHXH", "CB_HCC", "CB_TYT", "CB_MTTQ", "CB_BXD", "CB_CA2", "CB_CA3")
        for cell in offices:
            seat(self._pick(cell), "root", CommitteeRole.MEMBER)
        # Committees of base organisations and cells: a secretary everywhere, a chi ủy where large.
        sizes: dict[str, int] = {}
        for p in self.commune.people:
            sizes[p.cell] = sizes.get(p.cell, 0) + 1
        for key, plan in orgs.items():
            if plan.kind == OrgKind.BASE_PARTY:
                children = [k for k, c in orgs.items() if c.parent == key]
                seat(self._pick(children[0]), key, CommitteeRole.SECRETARY)
                seat(self._pick(children[1 % len(children)]), key, CommitteeRole.DEPUTY)
                for child in children[2:4]:
                    seat(self._pick(child), key, CommitteeRole.MEMBER)
            elif plan.kind in (OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL):
                seat(self._pick(key), key, CommitteeRole.SECRETARY)
                if sizes.get(key, 0) >= 9:
                    seat(self._pick(key), key, CommitteeRole.DEPUTY)
                    seat(self._pick(key), key, CommitteeRole.MEMBER)
        LeaderPosition.objects.bulk_create(posts)
        CommitteeMembership.objects.bulk_create(seats)

    def _save_history(self) -> None:
        """Exemptions, suspensions, disciplines, transfers, temporary activity, departures."""
        rng, ref = self.rng, self.reference
        # The twelve months that end on the reference date: the year being rated.
        year_start = add_months(ref, -12) + timedelta(days=1)
        orgs, people = self.commune.orgs, self.commune.people
        free = [p for p in people if not p.reserved and not p.is_new]

        # About 60 members exempt for age or health [000 §4.1: 74 not rated with the new ones].
        elderly = [p for p in free if add_months(p.born_on, 12 * 65) < add_months(ref, -1)]
        exempt = rng.sample(elderly, min(len(elderly), rng.randint(56, 64)))
        exemptions = []
        for p in exempt:
            p.exempt = True
            start = self._date_between(max(p.admitted_on, add_months(p.born_on, 12 * 65)), add_months(ref, -1))
            exemptions.append(Exemption(member_id=p.pk, start_on=start, reason=rng.choice(EXEMPTION_REASONS)))
        # A few suspended now, one suspension that ended last year.
        rest = [p for p in free if not p.exempt]
        suspended = rng.sample(rest, 4)
        suspensions = []
        for number, p in enumerate(suspended):
            if number == 0:
                start = self._date_between(add_months(year_start, -24), add_months(year_start, -12) - timedelta(days=1))
                end = self._date_between(start + timedelta(days=30), year_start - timedelta(days=1))
            else:
                p.suspended = True
                start = self._date_between(year_start, add_months(ref, -1))
                end = None
            start = max(start, p.admitted_on + timedelta(days=1))
            if end is not None and end < start:
                end = start + timedelta(days=30)
            suspensions.append(Suspension(member_id=p.pk, start_on=start, end_on=end, reason=rng.choice(SUSPENSION_REASONS)))
        # Disciplines: this year (one of them a deputy leader) and earlier years.
        suspended_pks = {p.pk for p in suspended}
        rated = [p for p in rest if p.pk not in suspended_pks]
        disciplined = [rng.choice(self._deputies), *rng.sample(rated, 6)]
        disciplines = []
        for number, p in enumerate(disciplined):
            this_year = number < 4
            if this_year:
                decided = self._date_between(add_months(year_start, 2), add_months(ref, -1))
            else:
                decided = self._date_between(add_months(year_start, -48), year_start - timedelta(days=1))
            decided = max(decided, p.admitted_on + timedelta(days=60))
            violation = max(p.admitted_on, decided - timedelta(days=rng.randint(20, 200)))
            disciplines.append(Discipline(
                member_id=p.pk, decided_on=decided, violation_on=violation,
                form=DisciplineForm.WARNING if number == 3 else DisciplineForm.REPRIMAND,
                decision_number=f"{rng.randint(1, 60):02d}-QĐ/UBKTĐU",
                reason=rng.choice(DISCIPLINE_REASONS), related_to_duties=number == 0 or rng.random() < 0.5,
                self_detected_remedied=number == 5,
            ))
        # Members of the cells split this year moved there on the day they were established.
        transfers = []
        villages = [k for k, o in orgs.items() if o.profile == "village" and not o.new]
        for p in people:
            plan = orgs[p.cell]
            established = plan.instance.established_on
            if plan.new and p.admitted_on < established and plan.profile == "village":
                transfers.append(Transfer(
                    member_id=p.pk, from_cell=orgs[rng.choice(villages)].instance, to_cell=plan.instance,
                    moved_on=established, note="Chia tách chi bộ thôn, bản",
                ))
        # Members who came from elsewhere, and a few who left the commune this year.
        disciplined_pks = {p.pk for p in disciplined}
        movers = rng.sample([p for p in rated if p.pk not in disciplined_pks], 14)
        for p in movers[:8]:
            transfers.append(Transfer(
                member_id=p.pk, from_cell=None, to_cell=orgs[p.cell].instance,
                moved_on=self._date_between(max(p.admitted_on, date(2015, 1, 1)), add_months(ref, -2)),
                note=f"Chuyển đến từ Đảng bộ xã {rng.choice(COMMUNE_NAMES)}",
            ))
        gone = movers[8:11]
        for p in gone:
            p.is_active = False
            transfers.append(Transfer(
                member_id=p.pk, from_cell=orgs[p.cell].instance, to_cell=None,
                moved_on=self._date_between(year_start + timedelta(days=14), add_months(ref, -1)),
                note="Chuyển sinh hoạt đảng chính thức ra ngoài Đảng bộ",
            ))
        Member.objects.filter(pk__in=[p.pk for p in gone]).update(is_active=False)
        temporary = [
            TemporaryActivity(
                member_id=p.pk, place=rng.choice(TEMPORARY_PLACES),
                # Not before the member was admitted (the validators refuse it, and so would an import).
                start_on=self._date_between(max(add_months(year_start, -12), p.admitted_on), add_months(ref, -3)),
            )
            for p in movers[11:14]
        ]
        Exemption.objects.bulk_create(exemptions)
        Suspension.objects.bulk_create(suspensions)
        Discipline.objects.bulk_create(disciplines)
        Transfer.objects.bulk_create(transfers)
        TemporaryActivity.objects.bulk_create(temporary)
