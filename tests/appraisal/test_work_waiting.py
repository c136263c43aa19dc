"""What the home page lists as waiting: late work and flagged leaders reach staff and the standing
committee there, with the list that names them [issue 14: overdue and flagged work has a list]."""
import datetime as dt

import pytest

from tests.appraisal.workflow import build_commune, open_year


@pytest.fixture
def commune(db):
    commune = build_commune()
    open_year(commune, self_assessment_due=dt.date(2025, 12, 1), decision_due=dt.date(2025, 12, 20))
    return commune


@pytest.mark.parametrize("role", ["staff", "standing"])
def test_late_work_is_on_the_home_page_of_staff_and_the_standing_committee(commune, client, role):
    client.force_login(commune.users[role])
    home = client.get("/").content.decode()
    assert f"{commune.period}: việc quá hạn" in home
    assert f"/danh-gia/ky/{commune.period.pk}/qua-han/" in home


def test_a_viewer_is_not_sent_to_late_work(commune, client):
    client.force_login(commune.users["viewer"])
    assert "việc quá hạn" not in client.get("/").content.decode()
