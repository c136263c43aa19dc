"""Every fact entered once, every dependent kept current [issue 13; 002 §4.4, §7.3; 003 C.III.5, C.IV.9].

A fact that belongs to another record — a discipline, a collective's share of its targets — is
read by the loader from where it is stored, never typed again; when it changes, every live rating
that reads it is worked out again in the same transaction, with an audit entry; a decided rating
that would change is flagged for re-rating, never edited.
"""
import datetime as dt

from appraisal.models import OutcomeChange, PeriodKind, Rating, RatingStatus, SubjectType
from appraisal.process.periods import services as period_services
from core.audit import object_history
from core.scope import scope_for
from members import services as member_services
from members.models import DisciplineForm
from tests.appraisal.test_workflow_process import VILLAGE, _decide, _meeting, _ready, _verify
from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    full_marks,
    rating_of,
    score,
)


def _discipline(commune, member, violation_on=dt.date(2025, 6, 1)):
    staff = commune.users["staff"]
    return member_services.discipline_record(
        actor=staff, scope=scope_for(staff), member=member, form=DisciplineForm.REPRIMAND,
        violation_on=violation_on, decided_on=dt.date(2025, 11, 1), decision_number="07-QĐ/UBKT",
        reason="Vi phạm quy chế làm việc", related_to_duties=True,
    )


def test_a_discipline_recorded_after_scoring_changes_the_open_rating_at_once(commune):
    member = commune.members["Lê Văn Cường"]
    rating = score(commune.users["secretary"], rating_of(commune.period, member), full_marks(),
                   tasks=EXCELLENT_TASKS, facts={"outstanding": True})
    assert rating.condition_level == "HTXSNV"
    _discipline(commune, member)
    rating.refresh_from_db()
    assert rating.condition_level == "KHTNV"
    assert any(r["code"] == "disciplined_in_year" for r in rating.reasons)
    entry = object_history(rating).filter(action="rating.outcome").get()
    assert entry.changes["condition_level"] == ["HTXSNV", "KHTNV"]
    assert "ghi kỷ luật khiển trách" in entry.changes["Do"]


def test_a_discipline_outside_the_period_changes_nothing(commune):
    member = commune.members["Lê Văn Cường"]
    rating = score(commune.users["secretary"], rating_of(commune.period, member), full_marks(),
                   tasks=EXCELLENT_TASKS, facts={"outstanding": True})
    _discipline(commune, member, violation_on=dt.date(2024, 6, 1))
    rating.refresh_from_db()
    assert rating.condition_level == "HTXSNV"
    assert not object_history(rating).filter(action="rating.outcome").exists()


def test_a_discipline_on_a_decided_rating_flags_it_for_rerating_and_never_edits_it(commune):
    ratings = _ready(commune, VILLAGE)
    _meeting(commune, ratings, [(9, 1, 0, 0), (2, 8, 0, 0), (2, 8, 0, 0), (2, 8, 0, 0)])
    _decide(commune, _verify(commune, ratings), ["HTXSNV", "HTTNV", "HTTNV", "HTTNV"])
    decided = Rating.objects.get(pk=ratings[0].pk)
    before = (decided.condition_level, decided.approved_level, decided.total_score, decided.version)
    _discipline(commune, commune.members[VILLAGE[0]])
    decided.refresh_from_db()
    assert (decided.condition_level, decided.approved_level, decided.total_score, decided.version) == before
    change = OutcomeChange.objects.get(rating=decided)
    assert (change.level_before, change.level_now) == ("HTXSNV", "KHTNV")
    assert "khiển trách" in change.because


