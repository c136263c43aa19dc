"""Placement rules are data: a deployment rooted at a district or province, edited by staff."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEntry, Role
from core.scope import scope_for
from core.services import StaleEditError
from orgs import services
from orgs.models import OrgKind, PartyOrganization, PlacementRule
from orgs.selectors import placement_rules
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    user = user_with_role(Role.STAFF, username="bxd")
    return {"actor": user, "scope": scope_for(user)}


def test_the_migration_stored_todays_rules():
    """The data migration keeps the rules PARENT_KINDS fixed before (and adds province, district)."""
    stored = {r.kind: (r.top_allowed, set(r.parent_kinds)) for r in PlacementRule.objects.all()}
    assert stored[OrgKind.SUB_CELL] == (False, {OrgKind.BASE_PARTY})
    assert stored[OrgKind.GROUP] == (False, {OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL})
    assert stored[OrgKind.ROOT_CELL] == (False, {OrgKind.ROOT})
    assert stored[OrgKind.ROOT][0] is True


def test_a_district_goes_above_an_existing_commune(tree, staff):
    """Create a Huyện ủy at the top, then move the commune under it: the tree gets a level deeper."""
    district = services.org_create(**staff, parent=None, kind=OrgKind.DISTRICT, code="HU",
                                   name="Đảng bộ huyện Bảo Lâm", established_on=dt.date(1976, 1, 1))
    root = tree["root"]
    services.org_move(**staff, org=root, parent=district, fingerprint=_fp(root))
    cell = PartyOrganization.objects.get(pk=tree["cell_a"].pk)
    assert cell.path.startswith(district.path) and cell.depth == 3


def test_a_second_commune_at_the_top_is_still_refused(tree, staff):
    with pytest.raises(ValidationError) as exc:
        services.org_create(**staff, parent=None, kind=OrgKind.ROOT, code="XA2", name="Đảng bộ xã Hai")
    assert "đã có tổ chức cấp cao nhất" in exc.value.message_dict["kind"][0]


def _fp(org):
    from core.services import fingerprint

    return fingerprint(org, services.ORG_FIELDS)


def _rule(kind):
    return PlacementRule.objects.get(kind=kind)


def test_staff_change_a_rule_and_every_path_follows_it(tree, staff):
    rule = _rule(OrgKind.GROUP)
    services.placement_rule_update(**staff, kind=OrgKind.GROUP, top_allowed=False,
                                   parent_kinds=[OrgKind.ROOT_CELL, OrgKind.SUB_CELL, OrgKind.BASE_CELL, OrgKind.BASE_PARTY],
                                   version=rule.version)
    assert OrgKind.BASE_PARTY in placement_rules()[OrgKind.GROUP]
    services.org_create(**staff, parent=tree["base"], kind=OrgKind.GROUP, code="TD1", name="Tổ đảng 1")
    assert AuditEntry.objects.filter(action="placement_rule.update").exists()


def test_a_rule_cannot_strand_existing_organisations(tree, staff):
    rule = _rule(OrgKind.SUB_CELL)
    with pytest.raises(ValidationError) as exc:
        services.placement_rule_update(**staff, kind=OrgKind.SUB_CELL, top_allowed=False,
                                       parent_kinds=[OrgKind.ROOT], version=rule.version)
    assert "02 tổ chức trực thuộc “Đảng bộ cơ sở”" in exc.value.message_dict["parent_kinds"][0]
    assert _rule(OrgKind.SUB_CELL).parent_kinds == [OrgKind.BASE_PARTY]


def test_a_stale_rule_form_changes_nothing(tree, staff):
    rule = _rule(OrgKind.GROUP)
    services.placement_rule_update(**staff, kind=OrgKind.GROUP, top_allowed=False,
                                   parent_kinds=[OrgKind.ROOT_CELL], version=rule.version)
    with pytest.raises(StaleEditError):
        services.placement_rule_update(**staff, kind=OrgKind.GROUP, top_allowed=False,
                                       parent_kinds=[OrgKind.SUB_CELL], version=rule.version)
    assert _rule(OrgKind.GROUP).parent_kinds == [OrgKind.ROOT_CELL]


def test_the_rules_page_and_its_form(tree, staff, client):
    client.force_login(staff["actor"])
    page = client.get(reverse("orgs:placement_rules")).content.decode()
    assert "Đảng bộ cấp huyện và tương đương" in page
    url = reverse("orgs:placement_rule_edit", args=[OrgKind.GROUP])
    version = _rule(OrgKind.GROUP).version
    response = client.post(url, {"parent_kinds": [OrgKind.ROOT_CELL], "version": version})
    assert response.status_code == 302
    response = client.post(url, {"parent_kinds": [OrgKind.SUB_CELL], "version": version})
    assert "vừa được người khác sửa" in response.content.decode()
