"""The demo data (demo.builder, manage.py seed_demo) and the demo accounts."""
import io
from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appraisal.models import PeriodKind, Rating, RatingStatus
from appraisal.rules import member_eligibility, organisation_eligibility
from core.dates import add_months
from core.models import AuditEntry, Role, RoleAssignment
from core.vntext import fold, name_sort_key, text_sort_key
from demo.builder import REFERENCE_DATE, seed_demo
from members.models import (
    Discipline,
    Exemption,
    LeaderPosition,
    Member,
    MemberStatus,
    PositionGroup,
    Suspension,
    TemporaryActivity,
    Transfer,
)
from orgs.models import (
    PATH_STEP,
    CommitteeMembership,
    CommitteeRole,
    OrgKind,
    PartyOrganization,
    Unit,
)
from tests.factories import MemberFactory, OrgFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
REF = REFERENCE_DATE


def _snapshot() -> dict:
    """Everything a seed decides, without database ids."""
    return {
        "orgs": list(PartyOrganization.objects.order_by("code").values_list("code", "name", "kind", "parent__code", "established_on")),
        "units": list(Unit.objects.order_by("code").values_list("code", "name", "block__code", "party_organization__code")),
        "members": list(
            Member.objects.order_by("card_number").values_list(
                "card_number", "full_name", "gender", "date_of_birth", "admitted_on", "official_on",
                "status", "cell__code", "is_active",
            )
        ),
        "exemptions": list(Exemption.objects.order_by("member__card_number").values_list("member__card_number", "start_on")),
        "suspensions": list(Suspension.objects.order_by("member__card_number").values_list("member__card_number", "start_on", "end_on")),
        "disciplines": list(Discipline.objects.order_by("member__card_number", "decided_on").values_list("member__card_number", "form", "decided_on")),
        "transfers": list(Transfer.objects.order_by("member__card_number", "moved_on").values_list("member__card_number", "from_cell__code", "to_cell__code", "moved_on")),
        "positions": list(LeaderPosition.objects.order_by("member__card_number", "title").values_list("member__card_number", "title", "unit__code", "group__code")),
        "seats": list(CommitteeMembership.objects.order_by("organization__code", "role", "member__card_number").values_list("organization__code", "role", "member__card_number")),
    }


def _seed_and_forget(seed: int) -> dict:
    return _seed_and_forget_at(seed, REF)


def _seed_and_forget_at(seed: int, reference: date) -> dict:
    """Seed inside a savepoint, take the snapshot, roll back: the next seed starts empty."""
    with transaction.atomic():
        seed_demo(seed=seed, reference=reference)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def seeded():
    return seed_demo(seed=0)


def _statuses(on: date = REF) -> dict[int, str | None]:
    """Why each member is not rated on `on` by the engine's rule ("left" for who has gone), or None."""
    exempt = {e.member_id for e in Exemption.objects.all() if e.covers(on)}
    suspended = {s.member_id for s in Suspension.objects.all() if s.covers(on)}
    statuses = {}
    for m in Member.objects.all():
        outcome = member_eligibility(evaluated_on=on, admitted_on=m.admitted_on, exempt=m.pk in exempt,
                                     suspended=m.pk in suspended)
        statuses[m.pk] = "left" if not m.is_active else (outcome.reasons[0].code if outcome.reasons else None)
    return statuses


def _young(on: date) -> list:
    """Organisations the engine does not rate on `on`: established less than 6 months before [003 C.IV.1]."""
    return [o for o in PartyOrganization.objects.all()
            if not organisation_eligibility(evaluated_on=on, formed_on=o.established_on).rated]


def test_same_seed_builds_identical_data():
    """Two runs with the same seed give the same names, card numbers, dates and structure."""
    first, second = _seed_and_forget(7), _seed_and_forget(7)
    assert first["members"], "the seed built no members"
    assert first == second


def test_different_seeds_build_different_people():
    """Another seed gives other names and card numbers (the tree keeps its shape)."""
    a, b = _seed_and_forget(1), _seed_and_forget(2)
    names_a = [row[1] for row in a["members"]]
    names_b = [row[1] for row in b["members"]]
    cards_a = {row[0] for row in a["members"]}
    cards_b = {row[0] for row in b["members"]}
    assert names_a != names_b
    assert len(cards_a & cards_b) < len(cards_a) // 10


