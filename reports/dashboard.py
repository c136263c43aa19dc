"""The home page's counts of the user's part of the tree, each in a fixed number of queries."""
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F

from appraisal.selectors import latest_decided_year_period, latest_year_period, member_rating_counts
from core.scope import Scope, path_q
from members.scope import visible_members
from orgs.models import OrgKind, PartyOrganization
from orgs.scope import visible_orgs, visible_units

from .build import SECTION_LABELS, level_tally
from .data import PeriodSet, account_scopes, level_counts
from .figures import Tally
from .models import Report, ReportKind


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
    levels_period: object = None  # the newest yearly period with decided ratings the user sees
    levels: list[tuple[str, Tally]] = field(default_factory=list)  # (subject type, decided levels)

    @property
    def undecided_period(self):
        """The newest yearly period when none of its ratings the user sees is decided yet (else None)."""
        if self.period is None:
            return None
        if self.levels_period is None or self.levels_period.year < self.period.year:
            return self.period
        return None

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
    """Counts for the home page: a fixed number of queries whatever the size of the deployment
    (ten for an account that sees everything; at most five more per further part of the tree it sees).

    Members rated and not rated (with the first reason) are those of the newest yearly period
    opened, as the rating process stored them. The levels per subject type are the decisions of
    the newest yearly period that has any in the user's part of the tree, counted as the reports
    count them (superseded ratings never count).
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

    board.levels_period = latest_decided_year_period(scope)
    if board.levels_period is not None:
        # Counted as the year-end report counts them (the one selector of results that count:
        # decided live ratings and results imported from outside, the same filters).
        # Grouped by the database on subject type and level: the home page shows no more.
        by_section: dict[str, Counter] = defaultdict(Counter)
        for part in account_scopes(scope):
            for section, levels in level_counts(part, PeriodSet(years=(board.levels_period.year,))).items():
                by_section[section].update(levels)
        board.levels = [(label, level_tally(by_section[key])) for key, label in SECTION_LABELS.items() if key in by_section]
    return board


def year_end_report(scope: Scope, year: int) -> Report | None:
    """A stored year-end report of `year` (draft or final) in the user's part of the tree: the
    deployment's first, then by the tree's order (one query). The caller checks the role."""
    reports = Report.objects.filter(kind=ReportKind.YEAR_END, year=year).select_related("organization")
    if not scope.sees_everything:
        reports = reports.filter(path_q(scope.all_paths(), "organization__"))
    return reports.order_by(F("organization__path").asc(nulls_first=True), "pk").first()
