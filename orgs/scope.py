"""What part of the organisation tree and which units a user may see [core.scope]."""
from django.db.models import Q, QuerySet
from django.http import Http404

from core.scope import Scope, path_q

from .models import PartyOrganization, Unit


def visible_orgs(scope: Scope) -> QuerySet[PartyOrganization]:
    """Organisations the user may see."""
    qs = PartyOrganization.objects.all()
    if scope.sees_everything:
        return qs
    q = path_q(scope.all_paths())
    if scope.unit_ids:
        q |= Q(units__id__in=scope.unit_ids)
    return qs.filter(q).distinct()


def visible_units(scope: Scope) -> QuerySet[Unit]:
    """Units the user may see: all for wide roles, their own for unit leadership."""
    qs = Unit.objects.select_related("block")
    if scope.sees_everything:
        return qs
    q = Q(pk__in=scope.unit_ids) | path_q(scope.all_paths(), "party_organization__")
    return qs.filter(q)


def get_visible_org(scope: Scope, pk) -> PartyOrganization:
    """The organisation, or 404 if it does not exist or lies outside the user's scope."""
    try:
        return visible_orgs(scope).get(pk=pk)
    except (PartyOrganization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy tổ chức đảng.") from exc


def get_visible_unit(scope: Scope, pk) -> Unit:
    """The unit, or 404 if it does not exist or lies outside the user's scope."""
    try:
        return visible_units(scope).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy cơ quan, đơn vị.") from exc