def test_commune_has_the_shape_of_binh_lu(seeded):
    """10 TCCSĐ, 18 chi bộ under them, 44 under the commune; 24 units in blocks 3/5/6/2/8 [000 §4.3]."""
    kinds = Counter(PartyOrganization.objects.values_list("kind", flat=True))
    assert kinds[OrgKind.ROOT] == 1
    assert kinds[OrgKind.BASE_PARTY] + kinds[OrgKind.BASE_CELL] == 10
    assert kinds[OrgKind.SUB_CELL] == 18
    assert kinds[OrgKind.ROOT_CELL] == 44
    root = PartyOrganization.objects.get(kind=OrgKind.ROOT)
    assert root.name == "Đảng bộ xã Bình Lư"
    blocks = Counter(Unit.objects.values_list("block__code", flat=True))
    assert sorted(blocks.values()) == [2, 3, 5, 6, 8]
    assert blocks["KHOI_GIAO_DUC"] == 8 and blocks["KHOI_SU_NGHIEP"] == 2


def test_leader_posts_per_position_group(seeded):
    """Position groups hold the counts of seed 000 fn 4–6, and 3 leaders are diện BTV Tỉnh ủy."""
    groups = Counter(LeaderPosition.objects.values_list("group__code", flat=True))
    assert groups == {
        "BTV_TINH": 3, "UV_BTV": 8, "TRUONG_PHONG": 11, "PHO_PHONG": 15,
        "HIEU_TRUONG": 8, "PHO_HIEU_TRUONG": 16,
    }
    assert LeaderPosition.objects.filter(tier="province").count() == 3
    assert LeaderPosition.objects.values("member").distinct().count() == LeaderPosition.objects.count()


def test_member_counts_are_in_the_expected_ranges(seeded):
    """About 900 members; about 60 exempt, 14 newly admitted, a few suspended or gone."""
    reasons = Counter(_statuses().values())
    assert 850 <= Member.objects.count() <= 960
    assert 55 <= reasons["exempt"] <= 65
    assert reasons["admitted_recently"] == 14
    assert 2 <= reasons["suspended"] <= 5
    assert 1 <= reasons["left"] <= 5
    assert Discipline.objects.count() >= 5
    assert Transfer.objects.count() >= 10
    assert seeded.members == Member.objects.count()


def test_a_few_organisations_are_too_young_to_rate(seeded):
    """2–4 organisations were established less than 6 months before 31/12 [003 C.IV.1]."""
    young = _young(REF)
    assert 2 <= len(young) <= 4
    assert all(o.kind != OrgKind.ROOT for o in young)


@pytest.mark.parametrize("ref", [REF, date(2027, 1, 3), date(2028, 2, 29), date(2026, 6, 30)],
                         ids=lambda d: d.isoformat())
def test_statuses_agree_with_dates(ref):
    """On any reference day, history falls after admission and by that day, never after it.

    Early in a calendar year too: "this year" is the twelve months ending on the reference date,
    so a January or a leap-day reference still gets its new members, young cells and this
    year's suspensions and disciplines.
    """
    seed_demo(seed=0, reference=ref)
    year_start = add_months(ref, -12)
    members = {m.pk: m for m in Member.objects.all()}
    for e in Exemption.objects.all():
        assert members[e.member_id].admitted_on <= e.start_on <= ref
        assert add_months(members[e.member_id].admitted_on, 6) <= ref, "a new member is exempt"
    for s in Suspension.objects.all():
        assert members[s.member_id].admitted_on <= s.start_on <= ref
        assert s.end_on is None or s.start_on <= s.end_on <= ref
    for d in Discipline.objects.all():
        assert members[d.member_id].admitted_on <= d.violation_on <= d.decided_on <= ref
    for a in TemporaryActivity.objects.all():
        assert members[a.member_id].admitted_on <= a.start_on <= ref
    for t in Transfer.objects.all():
        assert members[t.member_id].admitted_on <= t.moved_on <= ref
        assert t.from_cell_id != t.to_cell_id
    assert all(o.established_on <= ref for o in PartyOrganization.objects.all())
    assert all(p.start_on <= ref for p in LeaderPosition.objects.all())
    exempt = {e.member_id for e in Exemption.objects.all() if e.covers(ref)}
    suspended = {s.member_id for s in Suspension.objects.all() if s.covers(ref)}
    assert not exempt & suspended
    assert len(suspended) == 3 and all(
        year_start < s.start_on for s in Suspension.objects.all() if s.member_id in suspended
    )
    assert sum(year_start < d.decided_on for d in Discipline.objects.all()) >= 4
    for m in members.values():
        if m.status == MemberStatus.OFFICIAL:
            assert m.official_on == add_months(m.admitted_on, 12) <= ref
        else:
            assert m.official_on is None and add_months(m.admitted_on, 12) > ref
        assert m.date_of_birth is not None and add_months(m.date_of_birth, 12 * 18) <= m.admitted_on
    assert Counter(_statuses(ref).values())["admitted_recently"] == 14
    assert 2 <= len(_young(ref)) <= 4


