"""The home page's counts of the user's part of the tree, each in a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from appraisal.selectors import latest_year_period, member_rating_counts
from core.scope import Scope
from members.scope import visible_members
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
    period: object = None  # the newest yearly period opened, whose stored ratings are counted
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

    Members rated and not rated (with the first reason) are those of the newest yearly period
    opened, as the rating process stored them.
    """
    board = Dashboard(on=on)
    kinds = dict(
        PartyOrganization.objects.filter(pk__in=visible_orgs(scope).values("pk"), is_active=True)
        .values_list("kind").annotate(n=Count("pk")).order_by()
    )
    board.orgs_by_kind = [Count_(k.label, kinds[k.value], k.value) for k in OrgKind if kinds.get(k.value)]

    board.members = visible_members(scope).filter(is_active=True).count()
    # Who is rated is decided when a period is opened (the engine's eligibility rules) and
    # stored on its ratings; the home page counts the newest yearly period's.
    board.period = latest_year_period()
    if board.period is not None:
        rated, left_out = member_rating_counts(scope, board.period)
        board.rated = rated
        board.not_rated = [Count_(c.label, c.count, c.code) for c in left_out]

    per_block = (
        visible_units(scope).filter(is_active=True)
        .values("block_id", "block__name", "block__sort_order", "block__code")
        .annotate(n=Count("pk"))
        .order_by("block__sort_order", "block__code")
    )
    board.units_by_block = [Count_(row["block__name"], row["n"], str(row["block_id"])) for row in per_block]
    return board
