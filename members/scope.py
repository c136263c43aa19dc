"""Which members a user may see [core.scope]."""
from django.db.models import Q, QuerySet
from django.http import Http404

from core.scope import Scope, path_q
from orgs.models import PartyOrganization

from .models import Member


def visible_members(scope: Scope) -> QuerySet[Member]:
    """Members the user may see: those of their subtrees, and those holding posts in their units."""
    qs = Member.objects.all()
    if scope.sees_everything:
        return qs
    # Subqueries, not joins, OR-ed with the account's own row: each side then reads its index
    # (core.lookups) instead of every member.
    q = Q(cell__any_of=PartyOrganization.objects.filter(path_q(scope.all_paths())).values("pk"))
    if scope.unit_ids:
        q |= Q(pk__any_of=Member.objects.filter(positions__unit_id__in=scope.unit_ids).values("pk"))
    if scope.user_id is not None:
        q |= Q(user_id=scope.user_id)
    return qs.filter(q)


def get_visible_member(scope: Scope, pk, queryset=None) -> Member:
    """The member, or 404 if they do not exist or lie outside the user's scope."""
    qs = visible_members(scope) if queryset is None else queryset.filter(pk__in=visible_members(scope).values("pk"))
    try:
        return qs.get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy đảng viên.") from exc