def test_command_builds_the_demo_as_of_today_unless_told():
    """`seed_demo` without --reference-date makes today's new members new, with the rating history
    up to today (last year decided); a future date is refused."""
    today = timezone.localdate()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"ngày mốc {today:%d/%m/%Y}" in out.getvalue()
    assert "Đã tạo lịch sử đánh giá, xếp loại" in out.getvalue()
    assert Rating.objects.filter(period__kind=PeriodKind.YEAR, period__year=today.year - 1,
                                 status=RatingStatus.DECIDED).exists()
    assert Counter(_statuses(today).values())["admitted_recently"] == 14
    with pytest.raises(CommandError, match="không được sau ngày hôm nay"):
        call_command("seed_demo", "--reference-date", (today + timedelta(days=30)).isoformat(),
                     stdout=io.StringIO())
    assert PartyOrganization.objects.filter(kind=OrgKind.ROOT).count() == 1


def test_command_with_a_reference_date_repeats_itself():
    """The same seed and reference date give the same people on any day they are built."""
    def build() -> dict:
        with transaction.atomic():
            call_command("seed_demo", "--without-ratings", "--seed", "3", "--reference-date", "2025-12-31", stdout=io.StringIO())
            snapshot = _snapshot()
            transaction.set_rollback(True)
        return snapshot

    assert build() == build() == _seed_and_forget_at(3, REF)


def test_leaders_and_committee_members_are_rated_members(seeded):
    """Nobody holding a post or a committee seat is exempt, suspended, new or gone."""
    reasons = _statuses()
    holders = set(LeaderPosition.objects.values_list("member_id", flat=True))
    holders |= set(CommitteeMembership.objects.values_list("member_id", flat=True))
    assert holders and all(reasons[pk] is None for pk in holders)


def test_committees_of_root_and_base_organisations(seeded):
    """The root has 1 bí thư, 2 phó bí thư and 8 more in the BTV; each TCCSĐ has a bí thư."""
    root = PartyOrganization.objects.get(kind=OrgKind.ROOT)
    roles = Counter(CommitteeMembership.objects.filter(organization=root).values_list("role", flat=True))
    assert roles[CommitteeRole.SECRETARY] == 1
    assert roles[CommitteeRole.DEPUTY] == 2
    assert roles[CommitteeRole.STANDING] == 8
    for org in PartyOrganization.objects.filter(kind__in=[OrgKind.BASE_PARTY, OrgKind.BASE_CELL]):
        assert CommitteeMembership.objects.filter(organization=org, role=CommitteeRole.SECRETARY).count() == 1


def test_bulk_created_members_match_member_save(seeded):
    """search_name and sort_key are what Member.save computes; saving again changes nothing."""
    for m in Member.objects.all():
        assert m.search_name == fold(m.full_name)
        assert m.sort_key == name_sort_key(m.full_name)
    sample = Member.objects.order_by("card_number").first()
    before = (sample.full_name, sample.search_name, sample.sort_key)
    sample.save()
    sample.refresh_from_db()
    assert (sample.full_name, sample.search_name, sample.sort_key) == before


def test_names_are_vietnamese_and_sort_by_given_name(seeded):
    """Names carry diacritics; the list orders by given name, "Đ" after "D" [DOMAIN §10a]."""
    names = list(Member.objects.by_name().values_list("full_name", flat=True))
    assert any(ch in "".join(names) for ch in "ăâđêôơư")

    def key(name):
        """Given name first; base letters of every word decide before any tone does."""
        words = name.split()
        per_word = text_sort_key(" ".join([words[-1], *words[:-1]]))
        return tuple(b for b, _ in per_word), tuple(t for _, t in per_word)

    assert [key(n) for n in names] == sorted(key(n) for n in names)
    given = [n.split()[-1] for n in names]
    last_d = max(i for i, g in enumerate(given) if g.startswith("D"))
    first_dd = min(i for i, g in enumerate(given) if g.startswith("Đ"))
    assert last_d < first_dd