def test_the_collectives_share_reaches_its_head_and_deputies_without_retyping(commune):
    """65 % of the collective's targets, typed once on the collective's own yearly rating: its head
    may not be above KHTNV, its deputy not HTXSNV [002 §7.3; 003 C.III.5]."""
    period = commune.period
    head = rating_of(period, commune.head, SubjectType.LEADER_YEARLY)
    deputy = rating_of(period, commune.deputy, SubjectType.LEADER_YEARLY)
    collective = rating_of(period, commune.unit, SubjectType.COLLECTIVE_YEARLY)
    staff = commune.users["staff"]
    for rating in (head, deputy):
        score(staff, rating, _full(rating), tasks=EXCELLENT_TASKS, facts={"outstanding": True})
    score(staff, collective, _full(collective), facts={"targets_pct": "65"})
    head.refresh_from_db()
    deputy.refresh_from_db()
    assert "collective_below_70_head" in [r["code"] for r in head.reasons]
    assert "collective_below_70_member" in [r["code"] for r in deputy.reasons]
    assert "collective_targets_pct" not in (head.facts or {}) and "collective_targets_pct" not in (deputy.facts or {})
    # Typed again as 90 % on the collective, the cap is gone from both, again without retyping.
    score(staff, collective, _full(collective), facts={"targets_pct": "90"})
    head.refresh_from_db()
    deputy.refresh_from_db()
    assert "collective_below_70_head" not in [r["code"] for r in head.reasons]
    assert "collective_below_70_member" not in [r["code"] for r in deputy.reasons]


def test_a_quarters_share_typed_by_the_head_reaches_the_deputy(commune):
    staff = commune.users["staff"]
    quarter = period_services.period_create(actor=staff, kind=PeriodKind.QUARTER, year=2025, quarter=3,
                                            evaluation_date=dt.date(2025, 9, 25))
    period_services.period_open(actor=staff, period=quarter)
    head = rating_of(quarter, commune.head, SubjectType.LEADER_QUARTERLY)
    deputy = rating_of(quarter, commune.deputy, SubjectType.LEADER_QUARTERLY)
    score(staff, deputy, _full(deputy), tasks=EXCELLENT_TASKS, facts={"outstanding": True})
    assert "collective_below_70_member" not in [r["code"] for r in Rating.objects.get(pk=deputy.pk).reasons]
    score(staff, head, _full(head), tasks=EXCELLENT_TASKS, facts={"outstanding": True, "collective_targets_pct": "60"})
    deputy.refresh_from_db()
    head.refresh_from_db()
    assert deputy.status == RatingStatus.DRAFT
    assert "collective_below_70_member" in [r["code"] for r in deputy.reasons]
    assert "collective_below_70_head" in [r["code"] for r in head.reasons]


def test_the_rating_page_asks_the_collectives_share_only_where_it_is_typed(commune, client):
    """A deputy's yearly page has no field for the collective's share; the collective's has it."""
    period = commune.period
    client.force_login(commune.users["staff"])
    deputy = rating_of(period, commune.deputy, SubjectType.LEADER_YEARLY)
    collective = rating_of(period, commune.unit, SubjectType.COLLECTIVE_YEARLY)
    assert 'name="collective_targets_pct"' not in client.get(f"/danh-gia/phieu/{deputy.pk}/cham-diem/").content.decode()
    assert 'name="targets_pct"' in client.get(f"/danh-gia/phieu/{collective.pk}/cham-diem/").content.decode()


def _full(rating) -> dict[str, str]:
    from appraisal.scoring.loader import frameworks

    data = frameworks([rating.framework_id])[rating.framework_id]
    return {c.code: str(c.max_points) for c in data.leaves}


