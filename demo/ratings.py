"""The demo's rating history, driven through the rating process's own services.

After `seed_demo` has built the communes, this rates them the way a commune does, with the same
actions a user's clicks call: the previous year (opened, scored cell by cell, handed in, voted on
in each cell's meeting, proposed, verified, decided by each competent authority within the quota,
announced), one re-rating of that year (a discipline decided later for a violation in it), the
quarters of this year before the current one (leaders with their product lists), and this year
left open with work in progress — some cells scored, some handed in, one meeting held — so a
newcomer sees real results and real work at once. Deterministic for a seed and reference date.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q

from appraisal import authority
from appraisal.models import (
    Framework,
    FrameworkStatus,
    LevelCode,
    Period,
    PeriodKind,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.process.decisions import services as decision_services
from appraisal.process.meetings import services as meeting_services
from appraisal.process.periods import services as period_services
from appraisal.process.ratings.services import ProductRow, products_save, ratings_submit
from appraisal.process.rerating import services as rerating_services
from appraisal.process.verification import services as verification_services
from appraisal.rules import Level
from appraisal.scoring.loader import frameworks
from appraisal.scoring.quota import group_quotas
from appraisal.scoring.services import ScoreInput, scores_save
from appraisal.selectors import standing_org
from members.models import Discipline, DisciplineForm
from orgs.selectors import committee_head

SYSTEM_USERNAME = "du-lieu-mau"
# Four eyes (authority.own_work): the proposals the demo records are verified by another account.
VERIFIER_USERNAME = "du-lieu-mau-tham-dinh"
# How a commune's subjects score (share of subjects): most HTTNV, about a fifth HTXSNV.
PROFILES = (("excellent", 0.22), ("good", 0.70), ("pass", 0.07), ("fail", 0.01))


@dataclass
class RatingsResult:
    periods: list[str] = field(default_factory=list)
    decided: int = 0
    open_work: int = 0


def system_actor(username: str = SYSTEM_USERNAME, first_name: str = "mẫu"):
    """The account the demo's actions are recorded under: an administrator that cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": "Dữ liệu", "is_active": False, "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seed_ratings(*, seed: int, reference: date) -> RatingsResult:
    """Rate the communes built so far: last year, this year's past quarters, this year open."""
    if Period.objects.exists():
        return RatingsResult()  # the history is rated once; communes added later join the open periods
    if not Framework.objects.filter(status=FrameworkStatus.ACTIVE).exists():
        call_command("load_frameworks", stdout=StringIO())
    actor = system_actor()
    rng = random.Random(f"kiemdiem-demo-ratings:{seed}:{reference.isoformat()}")
    result = RatingsResult()
    last = reference.year - 1
    year = _Year(actor, rng, _period(actor, PeriodKind.YEAR, last, None))
    year.complete()
    year.close()
    year.rerate_one(reference)
    year.issue_report(reference)
    result.periods.append(str(year.period))
    result.decided += year.decided
    current_quarter = (reference.month - 1) // 3 + 1
    for quarter in range(1, current_quarter):
        q = _Year(actor, rng, _period(actor, PeriodKind.QUARTER, reference.year, quarter))
        q.complete()
        q.close()
        result.periods.append(str(q.period))
        result.decided += q.decided
    now = _Year(actor, rng, _period(actor, PeriodKind.YEAR, reference.year, None), reference=reference)
    result.open_work = now.in_progress()
    result.periods.append(str(now.period))
    return result


def _period(actor, kind: str, year: int, quarter: int | None) -> Period:
    if kind == PeriodKind.YEAR:
        evaluation, due = date(year, 12, 15), date(year, 12, 20)
        deadlines = {"self_assessment_due": date(year, 12, 10), "decision_due": due, "report_due": date(year, 12, 25)}
    else:
        last_month = 3 * quarter
        evaluation = date(year, last_month, 20)
        deadlines = {
            "product_list_due": date(year, last_month - 2, 5), "self_assessment_due": date(year, last_month, 15),
            "decision_due": date(year, last_month, 20), "report_due": date(year, last_month, 28),
        }
    period = period_services.period_create(actor=actor, kind=kind, year=year, quarter=quarter,
                                           evaluation_date=evaluation, **deadlines)
    period_services.period_open(actor=actor, period=period)
    period.refresh_from_db()
    return period