def test_paths_agree_with_the_model(seeded):
    """Every organisation's path is its parent's path plus its own id, as PartyOrganization.save keeps it."""
    by_pk = {o.pk: o for o in PartyOrganization.objects.all()}
    for org in by_pk.values():
        parent_path = by_pk[org.parent_id].path if org.parent_id else ""
        assert org.path == parent_path + str(org.pk).zfill(PATH_STEP) + "."
        assert org.depth == org.path.count(".") - 1


def test_seeding_is_audited(seeded):
    """One audit entry per commune records the seed, the reference date and the counts."""
    entry = AuditEntry.objects.get(action="demo.seed")
    assert entry.object_id == str(seeded.roots[0].pk)
    assert entry.changes["members"] == Member.objects.count()
    assert (entry.changes["seed"], entry.changes["reference"]) == (0, REF.isoformat())


def test_queries_do_not_grow_with_members():
    """Members and their history are bulk-created: a commune costs a few hundred queries, not thousands."""
    with CaptureQueriesContext(connection) as queries:
        seed_demo(seed=0)
    assert Member.objects.count() > 800
    assert len(queries) < 400


def test_if_empty_does_nothing_on_a_second_run():
    """--if-empty loads the demo once; a second run leaves the data as it is."""
    out = io.StringIO()
    call_command("seed_demo", "--without-ratings", "--if-empty", stdout=out)
    counts = (PartyOrganization.objects.count(), Member.objects.count())
    call_command("seed_demo", "--without-ratings", "--if-empty", stdout=out)
    assert (PartyOrganization.objects.count(), Member.objects.count()) == counts
    assert "bỏ qua" in out.getvalue()


def test_if_empty_respects_existing_organisations():
    """Any organisation already there (entered by hand) stops --if-empty."""
    OrgFactory(code="XA", name="Đảng bộ xã Thật", kind=OrgKind.ROOT)
    call_command("seed_demo", "--without-ratings", "--if-empty", stdout=io.StringIO())
    assert PartyOrganization.objects.count() == 1
    assert not Member.objects.exists()


def test_two_communes_double_everything():
    """--communes 2 builds two roots with their own codes and about twice the members."""
    call_command("seed_demo", "--without-ratings", "--communes", "2", stdout=io.StringIO())
    roots = list(PartyOrganization.objects.filter(kind=OrgKind.ROOT).order_by("code"))
    assert [r.code for r in roots] == ["X01-XA", "X02-XA"]
    assert roots[0].name != roots[1].name
    assert PartyOrganization.objects.count() == 2 * 73
    assert Unit.objects.count() == 48
    per_root = [Member.objects.in_subtree(r).count() for r in roots]
    assert all(850 <= n <= 960 for n in per_root)
    assert sum(per_root) == Member.objects.count()
    for root in roots:
        codes = PartyOrganization.objects.subtree(root).values_list("code", flat=True)
        assert all(code.startswith(root.code[:4]) for code in codes)


def test_a_second_run_adds_a_commune():
    """Without --if-empty a second run adds the next commune instead of colliding on codes."""
    call_command("seed_demo", "--without-ratings", stdout=io.StringIO())
    call_command("seed_demo", "--without-ratings", stdout=io.StringIO())
    assert PartyOrganization.objects.filter(kind=OrgKind.ROOT).count() == 2


def test_a_run_passes_over_card_numbers_already_taken():
    """A member already holding a card number the demo would draw (imported, typed by hand) is
    passed over: the run adds its commune instead of crashing on a duplicate card number."""
    with transaction.atomic():
        seed_demo(seed=0)
        wanted = Member.objects.order_by("card_number").values_list("card_number", flat=True)[:5]
        wanted = list(wanted)
        transaction.set_rollback(True)
    elsewhere = OrgFactory(code="KHAC-CB", kind=OrgKind.ROOT)
    for card in wanted:
        MemberFactory(card_number=card, cell=elsewhere)

    result = seed_demo(seed=0)

    assert result.members > 800
    assert Member.objects.filter(card_number__in=wanted).count() == 5
    assert not Member.objects.filter(card_number__in=wanted).exclude(cell=elsewhere).exists()


