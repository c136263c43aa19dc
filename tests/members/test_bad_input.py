"""Bad member data is refused on every path (service, admin, database), changing nothing."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.models import AuditEntry
from core.scope import scope_for
from members import services
from members.models import Exemption, Member, MemberStatus
from orgs import services as org_services
from orgs.models import OrgKind, PartyOrganization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db



def _staff(scenario):
    user = scenario.users["staff"]
    return {"actor": user, "scope": scope_for(user)}


def _member(**overrides):
    return {"full_name": "Phạm Thị Dung", "gender": "female", "card_number": "N0000009",
            "admitted_on": dt.date(2020, 3, 1), "status": MemberStatus.OFFICIAL,
            "official_on": dt.date(2021, 3, 1), "date_of_birth": dt.date(1990, 1, 2)} | overrides


def test_a_card_number_with_a_zero_width_space_is_the_same_card(scenario):
    """"A0000001" + U+200B used to create a second member with the "same" card: now refused."""
    with pytest.raises(ValidationError) as exc:
        services.member_create(**_staff(scenario), cell=scenario.tree["cell_a"],
                               **_member(card_number="A0000001\u200b"))
    assert "A0000001 đã có trong hệ thống" in exc.value.message_dict["card_number"][0]
    assert Member.objects.filter(card_number__startswith="A0000001").count() == 1


def test_a_new_card_number_is_stored_clean(scenario):
    member = services.member_create(**_staff(scenario), cell=scenario.tree["cell_a"],
                                    **_member(card_number="\ufeffN00\u200d00009 "))
    member.refresh_from_db()
    assert member.card_number == "N0000009"


@pytest.mark.parametrize(("field", "value"), [
    ("full_name", "0000-00-00"), ("full_name", "#REF!"), ("full_name", "NaN"),
    ("date_of_birth", dt.date(1, 1, 1)), ("admitted_on", dt.date(1800, 1, 1)),
])
def test_implausible_member_is_refused_by_the_service_and_nothing_is_saved(scenario, field, value):
    with pytest.raises(ValidationError) as exc:
        services.member_create(**_staff(scenario), cell=scenario.tree["cell_a"], **_member(**{field: value}))
    assert field in exc.value.message_dict
    assert not Member.objects.filter(card_number="N0000009").exists()
    assert not AuditEntry.objects.exists()


def test_the_admin_refuses_a_member_admitted_in_2099_as_official_without_a_date(scenario, client):
    """The admin used to store what the forms refused; it now runs the same validator."""
    admin_user = UserFactory(username="quantri-x", is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:members_member_add"), {
        "full_name": "Lê Văn Tương Lai", "gender": "male", "card_number": "Z0000001",
        "admitted_on": "01/01/2099", "official_on": "", "status": "official",
        "cell": scenario.tree["cell_a"].pk, "is_active": "on",
        **{f"{prefix}-{k}": v for prefix in ("positions", "exemptions", "suspensions", "disciplines",
                                               "transfers", "temporary_activities")
           for k, v in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    })
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "admitted_on" in errors and "official_on" in errors
    assert not Member.objects.filter(card_number="Z0000001").exists()


def test_the_admin_refuses_a_tổ_đảng_under_the_root(scenario, client):
    admin_user = UserFactory(username="quantri-y", is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:orgs_partyorganization_add"), {
        "code": "TD9", "name": "Tổ đảng 9", "kind": OrgKind.GROUP, "parent": scenario.tree["root"].pk,
        "is_active": "on", "sort_order": "0",
    })
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not PartyOrganization.objects.filter(code="TD9").exists()


def test_the_service_refuses_a_tổ_đảng_under_the_root_with_the_stored_rules(scenario):
    with pytest.raises(ValidationError) as exc:
        org_services.org_create(**_staff(scenario), parent=scenario.tree["root"], kind=OrgKind.GROUP,
                                code="TD9", name="Tổ đảng 9")
    assert "Tổ đảng" in exc.value.message_dict["kind"][0]


@pytest.mark.parametrize("change", [
    {"official_on": None},                        # chính thức without a date
    {"status": MemberStatus.PROBATIONARY},         # dự bị with a date
    {"date_of_birth": dt.date(2030, 1, 1)},        # born after admission
    {"admitted_on": dt.date(1800, 1, 1)},          # before the Party
    {"full_name": ""},
    {"gender": "Nũ"},
])
def test_the_database_refuses_a_member_row_breaking_a_local_rule(scenario, change):
    """Check constraints hold even for code that bypasses the validators (a raw update)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=scenario.member_a.pk).update(**change)


def test_the_database_refuses_a_period_ending_before_it_starts(scenario):
    with pytest.raises(IntegrityError), transaction.atomic():
        Exemption.objects.create(member=scenario.member_a, start_on=dt.date(2024, 5, 1), end_on=dt.date(2024, 4, 1))


def test_the_database_refuses_an_organisation_under_itself(scenario):
    org = scenario.tree["village"]
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrganization.objects.filter(pk=org.pk).update(parent_id=org.pk)
