"""Scoring: every value checked the same way, all-or-nothing saves, stale saves refused, every
score audited, and the engine's outcome stored on the rating [issue 8]."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.models import CriterionScore, Rating, RatingStatus, SubjectType
from appraisal.process.ratings import services as rating_services
from appraisal.scoring.services import ScoreErrors, ScoreInput, scores_save
from appraisal.scoring.values import CriterionInfo, ValueError_, parse_value
from core.models import AuditEntry
from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    full_marks,
    rating_of,
    scaled,
    score,
)

QUAL = CriterionInfo("1.1", Decimal(6), "qualitative")
QUANT = CriterionInfo("2.2", Decimal(40), "quantitative")



@pytest.mark.parametrize(("typed", "expected"), [
    ("5,5", Decimal("5.50")), ("5.5", Decimal("5.50")), (" 6 ", Decimal("6.00")), ("0", Decimal("0.00")),
    ("4,25", Decimal("4.25")), ("5,500", Decimal("5.50")),
])
def test_points_are_read_with_a_decimal_comma_or_point(typed, expected):
    """"5,5" and "5.5" are the same points; at most two decimals."""
    assert parse_value(typed, QUAL).points == expected


@pytest.mark.parametrize(("typed", "message"), [
    ("9,999", "quá hai chữ số thập phân"),
    ("6,01", "phải từ 0 đến 6"),
    ("-1", "phải từ 0 đến 6"),
    ("1,2,3", "không phải là số điểm"),
    ("abc", "không phải là số điểm hoặc một mức"),
    ("NaN", "không phải là số điểm"),
    ("1e3", "phải từ 0 đến 6"),
    ("x" * 30, "quá dài"),
])
def test_bad_points_are_refused_with_a_message_naming_the_criterion(typed, message):
    """Each mistake gets a Vietnamese message that names the criterion."""
    with pytest.raises(ValueError_, match=message) as exc:
        parse_value(typed, QUAL)
    assert str(exc.value).startswith("Tiêu chí 1.1")


@pytest.mark.parametrize(("typed", "level"), [("Tốt", 3), ("tot", 3), ("XS", 4), ("Trung bình", 2), ("kém", 1)])
def test_a_qualitative_criterion_takes_a_level_from_the_list(typed, level):
    """Levels are read without tones or case, and their short forms too."""
    assert int(parse_value(typed, QUAL).level) == level


def test_a_quantitative_criterion_refuses_a_level():
    """A level means nothing for a quantitative criterion: points only."""
    with pytest.raises(ValueError_, match="định lượng"):
        parse_value("Tốt", QUANT)


@settings(max_examples=200)
@given(st.text(max_size=25))
def test_any_typed_text_is_either_valid_points_or_a_clear_refusal(text):
    """Whatever is typed, the reader returns a value within the criterion's range or refuses it."""
    try:
        value = parse_value(text, QUAL)
    except ValueError_ as exc:
        assert str(exc).startswith("Tiêu chí 1.1")
        return
    if value.points is not None:
        assert Decimal(0) <= value.points <= Decimal(6)
        assert value.points == value.points.quantize(Decimal("0.01"))


def test_saving_scores_stores_them_and_the_engines_outcome(commune):
    """Full marks, tasks all done and half exceeded, outstanding: total 100 and HTXSNV, with reasons."""
    secretary = commune.users["secretary"]
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(secretary, rating, full_marks(), tasks=EXCELLENT_TASKS, facts={"outstanding": True})
    assert rating.total_score == Decimal("100.00")
    assert (rating.score_level, rating.condition_level, rating.held) == ("HTXSNV", "HTXSNV", False)
    assert rating.reasons[0]["code"] == "score" and "tổng điểm 100" in rating.reasons[0]["text"]
    assert CriterionScore.objects.filter(rating=rating).count() == 8
    assert rating.framework_version == rating.framework.version


def test_a_total_just_below_the_edge_is_the_lower_level(commune):
    """89,99 is below 90: HTTNV, never rounded across the edge [002 §4]."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(commune.users["secretary"], rating, scaled("89,99"), tasks=EXCELLENT_TASKS,
                   facts={"outstanding": True})
    assert rating.total_score == Decimal("89.99")
    assert rating.score_level == "HTTNV"


def test_an_incomplete_sheet_has_a_running_total_and_no_level(commune):
    """Until every criterion is scored there is no level; the reason lists what is missing."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(commune.users["secretary"], rating, {"1.1": "Tốt", "2.1": "25"})
    assert rating.total_score == Decimal("29.20")  # 6 × 70 % + 25
    assert rating.condition_level == "" and rating.score_level == ""
    assert rating.reasons[0]["code"] == "incomplete"
    assert "1.2, 1.3, 1.4, 1.5, 1.6, 2.2" in rating.reasons[0]["text"]