def test_runs_add_communes_beside_codes_already_used():
    """Communes are added in steps with new codes; a prefix someone else used ("X01-…") is skipped."""
    OrgFactory(code="X01-CB9", kind=OrgKind.ROOT)
    call_command("seed_demo", "--without-ratings", "--communes", "2", stdout=io.StringIO())
    call_command("seed_demo", "--without-ratings", "--communes", "1", stdout=io.StringIO())

    roots = sorted(PartyOrganization.objects.filter(code__endswith="-XA").values_list("code", flat=True))
    assert roots == ["X02-XA", "X03-XA", "X04-XA"]
    cards = Counter(card[:3] for card in Member.objects.values_list("card_number", flat=True))
    assert set(cards) == {"002", "003", "004"} and all(n > 800 for n in cards.values())


@pytest.mark.slow
def test_the_demo_exports_and_imports_back_into_an_empty_database():
    """The demo passes every validator: its export, imported into an empty database, is taken whole."""
    from core.scope import Scope
    from members.workbook.export import export_workbook
    from members.workbook.services import import_workbook

    seed_demo(seed=0)
    content = export_workbook(Scope(user_id=None, is_superuser=True))
    counts = (PartyOrganization.objects.count(), Member.objects.count(), TemporaryActivity.objects.count())
    for model in (CommitteeMembership, LeaderPosition, Exemption, Suspension, TemporaryActivity, Discipline,
                  Transfer, Member, Unit, PositionGroup, AuditEntry):
        model.objects.all().delete()
    PartyOrganization.objects.update(parent=None)
    PartyOrganization.objects.all().delete()

    result = import_workbook(actor=None, content=content)

    assert result.applied, [str(p) for p in result.problems[:5]]
    assert (PartyOrganization.objects.count(), Member.objects.count(), TemporaryActivity.objects.count()) == counts


def test_zero_communes_is_refused_in_vietnamese():
    """A bad --communes is rejected with a message naming the option, and nothing is built."""
    with pytest.raises(CommandError, match="--communes"):
        call_command("seed_demo", "--communes", "0", stdout=io.StringIO())
    assert not PartyOrganization.objects.exists()


# -- demo accounts ---------------------------------------------------------------------------

def test_demo_accounts_refuse_without_debug():
    """With DEBUG off (a real server) no published password is set unless explicitly allowed."""
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_accounts", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


def test_demo_accounts_are_idempotent_and_scoped(seeded):
    """Running twice gives the same 8 users, one role each but the member's (none: their own
    ratings only), and prints the scoped cell and unit."""
    out = io.StringIO()
    call_command("demo_accounts", "--allow-production", stdout=out)
    call_command("demo_accounts", "--allow-production", stdout=out)
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"quantri", "bxd", "btv", "xem", "bithu", "bithucs", "lanhdao", "dangvien"}
    assert users["quantri"].is_superuser and not users["bxd"].is_superuser
    assert users["bxd"].check_password("bxd@2025")
    roles = {a.user.username: a for a in RoleAssignment.objects.select_related("user", "organization", "unit")}
    assert len(roles) == RoleAssignment.objects.count() == 6
    assert roles["bxd"].role == Role.STAFF and roles["bxd"].organization is None
    assert roles["btv"].role == Role.STANDING
    assert roles["xem"].role == Role.VIEWER
    assert roles["bithu"].role == Role.SECRETARY and roles["bithu"].organization.kind == OrgKind.ROOT_CELL
    assert roles["bithucs"].organization.kind == OrgKind.BASE_PARTY
    assert roles["lanhdao"].role == Role.UNIT_LEADERSHIP and roles["lanhdao"].unit is not None
    printed = out.getvalue()
    assert roles["bithu"].organization.name in printed
    assert roles["lanhdao"].unit.name in printed
    assert "bithu@2025" in printed
    # Each secretary is named by what they lead, as the account page names them.
    lines = {line.split()[0]: line for line in printed.splitlines() if line.strip()}
    assert "Bí thư đảng ủy cơ sở" in lines["bithucs"] and "Bí thư chi bộ" in lines["bithu"]
    secretary = Member.objects.get(user=users["bithu"])
    assert CommitteeMembership.objects.filter(
        member=secretary, organization=roles["bithu"].organization, role=CommitteeRole.SECRETARY
    ).exists()
    assert users["bithu"].last_name and users["bithu"].first_name == secretary.full_name.split()[-1]
    member = Member.objects.get(user=users["dangvien"])
    assert member.cell == secretary.cell and not users["dangvien"].is_superuser
    assert "dangvien" not in roles and "dangvien@2025" in printed


