"""The home page's counts of the user's part of the tree, each in a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from core.scope import Scope
from members.models import Exemption, NotRatedReason, Suspension
from members.scope import visible_members
from members.selectors import covering, newest_rateable_admission
from orgs.models import OrgKind, PartyOrganization
from orgs.scope import visible_orgs, visible_units


@dataclass(frozen=True)
class Count_:
    """One labelled count on the dashboard."""

    label: str
    count: int
    key: str = ""


@dataclass
class Dashboard:
    """What the home page counts in the user's part of the tree, on a date."""

    on: dt.date
    orgs_by_kind: list[Count_] = field(default_factory=list)
    members: int = 0
    rated: int = 0
    not_rated: list[Count_] = field(default_factory=list)  # by reason
    units_by_block: list[Count_] = field(default_factory=list)  # key = block id

    @property
    def orgs(self) -> int:
        return sum(c.count for c in self.orgs_by_kind)

    @property
    def not_rated_total(self) -> int:
        return sum(c.count for c in self.not_rated)

    @property
    def units(self) -> int:
        return sum(c.count for c in self.units_by_block)


def dashboard(scope: Scope, on: dt.date) -> Dashboard:
    """Counts for the home page: three queries, whatever the size of the deployment.

    A member not rated is counted under the first reason that applies, in the order of
    members.models.not_rated_reason: exempt, suspended, admitted less than 6 months before.
    """
    board = Dashboard(on=on)
    kinds = dict(
        PartyOrganization.objects.filter(pk__in=visible_orgs(scope).values("pk"), is_active=True)
        .values_list("kind").annotate(n=Count("pk")).order_by()
    )
    board.orgs_by_kind = [Count_(k.label, kinds[k.value], k.value) for k in OrgKind if kinds.get(k.value)]

    cutoff = newest_rateable_admission(on)
    plain = Q(is_exempt=False, is_suspended=False)
    totals = (
        visible_members(scope).filter(is_active=True)
        .annotate(is_exempt=covering(Exemption, on), is_suspended=covering(Suspension, on))
        .aggregate(
            total=Count("pk"),
            exempt=Count("pk", filter=Q(is_exempt=True)),
            suspended=Count("pk", filter=Q(is_exempt=False, is_suspended=True)),
            new=Count("pk", filter=plain & Q(admitted_on__gt=cutoff)),
        )
    )
    board.members = totals["total"]
    board.not_rated = [
        Count_(NotRatedReason.EXEMPT.label, totals["exempt"], NotRatedReason.EXEMPT.value),
        Count_(NotRatedReason.SUSPENDED.label, totals["suspended"], NotRatedReason.SUSPENDED.value),
        Count_(NotRatedReason.NEW.label, totals["new"], NotRatedReason.NEW.value),
    ]
    board.rated = board.members - board.not_rated_total

    per_block = (
        visible_units(scope).filter(is_active=True)
        .values("block_id", "block__name", "block__sort_order", "block__code")
        .annotate(n=Count("pk"))
        .order_by("block__sort_order", "block__code")
    )
    board.units_by_block = [Count_(row["block__name"], row["n"], str(row["block_id"])) for row in per_block]
    return board