def test_one_bad_value_refuses_the_whole_save(commune):
    """A grid with one wrong cell saves nothing, and says which member and criterion."""
    secretary = commune.users["secretary"]
    a = rating_of(commune.period, commune.members["Lê Văn Cường"])
    b = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    with pytest.raises(ScoreErrors) as exc:
        scores_save(actor=secretary, items=[
            ScoreInput(a, a.version, full_marks()),
            ScoreInput(b, b.version, {**full_marks(), "2.1": "31"}, {"tasks_assigned": "2", "tasks_done": "3"}),
        ])
    assert set(exc.value.by_field) == {(b.pk, "2.1"), (b.pk, "tasks_done")}
    assert "điểm 31 phải từ 0 đến 30" in exc.value.by_field[(b.pk, "2.1")]
    assert not CriterionScore.objects.exists()
    a.refresh_from_db()
    assert a.version == 1


def test_a_second_save_over_someone_elses_is_refused_and_nothing_is_lost(commune):
    """Two people open the same sheet; the second to save is refused and the first's scores stay."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    opened_by_both = rating.version
    scores_save(actor=commune.users["secretary"], items=[ScoreInput(rating, opened_by_both, full_marks())])
    other = Rating.objects.get(pk=rating.pk)
    with pytest.raises(ValidationError, match="vừa được người khác lưu"):
        scores_save(actor=commune.users["staff"], items=[ScoreInput(other, opened_by_both, {"1.1": "1"})])
    assert CriterionScore.objects.get(rating=rating, criterion__code="1.1").points == Decimal("6.00")


def test_every_changed_score_is_in_the_audit_with_before_and_after(commune):
    """The audit entry of a save names each criterion changed, old → new, and who saved."""
    secretary = commune.users["secretary"]
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    score(secretary, rating, {"1.1": "5", "1.2": "Tốt"})
    score(secretary, rating, {"1.1": "5,5", "1.2": "Tốt"})
    entries = list(AuditEntry.objects.filter(action="rating.scores", object_id=str(rating.pk)).order_by("pk"))
    assert [e.changes for e in entries] == [
        {"Tiêu chí 1.1": ["—", "5"], "Tiêu chí 1.2": ["—", "Tốt"]},
        {"Tiêu chí 1.1": ["5", "5,5"]},
    ]
    assert entries[0].actor == secretary


def test_only_the_proposer_staff_or_the_member_may_score(commune):
    """Another cell's secretary, the standing committee and viewers may not score a member."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    for role in ("cell_secretary", "standing", "viewer", "unit_leadership", "norole"):
        with pytest.raises(PermissionDenied):
            scores_save(actor=commune.users[role], items=[ScoreInput(rating, rating.version, {"1.1": "5"})])
    score(commune.users["member"], rating, {"1.1": "5"})  # their own self-assessment
    score(commune.users["staff"], rating, {"1.1": "6"})


def test_the_member_writes_their_self_assessment_only_while_it_is_a_draft(commune):
    """After handing in, the member can no longer change it; the secretary still can."""
    member = commune.users["member"]
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(member, rating, full_marks(), tasks=EXCELLENT_TASKS)
    rating_services.self_review_save(actor=member, rating=rating, expected_version=rating.version,
                              strengths="Gương mẫu", weaknesses="Còn chậm", self_level="HTXSNV")
    rating.refresh_from_db()
    rating_services.rating_submit(actor=member, rating=rating, expected_version=rating.version)
    rating.refresh_from_db()
    assert rating.status == RatingStatus.SUBMITTED and rating.self_level == "HTXSNV"
    with pytest.raises(PermissionDenied):
        scores_save(actor=member, items=[ScoreInput(rating, rating.version, {"1.1": "1"})])
    score(commune.users["secretary"], rating, {"1.1": "5"})