def test_a_province_by_members_is_filled_up_to_its_communes_and_a_rerun_adds_nothing():
    """`--communes 2 --members 3600`: two communes of about 1,800 members (twice a demo commune's
    cells), the organisations as in a demo commune; run again, nothing is added; asked for three,
    only the third is built."""
    out = io.StringIO()
    call_command("seed_demo", "--communes", "1", "--without-ratings", stdout=out)  # a demo commune already there counts
    demo_members = Member.objects.count()
    call_command("seed_demo", "--communes", "2", "--members", "3600", "--reference-date", "2025-12-31", stdout=out)
    roots = PartyOrganization.objects.filter(kind=OrgKind.ROOT).order_by("code")
    second = Member.objects.filter(cell__path__startswith=roots[1].path).count()
    assert roots.count() == 2 and 1500 <= second <= 2100 and second > 1.5 * demo_members
    organisations = PartyOrganization.objects.count()

    call_command("seed_demo", "--communes", "2", "--members", "3600", stdout=out)
    assert (PartyOrganization.objects.count(), Member.objects.count()) == (organisations, demo_members + second)
    assert "không thêm gì" in out.getvalue()

    call_command("seed_demo", "--communes", "3", "--members", "5400", "--reference-date", "2025-12-31", stdout=out)
    assert PartyOrganization.objects.filter(kind=OrgKind.ROOT).count() == 3
    assert len(set(Member.objects.values_list("card_number", flat=True))) == Member.objects.count()


# -- a province's past years, through the results import (--history-years) ------------------------

def _province_members_on(day: date) -> set[str]:
    """Card numbers of the members in the demo communes on `day`: admitted by then, not yet gone,
    and not among those who came from elsewhere later."""
    later = {t.member_id: t for t in Transfer.objects.filter(moved_on__gt=day).order_by("-moved_on")}
    gone = set(Transfer.objects.filter(moved_on__lte=day, to_cell__isnull=True).values_list("member_id", flat=True))
    return {m.card_number for m in Member.objects.filter(admitted_on__lte=day)
            if m.pk not in gone and not (m.pk in later and later[m.pk].from_cell_id is None)}


