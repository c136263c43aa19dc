"""The stored counts of live ratings (`RatingCount`): counted again from the ratings, never adjusted.

Opening a period adds ratings (and who is left out, why); a decision changes which ratings are
decided and live. Each calls `rating_counts_refresh` (or, for a whole period, `rating_counts_rebuild`)
in its own transaction, and the counts of those periods and organisations are counted again from
`live_ratings()` — so they always equal a fresh count. The period's row is locked first: two
decisions of one period in the same cell count one after the other, each seeing what the other
committed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, Value, When

from appraisal.models import Period, Rating, RatingCount, RatingStatus
from appraisal.selectors import live_ratings

COLUMNS = ("period", "subject_type", "scope_org", "scope_unit", "level", "exclusion", "count")
# The level a rating counts at here: its decided level, none before the decision.
DECIDED_LEVEL = Case(When(status=RatingStatus.DECIDED, then=F("approved_level")), default=Value(""))


@transaction.atomic  # a savepoint inside the caller's transaction; its own when called alone
def rating_counts_refresh(ratings: Iterable[Rating]) -> None:
    """Count again the live ratings of the periods and organisations `ratings` lie in."""
    places: dict[int, set] = defaultdict(set)
    for rating in ratings:
        places[rating.period_id].add(rating.scope_org_id)
    for period_id, org_ids in sorted(places.items()):
        list(Period.objects.select_for_update().filter(pk=period_id).values_list("pk"))
        _recount(Q(period_id=period_id) & _places_q(org_ids))


@transaction.atomic
def rating_counts_rebuild(periods: Iterable[Period] | None = None) -> int:
    """Count again every live rating (of `periods`, if given); how many count rows were written."""
    where = Q(period__in=list(periods)) if periods is not None else Q()
    return _recount(where)


def _places_q(org_ids: set) -> Q:
    q = Q(scope_org_id__in=[pk for pk in org_ids if pk is not None])
    return q | Q(scope_org__isnull=True) if None in org_ids else q


def _recount(where: Q) -> int:
    """Delete the counts under `where` and count them again, in the database (one INSERT … SELECT:
    a province's opening counts 600 000 ratings into some 100 000 rows without reading them here)."""
    RatingCount.objects.filter(where).delete()
    rows = (
        live_ratings().filter(where).annotate(counted=DECIDED_LEVEL)
        .values_list("period_id", "subject_type", "scope_org_id", "scope_unit_id", "counted", "exclusion")
        .annotate(n=Count("pk")).order_by()
    )
    select, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(RatingCount._meta.get_field(name).column) for name in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(RatingCount._meta.db_table)} ({columns}) {select}", params)
        return cursor.rowcount
