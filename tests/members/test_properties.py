"""Property tests: whatever is typed into the member forms, nothing crashes, and a refused input
changes nothing (no row, no audit entry, the member as it was)."""
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.models import AuditEntry
from members.models import Exemption, Gender, Member, MemberStatus
from tests.property_inputs import PROPERTY, choice, post_and_check, text, typed_date

pytestmark = [pytest.mark.django_db, pytest.mark.slow]



def _state():
    return (list(Member.objects.order_by("pk").values()), AuditEntry.objects.count(),
            list(Exemption.objects.values()))


member_fields = st.fixed_dictionaries({
    "full_name": text(), "date_of_birth": typed_date(), "gender": choice(Gender.values),
    "card_number": text(40), "admitted_on": typed_date(), "status": choice(MemberStatus.values),
    "official_on": typed_date(),
})


@PROPERTY
@given(data=member_fields)
def test_add_member_form_never_crashes_and_a_refusal_changes_nothing(scenario_staff_client, data):
    scenario, client = scenario_staff_client
    post_and_check(client, reverse("members:create"), {**data, "cell": scenario.tree["cell_a"].pk}, _state)


@PROPERTY
@given(data=member_fields, version=st.one_of(st.just("1"), text(8)))
def test_edit_member_form_never_crashes_and_a_refusal_changes_nothing(scenario_staff_client, data, version):
    scenario, client = scenario_staff_client
    post_and_check(client, reverse("members:edit", args=[scenario.member_a.pk]),
                   {**data, "is_active": "on", "version": version}, _state)


@PROPERTY
@given(start=typed_date(), end=typed_date(), reason=text(300))
def test_exemption_form_never_crashes_and_a_refusal_changes_nothing(scenario_staff_client, start, end, reason):
    scenario, client = scenario_staff_client
    post_and_check(client, reverse("members:exempt", args=[scenario.member_a.pk]),
                   {"start_on": start, "end_on": end, "reason": reason}, _state)