def test_a_province_with_history_years_imports_each_past_year_once():
    """`--communes 2 --members 3600 --history-years 2`: the two years before the reference date's
    come in through the results import, every member of the province once a year and every
    organisation, HTXSNV within the engine's quota in every cell; the dashboard's counts and the
    multi-year table read what was imported; a second run adds nothing, a commune's lost year
    is imported again."""
    from appraisal.rules import excellent_quota
    from demo.history import evaluation_date
    from reports.build import quota_flags
    from reports.companions import multi_year_context
    from reports.compute import quota_settings
    from reports.data import PeriodSet, level_counts, load_facts, report_scope, years_with_results
    from reports.models import ImportBatch, ImportedResult

    out = io.StringIO()
    call_command("seed_demo", "--communes", "2", "--members", "3600", "--history-years", "2",
                 "--reference-date", "2025-12-31", stdout=out)
    printed = out.getvalue()
    assert "Năm 2023: đã nhập kết quả của" in printed and "Năm 2024: đã nhập kết quả của" in printed
    assert set(ImportedResult.objects.values_list("year", flat=True)) == {2023, 2024}
    assert not ImportedResult.objects.filter(quarter__isnull=False).exists()
    scope = report_scope(None)
    for year in (2023, 2024):
        members = ImportedResult.objects.filter(year=year, subject_type="member_yearly")
        cards = list(members.values_list("subject_key", flat=True))
        assert len(cards) == len(set(cards)) and set(cards) == _province_members_on(evaluation_date(year))
        assert members.filter(not_rated="").count() > 0.9 * len(cards)
        organisations = ImportedResult.objects.filter(year=year, subject_type="base_org_yearly")
        assert organisations.count() == PartyOrganization.objects.filter(established_on__lte=evaluation_date(year)).count()
        # HTXSNV within the engine's quota in every cell (and no peer group the reports flag).
        by_cell: dict[int, Counter] = {}
        for cell, level in members.exclude(level="").values_list("organization_id", "level"):
            by_cell.setdefault(cell, Counter())[level] += 1
        for levels in by_cell.values():
            assert levels["HTXSNV"] <= excellent_quota(levels["HTXSNV"] + levels["HTTNV"], sum(levels.values()))
        assert sum(c["HTXSNV"] for c in by_cell.values()) > 0
        facts = load_facts(scope, PeriodSet(years=(year,)))
        assert quota_flags(scope, facts, quota_settings(year), {}) == ()
        # What the dashboard counts is what was imported.
        counts = level_counts(scope, PeriodSet(years=(year,)))
        imported = ImportedResult.objects.filter(year=year).exclude(level="")
        assert counts["members"] == dict(Counter(imported.filter(subject_type="member_yearly").values_list("level", flat=True)))
        assert counts["organisations"] == dict(Counter(imported.filter(subject_type="base_org_yearly").values_list("level", flat=True)))
    assert years_with_results(scope) == [2024, 2023]
    table = multi_year_context(scope, 2024, 2)
    members_table = next(by_year for label, by_year, _ in table["tables"] if label == "Đảng viên")
    for year in (2023, 2024):
        assert members_table[year].rated == sum(level_counts(scope, PeriodSet(years=(year,)))["members"].values())
    batches, rows = ImportBatch.objects.count(), ImportedResult.objects.count()

    out = io.StringIO()
    call_command("seed_demo", "--communes", "2", "--members", "3600", "--history-years", "2",
                 "--reference-date", "2025-12-31", stdout=out)
    assert "Năm 2023: 2 xã đã được nhập trước đó: bỏ qua." in out.getvalue()
    assert (ImportBatch.objects.count(), ImportedResult.objects.count()) == (batches, rows)

    second = PartyOrganization.objects.get(code="X02-XA")
    lost = ImportedResult.objects.filter(year=2024, organization__path__startswith=second.path)
    lost_rows = sorted(lost.values_list("subject_key", "level", "not_rated"))
    lost.delete()
    out = io.StringIO()
    call_command("seed_demo", "--communes", "2", "--members", "3600", "--history-years", "2",
                 "--reference-date", "2025-12-31", stdout=out)
    assert "Năm 2024: đã nhập kết quả của" in out.getvalue() and "1 xã đã được nhập trước đó" in out.getvalue()
    assert ImportedResult.objects.count() == rows
    assert sorted(lost.values_list("subject_key", "level", "not_rated")) == lost_rows  # drawn again alike


