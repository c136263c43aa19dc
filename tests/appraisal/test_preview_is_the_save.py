"""What a screen previews while a value is typed is what saving it stores [issue 13: one preview, one save].

For random rows — points, levels, achieved/plan, blanks and mistakes, task counts including
"on time" (stored, never shown by the grid), facts, with the fields a screen does not show left
out — the preview each screen shows (the grid's row, the rating page, the member's own
self-assessment) is compared with what the same screen's save then stores: total, level by score,
level after conditions, held, reasons; or, for a value that cannot be saved, the same messages
field by field. Each example is rolled back.
"""
from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.models import Rating
from appraisal.process.grid import views as grid_views
from appraisal.process.ratings import views as rating_views
from appraisal.scoring import services as scoring
from tests.appraisal.workflow import MEMBER_MAX, rating_of

pytestmark = pytest.mark.slow

QUALITATIVE = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1")  # 2.2 is quantitative (DV-NAM)



def _points(code: str):
    top = MEMBER_MAX[code] * 100
    return st.integers(min_value=0, max_value=top).map(lambda n: format(Decimal(n) / 100, "f").replace(".", ","))


def _valid(code: str):
    top = str(MEMBER_MAX[code])
    # Mostly full marks, so the conditions that only bite high scores (on time, exceeded) are met.
    choices = [st.just(top), st.just(top), _points(code)]
    if code in QUALITATIVE:
        choices.append(st.sampled_from(["Xuất sắc", "Tốt", "Trung bình", "Kém", "tot", "xuat sac"]))
    else:
        choices.append(st.tuples(st.integers(0, 60), st.integers(1, 50)).map(lambda t: f"{t[0]}/{t[1]}"))
    return st.one_of(*choices)


def _any(code: str):
    return st.one_of(_valid(code), st.just(""), st.sampled_from(["abc", "999", "-1", "1,234", "8.5.1"]))


# Most rows are complete (a level and its reasons to compare); some have blanks or mistakes.
VALUES = st.one_of(
    st.fixed_dictionaries({code: _valid(code) for code in MEMBER_MAX}),
    st.fixed_dictionaries({code: _valid(code) for code in MEMBER_MAX}),
    st.fixed_dictionaries({code: _any(code) for code in MEMBER_MAX}),
)


def _coherent(top: int = 6):
    """assigned ≥ done ≥ on time, exceeded ≤ done."""
    return st.integers(0, top).flatmap(lambda a: st.integers(0, a).flatmap(
        lambda d: st.tuples(st.just(a), st.just(d), st.integers(0, d), st.integers(0, d))))


COUNT = st.one_of(st.integers(0, 6).map(str), st.just(""), st.just("x"))
TYPED = st.one_of(
    _coherent().map(lambda t: dict(zip(("assigned", "done", "on_time", "exceeded"), map(str, t), strict=True))),
    _coherent().map(lambda t: dict(zip(("assigned", "done", "on_time", "exceeded"), map(str, t), strict=True))),
    st.fixed_dictionaries({"assigned": COUNT, "done": COUNT, "on_time": COUNT, "exceeded": COUNT}),
)
STORED = st.one_of(_coherent().map(lambda t: t[:3]), _coherent().map(lambda t: (t[0], t[1], None)))
ROWS = st.fixed_dictionaries({
    "values": VALUES, "typed": TYPED, "stored": STORED,
    "outstanding": st.booleans(), "degradation": st.booleans(),
    "screen": st.sampled_from(["grid", "rating", "self"]),
}).map(lambda row: {**row, **row["typed"]})


@contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _spy(module, name):
    """Patch a module's preview service, keeping what it returned to the view."""
    seen = []
    real = getattr(module, name)

    def spy(**kwargs):
        seen.append(real(**kwargs))
        return seen[-1]

    return mock.patch.object(module, name, spy), seen


def _grid_params(rating, row) -> dict:
    params = {f"v-{rating.pk}-{code}": value for code, value in row["values"].items()}
    params.update({f"t-{rating.pk}-tasks_assigned": row["assigned"], f"t-{rating.pk}-tasks_done": row["done"],
                   f"t-{rating.pk}-tasks_exceeded": row["exceeded"]})
    if row["outstanding"]:
        params[f"o-{rating.pk}"] = "1"
    return params