def test_an_incomplete_sheet_cannot_be_handed_in(commune):
    """Submitting needs every criterion scored; the message lists what is missing."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(commune.users["secretary"], rating, {"1.1": "5"})
    with pytest.raises(ValidationError, match="còn 7 tiêu chí chưa chấm điểm"):
        rating_services.rating_submit(actor=commune.users["secretary"], rating=rating, expected_version=rating.version)


def test_leader_work_products_feed_the_task_facts(commune):
    """59 of 60 tasks done ⇒ KHTNV whatever the points [002 fn 2]; force majeure confirmed excuses it."""
    leader = commune.users["leader"]
    rating = rating_of(commune.period, commune.deputy, SubjectType.LEADER_YEARLY)
    values = {c.code: str(c.max_points) for c in _leaves(rating)}
    rating = score(leader, rating, values)
    rows = [rating_services.ProductRow(None, f"Nhiệm vụ {i}", completed=True, on_time=True) for i in range(59)]
    rows.append(rating_services.ProductRow(None, "Nhiệm vụ 60", completed=False))
    rating_services.products_save(actor=leader, rating=rating, expected_version=rating.version, rows=rows)
    rating.refresh_from_db()
    assert rating.condition_level == "KHTNV"
    assert any("hoàn thành 59/60 nhiệm vụ" in r["text"] for r in rating.reasons)
    products = list(rating.products.order_by("order"))
    last = products[-1]
    rows = [rating_services.ProductRow(p.pk, p.title, completed=True, on_time=True) for p in products[:-1]]
    rows.append(rating_services.ProductRow(last.pk, last.title, completed=False, force_majeure=True,
                                    force_majeure_confirmed_by="Ban Thường vụ Đảng ủy"))
    rating_services.products_save(actor=leader, rating=rating, expected_version=rating.version, rows=rows)
    rating.refresh_from_db()
    assert rating.condition_level != "KHTNV"


def test_force_majeure_needs_someone_who_confirmed_it(commune):
    """Force majeure without the confirming authority is refused [002 §4.4a]."""
    leader = commune.users["leader"]
    rating = rating_of(commune.period, commune.deputy, SubjectType.LEADER_YEARLY)
    with pytest.raises(ValidationError, match="cấp có thẩm quyền xác nhận"):
        rating_services.products_save(actor=leader, rating=rating, expected_version=rating.version, rows=[
            rating_services.ProductRow(None, "Nhiệm vụ 1", completed=False, force_majeure=True),
        ])


def _leaves(rating):
    from appraisal.scoring.loader import frameworks

    return frameworks([rating.framework_id])[rating.framework_id].leaves


# ---------------------------------------------------------------- engine corrections, through the pipeline


def test_a_third_decimal_is_refused_so_89_999_never_becomes_90(commune):
    """Typing 9,999 for a criterion is refused (at most two decimals): a total of 89,999 cannot
    arise and be counted as 90 ⇒ HTXSNV [002 §4]."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    values = {**scaled("89,99"), "1.1": "5,999"}
    with pytest.raises(ScoreErrors) as exc:
        scores_save(actor=commune.users["secretary"], items=[ScoreInput(rating, rating.version, values)])
    assert "quá hai chữ số thập phân" in exc.value.by_field[(rating.pk, "1.1")]
    assert not CriterionScore.objects.filter(rating=rating).exists()


def test_a_base_organisation_at_84_99_is_httnv(commune):
    """"Từ 85" admits no rounding: a base organisation at 84,99 is HTTNV by its score [003 C.I.2]."""
    secretary = commune.users["cell_secretary"]
    org = rating_of(commune.period, commune.base_cell, SubjectType.BASE_ORG_YEARLY)
    values = {c.code: str(c.max_points) for c in _leaves(org)}
    values["2.2"] = "24,99"  # 40 → 24,99: the total is 84,99
    org = score(secretary, org, values)
    assert org.total_score == Decimal("84.99")
    assert org.score_level == "HTTNV"


def test_a_member_without_a_task_record_is_not_htxsnv(commune):
    """Full marks and outstanding, but no task record: no evidence of tasks exceeded, so not
    HTXSNV, and the reason says why [003 C.II.2.1]."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    rating = score(commune.users["secretary"], rating, full_marks(), facts={"outstanding": True})
    assert (rating.score_level, rating.condition_level) == ("HTXSNV", "HTTNV")
    assert any("chưa có hồ sơ chỉ tiêu, nhiệm vụ" in r["text"] for r in rating.reasons)
