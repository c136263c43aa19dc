"""Edge inputs found by trying the product as an attacker or a careless user would: invisible
characters, names that look like dates, far dates, sign-in brakes, missing cache tables, headers."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

try:  # the same test runs at be8a761 (before core/ existed), where it must fail
    from core.audit import record_change
    from core.scope import scope_for
    OLD = False
except ImportError:  # pragma: no cover - only at be8a761
    from orgs.audit import record_change

    from orgs.scope import scope_for
    OLD = True
from members import services
from members.models import Member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


AUDIT = "orgs:audit" if OLD else "core:audit"


@pytest.mark.parametrize(("full_name", "card_number"), [
    ("Phạm Thị Dung", "A0000001\u200b"),
    ("0000-00-00", "N1"),
], ids=["zero-width-card-is-the-same-card", "name-that-is-a-date"])
def test_zero_width_card_and_name_that_is_a_date_are_refused(scenario, full_name, card_number):
    user = scenario.users["staff"]
    with pytest.raises(ValidationError):
        services.member_create(actor=user, scope=scope_for(user), cell=scenario.tree["cell_a"],
                               full_name=full_name, gender="female", card_number=card_number,
                               admitted_on=dt.date(2020, 3, 1), status="official", official_on=dt.date(2021, 3, 1))


def test_audit_pages_survive_a_date_like_name(scenario, client):
    user = scenario.users["staff"]
    member = scenario.member_a
    record_change(actor=user, action="member_update" if OLD else "member.update",
                  obj=member, changes={"full_name": ("Nguyễn Văn Ánh", "0000-00-00")})
    client.force_login(user)
    assert client.get(reverse(AUDIT)).status_code == 200
    assert client.get(reverse("members:history", args=[member.pk])).status_code == 200


def test_date_to_9999(scenario, client):
    client.force_login(scenario.users["staff"])
    assert client.get(reverse(AUDIT), {"date_to": "31/12/9999"}).status_code == 200


def test_admin_login_is_braked(client):
    UserFactory(username="quantri", is_superuser=True, is_staff=True)
    for _ in range(6):
        client.post(reverse("admin:login"), {"username": "quantri", "password": "sai", "next": "/quan-tri/"})
    client.post(reverse("admin:login"), {"username": "quantri", "password": "matkhau-thu-nghiem", "next": "/quan-tri/"})
    assert "_auth_user_id" not in client.session


def test_sign_in_without_the_cache_table(client):
    UserFactory(username="bithu")
    missing = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "khong_co_bang"}}
    with override_settings(CACHES=missing):
        assert client.post(reverse("login"), {"username": "bithu", "password": "matkhau-thu-nghiem"}).status_code == 302


def test_admin_refuses_2099_official_without_date(scenario, client):
    client.force_login(UserFactory(username="qt", is_superuser=True, is_staff=True))
    data = {"full_name": "Lê Văn Tương Lai", "gender": "male", "card_number": "Z0000001", "admitted_on": "01/01/2099",
            "official_on": "", "status": "official", "cell": scenario.tree["cell_a"].pk, "is_active": "on"}
    for prefix in ("positions", "exemptions", "suspensions", "disciplines", "transfers", "temporary_activities"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    client.post(reverse("admin:members_member_add"), data)
    assert not Member.objects.filter(card_number="Z0000001").exists()


def test_csp_and_permissions_policy(client):
    response = client.get("/dang-nhap/")
    assert "default-src 'self'" in response.headers.get("Content-Security-Policy", "")
    assert "camera=()" in response.headers.get("Permissions-Policy", "")
