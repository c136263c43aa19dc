"""Property tests: whatever is typed into the organisation and unit forms, nothing crashes, and a
refused input changes nothing."""
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.models import AuditEntry
from orgs.models import OrgKind, PartyOrganization, Unit
from tests.property_inputs import PROPERTY, choice, number, post_and_check, text, typed_date

pytestmark = [pytest.mark.django_db, pytest.mark.slow]



def _state():
    return (list(PartyOrganization.objects.order_by("pk").values()), list(Unit.objects.order_by("pk").values()),
            AuditEntry.objects.count())


@PROPERTY
@given(data=st.fixed_dictionaries({
    "kind": choice(OrgKind.values), "code": text(40), "name": text(), "established_on": typed_date(),
    "sort_order": number(),
}), parent=st.sampled_from(["root", "base", "cell_a", "village", None]))
def test_org_create_form_never_crashes_and_a_refusal_changes_nothing(scenario_staff_client, data, parent):
    scenario, client = scenario_staff_client
    parent_pk = scenario.tree[parent].pk if parent else ""
    post_and_check(client, reverse("orgs:create"), {**data, "parent": parent_pk}, _state)


@PROPERTY
@given(data=st.fixed_dictionaries({
    "code": text(40), "name": text(), "established_on": typed_date(), "sort_order": number(),
    "version": st.one_of(st.just("1"), number()),
}))
def test_org_edit_form_never_crashes_and_a_refusal_changes_nothing(scenario_staff_client, data):
    scenario, client = scenario_staff_client
    post_and_check(client, reverse("orgs:edit", args=[scenario.tree["cell_a"].pk]), data, _state)


@PROPERTY
@given(data=st.fixed_dictionaries({
    "code": text(40), "name": text(), "sort_order": number(), "has_leadership_collective": st.sampled_from(["", "on"]),
}))
def test_unit_create_form_never_crashes_and_a_refusal_changes_nothing(scenario_staff_client, data):
    scenario, client = scenario_staff_client
    post_and_check(client, reverse("orgs:unit_create"), {**data, "block": scenario.block.pk}, _state)