def test_task_axis_points_follow_the_work_products_and_the_leaders_own_primary_axes(commune):
    """Axis (1) has two products — one on time at quality 1 (100 %), one late at quality 2
    (30 % × 60 % + 70 % × 80 % = 74 %) — so 2.1 scores 1,74/2 × 20 = 17,4 whatever was typed;
    axis (3)'s only product was not done: 0. Marking axis (2) primary and (1) secondary shares the
    framework's primary points (46) among (2), (3), (4) and its secondary points (24) among (1),
    (5), (6): 2.1 then scores 1,74/2 × 8 = 6,96 [002 II.1.5]."""
    from appraisal.process.ratings.services import ProductRow, axis_roles_save, products_save

    staff = commune.users["staff"]
    quarter = period_services.period_create(actor=staff, kind=PeriodKind.QUARTER, year=2025, quarter=2,
                                            evaluation_date=dt.date(2025, 6, 25))
    period_services.period_open(actor=staff, period=quarter)
    rating = rating_of(quarter, commune.head, SubjectType.LEADER_QUARTERLY)
    rating = score(staff, rating, _full(rating), tasks=None, facts={"outstanding": True})
    products_save(actor=staff, rating=rating, expected_version=rating.version, rows=[
        ProductRow(pk=None, title="Thu ngân sách quý II", axis=1, completed=True, on_time=True, quality=1),
        ProductRow(pk=None, title="Giải ngân vốn đầu tư công", axis=1, completed=True, on_time=False, quality=2),
        ProductRow(pk=None, title="Số hóa hồ sơ một cửa", axis=3, completed=False),
    ])
    rating.refresh_from_db()
    worked = {c["code"]: c for c in rating.workings["criteria"]}
    assert (worked["2.1"]["max"], worked["2.1"]["points"]) == ("20", "17,4")
    assert worked["2.3"]["points"] == "0"
    assert worked["2.2"]["points"] == "8"  # no product on axis (2): what was typed
    axis_roles_save(actor=staff, rating=rating, expected_version=rating.version,
                    roles={1: "secondary", 2: "primary", 3: "primary", 4: "primary", 5: "secondary", 6: "secondary"})
    rating.refresh_from_db()
    worked = {c["code"]: c for c in rating.workings["criteria"]}
    assert (worked["2.1"]["max"], worked["2.1"]["points"]) == ("8", "6,96")
    assert [worked[code]["max"] for code in ("2.2", "2.3", "2.4", "2.5", "2.6")] == ["15,34", "15,33", "15,33", "8", "8"]
    assert rating.axis_roles == {"1": "secondary", "2": "primary"}


def test_the_flag_shows_on_the_rating_and_a_rerating_decision_settles_it(commune, client):
    from appraisal.process.meetings import services as meeting_services
    from appraisal.process.rerating import services as rerating_services

    ratings = _ready(commune, VILLAGE)
    _meeting(commune, ratings, [(2, 8, 0, 0)] * 4)
    _decide(commune, _verify(commune, ratings), ["HTTNV"] * 4)
    _discipline(commune, commune.members[VILLAGE[0]])
    old = Rating.objects.get(pk=ratings[0].pk)
    client.force_login(commune.users["staff"])
    page = client.get(f"/danh-gia/phieu/{old.pk}/").content.decode()
    assert "Kết quả tính lại nay khác kết quả đã quyết định" in page and "khiển trách" in page
    home = client.get("/").content.decode()
    assert "cần xem xét xếp loại lại" in home
    new = rerating_services.rating_rerate(actor=commune.users["staff"], rating=old, reason="QĐ kỷ luật 07-QĐ/UBKT")
    new.refresh_from_db()
    meeting_services.rating_propose(actor=commune.users["staff"], rating=new, expected_version=new.version,
                                    level="KHTNV", note="Xếp loại lại theo 003 C.IV.9")
    _decide(commune, [new], ["KHTNV"], number="31-QĐ/ĐU")
    assert OutcomeChange.objects.get(rating=old).resolved_by_id == new.pk
    assert "Kết quả tính lại nay khác" not in client.get(f"/danh-gia/phieu/{old.pk}/").content.decode()


def test_a_leader_marks_their_primary_axes_on_the_products_page(commune, client):
    rating = rating_of(commune.period, commune.deputy, SubjectType.LEADER_YEARLY)
    client.force_login(commune.users["leader"])  # the deputy's own account, while it is a draft
    url = f"/danh-gia/phieu/{rating.pk}/san-pham/"
    page = client.get(url).content.decode()
    assert page.count('id="truc-ket-qua"') == 1 and "<title>Danh mục sản phẩm: " in page
    marking = {f"truc_{axis}": "primary" if axis in (2, 5) else "secondary" for axis in range(1, 7)}
    answer = client.post(f"/danh-gia/phieu/{rating.pk}/truc-ket-qua/", {**marking, "version": rating.version})
    assert answer.status_code == 302
    rating.refresh_from_db()
    assert rating.axis_roles == {"1": "secondary", "2": "primary", "3": "secondary", "4": "secondary", "5": "primary"}
    none = {f"truc_{axis}": "secondary" for axis in range(1, 7)}
    client.post(f"/danh-gia/phieu/{rating.pk}/truc-ket-qua/", {**none, "version": rating.version})
    rating.refresh_from_db()
    assert rating.axis_roles["2"] == "primary"  # refused: at least one primary axis [002 II.1.5]
