"""A tampered hidden `version` (issue 15: version=abc or empty on /danh-gia/ky/<id>/ket-thuc/ and
/sua/ was a ValueError, 64 server errors in the fuzz run) is a 400 naming the field, and changes nothing."""
import re

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.models import Period, Rating
from core.forms import TamperedPost, posted_version
from core.models import AuditEntry
from tests.appraisal.workflow import rating_of

pytestmark = pytest.mark.django_db

BAD_VERSIONS = ["abc", "", " ", "-1", "1e3", "7a", "1.5", str(2**31), "0x10", None]  # None: the field left out
DEADLINES = {"evaluation_date": "15/12/2025"}


def _state(commune):
    period = Period.objects.get(pk=commune.period.pk)
    ratings = list(Rating.objects.order_by("pk").values_list("pk", "status", "version"))
    return period.status, period.version, period.evaluation_date, ratings, AuditEntry.objects.count()


def _posts(commune):
    """(user, url, fields): every post the table tries, each with a hidden version."""
    rating = rating_of(commune.period, commune.members["Lê Văn Cường"])
    staff, secretary = commune.users["staff"], commune.users["secretary"]
    return [
        (staff, reverse("appraisal:period_close", args=[commune.period.pk]), {}),
        (staff, reverse("appraisal:period_edit", args=[commune.period.pk]), dict(DEADLINES)),
        (secretary, reverse("appraisal:rating_submit", args=[rating.pk]), {}),
    ]


def _post(client, user, url, fields, version):
    client.force_login(user)
    data = dict(fields) if version is None else {**fields, "version": version}
    return client.post(url, data)


@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_a_tampered_version_is_a_400_naming_the_field_and_changes_nothing(commune, client, version):
    before = _state(commune)
    for user, url, fields in _posts(commune):
        response = _post(client, user, url, fields, version)
        assert response.status_code == 400, url
        html = response.content.decode()
        assert "Yêu cầu không hợp lệ: trường ẩn «version»" in html, url
        assert "Không có gì được thay đổi" in html
    assert _state(commune) == before


def test_the_good_version_still_goes_through(commune, client):
    """The same posts with the version the page wrote are not 400s (the close is done)."""
    response = _post(client, commune.users["staff"], reverse("appraisal:period_close", args=[commune.period.pk]),
                     {}, str(commune.period.version))
    assert response.status_code == 302
    assert Period.objects.get(pk=commune.period.pk).status == "closed"


def test_a_stale_but_well_formed_version_is_the_services_refusal_not_a_400(commune, client):
    """A whole number that is no longer current is a stale edit: the page's message, not a tampered post."""
    before = _state(commune)
    response = _post(client, commune.users["staff"], reverse("appraisal:period_close", args=[commune.period.pk]),
                     {}, str(commune.period.version + 5))
    assert response.status_code == 302
    assert _state(commune) == before


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=12), st.from_regex(r"\A\s*-?[0-9]{1,12}\s*\Z")))
def test_any_posted_text_is_a_whole_number_or_the_400(text):
    """Whatever a post carries, posted_version gives a whole number from 0 or raises the 400, nothing else."""
    try:
        number = posted_version({"version": text})
    except TamperedPost as exc:
        assert "trường ẩn «version»" in str(exc)
    else:
        assert isinstance(number, int) and 0 <= number < 2**31
        assert number == int(re.sub(r"\.0*$", "", text.strip()))


# Other hidden numbers a page writes: each reads through core.forms or a form, never int() on it.
ODD_NUMBERS = ["abc", "", "²", "٣٣", "-1", "1e3", "9" * 30]


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_a_tampered_checked_import_is_refused_with_the_message(commune, client, value):
    """/nhap-xuat/ confirm of a checked file (hidden `preview` job id): no such job, said in Vietnamese."""
    client.force_login(commune.users["staff"])
    before = _state(commune)
    response = client.post(reverse("workbook:import"), {"preview": value}, follow=True)
    assert response.status_code == 200
    assert "Không tìm thấy tệp đã kiểm tra" in response.content.decode()
    assert _state(commune) == before


@pytest.mark.parametrize("value", ["²:1", "1:²", "abc:1", "1:", ":1", "1:-1", "1:" + "9" * 30])
def test_a_tampered_group_verification_is_refused_with_the_message(commune, client, value):
    """The queue's «thẩm định cả nhóm» (hidden `phieu` = rating:version): the form's message, nothing verified."""
    client.force_login(commune.users["staff"])
    before = _state(commune)
    response = client.post(reverse("appraisal:verify_group", args=[commune.period.pk]), {"phieu": [value]},
                           follow=True)
    assert response.status_code == 200
    assert "Danh sách phiếu của nhóm không hợp lệ" in response.content.decode()
    assert _state(commune) == before


def test_any_other_bad_request_gets_the_plain_400_page_without_its_details(client):
    """handler400 shows only TamperedPost's own message; Django's (here a disallowed host) stay out of the page."""
    response = client.get("/", HTTP_HOST="bad host!")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dữ liệu gửi lên không đúng như trang đã tạo ra" in html
    assert "bad host" not in html and "ALLOWED_HOSTS" not in html