def test_a_past_year_also_imports_committees_collectives_and_leaders():
    """`--reference-date 2026-06-30 --history-years 1`: 2025 (evaluated on 15/12/2025, inside the
    committees' term) brings in all five subject types: a committee for each organisation existing
    that day with three seats or more then, a collective for each active unit with a leadership
    collective, a leader for each post holding that day; HTXSNV within the engine's quota in each
    peer group the reports check, a committee never above its organisation, a head never above
    the collective of the unit they head; a second run adds nothing."""
    from django.db.models import Count, Q

    from appraisal.process.periods.services import COMMITTEE_MIN_SEATS
    from appraisal.rules import Level, excellent_quota
    from demo.history import evaluation_date
    from reports.build import quota_flags
    from reports.compute import quota_settings
    from reports.data import COMMITTEE_GROUPS, ORG_GROUPS, PeriodSet, load_facts, report_scope
    from reports.models import ImportBatch, ImportedResult

    arguments = ("seed_demo", "--communes", "2", "--members", "1800", "--history-years", "1",
                 "--reference-date", "2026-06-30")
    out = io.StringIO()
    call_command(*arguments, stdout=out)
    day = evaluation_date(2025)
    imported = ImportedResult.objects.filter(year=2025)
    assert set(imported.values_list("subject_type", flat=True)) == {
        "member_yearly", "base_org_yearly", "committee_yearly", "collective_yearly", "leader_yearly"}

    # Committees: the organisations existing that day whose seats holding that day are three or more.
    seats = dict(CommitteeMembership.objects.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gte=day))
                 .values_list("organization_id").annotate(n=Count("pk")).order_by())
    existing = dict(PartyOrganization.objects.filter(established_on__lte=day).values_list("pk", "code"))
    expected = {code for pk, code in existing.items() if seats.get(pk, 0) >= COMMITTEE_MIN_SEATS}
    committees = imported.filter(subject_type="committee_yearly")
    assert sorted(committees.values_list("subject_key", flat=True)) == sorted(expected)
    assert any(seats.get(pk, 0) < COMMITTEE_MIN_SEATS for pk in existing)  # a cell of a secretary alone has none
    # Collectives: every active unit whose leadership collective is rated (units carry no dates).
    collectives = imported.filter(subject_type="collective_yearly")
    assert sorted(collectives.values_list("subject_key", flat=True)) == sorted(
        Unit.objects.filter(is_active=True, has_leadership_collective=True).values_list("code", flat=True))
    # Leaders: the posts holding that day, keyed by card and position group as the import keys them.
    posts = [f"{card}/{group}" for card, group, start, end in LeaderPosition.objects.values_list(
        "member__card_number", "group__code", "start_on", "end_on") if start <= day and (end is None or end >= day)]
    leaders = imported.filter(subject_type="leader_yearly")
    assert sorted(leaders.values_list("subject_key", flat=True)) == sorted(posts)
    assert LeaderPosition.objects.filter(start_on__gt=day).exists()  # some posts began later: not imported

    # HTXSNV within the quota in each peer group the reports check, per commune.
    def commune(path):
        return path[:PATH_STEP + 1]

    groups: dict[tuple, Counter] = {}
    for subject, path, kind, block, tier, group, level in imported.exclude(subject_type="member_yearly").exclude(
            level="").values_list("subject_type", "organization__path", "org_kind", "block_id", "tier",
                                  "position_group_id", "level"):
        key = {"committee_yearly": (COMMITTEE_GROUPS.get(kind),), "collective_yearly": (block,),
               "leader_yearly": (tier, group)}.get(subject, (ORG_GROUPS.get(kind),))
        groups.setdefault((subject, commune(path), *key), Counter())[level] += 1
    for key, levels in groups.items():
        assert levels["HTXSNV"] <= excellent_quota(levels["HTXSNV"] + levels["HTTNV"], sum(levels.values())), key
    for subject in ("committee_yearly", "collective_yearly", "leader_yearly"):
        assert sum(c["HTXSNV"] for key, c in groups.items() if key[0] == subject) > 0
    scope = report_scope(None)
    assert quota_flags(scope, load_facts(scope, PeriodSet(years=(2025,))), quota_settings(2025), {}) == ()

    # A committee never above its organisation; a head never above the collective of their unit.
    org_level = dict(imported.filter(subject_type="base_org_yearly").values_list("subject_key", "level"))
    for code, level in committees.exclude(level="").values_list("subject_key", "level"):
        assert Level.from_code(level) <= Level.from_code(org_level[code])
    unit_level = dict(collectives.values_list("subject_key", "level"))
    heads = {(card, unit) for card, unit, start, end in LeaderPosition.objects.filter(
        leadership_role="head", unit__isnull=False).values_list("member__card_number", "unit__code", "start_on", "end_on")
        if start <= day and (end is None or end >= day)}
    for key, unit, level in leaders.exclude(level="").values_list("subject_key", "unit__code", "level"):
        if (key.split("/")[0], unit) in heads:
            assert Level.from_code(level) <= Level.from_code(unit_level[unit])

    printed = out.getvalue()
    for what, rows in (("tập thể cấp ủy", committees), ("tập thể lãnh đạo, quản lý và", collectives),
                       ("cán bộ lãnh đạo, quản lý của", leaders)):
        assert f" {rows.count()} {what}" in printed
    batches, rows = ImportBatch.objects.count(), imported.count()
    call_command(*arguments, stdout=io.StringIO())
    assert (ImportBatch.objects.count(), imported.count()) == (batches, rows)


@pytest.mark.parametrize("arguments, message", [
    (["--history-years", "2"], "--history-years chỉ dùng cùng --members"),
    (["--members", "1800", "--history-years", "-1"], "--history-years phải từ 0 đến"),
])
def test_history_years_needs_members_and_a_sensible_count(arguments, message):
    """--history-years without --members, or negative, is refused in Vietnamese and nothing is built."""
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", *arguments, stdout=io.StringIO())
    assert not PartyOrganization.objects.exists()
