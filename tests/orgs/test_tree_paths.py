"""The materialised path follows every move, so a subtree stays one query away."""
import pytest

from orgs.models import OrgKind, PartyOrganization
from tests.factories import OrgFactory


@pytest.mark.django_db
def test_moving_an_organisation_moves_its_whole_subtree():
    """Moving a đảng bộ cơ sở under another parent rewrites the path and depth of its descendants."""
    root = OrgFactory(code="R", kind=OrgKind.ROOT)
    other = OrgFactory(code="R2", kind=OrgKind.ROOT)
    base = OrgFactory(code="B", kind=OrgKind.BASE_PARTY, parent=root)
    cell = OrgFactory(code="C", kind=OrgKind.SUB_CELL, parent=base)
    group = OrgFactory(code="G", kind=OrgKind.GROUP, parent=cell)

    base.parent = other
    base.save()

    fresh = {o.code: o for o in PartyOrganization.objects.all()}
    assert fresh["B"].path == other.path + f"{base.pk:06d}."
    assert fresh["C"].path == fresh["B"].path + f"{cell.pk:06d}."
    assert fresh["G"].path == fresh["C"].path + f"{group.pk:06d}."
    assert [fresh[c].depth for c in "BCG"] == [1, 2, 3]
    assert set(PartyOrganization.objects.subtree(other).values_list("code", flat=True)) == {"R2", "B", "C", "G"}
    assert set(PartyOrganization.objects.subtree(root).values_list("code", flat=True)) == {"R"}


@pytest.mark.django_db
def test_moving_a_subtree_costs_the_same_queries_whatever_its_size(django_assert_max_num_queries):
    """A move is a fixed number of UPDATEs, not one per descendant."""
    root = OrgFactory(code="R", kind=OrgKind.ROOT)
    other = OrgFactory(code="R2", kind=OrgKind.ROOT)
    base = OrgFactory(code="B", kind=OrgKind.BASE_PARTY, parent=root)
    for i in range(40):
        OrgFactory(code=f"C{i}", kind=OrgKind.SUB_CELL, parent=base)
    base.parent = other
    with django_assert_max_num_queries(4):
        base.save()
    assert PartyOrganization.objects.subtree(other).count() == 42