class _Year:
    """Rates one period's subjects through the services, in the order the rules read levels."""

    def __init__(self, actor, rng: random.Random, period: Period, reference: date | None = None):
        self.actor, self.rng, self.period = actor, rng, period
        self.verifier = system_actor(VERIFIER_USERNAME, "mẫu (thẩm định)")
        self.decided = 0
        self.day = period.evaluation_date
        # Nothing is dated after the reference day: this year's meeting has already been held.
        self.meeting_day = min(self.day - timedelta(days=5), reference or self.day)

    # -- reading ------------------------------------------------------------------------------

    def _ratings(self, *types, status=None) -> list[Rating]:
        qs = Rating.objects.filter(period=self.period, is_live=True, subject_type__in=types)
        qs = qs.exclude(status=RatingStatus.EXCLUDED) if status is None else qs.filter(status=status)
        return list(qs.select_related(
            "scope_org__parent", "leader_position__member", "member", "organization", "unit", "period",
        ).order_by("scope_org__path", "pk"))

    # -- scores ---------------------------------------------------------------------------------

    def _profile(self) -> str:
        roll, total = self.rng.random(), 0.0
        for name, share in PROFILES:
            total += share
            if roll < total:
                return name
        return "good"

    def _values(self, rating: Rating, profile: str) -> dict[str, str]:
        """Scores that give the profile's level by score (the conditions do the rest)."""
        leaves = frameworks([rating.framework_id])[rating.framework_id].leaves
        share = {"excellent": (0.93, 1.0), "good": (0.78, 0.88), "pass": (0.58, 0.68), "fail": (0.35, 0.45)}[profile]
        values = {}
        for leaf in leaves:
            low, high = share
            points = (leaf.max_points * Decimal(str(self.rng.uniform(low, high)))).quantize(Decimal("0.5"))
            values[leaf.code] = format(min(points, leaf.max_points), "f").replace(".", ",")
        return values

    def _tasks(self, profile: str) -> dict[str, str]:
        assigned = self.rng.randint(4, 8)
        exceeded = assigned // 2 + 1 if profile == "excellent" else self.rng.randint(0, assigned // 3)
        done = assigned - (1 if profile == "fail" else 0)
        return {"tasks_assigned": str(assigned), "tasks_done": str(done), "tasks_exceeded": str(min(exceeded, done))}

    def score(self, ratings: list[Rating], *, leaders_products: bool = False) -> None:
        """Score ratings cell by cell (one grid save each), then hand them in."""
        by_cell = defaultdict(list)
        for r in ratings:
            by_cell[r.scope_org_id].append(r)
        for cell_ratings in by_cell.values():
            items = []
            for r in cell_ratings:
                profile = self._profile()
                facts = {"outstanding": profile == "excellent"}
                tasks = None if r.leader_position_id and leaders_products else self._tasks(profile)
                items.append(ScoreInput(r, r.version, self._values(r, profile), tasks, facts))
            scores_save(actor=self.actor, items=items)
            if leaders_products:
                for r in cell_ratings:
                    self._products(Rating.objects.get(pk=r.pk))
        fresh = list(Rating.objects.filter(pk__in=[r.pk for r in ratings]).select_related(
            "scope_org__parent", "leader_position", "period"))
        if fresh:
            ratings_submit(actor=self.actor, ratings=[(r, r.version) for r in fresh])

    def _products(self, rating: Rating) -> None:
        """A leader's quarterly product list, approved by the unit, with its results [002 §5.1]."""
        count = self.rng.randint(3, 5)
        rows = []
        for number in range(1, count + 1):
            exceeded = self.rng.random() < 0.4
            rows.append(ProductRow(
                None, f"Nhiệm vụ trọng tâm số {number} của quý", product=f"Sản phẩm {number}",
                completed=True, on_time=True, exceeded=exceeded, quality=1 if exceeded else 2,
            ))
        products_save(actor=self.actor, rating=rating, expected_version=rating.version, rows=rows)

    # -- proposals ------------------------------------------------------------------------------

    def meetings(self, ratings: list[Rating]) -> None:
        """Each cell's meeting votes on its members; the proposal follows the ballot rule."""
        by_cell = defaultdict(list)
        for r in ratings:
            by_cell[r.scope_org].append(r)
        for cell, cell_ratings in by_cell.items():
            present = len(cell_ratings) + self.rng.randint(0, 3)
            lines = [meeting_services.VoteLine(r, *self._votes(r, present)) for r in cell_ratings]
            held_on = self.meeting_day
            head = committee_head(cell, held_on)
            # The counting team the meeting elects: three members who are not the chair.
            team = [r.member.full_name for r in cell_ratings if r.member_id and (head is None or r.member_id != head.member_id)][:3]
            meeting_services.meeting_record(
                actor=self.actor, period=self.period, organization=cell, held_on=held_on,
                place=f"Hội trường {cell.name}",
                chair=head.member.full_name if head is not None else f"Bí thư {cell.name}",
                counting_team=", ".join(f"{name} (Tổ trưởng)" if i == 0 else name for i, name in enumerate(team)),
                attendance_expected=present + 1, attendance_present=present, ballots_issued=present,
                ballots_collected=present, ballots_valid=present, ballots_invalid=0, lines=lines,
            )

    def _votes(self, rating: Rating, valid: int) -> tuple[int, int, int, int, int]:
        """Votes that give the level the engine allows (most ballots for it, a few elsewhere)."""
        level = rating.condition_level or LevelCode.GOOD
        spare = self.rng.randint(0, max(0, valid // 4))
        main = valid - spare
        votes = {"HTXSNV": 0, "HTTNV": 0, "HTNV": 0, "KHTNV": 0}
        votes[level] = main
        below = {"HTXSNV": "HTTNV", "HTTNV": "HTNV", "HTNV": "HTNV", "KHTNV": "KHTNV"}[level]
        votes[below] += spare
        return votes["HTXSNV"], votes["HTTNV"], votes["HTNV"], votes["KHTNV"], 0

    def propose(self, ratings: list[Rating], note: str) -> None:
        """Propose the level the engine allows (a vote recorded on paper)."""
        for r in ratings:
            r = Rating.objects.get(pk=r.pk)
            level = r.condition_level or r.workings.get("ceiling") or LevelCode.GOOD
            meeting_services.rating_propose(actor=self.actor, rating=r, expected_version=r.version, level=level, note=note)

    # -- verification, decisions ----------------------------------------------------------------

    def verify(self) -> None:
        ratings = [r for r in self._ratings(*SubjectType.values, status=RatingStatus.PROPOSED)
                   if authority.needs_verification(r)]
        if ratings:
            verification_services.ratings_verify(actor=self.verifier, ratings=[(r, r.version) for r in ratings],
                                   note="Hồ sơ đầy đủ, đúng quy định.")

    def decide(self) -> None:
        """One decision per competent authority, levels within the conditions and the quota."""
        ready = [r for r in self._ratings(*SubjectType.values) if r.status in (RatingStatus.PROPOSED, RatingStatus.VERIFIED)
                 and (r.status == RatingStatus.VERIFIED or not authority.needs_verification(r))]
        by_authority = defaultdict(list)
        for r in ready:
            by_authority[authority.decider(r).label].append(r)
        number = 10
        for label, ratings in sorted(by_authority.items()):
            levels = self._levels_within_quota(ratings)
            number += 1
            kind = "QĐ/CB" if label.startswith("Chi ủy") else "QĐ/ĐU"
            decision_services.ratings_decide(
                actor=self.actor, period=self.period, levels=levels, versions={r.pk: r.version for r in ratings},
                number=f"{number:02d}-{kind}", decided_on=self.day + timedelta(days=5),
                signer=self._signer(ratings[0], self.day + timedelta(days=5)),
            )
            self.decided += len(ratings)
            decided = list(Rating.objects.filter(pk__in=[r.pk for r in ratings]).select_related(
                "scope_org__parent", "leader_position", "period"))
            decision_services.ratings_announce(actor=self.actor, ratings=decided)

    @staticmethod
    def _signer(rating: Rating, day: date) -> str:
        """Who signs for the deciding committee: its secretary (the service prints the title they hold)."""
        deciding = authority.decider(rating).org or standing_org(rating.scope_org)
        head = committee_head(deciding, day)
        return head.member.full_name if head is not None else ""

    def _levels_within_quota(self, ratings: list[Rating]) -> dict[int, str]:
        """The proposed level, never above the conditions; HTXSNV kept for the best within each
        peer group's quota (the engine's quota over the whole group)."""
        levels = {}
        for r in ratings:
            level = r.proposed_level
            if r.condition_level and Level.from_code(level) > Level.from_code(r.condition_level):
                level = r.condition_level
            levels[r.pk] = level
        # The committee's choice within the quota: the stored quota's own function, batch levels put in.
        for quota in group_quotas(self.period.pk, {r.peer_group for r in ratings}, levels=levels).values():
            tie = quota.outcome.tie
            keep = set(quota.outcome.inside) | set(tie.subject_ids[: tie.seats] if tie else ())
            for pk, level in levels.items():
                if level == LevelCode.EXCELLENT and pk not in keep and pk in {p.subject_id for p in quota.outcome.places}:
                    levels[pk] = LevelCode.GOOD
        return levels

    # -- the whole period ---------------------------------------------------------------------

    def complete(self) -> None:
        """Every subject from scores to an announced decision, in the order levels are read."""
        if self.period.kind == PeriodKind.QUARTER:
            leaders = self._ratings(SubjectType.LEADER_QUARTERLY)
            self.score(leaders, leaders_products=True)
            self.propose(self._ratings(SubjectType.LEADER_QUARTERLY, status=RatingStatus.SUBMITTED),
                         "Tập thể lãnh đạo cơ quan, đơn vị bỏ phiếu đề xuất.")
            self.verify()
            self.decide()
            return
        self.score(self._ratings(SubjectType.MEMBER_YEARLY))
        self.meetings(self._ratings(SubjectType.MEMBER_YEARLY, status=RatingStatus.SUBMITTED))
        self.score(self._ratings(SubjectType.COLLECTIVE_YEARLY))
        self.propose(self._ratings(SubjectType.COLLECTIVE_YEARLY, status=RatingStatus.SUBMITTED),
                     "Hội nghị cơ quan, đơn vị biểu quyết bằng phiếu kín.")
        self.score(self._ratings(SubjectType.LEADER_YEARLY))
        self.propose(self._ratings(SubjectType.LEADER_YEARLY, status=RatingStatus.SUBMITTED),
                     "Tập thể lãnh đạo cơ quan, đơn vị bỏ phiếu đề xuất.")
        orgs = self._ratings(SubjectType.BASE_ORG_YEARLY)
        self.score(orgs)
        # Chi bộ before the đảng bộ cơ sở that reads their levels [003 C.I.3].
        deep_first = sorted(self._ratings(SubjectType.BASE_ORG_YEARLY, status=RatingStatus.SUBMITTED),
                            key=lambda r: -len(r.organization.path))
        for r in deep_first:
            self.propose([r], "Hội nghị biểu quyết bằng phiếu kín.")
        self.score(self._ratings(SubjectType.COMMITTEE_YEARLY))
        self.propose(self._ratings(SubjectType.COMMITTEE_YEARLY, status=RatingStatus.SUBMITTED),
                     "Hội nghị biểu quyết bằng phiếu kín.")
        self.verify()
        self.decide()

    def close(self) -> None:
        self.period.refresh_from_db()
        period_services.period_close(actor=self.actor, period=self.period, expected_version=self.period.version)

    def rerate_one(self, reference: date) -> None:
        """A discipline decided now for a violation in that year: the member is re-rated [003 C.IV.9]."""
        rating = (
            Rating.objects.filter(period=self.period, is_live=True, status=RatingStatus.DECIDED,
                                  subject_type=SubjectType.MEMBER_YEARLY)
            .exclude(member__disciplines__isnull=False)
            .filter(Q(approved_level=LevelCode.GOOD))
            .select_related("member").order_by("pk").first()
        )
        if rating is None:
            return
        Discipline.objects.create(
            member=rating.member, form=DisciplineForm.REPRIMAND, violation_on=date(self.period.year, 10, 12),
            decided_on=min(reference, date(self.period.year + 1, 3, 10)), decision_number="07-QĐ/UBKTĐU",
            reason="Vi phạm quy định về những điều đảng viên không được làm (phát hiện sau kỳ xếp loại)",
        )
        new = rerating_services.rating_rerate(actor=self.actor, rating=rating,
                                     reason="Quyết định kỷ luật số 07-QĐ/UBKTĐU, vi phạm ngày 12/10")
        new.refresh_from_db()
        meeting_services.rating_propose(actor=self.actor, rating=new, expected_version=new.version,
                               level=new.condition_level or LevelCode.FAIL,
                               note="Ban Xây dựng Đảng đề xuất xếp loại lại theo mục C.IV.9 Hướng dẫn 19.")
        new.refresh_from_db()
        decision_services.ratings_decide(actor=self.actor, period=self.period, levels={new.pk: new.proposed_level},
                               versions={new.pk: new.version}, number="03-QĐ/ĐU",
                               decided_on=min(reference, date(self.period.year + 1, 3, 20)),
                               signer=self._signer(new, min(reference, date(self.period.year + 1, 3, 20))))

    def issue_report(self, reference: date) -> None:
        """Last year's report, written, made final and signed (demo.report)."""
        from .report import ensure_test_certificates, issue_last_year_report

        # Signed for the commune's standing committee: by whoever signs its own decisions.
        decided = (Rating.objects.filter(period=self.period, is_live=True, status=RatingStatus.DECIDED,
                                         supersedes__isnull=True)
                   .select_related("scope_org__parent", "period", "leader_position", "member", "organization", "unit")
                   .order_by("pk")[:500])
        sample = next((r for r in decided if authority.decider(r).org is None), None)
        if sample is None:
            return
        commune = standing_org(sample.scope_org)
        ensure_test_certificates(f"Đảng ủy {commune.name.removeprefix('Đảng bộ ')}")
        issue_last_year_report(actor=self.actor, year=self.period.year, reference=reference,
                               signer=self._signer(sample, reference) or "Bí thư Đảng ủy")

    def in_progress(self) -> int:
        """This year: half the cells scored, some handed in, one meeting held; the rest is work to do."""
        members = self._ratings(SubjectType.MEMBER_YEARLY)
        cells = sorted({r.scope_org_id for r in members})
        started = set(cells[: len(cells) // 2])
        self.score([r for r in members if r.scope_org_id in started][: 200])
        submitted = self._ratings(SubjectType.MEMBER_YEARLY, status=RatingStatus.SUBMITTED)
        first_cell = [r for r in submitted if r.scope_org_id == (submitted[0].scope_org_id if submitted else None)]
        if first_cell:
            self.meetings(first_cell)
        return Rating.objects.filter(period=self.period, status__in=[RatingStatus.DRAFT, RatingStatus.SUBMITTED]).count()