def _page_params(row) -> dict:
    params = {f"v-{code}": value for code, value in row["values"].items()}
    params.update({"tasks_assigned": row["assigned"], "tasks_done": row["done"], "tasks_exceeded": row["exceeded"],
                   "tasks_on_time": row["on_time"]})
    if row["outstanding"]:
        params["outstanding"] = "1"
    if row["degradation"]:
        params["degradation"] = "1"
    return params


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(row=ROWS)
def test_the_preview_of_every_screen_is_what_its_save_stores(commune, client, row):
    """Preview (GET) then save (POST) on the same screen: the stored outcome is the preview."""
    period = commune.period
    member = commune.members["Lê Văn Cường"]  # the member with an account (self-assessment)
    with _rolled_back():
        assigned, done, on_time = row["stored"]
        Rating.objects.filter(pk=rating_of(period, member).pk).update(
            tasks_assigned=assigned, tasks_done=done, tasks_on_time=on_time,
        )
        rating = rating_of(period, member)
        if row["screen"] == "grid":
            client.force_login(commune.users["secretary"])
            params = _grid_params(rating, row)
            module, url = grid_views, f"/danh-gia/ky/{period.pk}/cham-diem/{commune.village.pk}/"
            preview_url = f"{url}dong/{rating.pk}/"
            post = {**params, f"row-{rating.pk}": "1", f"ver-{rating.pk}": str(rating.version), "action": "luu"}
        else:
            client.force_login(commune.users["secretary" if row["screen"] == "rating" else "member"])
            params = _page_params(row)
            module, url = rating_views, f"/danh-gia/phieu/{rating.pk}/cham-diem/"
            preview_url = f"{url}xem-truoc/"
            post = {**params, "version": str(rating.version)}
        patch, seen = _spy(grid_views, "scores_preview") if module is grid_views else _spy(scoring, "scores_preview")
        with patch:
            shown = client.get(preview_url, params)
        assert shown.status_code == 200
        preview = seen[-1]
        saved = client.post(url, post)
        stored = Rating.objects.get(pk=rating.pk)
        if preview.errors:
            assert saved.status_code == 400
            assert stored.version == rating.version, "a refused save changes nothing"
            for message in preview.errors.values():
                assert message in saved.content.decode()
            return
        assert saved.status_code == 302
        outcome = preview.outcome
        assert stored.total_score == outcome.total
        assert stored.score_level == outcome.score_level
        assert stored.condition_level == outcome.condition_level
        assert stored.held == outcome.held
        assert stored.reasons == outcome.reasons
        if outcome.total is not None:
            assert f"{outcome.total:f}".rstrip("0").rstrip(".").replace(".", ",") in shown.content.decode()


def test_the_grid_preview_reads_on_time_from_the_stored_record(commune, client):
    """The review's reproduction: 2 of 4 tasks on time stored; the grid (which does not show
    "on time") types 4 done. Saved HTNV-or-lower by the on-time rule, and previewed the same —
    not HTXSNV "(chưa lưu)"."""
    period = commune.period
    rating = rating_of(period, commune.members["Nguyễn Văn An"])
    Rating.objects.filter(pk=rating.pk).update(tasks_assigned=4, tasks_done=4, tasks_on_time=2, tasks_exceeded=2)
    rating.refresh_from_db()
    client.force_login(commune.users["secretary"])
    params = {f"v-{rating.pk}-{code}": str(points) for code, points in MEMBER_MAX.items()}
    params.update({f"t-{rating.pk}-tasks_assigned": "4", f"t-{rating.pk}-tasks_done": "4",
                   f"t-{rating.pk}-tasks_exceeded": "2", f"o-{rating.pk}": "1"})
    url = f"/danh-gia/ky/{period.pk}/cham-diem/{commune.village.pk}/"
    shown = client.get(f"{url}dong/{rating.pk}/", params).content.decode()
    client.post(url, {**params, f"row-{rating.pk}": "1", f"ver-{rating.pk}": str(rating.version)})
    rating.refresh_from_db()
    assert rating.score_level == "HTXSNV" and rating.condition_level != "HTXSNV"
    assert f"level-{rating.condition_level}" in shown
    assert "level-HTXSNV" not in shown


def test_handing_in_reads_the_stored_outcome_without_computing_it_again(commune):
    """"Lưu và gửi" stores the outcome once; handing in reads it (the engine is not called again)."""
    from appraisal.process.ratings.services import ratings_submit
    from tests.appraisal.workflow import EXCELLENT_TASKS, full_marks, score

    rating = score(commune.users["secretary"], rating_of(commune.period, commune.members["Nguyễn Văn An"]),
                   full_marks(), tasks=EXCELLENT_TASKS)
    with mock.patch("appraisal.scoring.outcome.rate") as engine:
        ratings_submit(actor=commune.users["secretary"], ratings=[(rating, rating.version)])
    engine.assert_not_called()
    rating.refresh_from_db()
    assert rating.status == "submitted"


def test_task_counts_are_checked_once_for_every_path(commune):
    """done = 1, on time = 3, exceeded = 4 is refused by the scoring service as by the trial page."""
    from appraisal.rules import fact_problems

    rating = rating_of(commune.period, commune.members["Nguyễn Văn An"])
    item = scoring.ScoreInput(rating, rating.version, {}, {"tasks_assigned": "5", "tasks_done": "1",
                                                          "tasks_on_time": "3", "tasks_exceeded": "4"})
    with pytest.raises(scoring.ScoreErrors) as refused:
        scoring.scores_save(actor=commune.users["secretary"], items=[item])
    by_field = {field: message for (_, field), message in refused.value.by_field.items()}
    expected = dict(fact_problems({"tasks_assigned": 5, "tasks_done": 1, "tasks_on_time": 3, "tasks_exceeded": 4}))
    assert by_field == expected
    assert by_field == {
        "tasks_on_time": "Số nhiệm vụ đúng tiến độ (3) vượt số nhiệm vụ hoàn thành (1).",
        "tasks_exceeded": "Số nhiệm vụ vượt mức (4) vượt số nhiệm vụ hoàn thành (1).",
    }
