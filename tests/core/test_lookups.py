"""`field__any_of=subquery` (core.lookups) selects exactly what `__in` does, OR-ed or not, and on
PostgreSQL is written so that each side of an OR can use its own index."""
import pytest
from django.db import connection
from django.db.models import Q

from members.models import Member
from orgs.models import PartyOrganization

pytestmark = pytest.mark.django_db


def _ids(qs):
    return sorted(qs.values_list("pk", flat=True))


@pytest.mark.parametrize("by", ["cell", "pk"])
def test_any_of_selects_what_in_selects(scenario, by):
    cell_a = scenario.member_a.cell
    if by == "cell":
        sub = PartyOrganization.objects.filter(path__startswith=cell_a.path).values("pk")
    else:
        sub = Member.objects.filter(cell=cell_a).values("pk")
    own = Q(pk=scenario.member_b.pk)
    plain = Member.objects.filter(Q(**{f"{by}__in": sub}) | own)
    any_of = Member.objects.filter(Q(**{f"{by}__any_of": sub}) | own)
    assert _ids(any_of) == _ids(plain)
    assert scenario.member_a.pk in _ids(any_of) and scenario.member_b.pk in _ids(any_of)
    assert _ids(Member.objects.filter(**{f"{by}__any_of": sub.none()})) == []


def test_postgresql_reads_the_subquery_as_an_array(scenario):
    sub = PartyOrganization.objects.filter(pk=scenario.member_a.cell_id).values("pk")
    sql = str(Member.objects.filter(cell__any_of=sub).query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert " IN (SELECT" in sql
