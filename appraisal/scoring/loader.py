"""Load everything the engine needs to rate some ratings of a period [docs/architecture.md: load].

Like Saleor's `checkout/fetch.py`: one place reads, in a number of queries that does not grow
with the subjects, the ratings, their criterion scores, the frameworks, and the facts the
conditions look at — discipline records, work products, ballot lines, the quarters of a
leader, and the levels of the subjects a rating depends on — into frozen dataclasses.
Nothing here decides a level: `appraisal.scoring.outcome` hands these to the engine.

A level a rating depends on is *known* once it has been proposed (or decided); until then the
loader passes it as unknown and the engine holds the rating: the committee waits for its
organisation, the head for the collective they lead, a base organisation for its members,
sub-organisations and unit leadership [DOMAIN §6 "Order"; 003 C.I.3, C.III.3, C.III.5].
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.db.models import Q
from django.db.models.functions import Left
from django.db.models.lookups import In
from django.utils import timezone

from appraisal.frameworks import selectors as queries
from appraisal.models import (
    BallotLine,
    CriterionKind,
    CriterionScore,
    Framework,
    Period,
    PeriodKind,
    Rating,
    RatingStatus,
    SubjectType,
    WorkProduct,
    counted_level,
)
from appraisal.rules import (
    BaseOrgKind,
    CompiledFramework,
    CriterionEntry,
    Facts,
    FrameworkError,
    FrameworkSpec,
    Level,
    axis_results,
    compile_framework,
    product_result,
    with_axis_roles,
)
from appraisal.rules import Discipline as EngineDiscipline
from appraisal.rules import SubjectType as EngineSubject
from appraisal.rules.eligibility import quarter_bounds
from appraisal.scoring.values import CriterionInfo, stored_value
from members.models import DISCIPLINE_SEVERITY, Discipline, LeadershipRole
from orgs.models import CommitteeMembership, OrgKind, Unit
from vnformat import fmt_number


@dataclass(frozen=True)
class FactField:
    """A fact the people rating enter (a judgement the engine needs), with its Vietnamese label."""

    name: str  # the engine's Facts field
    label: str
    kind: str = "bool"  # "bool" or "percent"


_OUTSTANDING = FactField("outstanding", "Có thành tích, kết quả nổi trội, vượt mức yêu cầu (điều kiện xét Hoàn thành xuất sắc)")
_DEGRADATION = FactField("degradation", "Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái, “tự diễn biến”, “tự chuyển hóa”")
_TARGETS = FactField("targets_pct", "Tỷ lệ chỉ tiêu, nhiệm vụ được giao đã hoàn thành (%), không kể bất khả kháng", "percent")
_COLLECTIVE_FACTS = (
    _OUTSTANDING,
    FactField("disunity", "Cấp có thẩm quyền kết luận mất đoàn kết nội bộ"),
    FactField("degraded_member", "Có thành viên suy thoái, “tự diễn biến”, “tự chuyển hóa”"),
    _TARGETS,
    FactField("main_targets_missed", "Có chỉ tiêu chủ yếu không đạt 100% (không do bất khả kháng)"),
    FactField("committee_disciplined", "Tập thể bị xử lý kỷ luật"),
    FactField("committee_discipline_remedied", "Tập thể bị kỷ luật nhưng đã tự phát hiện, khắc phục xong hậu quả"),
)
_LEADER_FACTS = (
    _OUTSTANDING, _DEGRADATION,
    FactField("managed_corruption", "Tổ chức, cá nhân trong phạm vi quản lý trực tiếp xảy ra tham nhũng, tiêu cực bị xử lý kỷ luật"),
    FactField("managed_corruption_excused", "… nhưng cá nhân không thể biết hoặc đã áp dụng biện pháp phòng ngừa cần thiết"),
    FactField("managed_corruption_remedied", "… và đã chủ động phát hiện, xử lý, khắc phục xong hậu quả"),
)
_COLLECTIVE_SHARE = FactField(
    "collective_targets_pct", "Tỷ lệ nhiệm vụ, chỉ tiêu tập thể lãnh đạo đã hoàn thành trong quý (%)", "percent",
)
# Which facts are typed for each subject type [DOMAIN §6]; the rest the loader derives. A fact is
# typed once, where it belongs: the collective's share of its targets on the collective's yearly
# rating, and for a quarter (collectives are rated yearly) on its head's quarterly rating; the
# head, the deputies and the members of the collective read it from there [002 §7.3; 003 C.III.5].
FACT_FIELDS: dict[str, tuple[FactField, ...]] = {
    SubjectType.MEMBER_YEARLY: (_OUTSTANDING, _DEGRADATION),
    SubjectType.LEADER_QUARTERLY: (*_LEADER_FACTS, _COLLECTIVE_SHARE),
    SubjectType.LEADER_YEARLY: _LEADER_FACTS,
    SubjectType.BASE_ORG_YEARLY: (
        _OUTSTANDING, _TARGETS,
        FactField("sub_unit_violation", "Có đơn vị trực thuộc xảy ra tham nhũng, tiêu cực hoặc vi phạm bị xử lý kỷ luật"),
        FactField("sub_unit_violation_remedied", "… đã tự phát hiện và khắc phục xong hậu quả"),
        FactField("org_disciplined", "Tổ chức đảng bị xử lý kỷ luật"),
        FactField("committee_disciplined", "Cấp ủy bị xử lý kỷ luật"),
    ),
    SubjectType.COMMITTEE_YEARLY: _COLLECTIVE_FACTS,
    SubjectType.COLLECTIVE_YEARLY: _COLLECTIVE_FACTS,
}


def fact_fields_of(rating: Rating) -> tuple[FactField, ...]:
    """The facts typed on this rating: its subject type's, less the collective's share on a
    quarterly rating that is not its head's (the colleagues read the head's)."""
    fields = FACT_FIELDS.get(rating.subject_type, ())
    if rating.subject_type == SubjectType.LEADER_QUARTERLY and not _heads_a_unit(rating.leader_position):
        fields = tuple(f for f in fields if f is not _COLLECTIVE_SHARE)
    return fields


def _heads_a_unit(position) -> bool:
    return position.leadership_role == LeadershipRole.HEAD and position.unit_id is not None


@dataclass(frozen=True)
class RatingInputs:
    """Everything the engine needs to rate one rating, and what keeps it from being rated."""

    rating_id: int
    subject_type: EngineSubject
    framework_id: int
    framework_version: int
    entries: tuple[CriterionEntry, ...]
    missing: tuple[str, ...]  # criteria not scored yet, in framework order
    facts: Facts
    # The framework as it scores this person, when they marked their own primary axes; else None.
    compiled: CompiledFramework | None = None
    computed: tuple[str, ...] = ()  # criteria scored from the work products, not typed


@dataclass(frozen=True)
class Loaded:
    """Inputs of the ratings asked for, and the frameworks they use (by framework id)."""

    inputs: dict[int, RatingInputs]
    frameworks: dict[int, FrameworkData]


# ------------------------------------------------------------------------------ frameworks


@lru_cache(maxsize=64)
def _framework(framework_id: int, stamp) -> tuple[CompiledFramework, tuple[CriterionInfo, ...], dict[int, str]]:
    """A framework compiled by the engine, its scored criteria and their ids → codes (cached per edit)."""
    framework = queries.framework_with_tree(framework_id)
    compiled = queries.compiled_framework(framework)
    by_code = {c.code: c for c in framework.criteria.all()}
    leaves = tuple(
        CriterionInfo(code=code, max_points=by_code[code].max_points, kind=by_code[code].kind)
        for code in compiled.codes
    )
    return compiled, leaves, {c.pk: c.code for c in by_code.values() if c.kind != CriterionKind.GROUP}


@lru_cache(maxsize=256)
def _variant(framework_id: int, stamp, roles: tuple[tuple[int, str], ...]) -> CompiledFramework | None:
    """The framework compiled as it scores a person who marked their axes `roles` (cached); None
    when the marking cannot be compiled (the framework's own is used)."""
    base = _framework(framework_id, stamp)[0]
    try:
        return compile_framework(with_axis_roles(base.spec, dict(roles)))
    except FrameworkError:
        return None


@dataclass(frozen=True)
class FrameworkData:
    """A framework as the engine and the grid use it."""

    compiled: CompiledFramework
    leaves: tuple[CriterionInfo, ...]  # scored criteria in framework order
    codes: dict[int, str]  # criterion id → code
    version: int
    stamp: tuple = ()
    framework_id: int = 0

    def for_roles(self, roles: dict) -> CompiledFramework | None:
        """The framework as it scores a person who marked their axes (None: the framework's own)."""
        key = tuple(sorted((int(axis), role) for axis, role in (roles or {}).items()))
        if not key:
            return None
        variant = _variant(self.framework_id, self.stamp, key)
        return variant if variant is not None and variant.spec != self.compiled.spec else None

    @property
    def spec(self) -> FrameworkSpec:
        return self.compiled.spec


def frameworks(ids: Iterable[int]) -> dict[int, FrameworkData]:
    """The frameworks: one query for their stamps, three more per framework edited since last read."""
    stamps = Framework.objects.filter(pk__in=set(ids)).values_list("pk", "version", "updated_at")
    return {
        pk: FrameworkData(*_framework(pk, (version, updated)), version, (version, updated), pk)
        for pk, version, updated in stamps
    }


# ------------------------------------------------------------------------------ the loader


def _known(status: str, proposed: str, approved: str) -> Level | None:
    code = counted_level(status, proposed, approved)
    return Level.from_code(code) if code else None


def period_bounds(period: Period) -> tuple[date, date]:
    """The first and last day the period rates."""
    if period.kind == PeriodKind.QUARTER:
        return quarter_bounds(period.year, period.quarter)
    return date(period.year, 1, 1), date(period.year, 12, 31)


def load(
    ratings: Iterable[Rating] | Iterable[int], *, today: date | None = None, scores: dict | None = None,
    overrides: dict[int, dict] | None = None,
) -> Loaded:
    """Load the inputs of ratings (instances or ids) of one period, in a fixed number of queries.

    `scores` (rating id → {criterion code: Value}) gives a rating's scores as they are (just
    written) or would be (a preview), so they are not read back; `overrides` (rating id →
    {field: value}) gives rating fields — task counts, typed facts — as a save would store them.
    Everything else is read from what is stored, so a preview and the save that follows load
    the same inputs.
    """
    ids = [r.pk if isinstance(r, Rating) else r for r in ratings]
    # Read again with what the loader follows, so callers cannot cause a query per rating.
    ratings = list(_rating_rows().filter(pk__in=ids).exclude(status=RatingStatus.EXCLUDED))
    if not ratings:
        return Loaded({}, {})
    for rating in ratings:
        for name, value in (overrides or {}).get(rating.pk, {}).items():
            setattr(rating, name, value)
    loader = _Loader(ratings, today or timezone.localdate(), scores or {})
    return loader.run()


def _rating_rows():
    return Rating.objects.select_related(
        "period", "leader_position", "organization", "unit", "scope_org",
    )


class _Loader:
    """One run of the loader: a query per kind of fact, for all the ratings at once."""

    def __init__(self, ratings: list[Rating], today: date, known_scores: dict):
        self.ratings = ratings
        self.today = today
        self.known_scores = known_scores
        self.period = ratings[0].period
        if any(r.period_id != self.period.pk for r in ratings):
            raise ValueError("Các kết quả xếp loại phải cùng một kỳ đánh giá.")
        self.start, self.end = period_bounds(self.period)
        self.ids = [r.pk for r in ratings]

    def run(self) -> Loaded:
        fws = frameworks({r.framework_id for r in self.ratings})
        entries = self._entries(fws)
        disciplines = self._disciplines()
        products = self._products()
        ballots = self._ballots()
        related = self._related_levels()
        inputs = {}
        for r in self.ratings:
            data = fws[r.framework_id]
            leaves = data.leaves
            given = entries.get(r.pk, {})
            computed = self._axis_entries(data, products.get(r.pk), given)
            ordered = tuple(given[c.code] for c in leaves if c.code in given)
            missing = tuple(c.code for c in leaves if c.code not in given)
            facts = self._facts(r, disciplines, products, ballots, related)
            inputs[r.pk] = RatingInputs(
                rating_id=r.pk,
                subject_type=EngineSubject(r.subject_type),
                framework_id=r.framework_id,
                framework_version=data.version,
                entries=ordered,
                missing=missing,
                facts=facts,
                compiled=data.for_roles(r.axis_roles) if r.leader_position_id else None,
                computed=computed,
            )
        return Loaded(inputs, fws)

    @staticmethod
    def _axis_entries(data: FrameworkData, products: dict | None, given: dict) -> tuple[str, ...]:
        """The result-axis criteria scored from the work products (achieved/plan of the products on
        the axis) in place of what was typed; return their codes [002 II.1.5]."""
        if not products or not products["axes"]:
            return ()
        codes = []
        for criterion in data.compiled.criteria:
            if criterion.axis is not None and criterion.axis.value in products["axes"]:
                achieved, plan = products["axes"][criterion.axis.value]
                given[criterion.code] = CriterionEntry(criterion.code, achieved=achieved, plan=Decimal(plan))
                codes.append(criterion.code)
        return tuple(codes)

    # -- scores ------------------------------------------------------------------------------

    def _entries(self, fws) -> dict[int, dict[str, CriterionEntry]]:
        codes = {}
        for data in fws.values():
            codes.update(data.codes)
        found: dict[int, dict[str, CriterionEntry]] = defaultdict(dict)
        for rating_id, values in self.known_scores.items():
            found[rating_id] = {code: value.entry(code) for code, value in values.items() if not value.empty}
        unknown = [pk for pk in self.ids if pk not in self.known_scores]
        if not unknown:
            return found
        rows = CriterionScore.objects.filter(rating_id__in=unknown).values_list(
            "rating_id", "criterion_id", "points", "quality", "achieved", "plan"
        )
        for rating_id, criterion_id, points, quality, achieved, plan in rows:
            code = codes.get(criterion_id)
            if code is None:
                continue
            value = stored_value(points, quality, achieved, plan)
            if not value.empty:
                found[rating_id][code] = value.entry(code)
        return found

    # -- facts from records ------------------------------------------------------------------

    def _person_ids(self) -> set[int]:
        ids = set()
        for r in self.ratings:
            if r.member_id:
                ids.add(r.member_id)
            elif r.leader_position_id:
                ids.add(r.leader_position.member_id)
        return ids

    def _disciplines(self) -> dict[int, tuple[int, bool, bool]]:
        """Per member: the heaviest discipline for a violation in the period, decided by today.

        A discipline counts in the period of the violation, even when decided later: that is
        what opens a re-rating [003 C.IV.7–9]. Returns (severity, self-remedied, for duties).
        """
        people = self._person_ids() | self._committee_people()
        if not people:
            return {}
        rows = Discipline.objects.filter(
            member_id__in=people, violation_on__gte=self.start, violation_on__lte=self.end,
            decided_on__lte=self.today,
        ).values_list("member_id", "form", "self_detected_remedied", "related_to_duties")
        worst: dict[int, tuple[int, bool, bool]] = {}
        for member_id, form, remedied, duties in rows:
            severity = DISCIPLINE_SEVERITY[form]
            current = worst.get(member_id)
            if current is None or severity > current[0]:
                worst[member_id] = (severity, remedied, duties)
        return worst

    def _committee_people(self) -> set[int]:
        orgs = {r.organization_id for r in self.ratings if r.organization_id}
        if not orgs:
            self.seats = {}
            return set()
        seats = defaultdict(set)
        rows = CommitteeMembership.objects.filter(organization_id__in=orgs).overlapping(self.start, self.end).values_list(
            "organization_id", "member_id"
        )
        for org_id, member_id in rows:
            seats[org_id].add(member_id)
        self.seats = seats
        return {m for members in seats.values() for m in members}

    def _products(self) -> dict[int, dict]:
        """Per leader rating with a product list: assigned, done, force majeure, on time, exceeded,
        and per result axis what its products achieved against their number (`rules.axis_results`)."""
        counts: dict[int, dict] = {}
        results: dict[int, list] = defaultdict(list)
        rows = WorkProduct.objects.filter(rating_id__in=self.ids).values_list(
            "rating_id", "completed", "on_time", "exceeded", "force_majeure", "force_majeure_confirmed_by",
            "axis", "quality",
        )
        for rating_id, completed, on_time, exceeded, force, confirmed_by, axis, quality in rows:
            c = counts.setdefault(rating_id, {"assigned": 0, "done": 0, "force": 0, "on_time": 0, "exceeded": 0})
            c["assigned"] += 1
            excused = bool(force and confirmed_by)
            if completed:
                c["done"] += 1
                if on_time is not False:
                    c["on_time"] += 1
                if exceeded:
                    c["exceeded"] += 1
            elif excused:
                c["force"] += 1
            results[rating_id].append(
                (axis, product_result(completed=completed, on_time=on_time, quality=quality, excused=excused)))
        for rating_id, c in counts.items():
            c["axes"] = axis_results(results[rating_id])
        return counts

    def _ballots(self) -> dict[int, tuple[int, int]]:
        """Per rating: low-confidence votes and valid ballots of its latest meeting (a voided one does not count)."""
        found: dict[int, tuple[int, int]] = {}
        rows = BallotLine.objects.filter(rating_id__in=self.ids, meeting__voided_at__isnull=True).order_by(
            "meeting__held_on", "pk").values_list(
            "rating_id", "low_confidence", "meeting__ballots_valid"
        )
        for rating_id, low, valid in rows:
            found[rating_id] = (low, valid)
        return found

    # -- levels of other ratings ---------------------------------------------------------------

    def _related_levels(self) -> dict:
        """The known levels of the ratings these depend on, a query per kind of dependency."""
        period = self.period
        live = Rating.objects.filter(is_live=True)
        fields = ("status", "proposed_level", "approved_level")
        related: dict = {"org": {}, "collective": {}, "members": defaultdict(list), "suborgs": defaultdict(list),
                         "quarters": {}, "unit_of_org": {}, "collective_targets": {}}
        types = {r.subject_type for r in self.ratings}
        if SubjectType.COMMITTEE_YEARLY in types:
            orgs = [r.organization_id for r in self.ratings if r.subject_type == SubjectType.COMMITTEE_YEARLY]
            for org_id, *known in live.filter(
                period=period, subject_type=SubjectType.BASE_ORG_YEARLY, organization_id__in=orgs
            ).exclude(status=RatingStatus.EXCLUDED).values_list("organization_id", *fields):
                related["org"][org_id] = _known(*known)
        leaders = [r for r in self.ratings if r.leader_position_id]
        units = {r.leader_position.unit_id for r in leaders if r.leader_position.unit_id}
        if units and period.kind == PeriodKind.YEAR:
            self._collective_levels(related, units)
        elif units:
            self._heads_figures(related, units)
        if SubjectType.BASE_ORG_YEARLY in types:
            self._base_org_levels(related)
        if leaders:
            self._quarter_levels(related, leaders)
        return related

    def _collective_levels(self, related: dict, units: set[int]) -> None:
        """The collectives' known levels, and the share of targets each typed on its own rating."""
        rows = Rating.objects.filter(
            is_live=True, period=self.period, subject_type=SubjectType.COLLECTIVE_YEARLY, unit_id__in=units
        ).exclude(status=RatingStatus.EXCLUDED).values_list("unit_id", "facts", "status", "proposed_level", "approved_level")
        for unit_id, facts, *known in rows:
            related["collective"][unit_id] = _known(*known)
            related["collective_targets"][unit_id] = _percent((facts or {}).get(_TARGETS.name))

    def _heads_figures(self, related: dict, units: set[int]) -> None:
        """A quarter's share of the collective's targets, typed on its head's quarterly rating."""
        rows = Rating.objects.filter(
            is_live=True, period=self.period, subject_type=SubjectType.LEADER_QUARTERLY,
            leader_position__unit_id__in=units, leader_position__leadership_role=LeadershipRole.HEAD,
        ).exclude(status=RatingStatus.EXCLUDED).values_list("leader_position__unit_id", "facts")
        for unit_id, facts in rows:
            related["collective_targets"][unit_id] = _percent((facts or {}).get(_COLLECTIVE_SHARE.name))

    def _base_org_levels(self, related: dict) -> None:
        orgs = {r.organization_id: r.organization for r in self.ratings if r.subject_type == SubjectType.BASE_ORG_YEARLY}
        paths = {o.path: o.pk for o in orgs.values()}
        # Members of a cell (and of its tổ đảng); sub-organisations of a đảng bộ cơ sở.
        members = Rating.objects.filter(
            is_live=True, period=self.period, subject_type=SubjectType.MEMBER_YEARLY,
        ).filter(_under_q(paths, "scope_org__path")).exclude(status=RatingStatus.EXCLUDED).values_list(
            "scope_org__path", "member_id", "status", "proposed_level", "approved_level"
        )
        cells = {pk for pk, o in orgs.items() if o.kind != OrgKind.BASE_PARTY}
        for scope_path, member_id, *known in members:
            for path, org_id in paths.items():
                if org_id in cells and scope_path.startswith(path):
                    related["members"][org_id].append((member_id, _known(*known)))
        parties = [pk for pk, o in orgs.items() if o.kind == OrgKind.BASE_PARTY]
        if parties:
            rows = Rating.objects.filter(
                is_live=True, period=self.period, subject_type=SubjectType.BASE_ORG_YEARLY,
                organization__parent_id__in=parties,
            ).exclude(status=RatingStatus.EXCLUDED).values_list(
                "organization__parent_id", "facts", "status", "proposed_level", "approved_level"
            )
            for parent_id, facts, *known in rows:
                related["suborgs"][parent_id].append((bool((facts or {}).get("org_disciplined")), _known(*known)))
        for unit_id, org_id in Unit.objects.filter(
            party_organization_id__in=orgs, is_active=True, has_leadership_collective=True
        ).values_list("pk", "party_organization_id"):
            related["unit_of_org"].setdefault(org_id, unit_id)
        self._collective_levels(related, set(related["unit_of_org"].values()))

    def _quarter_levels(self, related: dict, leaders: list[Rating]) -> None:
        """The known quarterly levels of each leader's post, this year's and last year's [002 §8.2]."""
        positions = {r.leader_position_id for r in leaders}
        year = self.period.year
        rows = Rating.objects.filter(
            is_live=True, subject_type=SubjectType.LEADER_QUARTERLY, leader_position_id__in=positions,
            period__kind=PeriodKind.QUARTER, period__year__in=(year - 1, year),
        ).exclude(status=RatingStatus.EXCLUDED).values_list(
            "leader_position_id", "period__year", "period__quarter", "status", "proposed_level", "approved_level"
        )
        for position_id, row_year, quarter, *known in rows:
            related["quarters"][(position_id, row_year, quarter)] = _known(*known)

    # -- one rating's facts -----------------------------------------------------------------

    def _facts(self, r: Rating, disciplines, products, ballots, related) -> Facts:
        kind = r.subject_type
        values: dict = _typed_facts(r)
        if kind in (SubjectType.MEMBER_YEARLY, SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY):
            person = r.member_id or r.leader_position.member_id
            values.update(_tasks(r, products.get(r.pk)))
            severity, remedied, duties = disciplines.get(person, (0, False, False))
            if kind == SubjectType.MEMBER_YEARLY or duties:
                values["discipline"] = EngineDiscipline(severity)
                values["discipline_self_remedied"] = remedied
            low, valid = ballots.get(r.pk, (0, 0))
            values["low_confidence_votes"], values["confidence_votes_cast"] = low, valid
        if r.leader_position_id:
            values.update(self._leader_facts(r, related))
        if kind == SubjectType.COMMITTEE_YEARLY:
            values["organisation_level"] = related["org"].get(r.organization_id)
            values.update(self._committee_discipline(r, disciplines))
        if kind == SubjectType.BASE_ORG_YEARLY:
            values.update(self._base_org_facts(r, disciplines, related))
        return Facts(**values)

    def _leader_facts(self, r: Rating, related) -> dict:
        """A leader's place in the collective and their quarters [002 §7.3, §8.2; 003 C.III.5].

        A yearly head is compared with the collective they lead; where the unit's collective is
        not rated at all there is nothing to compare with, so the head is not held for it.
        """
        position = r.leader_position
        quarters = related["quarters"]
        year, pk = self.period.year, position.pk
        in_unit = position.unit_id is not None
        values = {
            "is_head": position.leadership_role == LeadershipRole.HEAD and in_unit,
            "in_collective": position.leadership_role != LeadershipRole.HEAD and in_unit,
        }
        # The collective's figure, typed once where it belongs (not on each leader); a quarter's is
        # the head's own, read as typed on their rating.
        if in_unit and not (self.period.kind == PeriodKind.QUARTER and values["is_head"]):
            values["collective_targets_pct"] = related["collective_targets"].get(position.unit_id)
        if self.period.kind == PeriodKind.YEAR:
            values["quarter_levels"] = tuple(quarters.get((pk, year, q)) for q in (1, 2, 3, 4))
            values["previous_quarter_level"] = quarters.get((pk, year - 1, 4))
            if values["is_head"]:
                if position.unit_id in related["collective"]:
                    values["collective_level"] = related["collective"][position.unit_id]
                else:
                    values["is_head"] = False
        else:
            quarter = self.period.quarter
            before = (pk, year, quarter - 1) if quarter > 1 else (pk, year - 1, 4)
            values["previous_quarter_level"] = quarters.get(before)
        return values

    def _committee_discipline(self, r: Rating, disciplines) -> dict:
        worst, remedied = 0, True
        for member_id in getattr(self, "seats", {}).get(r.organization_id, ()):
            severity, self_remedied, _ = disciplines.get(member_id, (0, False, False))
            if severity > worst:
                worst, remedied = severity, self_remedied
            elif severity and severity == worst:
                remedied = remedied and self_remedied
        return {
            "committee_member_discipline": EngineDiscipline(worst),
            "committee_member_discipline_remedied": bool(worst) and remedied,
        }

    def _base_org_facts(self, r: Rating, disciplines, related) -> dict:
        """Its members' (a cell) or sub-organisations' (a đảng bộ cơ sở) levels, and its unit's
        leadership [003 C.I.2]; those not rated yet are counted so the engine holds it."""
        org = r.organization
        values = self._committee_discipline(r, disciplines)
        if org.kind == OrgKind.BASE_PARTY:
            values["org_kind"] = BaseOrgKind.PARTY_COMMITTEE
            subs = related["suborgs"].get(org.pk, [])
            levels = [level for _, level in subs]
            disciplined = sum(1 for flagged, _ in subs if flagged)
        else:
            values["org_kind"] = BaseOrgKind.CELL
            members = related["members"].get(org.pk, [])
            levels = [level for _, level in members]
            disciplined = sum(1 for member_id, _ in members if disciplines.get(member_id, (0,))[0])
        known = [level for level in levels if level is not None]
        values.update(
            sub_total=len(levels),
            sub_unrated=len(levels) - len(known),
            sub_pass_or_above=sum(1 for level in known if level >= Level.PASS),
            sub_good_or_above=sum(1 for level in known if level >= Level.GOOD),
            sub_disciplined=disciplined,
        )
        unit_id = related["unit_of_org"].get(org.pk)
        if unit_id is not None and unit_id in related["collective"]:
            level = related["collective"][unit_id]
            values["leadership_level"] = level
            values["leadership_unrated"] = 0 if level is not None else 1
        return values


def _under_q(paths, field: str) -> Q:
    """Rows whose materialised path `field` starts with one of `paths`: one IN per path length
    (a handful of levels), not one LIKE per path, so the query keeps its shape at any size."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for path in paths:
        by_length[len(path)].append(path)
    q = Q(pk__in=[])
    for length, group in sorted(by_length.items()):
        q |= Q(In(Left(field, length), sorted(group)))
    return q


def _typed_facts(r: Rating) -> dict:
    """The facts people typed for the rating, those its subject type has, as engine values."""
    values = {}
    stored = r.facts or {}
    for fact in FACT_FIELDS.get(r.subject_type, ()):
        raw = stored.get(fact.name)
        if fact.kind == "percent":
            values[fact.name] = _percent(raw)
        else:
            values[fact.name] = bool(raw)
    return values


def stored_fact_text(rating: Rating, fact: FactField) -> object:
    """A typed fact as its form shows it: True for a ticked box, "65,5" for a percentage."""
    raw = (rating.facts or {}).get(fact.name)
    if fact.kind == "percent":
        value = _percent(raw)
        return fmt_number(value) if value is not None else ""
    return raw


def _percent(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _tasks(r: Rating, product_counts: dict | None) -> dict:
    """Task facts: from the work products when there is a list, else from the counts typed."""
    if product_counts:
        return {
            "tasks_assigned": product_counts["assigned"],
            "tasks_done": product_counts["done"],
            "tasks_force_majeure": product_counts["force"],
            "tasks_on_time": product_counts["on_time"],
            "tasks_exceeded": product_counts["exceeded"],
        }
    if r.tasks_assigned is None:
        return {}
    # "On time" not recorded stays None: the engine reads it as "every task done on time".
    return {
        "tasks_assigned": r.tasks_assigned,
        "tasks_done": r.tasks_done or 0,
        "tasks_on_time": r.tasks_on_time,
        "tasks_exceeded": r.tasks_exceeded or 0,
    }
