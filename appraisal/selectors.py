"""Reads of stored rating outcomes: the one place that says which ratings count.

Every page, the quota, the decision and every report read ratings through here, so a superseded
rating (replaced by a re-rating) never counts anywhere [DOMAIN §9; 003 C.IV.9]. Each read takes
a number of queries that does not grow with the rows it returns.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from core.scope import Scope, path_q

from . import authority
from .models import (
    BallotLine,
    Complaint,
    ComplaintStatus,
    CriterionScore,
    Decision,
    LevelCode,
    Meeting,
    OutcomeChange,
    PeerGroupQuota,
    Period,
    PeriodKind,
    PeriodStatus,
    QuotaStatus,
    Rating,
    RatingCount,
    RatingStatus,
    SubjectType,
    WorkProduct,
)
from .rules import Level


def live_ratings() -> QuerySet[Rating]:
    """Ratings that count: not superseded by a re-rating (nor a re-rating still in preparation)."""
    return Rating.objects.filter(is_live=True)


def not_rated(period: Period) -> QuerySet[Rating]:
    """Subjects of the period left out at opening, with `exclusion` (code) and `exclusion_text`."""
    return live_ratings().filter(period=period, status=RatingStatus.EXCLUDED)


def decided(period: Period) -> QuerySet[Rating]:
    """Live decided ratings of the period: `approved_level`, `decision_number`, `decision_date`."""
    return live_ratings().filter(period=period, status=RatingStatus.DECIDED)


def with_subject(qs: QuerySet[Rating]) -> QuerySet[Rating]:
    """Ratings with everything their name, place and authority need (no query per row)."""
    return qs.select_related(
        "period", "framework", "member", "organization", "unit",
        "leader_position__member", "leader_position__unit", "leader_position__group",
        "scope_org__parent", "scope_unit", "decision",
    )


def with_name(qs: QuerySet[Rating]) -> QuerySet[Rating]:
    """Ratings with just what `subject_name` reads (lists of names: the quota page's places)."""
    return qs.select_related("member", "organization", "unit", "leader_position__member")


def visible_ratings(scope: Scope, qs: QuerySet[Rating] | None = None) -> QuerySet[Rating]:
    """Ratings the account may see: all for wide roles, its part of the tree, its unit, its own."""
    qs = Rating.objects.all() if qs is None else qs
    if scope.sees_everything:
        return qs
    return qs.filter(_place_q(scope) | _own_q(scope))


def _place_q(scope: Scope) -> Q:
    """Ratings, or their stored counts, placed in the account's part of the tree or its units."""
    q = path_q(scope.all_paths(), "scope_org__")
    if scope.unit_ids:
        q |= Q(scope_unit_id__in=scope.unit_ids)
    return q


def _own_q(scope: Scope) -> Q:
    """The account's own ratings, as a member and in its posts (none without a member)."""
    if scope.member_id is None:
        return Q(pk__in=[])
    return Q(member_id=scope.member_id) | Q(leader_position__member_id=scope.member_id)


def get_rating(scope: Scope, pk) -> Rating:
    """One rating with its subject, or 404 when it does not exist or lies outside the scope."""
    try:
        rating = with_subject(Rating.objects.all()).get(pk=pk)
    except (Rating.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy kết quả xếp loại.") from exc
    if not authority.can_view(scope, rating):
        raise Http404("Không tìm thấy kết quả xếp loại.")
    return rating


def subject_name(rating: Rating, *, formal: bool = False) -> str:
    """The subject as people name it — the one way, for pages, messages and documents.

    Pages: "Nguyễn Văn An", "Nguyễn Văn An — Trưởng phòng Kinh tế", "Cấp ủy Chi bộ thôn 1",
    "Tập thể lãnh đạo UBND xã", "Chi bộ thôn 1". Documents (`formal`) address people as
    "Đồng chí Nguyễn Văn An, Trưởng phòng Kinh tế" [seed 000 §6].
    """
    kind = rating.subject_type
    if kind == SubjectType.MEMBER_YEARLY:
        name, post = rating.member.full_name, ""
    elif kind in (SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY):
        name, post = rating.leader_position.member.full_name, rating.leader_position.title
    elif kind == SubjectType.COMMITTEE_YEARLY:
        return f"Cấp ủy {rating.organization.name}"
    elif kind == SubjectType.COLLECTIVE_YEARLY:
        return f"Tập thể lãnh đạo {rating.unit.name}"
    else:
        return rating.organization.name
    if formal:
        return f"Đồng chí {name}, {post}" if post else f"Đồng chí {name}"
    return f"{name} — {post}" if post else name


# ------------------------------------------------------------------------------ the stored outcome in words


@dataclass(frozen=True)
class Wait:
    """One level a held rating waits for, in words: what, by which rule, and who must act."""

    text: str  # the engine's: "chờ xếp loại tổ chức đảng: cấp ủy không được xếp loại cao hơn tổ chức đảng"
    source: str
    who: str  # "Bí thư Chi bộ thôn Nà Bó họp xét, đề xuất mức xếp loại của Chi bộ thôn Nà Bó"


@dataclass(frozen=True)
class Held:
    """Why a rating has no final level yet, and the best it can reach once the wait is over."""

    waits: list[Wait]
    ceiling: str  # "Hoàn thành tốt nhiệm vụ" ("" when unknown)

    @property
    def summary(self) -> str:
        """The reasons on one line, for a list ("chờ xếp loại tổ chức đảng: …; chờ …")."""
        return "; ".join(w.text for w in self.waits)


def _who_acts(rating: Rating, code: str) -> str:
    """Who gives the awaited level, named: the proposer of the rating the rule reads [DOMAIN §6 "Order"]."""
    from orgs.models import OrgKind

    org = rating.organization
    if code == "organisation" and org is not None:
        return f"Bí thư {org.name} ghi kết quả hội nghị, đề xuất mức xếp loại của {org.name}"
    if code == "collective" and rating.leader_position_id and rating.leader_position.unit_id:
        unit = rating.leader_position.unit
        return f"Tập thể lãnh đạo {unit.name} đề xuất mức xếp loại của tập thể"
    if code == "subordinates" and org is not None:
        if org.kind == OrgKind.BASE_PARTY:
            return f"Bí thư các chi bộ trực thuộc {org.name} đề xuất mức xếp loại của chi bộ mình"
        return f"Chi ủy, bí thư {org.name} họp xét, đề xuất mức xếp loại cho đảng viên của chi bộ"
    if code == "leadership" and org is not None:
        return f"Tập thể lãnh đạo cơ quan, đơn vị cùng cấp với {org.name} đề xuất mức xếp loại của tập thể"
    return ""


def held_reasons(rating: Rating) -> Held | None:
    """A held rating's stored waits in words, with who must act; None when it is not held.

    Read from the stored workings (the engine's, never recomputed); the names come from the
    subject loaded with the rating (`with_subject`), so a list pays no query per row.
    """
    if not rating.held:
        return None
    workings = rating.workings or {}
    waits = [Wait(h.get("text", ""), h.get("source", ""), _who_acts(rating, h.get("code", "")))
             for h in workings.get("held", ())]
    if not waits:  # stored before the workings named their waits: the reasons still do
        waits = [Wait(x["text"], x.get("source", ""), "") for x in rating.reasons or () if x.get("code") == "held"]
    ceiling = workings.get("ceiling", "")
    return Held(waits, str(LevelCode(ceiling).label) if ceiling in LevelCode.values else "")


def allowed_level(rating: Rating) -> str:
    """The highest level the criteria and conditions allow now: the level, or while held the best
    it can reach ("" while incomplete)."""
    if rating.condition_level:
        return rating.condition_level
    if rating.held:
        return (rating.workings or {}).get("ceiling", "")
    return ""


def self_level_note(rating: Rating, level: str | None = None) -> str:
    """The note beside a self-proposed level above what the criteria and conditions allow: the
    member may still propose it; the committee sees both [002 §7.2]."""
    level = rating.self_level if level is None else level
    allowed = allowed_level(rating)
    if not (level in LevelCode.values and allowed in LevelCode.values):
        return ""
    if Level.from_code(level) <= Level.from_code(allowed):
        return ""
    return (
        f"Cao hơn mức tối đa theo tiêu chí và điều kiện hiện nay ({LevelCode(allowed).label}). "
        "Vẫn được tự nhận mức này; cấp ủy xem cả hai mức khi họp xét, đề xuất."
    )


def root_of(org):
    """The top organisation of the tree `org` lies in (for a document's header)."""
    from orgs.models import PATH_STEP, PartyOrganization

    return PartyOrganization.objects.filter(path=org.path[: PATH_STEP + 1]).first() or org


def standing_org(org):
    """The organisation whose Ban Thường vụ decides for `org`: its commune (the nearest đảng bộ cấp
    trên trực tiếp cơ sở above or at it), else the top of its tree; None for None."""
    from orgs.models import PATH_STEP, OrgKind, PartyOrganization

    if org is None:
        return None
    step = PATH_STEP + 1
    paths = [org.path[:end] for end in range(step, len(org.path) + 1, step)]
    commune = PartyOrganization.objects.filter(path__in=paths, kind=OrgKind.ROOT).order_by("-depth").first()
    return commune or root_of(org)


# ------------------------------------------------------------------------------ periods


def latest_year_period() -> Period | None:
    """The newest yearly period that has been opened (the one the home page counts)."""
    return Period.objects.filter(kind="year").exclude(status=PeriodStatus.DRAFT).order_by("-year").first()


def latest_decided_year_period(scope: Scope) -> Period | None:
    """The newest yearly period with live decided ratings the account sees (one query): from the
    stored counts of its part of the tree (`RatingCount`), and its own ratings."""
    decided = RatingCount.objects.exclude(level="")
    if scope.sees_everything:
        where = Q(pk__in=decided.values("period_id"))
    else:
        own = live_ratings().filter(status=RatingStatus.DECIDED).filter(_own_q(scope))
        where = Q(pk__in=decided.filter(_place_q(scope)).values("period_id")) | Q(pk__in=own.values("period_id"))
    return Period.objects.filter(where, kind=PeriodKind.YEAR).order_by("-year").first()


@dataclass(frozen=True)
class NotRatedCount:
    code: str
    label: str
    count: int


def member_rating_counts(scope: Scope, period: Period) -> tuple[int, list[NotRatedCount]]:
    """The visible members of a period: how many are rated, and those left out at opening by
    reason (code and Vietnamese label), as stored [000 §4.1]. Summed from the stored counts
    (`RatingCount`) of the account's part of the tree, and its own rating if it lies outside:
    one query, two for an account with a member of its own."""
    from .models import Exclusion

    stored = RatingCount.objects.filter(period=period, subject_type=SubjectType.MEMBER_YEARLY)
    counts: Counter = Counter()
    if not scope.sees_everything:
        stored = stored.filter(_place_q(scope))
        if scope.member_id is not None:
            own = live_ratings().filter(_own_q(scope), period=period, subject_type=SubjectType.MEMBER_YEARLY)
            counts.update(own.exclude(_place_q(scope)).values_list("exclusion", flat=True))
    counts.update(dict(stored.values_list("exclusion").annotate(n=Sum("count")).order_by()))
    rated = counts.pop("", 0)
    return rated, [NotRatedCount(e.value, e.label, counts[e.value]) for e in Exclusion if counts.get(e.value)]


def periods() -> QuerySet[Period]:
    """Every period, newest first, with counts of its live ratings by state: one query."""
    live = Q(ratings__is_live=True)
    return Period.objects.annotate(
        rated=Count("ratings", filter=live & ~Q(ratings__status=RatingStatus.EXCLUDED)),
        excluded=Count("ratings", filter=live & Q(ratings__status=RatingStatus.EXCLUDED)),
        decided=Count("ratings", filter=live & Q(ratings__status=RatingStatus.DECIDED)),
    ).order_by("-year", "kind", "-quarter")


def open_periods() -> QuerySet[Period]:
    return Period.objects.filter(status=PeriodStatus.OPEN).order_by("-year", "-quarter")


@dataclass(frozen=True)
class PeriodProposal:
    """What the form for a new period proposes: the period after the latest of its kind, with that
    period's deadlines moved by the same span (per-period deadlines [002 §5])."""

    kind: str
    year: int
    quarter: int | None
    deadlines: dict[str, date | None]
    copied_from: Period | None


DEADLINE_FIELDS = ("evaluation_date", "product_list_due", "self_assessment_due", "decision_due", "report_due")


def next_period(kind: str, today: date) -> PeriodProposal:
    """The next year (or quarter) after the latest period of the kind, else this year (quarter)."""
    return period_after(kind, Period.objects.filter(kind=kind).order_by("-year", "-quarter").first(), today)


def period_after(kind: str, latest: Period | None, today: date) -> PeriodProposal:
    """The period of `kind` after `latest` with its deadlines moved by the same span (no query)."""
    from core.dates import add_months

    if kind == PeriodKind.YEAR:
        year, quarter = (latest.year + 1 if latest else today.year), None
        months = 12
    else:
        index = (latest.year * 4 + latest.quarter) if latest else (today.year * 4 + (today.month - 1) // 3)
        year, quarter = divmod(index, 4)
        quarter += 1
        months = 3
    deadlines = {
        name: add_months(getattr(latest, name), months) if latest and getattr(latest, name) else None
        for name in DEADLINE_FIELDS
    }
    return PeriodProposal(kind, year, quarter, deadlines, latest)


def periods_being_rated(kind: str) -> list[Period]:
    """Open periods of a kind, each with `undecided`: its live ratings not decided yet (one query)."""
    waiting = [RatingStatus.DRAFT, RatingStatus.SUBMITTED, RatingStatus.PROPOSED, RatingStatus.VERIFIED]
    return list(Period.objects.filter(kind=kind, status=PeriodStatus.OPEN).annotate(
        undecided=Count("ratings", filter=Q(ratings__is_live=True, ratings__status__in=waiting)),
    ).order_by("year", "quarter"))


def get_period(pk) -> Period:
    try:
        return Period.objects.get(pk=pk)
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy kỳ đánh giá.") from exc


# ------------------------------------------------------------------------------ lists


@dataclass
class StateCount:
    status: str
    label: str
    count: int


def state_counts(qs: QuerySet[Rating]) -> list[StateCount]:
    """How many ratings are in each state, in process order: one query."""
    counts = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    return [StateCount(s.value, s.label, counts.get(s.value, 0)) for s in RatingStatus]


def period_ratings(scope: Scope, period: Period, *, subject_type: str = "", status: str = "",
                   org=None) -> QuerySet[Rating]:
    """Visible live ratings of a period (re-ratings in preparation too), filtered, for the list page."""
    qs = Rating.objects.filter(period=period).filter(Q(is_live=True) | Q(supersedes__isnull=False, is_live=False, status__in=[
        RatingStatus.DRAFT, RatingStatus.SUBMITTED, RatingStatus.PROPOSED, RatingStatus.VERIFIED,
    ]))
    qs = visible_ratings(scope, qs)
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if status:
        qs = qs.filter(status=status)
    if org is not None:
        qs = qs.filter(scope_org__path__startswith=org.path)
    return with_subject(qs).order_by("subject_type", "scope_org__path", "member__sort_key", "pk")


def grid_ratings(period: Period, cell) -> list[Rating]:
    """The members of a cell (and of its tổ đảng) to score in a period, in Vietnamese order."""
    qs = live_ratings().filter(
        period=period, subject_type=SubjectType.MEMBER_YEARLY, scope_org__path__startswith=cell.path,
    ).exclude(status=RatingStatus.EXCLUDED)
    qs = qs.select_related("member", "scope_org", "period").defer("workings", "flags")
    return list(qs.order_by("member__sort_key", "member_id"))


def grid_cells(scope: Scope, period: Period):
    """Cells with members to score in the period, visible to the account, with their counts."""
    from orgs.models import PartyOrganization

    qs = visible_ratings(scope, live_ratings().filter(period=period, subject_type=SubjectType.MEMBER_YEARLY))
    counts = {
        row["scope_org"]: row
        for row in qs.values("scope_org").annotate(
            total=Count("pk", filter=~Q(status=RatingStatus.EXCLUDED)),
            draft=Count("pk", filter=Q(status=RatingStatus.DRAFT)),
            submitted=Count("pk", filter=Q(status=RatingStatus.SUBMITTED)),
            done=Count("pk", filter=Q(status__in=[RatingStatus.PROPOSED, RatingStatus.VERIFIED, RatingStatus.DECIDED])),
        ).order_by()
    }
    cells = PartyOrganization.objects.filter(pk__in=counts).order_by("path")
    return [(cell, counts[cell.pk]) for cell in cells]


def proposing_orgs(scope: Scope, period: Period):
    """Organisations with organisation or committee ratings handed in, waiting for their vote."""
    from orgs.models import PartyOrganization

    qs = visible_ratings(scope, Rating.objects.filter(
        period=period, status=RatingStatus.SUBMITTED,
        subject_type__in=[SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY],
    ))
    return PartyOrganization.objects.filter(pk__in=qs.values("organization_id")).order_by("path")


# ------------------------------------------------------------------------------ one rating


@dataclass
class RatingPage:
    """What a rating's page shows, loaded in a fixed number of queries."""

    rating: Rating
    scores: dict[int, CriterionScore]
    products: list[WorkProduct]
    ballot_lines: list[BallotLine]
    complaints: list[Complaint]
    history: list[Rating]  # every rating of the same subject and period, oldest first
    outcome_changes: list[OutcomeChange] = field(default_factory=list)  # open: not re-rated yet


def rating_page(rating: Rating) -> RatingPage:
    """The scores, work products, ballots, complaints and re-rating history of a rating."""
    subject_field = {
        SubjectType.MEMBER_YEARLY: "member_id", SubjectType.LEADER_QUARTERLY: "leader_position_id",
        SubjectType.LEADER_YEARLY: "leader_position_id", SubjectType.BASE_ORG_YEARLY: "organization_id",
        SubjectType.COMMITTEE_YEARLY: "organization_id", SubjectType.COLLECTIVE_YEARLY: "unit_id",
    }[rating.subject_type]
    history = list(
        Rating.objects.filter(
            period_id=rating.period_id, subject_type=rating.subject_type,
            **{subject_field: getattr(rating, subject_field)},
        ).select_related("decision").order_by("created_at", "pk")
    )
    return RatingPage(
        rating=rating,
        scores={s.criterion_id: s for s in rating.scores.all()},
        products=list(rating.products.select_related("approved_by").all()),
        ballot_lines=list(rating.ballot_lines.select_related("meeting").order_by("meeting__held_on")),
        complaints=list(rating.complaints.order_by("-received_on", "-pk")),
        history=history,
        outcome_changes=list(rating.outcome_changes.filter(resolved_by__isnull=True)),
    )


def member_history(member) -> list[Rating]:
    """Every rating of a member, as a member and in each post, yearly and quarterly, superseded
    ones included (marked by `is_live`), newest period first."""
    return member_history_of(member.pk)


def member_history_of(member_id: int | None) -> list[Rating]:
    """`member_history` by the member's id (an account's own ratings)."""
    if member_id is None:
        return []
    qs = Rating.objects.filter(Q(member_id=member_id) | Q(leader_position__member_id=member_id))
    return list(
        with_subject(qs).select_related("supersedes")
        .order_by("-period__year", "period__kind", "-period__quarter", "subject_type", "created_at")
    )


# ------------------------------------------------------------------------------ quota


@dataclass
class QuotaGroup:
    """A peer group as the quota screens show it: its stored quota (None until a level of the
    group counts), its size, and its HTXSNV candidates in rank order with their ratings."""

    key: str
    label: str
    size: int
    quota: PeerGroupQuota | None
    places: list[tuple[dict, Rating]] = field(default_factory=list)

    @property
    def has_work(self) -> bool:
        """Something to decide: over quota, a tie, or HTXSNV proposals to weigh."""
        return self.quota is not None and (self.quota.status != QuotaStatus.FINE or self.quota.excellent > 0)


def quota_groups(scope: Scope, period: Period, *, subject_type: str = "", keys=None) -> list[QuotaGroup]:
    """The peer groups of the period the account sees, with their stored quota (four queries).

    Groups with something to decide come first (over quota, ties, then those with HTXSNV
    proposals), then by name. `keys` limits them to some groups.
    """
    qs = visible_ratings(scope, live_ratings().filter(period=period).exclude(status=RatingStatus.EXCLUDED))
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if keys is not None:
        qs = qs.filter(peer_group__in=list(keys))
    sizes = {
        key: (label, n) for key, label, n in
        qs.values_list("peer_group", "peer_group_label").annotate(n=Count("pk")).order_by()
    }
    stored = {q.peer_group: q for q in PeerGroupQuota.objects.filter(period=period, peer_group__in=list(sizes))}
    # A group's size is the whole group's (stored), not only the part the account sees.
    groups = [
        QuotaGroup(key, stored[key].label if key in stored else label, stored[key].size if key in stored else n,
                   stored.get(key))
        for key, (label, n) in sizes.items()
    ]
    ids = [place["rating"] for g in groups if g.quota for place in g.quota.places]
    ratings = with_name(Rating.objects.filter(pk__in=ids)).in_bulk() if ids else {}
    for rating in ratings.values():
        rating.subject_label = subject_name(rating)
    for g in groups:
        if g.quota:
            g.places = [(place, ratings[place["rating"]]) for place in g.quota.places if place["rating"] in ratings]
    order = {QuotaStatus.OVER: 0, QuotaStatus.TIE: 1}
    groups.sort(key=lambda g: (not g.has_work, order.get(g.quota.status, 2) if g.quota else 3, g.label))
    return groups


def quota_of(period: Period, keys) -> dict[str, PeerGroupQuota]:
    """The stored quota of some peer groups of a period (one query)."""
    return {q.peer_group: q for q in PeerGroupQuota.objects.filter(period=period, peer_group__in=list(keys))}


# ------------------------------------------------------------------------------ meetings, decisions

def ballot_line_note(line: BallotLine) -> str:
    """What the minutes say beside a line's level besides the ballot rule itself: the quota that
    moved it down, a tie left to the committee (the steps after "Kết quả"), without their sources."""
    steps = list(line.steps or ())
    after = next((i for i, step in enumerate(steps) if step.startswith("Kết quả:")), len(steps))
    return "; ".join(_without_source(step) for step in steps[after + 1:])


def _without_source(text: str) -> str:
    """ "… ngoài tỷ lệ [002 §4.1]" → "… ngoài tỷ lệ": the minutes cite the rule once, above."""
    text = text.rstrip()
    if text.endswith("]") and "[" in text:
        text = text[: text.rindex("[")].rstrip()
    return text



def meetings(scope: Scope, period: Period) -> QuerySet[Meeting]:
    """The period's meetings in the account's part of the tree (voided ones too: `voided_at`)."""
    qs = Meeting.objects.filter(period=period).select_related("organization", "unit")
    if scope.sees_everything:
        return qs
    q = path_q(scope.all_paths(), "organization__")
    if scope.unit_ids:
        q |= Q(unit_id__in=scope.unit_ids)
    return qs.filter(q)


def decisions(period: Period) -> QuerySet[Decision]:
    return Decision.objects.filter(period=period).annotate(count=Count("ratings")).order_by("-decided_on", "-pk")


def outcome_changes(scope: Scope) -> QuerySet[OutcomeChange]:
    """Decided ratings the account sees whose outcome, worked out again, now differs (not re-rated yet)."""
    qs = OutcomeChange.objects.filter(resolved_by__isnull=True, rating__is_live=True)
    return qs.filter(rating__in=visible_ratings(scope).values("pk")).order_by("-found_at")


def open_complaints(scope: Scope) -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(status=ComplaintStatus.OPEN)
    return qs.filter(rating__in=visible_ratings(scope).values("pk"))


# ------------------------------------------------------------------------------ dashboards


@dataclass(frozen=True)
class Overdue:
    label: str
    count: int
    due: date
    key: str = ""  # which deadline: "danh-muc", "de-xuat", "quyet-dinh" (the list page's anchor)


PRODUCT_LIST_TYPES = (SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY)
_OPEN = (RatingStatus.DRAFT, RatingStatus.SUBMITTED)
_UNDECIDED = (RatingStatus.DRAFT, RatingStatus.SUBMITTED, RatingStatus.PROPOSED, RatingStatus.VERIFIED)


def _late_work(period: Period, today: date) -> list[tuple[str, str, date, object]]:
    """Each deadline of the period passed by `today`: its key, what is late, the day, and the
    filter of the late ratings [DOMAIN §4; 002 §5]."""
    items = []
    if period.product_list_due and today > period.product_list_due:
        items.append(("danh-muc", "chưa có danh mục sản phẩm được phê duyệt", period.product_list_due,
                      lambda qs: qs.filter(subject_type__in=PRODUCT_LIST_TYPES, status__in=_OPEN)
                      .exclude(products__approved_at__isnull=False)))
    if period.self_assessment_due and today > period.self_assessment_due:
        items.append(("de-xuat", "chưa đề xuất mức xếp loại", period.self_assessment_due,
                      lambda qs: qs.filter(status__in=_OPEN)))
    if period.decision_due and today > period.decision_due:
        items.append(("quyet-dinh", "chưa có quyết định xếp loại", period.decision_due,
                      lambda qs: qs.filter(status__in=_UNDECIDED)))
    return items


def overdue(period: Period, qs: QuerySet[Rating], today: date) -> list[Overdue]:
    """What is late against the period's deadlines: leaders' product lists not approved after
    their deadline, self-assessments not in after theirs, ratings not decided after theirs
    [DOMAIN §4]. A query per deadline passed."""
    items = []
    for key, label, due, late in _late_work(period, today):
        count = late(qs.order_by()).count()
        if count:
            items.append(Overdue(label, count, due, key))
    return items


@dataclass(frozen=True)
class OverdueList:
    overdue: Overdue
    ratings: list[Rating]  # the first LIST_LIMIT, with their subjects


LIST_LIMIT = 200


def overdue_lists(period: Period, qs: QuerySet[Rating], today: date) -> list[OverdueList]:
    """The late ratings of each deadline passed, named (the first LIST_LIMIT of each), with the
    count of all: two queries per deadline."""
    found = []
    for key, label, due, late in _late_work(period, today):
        rows = late(qs)
        count = rows.order_by().count()
        if count:
            ratings = list(with_subject(rows).order_by("subject_type", "scope_org__path", "member__sort_key", "pk")[:LIST_LIMIT])
            found.append(OverdueList(Overdue(label, count, due, key), ratings))
    return found


FLAG_CONSECUTIVE_FAILED = "consecutive_failed_quarters"


def flagged_leaders(scope: Scope, year: int) -> list[Rating]:
    """Leaders the engine flagged in a year's periods for two or more consecutive KHTNV quarters
    (also across the turn of the year) [002 §8.2], as stored on their ratings: one query."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    qs = visible_ratings(scope, live_ratings().filter(period__year=year, subject_type__in=PRODUCT_LIST_TYPES))
    # Only flagged ratings (a small index: `rating_flagged`), then the flag's code in their text.
    qs = qs.exclude(flags=[]).annotate(flags_text=Cast("flags", output_field=TextField())).filter(
        flags_text__contains=FLAG_CONSECUTIVE_FAILED)
    ratings = list(with_subject(qs).order_by("leader_position__member__sort_key", "period__kind", "period__quarter", "pk"))
    for r in ratings:
        r.flag_text = next((f["text"] for f in r.flags if f.get("code") == FLAG_CONSECUTIVE_FAILED), "")
    return ratings


@dataclass(frozen=True)
class Waiting:
    """One line of a role's "việc cần làm": what, how many, where to go."""

    label: str
    count: int
    url: str


STANDING_DECIDES = ~(
    Q(subject_type=SubjectType.MEMBER_YEARLY, scope_org__kind__in=["base_cell", "sub_cell", "base_party"])
    | Q(subject_type=SubjectType.MEMBER_YEARLY, scope_org__kind="group",
        scope_org__parent__kind__in=["base_cell", "sub_cell", "base_party"])
    | Q(subject_type__in=[SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY], scope_org__kind="sub_cell")
)  # the SQL reading of authority.decider(...).is_standing, for counting at any scale


def _wide_counts(scope: Scope, qs: QuerySet[Rating]) -> Counter:
    """What waits for a deployment-wide role, counted in SQL (a province has 200,000 ratings)."""
    counts: Counter = Counter()
    if scope.is_staff_member:
        counts["verify"] = qs.filter(authority.others_proposals(scope), status=RatingStatus.PROPOSED,
                                     supersedes__isnull=True).count()
    if scope.is_superuser or "standing" in scope.wide_roles:
        counts["decide"] = qs.filter(STANDING_DECIDES).filter(
            Q(status=RatingStatus.VERIFIED) | Q(status=RatingStatus.PROPOSED, supersedes__isnull=False)
        ).count()
    return counts


def _scoped_counts(scope: Scope, qs: QuerySet[Rating]) -> Counter:
    """What waits for an account over a part of the tree (a cell, a unit), rating by rating."""
    counts: Counter = Counter()
    rows = qs.select_related("leader_position", "scope_org__parent").only(
        "pk", "status", "subject_type", "member_id", "leader_position_id", "scope_unit_id",
        "supersedes_id", "announced_at", "is_live", "leader_position__member_id",
        "scope_org__path", "scope_org__kind", "scope_org__name", "scope_org__parent_id",
        "scope_org__parent__path", "scope_org__parent__kind", "scope_org__parent__name",
    )
    for r in rows:
        if authority.may_self_assess(scope, r):
            counts["self"] += 1
        elif authority.may_score(scope, r) and r.status == RatingStatus.DRAFT:
            counts["score"] += 1
        if authority.may_propose(scope, r):
            counts["propose"] += 1
        if authority.may_decide(scope, r):
            counts["decide"] += 1
    return counts


def work_waiting(scope: Scope) -> list[Waiting]:
    """What is waiting for this account in the open periods, with where to go.

    Secretaries and unit leaderships: scores to enter and proposals to make; Ban Xây dựng Đảng:
    proposals to verify and complaints; the deciding committee: ratings to decide; a member:
    their own self-assessment. A fixed number of queries per open period.
    """
    from django.urls import reverse

    items: list[Waiting] = []
    waiting = [RatingStatus.DRAFT, RatingStatus.SUBMITTED, RatingStatus.PROPOSED, RatingStatus.VERIFIED]
    for period in open_periods():
        in_period = Rating.objects.filter(period=period, status__in=waiting).filter(
            Q(is_live=True) | Q(supersedes__isnull=False)
        )
        if scope.sees_everything:
            counts = _wide_counts(scope, in_period)
            if scope.member_id is not None:
                own = in_period.filter(
                    Q(member_id=scope.member_id) | Q(leader_position__member_id=scope.member_id)
                )
                counts.update(_scoped_counts(scope, own))
        else:
            counts = _scoped_counts(scope, visible_ratings(scope, in_period))
        base = reverse("appraisal:period_detail", args=[period.pk])
        labels = {
            "self": ("bản tự đánh giá của đồng chí chưa gửi", reverse("appraisal:my_ratings")),
            "score": ("phiếu cần chấm điểm, tự đánh giá", base + "?trang_thai=draft"),
            "propose": ("phiếu cần họp xét, đề xuất mức xếp loại", base + "?trang_thai=submitted"),
            "verify": ("đề xuất cần thẩm định", reverse("appraisal:verify_queue", args=[period.pk])),
            "decide": ("kết quả chờ quyết định", reverse("appraisal:decide", args=[period.pk])),
        }
        for key, (label, url) in labels.items():
            if counts[key]:
                items.append(Waiting(f"{period}: {label}", counts[key], url))
        if scope.is_staff_member or scope.is_superuser or "standing" in scope.wide_roles:
            items.extend(_late_and_flagged(scope, period, in_period))
    if scope.is_staff_member:
        complaints = open_complaints(scope).count()
        if complaints:
            items.append(Waiting("Khiếu nại về xếp loại đang giải quyết", complaints, reverse("appraisal:complaints")))
        changed = outcome_changes(scope).count()
        if changed:
            first = outcome_changes(scope).values_list("rating_id", flat=True).first()
            items.append(Waiting("Kết quả đã quyết định nay tính lại khác (cần xem xét xếp loại lại)", changed,
                                 reverse("appraisal:rating_detail", args=[first])))
    return items


def _late_and_flagged(scope: Scope, period: Period, in_period: QuerySet[Rating]) -> list[Waiting]:
    """For staff and the standing committee: what is late against the period's deadlines, and the
    leaders flagged for two consecutive KHTNV quarters, with the list that names them."""
    from django.urls import reverse
    from django.utils import timezone

    url = reverse("appraisal:period_overdue", args=[period.pk])
    late = sum(o.count for o in overdue(period, visible_ratings(scope, in_period.filter(is_live=True)),
                                        timezone.localdate()))
    items = [Waiting(f"{period}: việc quá hạn", late, url)] if late else []
    if period.kind == PeriodKind.YEAR:
        flagged = len(flagged_leaders(scope, period.year))
        if flagged:
            items.append(Waiting(f"{period}: cán bộ có 02 quý liên tiếp không hoàn thành nhiệm vụ", flagged, url))
    return items


def rating_name(rating: Rating) -> str:
    """The subject's name for a message, or the rating's number when its subject is not loaded."""
    try:
        return subject_name(rating)
    except AttributeError:
        return f"Phiếu #{rating.pk}"
