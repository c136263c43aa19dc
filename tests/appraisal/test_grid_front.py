"""The grid as the browser uses it [issue 14]: only changed rows are sent, a refusal names the
member, one banner for a rejected save, every input named for a screen reader."""
import re

from django.urls import reverse

from appraisal.models import CriterionScore
from tests.appraisal.workflow import (
    EXCELLENT_TASKS,
    full_marks,
    rating_of,
)


def _url(commune):
    return reverse("appraisal:grid", args=[commune.period.pk, commune.village.pk])


def _changed_rows(rows):
    """What grid.js posts: only the rows that changed, each with the version the page showed."""
    data = {"action": "luu"}
    for rating, (version, values) in rows.items():
        data[f"row-{rating.pk}"] = "1"
        data[f"ver-{rating.pk}"] = str(version)
        data.update({f"v-{rating.pk}-{code}": value for code, value in values.items()})
        data.update({f"t-{rating.pk}-{name}": value for name, value in EXCELLENT_TASKS.items()})
    return data


def test_two_secretaries_saving_different_members_of_one_cell_both_succeed(commune, client):
    """Both opened the page at the same versions; each changed a different member."""
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    dung = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    seen = {cuong.pk: cuong.version, dung.pk: dung.version}
    client.force_login(commune.users["secretary"])
    first = client.post(_url(commune), _changed_rows({cuong: (seen[cuong.pk], full_marks())}))
    client.force_login(commune.users["staff"])
    second = client.post(_url(commune), _changed_rows({dung: (seen[dung.pk], {**full_marks(), "1.1": "4"})}))
    assert (first.status_code, second.status_code) == (302, 302)
    assert CriterionScore.objects.get(rating=cuong, criterion__code="1.1").points == 6
    assert CriterionScore.objects.get(rating=dung, criterion__code="1.1").points == 4


def test_a_second_save_of_the_same_member_is_refused_by_name_and_keeps_the_typing(commune, client):
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    seen = cuong.version
    client.force_login(commune.users["secretary"])
    client.post(_url(commune), _changed_rows({cuong: (seen, full_marks())}))
    client.force_login(commune.users["staff"])
    response = client.post(_url(commune), _changed_rows({cuong: (seen, {**full_marks(), "1.1": "2,5"})}))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Lê Văn Cường: vừa được người khác lưu" in html
    assert f'name="v-{cuong.pk}-1.1" value="2,5"' in html
    # The page still holds unsaved typing: leaving asks, and the row is sent again on the next save.
    assert 'data-unsaved="refused"' in html
    assert re.search(rf'<tr id="r-{cuong.pk}"[^>]* data-changed>', html)
    assert CriterionScore.objects.get(rating=cuong, criterion__code="1.1").points == 6


def test_a_rejected_save_shows_one_banner(commune, client):
    """An invalid cell: one alert above the grid, not a second message saying the same."""
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    client.force_login(commune.users["secretary"])
    response = client.post(_url(commune), _changed_rows({cuong: (cuong.version, {**full_marks(), "1.1": "60"})}))
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Chưa lưu gì") == 1
    assert 'class="messages"' not in html


def test_every_grid_input_is_named_by_member_and_criterion(commune, client):
    """A screen reader says whose box and which criterion; the level boxes take letters."""
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    client.force_login(commune.users["secretary"])
    html = client.get(_url(commune)).content.decode()
    inputs = [tag for tag in re.findall(r"<input[^>]*>", html) if 'type="hidden"' not in tag and 'name="v-' in tag]
    assert inputs and all('aria-label="' in tag for tag in inputs)
    first = re.search(rf'<input name="v-{cuong.pk}-1.1"[^>]*>', html).group(0)
    assert 'aria-label="Lê Văn Cường — tiêu chí 1.1: ' in first
    levels = [tag for tag in inputs if 'list="muc-chat-luong"' in tag]
    assert levels and all('inputmode="text"' in tag and "level-input" in tag for tag in levels)
    assert 'aria-label="Lê Văn Cường — có thành tích nổi bật"' in html
    assert "data-unsaved" in html and 'data-unsaved="refused"' not in html


def test_a_row_sent_unchanged_at_an_old_version_refuses_nothing(commune, client):
    """Without JavaScript every row is sent: a row someone saved since, sent back as it now is,
    changes nothing and so is not checked; the changed row beside it is saved."""
    cuong = rating_of(commune.period, commune.members["Lê Văn Cường"])
    dung = rating_of(commune.period, commune.members["Phạm Thị Dung"])
    seen = cuong.version
    client.force_login(commune.users["secretary"])
    client.post(_url(commune), _changed_rows({cuong: (seen, full_marks())}))
    client.force_login(commune.users["staff"])
    response = client.post(_url(commune), _changed_rows({cuong: (seen, full_marks()), dung: (dung.version, full_marks())}))
    assert response.status_code == 302
    assert CriterionScore.objects.filter(rating=dung).count() == len(full_marks())
