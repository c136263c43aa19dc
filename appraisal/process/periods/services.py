"""Periods: create with deadlines, open (a rating for every subject), close [DOMAIN §3–4].

Opening decides who is rated with the engine's eligibility rules only
(`appraisal.rules.eligibility`): every subject that must be rated gets a draft rating with
its subject type's framework; every subject left out gets a rating in the `excluded` state
with the reason's code and text, so the reports count them ("74 not rated because exempt or
admitted < 6 months" [000 §4.1]). Opening again adds the subjects that appeared since and
never duplicates one (a database constraint guards it too).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from appraisal.models import (
    Exclusion,
    Framework,
    FrameworkStatus,
    Period,
    PeriodKind,
    PeriodStatus,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.rules import (
    eligibility,
)
from appraisal.rules.eligibility import EligibilityOutcome
from appraisal.scoring.counts import rating_counts_rebuild
from appraisal.selectors import DEADLINE_FIELDS
from core.audit import record_change
from core.bulk import insert_rows
from core.scope import scope_for
from members.models import Exemption, LeaderPosition, Member, Suspension, TemporaryActivity
from orgs.models import CommitteeMembership, OrgKind, PartyOrganization, Unit
from vnformat import fmt_number, fmt_period

YEARLY_TYPES = (
    SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY, SubjectType.COLLECTIVE_YEARLY,
    SubjectType.LEADER_YEARLY, SubjectType.MEMBER_YEARLY,
)
QUARTERLY_TYPES = (SubjectType.LEADER_QUARTERLY,)
# A committee (chi ủy, đảng ủy) is a collective of at least three seats; a cell with only a
# secretary has none [004 II.2; 000 §4.1: 9 committees for 10 base organisations].
COMMITTEE_MIN_SEATS = 3
RATED_ORG_KINDS = (OrgKind.BASE_PARTY, OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL)

Progress = Callable[[int, int, str], None]
EXCLUSION_CODES = frozenset(Exclusion.values)


def _require_staff(actor) -> None:
    if not scope_for(actor).is_staff_member:
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng được mở, đóng kỳ đánh giá.")


def _check_dates(values: dict) -> list[str]:
    errors = []
    evaluation = values.get("evaluation_date")
    if evaluation is None:
        errors.append("Chưa nhập thời điểm đánh giá.")
    for name in ("product_list_due", "self_assessment_due", "decision_due", "report_due"):
        day = values.get(name)
        if day is not None and not (date(2000, 1, 1) <= day <= date(2100, 12, 31)):
            errors.append(f"{Period._meta.get_field(name).verbose_name.capitalize()}: ngày không hợp lệ.")
    order = [values.get(n) for n in ("self_assessment_due", "decision_due", "report_due")]
    known = [d for d in order if d is not None]
    if known != sorted(known):
        errors.append("Các hạn phải theo thứ tự: tự đánh giá, đề xuất → quyết định → báo cáo cấp trên.")
    return errors


@transaction.atomic
def period_create(*, actor, kind: str, year: int, quarter: int | None = None, **deadlines) -> Period:
    """Create a period (not yet open) with its deadlines [DOMAIN §4; 002 §5]."""
    _require_staff(actor)
    if kind not in PeriodKind.values:
        raise ValidationError("Loại kỳ đánh giá không hợp lệ.")
    if kind == PeriodKind.YEAR:
        quarter = None
    elif quarter not in (1, 2, 3, 4):
        raise ValidationError("Kỳ đánh giá quý phải chọn quý 1, 2, 3 hoặc 4.")
    if not 2000 <= year <= 2100:
        raise ValidationError("Năm không hợp lệ.")
    errors = _check_dates(deadlines)
    if Period.objects.filter(kind=kind, year=year, quarter=quarter).exists():
        errors.append(f"Kỳ đánh giá {fmt_period(year, quarter, capital=True)} đã có.")
    if errors:
        raise ValidationError(errors)
    period = Period.objects.create(kind=kind, year=year, quarter=quarter, **deadlines)
    record_change(actor=actor, action="period.create", obj=period, changes={
        name: deadlines.get(name) for name in DEADLINE_FIELDS if deadlines.get(name)
    })
    return period


@transaction.atomic
def period_update(*, actor, period: Period, expected_version: int, **deadlines) -> Period:
    """Change a period's deadlines (they are per period: Q2/2026 had its own [002 §5])."""
    _require_staff(actor)
    errors = _check_dates(deadlines)
    if errors:
        raise ValidationError(errors)
    _bump(period, expected_version)
    changes = {}
    for name in DEADLINE_FIELDS:
        new = deadlines.get(name)
        if getattr(period, name) != new:
            changes[name] = (getattr(period, name), new)
            setattr(period, name, new)
    period.save(update_fields=[*DEADLINE_FIELDS])
    record_change(actor=actor, action="period.update", obj=period, changes=changes)
    return period


def _bump(period: Period, expected_version: int) -> None:
    from django.db.models import F

    updated = Period.objects.filter(pk=period.pk, version=expected_version).update(version=F("version") + 1)
    if not updated:
        raise ValidationError(
            f"Kỳ đánh giá {period} vừa được người khác thay đổi; chưa lưu gì, hãy tải lại trang."
        )
    period.version = expected_version + 1


@transaction.atomic
def period_close(*, actor, period: Period, expected_version: int) -> Period:
    """Close a period: nothing is scored or proposed any more; decisions stay as they are."""
    _require_staff(actor)
    if period.status != PeriodStatus.OPEN:
        raise ValidationError(f"Kỳ đánh giá {period} không ở trạng thái đang đánh giá.")
    _bump(period, expected_version)
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["status", "closed_at"])
    record_change(actor=actor, action="period.close", obj=period, changes={"status": ("open", "closed")})
    return period


# ------------------------------------------------------------------------------ opening


def framework_for(subject_type: str, year: int) -> Framework | None:
    """The framework in use for a subject type in a year: that year's, else the latest before."""
    active = Framework.objects.filter(subject_type=subject_type, status=FrameworkStatus.ACTIVE)
    return (
        active.filter(year=year).order_by("-version").first()
        or active.filter(year__lt=year).order_by("-year").first()
        or active.order_by("year").first()
    )


@dataclass
class OpeningResult:
    """What opening (or opening again) added."""

    created: dict[str, int] = field(default_factory=dict)  # subject type → ratings added
    excluded: dict[str, int] = field(default_factory=dict)  # exclusion code → subjects left out

    @property
    def total(self) -> int:
        return sum(self.created.values())


def period_open(*, actor, period: Period, progress: Progress | None = None) -> OpeningResult:
    """Open the period, or open it again: a rating for each subject not yet in it [DOMAIN §3].

    Who is rated is planned first, reading only (each step reported to `progress`, so a
    background job shows it); then everything is written in one transaction. Should someone
    open the same period meanwhile, the database's one-live-rating constraint refuses the
    duplicates and nothing is written.
    """
    _require_staff(actor)
    report = progress or (lambda done, total, step: None)
    period = Period.objects.get(pk=period.pk)
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError(f"Kỳ đánh giá {period} đã kết thúc, không mở lại được.")
    types = QUARTERLY_TYPES if period.kind == PeriodKind.QUARTER else YEARLY_TYPES
    chosen = {t: framework_for(t, period.year) for t in types}
    missing = [SubjectType(t).label for t, f in chosen.items() if f is None]
    if missing:
        raise ValidationError(
            "Chưa có khung tiêu chí đang áp dụng cho: " + "; ".join(missing)
            + ". Hãy áp dụng khung tiêu chí trước khi mở kỳ đánh giá."
        )
    planner = _Planner(period, chosen, actor, report)
    planner.plan()
    rows = planner.count
    step = f"Ghi {fmt_number(rows)} phiếu xếp loại"
    report(0, rows, step)
    try:
        with transaction.atomic():
            period = Period.objects.select_for_update().get(pk=period.pk)
            if period.status == PeriodStatus.CLOSED:
                raise ValidationError(f"Kỳ đánh giá {period} đã kết thúc, không mở lại được.")
            # Rows written so far, as the write goes (a job reports them from outside this transaction).
            result = planner.write(progress=lambda done: report(done, rows, step))
            rating_counts_rebuild([period])
            changes = {"added": result.total, **{f"type:{k}": v for k, v in result.created.items()},
                       **{f"excluded:{k}": v for k, v in result.excluded.items()}}
            fields = ["version"]
            if period.status == PeriodStatus.DRAFT:
                changes["status"] = (PeriodStatus.DRAFT.value, PeriodStatus.OPEN.value)
                period.status = PeriodStatus.OPEN
                period.opened_at = timezone.now()
                period.opened_by = actor if getattr(actor, "is_authenticated", False) else None
                fields += ["status", "opened_at", "opened_by"]
            period.version += 1
            period.save(update_fields=fields)
            record_change(actor=actor, action="period.open", obj=period, changes=changes)
    except IntegrityError as exc:
        raise ValidationError(
            f"Kỳ đánh giá {period} vừa được mở đồng thời ở nơi khác; chưa ghi gì, hãy mở lại."
        ) from exc
    report(rows, rows, "Xong")
    return result


class _Planner:
    """Plans the ratings of one opening: subjects, eligibility, peer groups; then writes them."""

    def __init__(self, period: Period, frameworks: dict[str, Framework], actor, progress: Progress):
        self.period = period
        self.frameworks = frameworks
        self.on = period.evaluation_date
        self.actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        self.progress = progress
        # By subject type: what its rows share (period, framework…), then each row's own values.
        self.common: dict[str, dict] = {}
        self.rows: dict[str, list[dict]] = {}
        self.result = OpeningResult()
        self._outcome_fields: dict[int, dict] = {}
        self._kept: list = []
        orgs = PartyOrganization.objects.values_list("pk", "parent_id", "kind", "path", "name", "is_active", "established_on")
        self.orgs = {row[0]: row for row in orgs}
        # Organisations that existed on the evaluation date are subjects; later ones are not.
        self.existing_orgs = {pk for pk, row in self.orgs.items() if row[6] is None or row[6] <= self.on}
        self.existing = self._existing()

    def plan(self) -> None:
        """Decide every subject's rating (reads only)."""
        steps = list(self.frameworks)
        for number, subject_type in enumerate(steps):
            self.progress(number, len(steps) + 1, f"Xét đối tượng: {SubjectType(subject_type).label}")
            getattr(self, f"_plan_{subject_type}")()
        self.result.created = {subject_type: len(rows) for subject_type, rows in self.rows.items()}

    @property
    def count(self) -> int:
        """How many ratings the opening writes."""
        return sum(len(rows) for rows in self.rows.values())

    def write(self, progress: Callable[[int], None] | None = None) -> OpeningResult:
        """Write the planned ratings (one COPY per subject type); `progress(done)` hears the rows written."""
        written = 0
        for subject_type, rows in self.rows.items():
            step = None if progress is None else (lambda done, before=written: progress(before + done))
            written += insert_rows(Rating, rows, common=self.common[subject_type], progress=step)
        return self.result

    # -- helpers ---------------------------------------------------------------------------

    def _existing(self) -> dict[str, set[int]]:
        """Subjects that already have a live rating in the period, by subject type."""
        found = defaultdict(set)
        rows = Rating.objects.filter(period=self.period, is_live=True).values_list(
            "subject_type", "member_id", "organization_id", "unit_id", "leader_position_id"
        )
        for subject_type, *ids in rows:
            found[subject_type].add(next(i for i in ids if i is not None))
        return found

    def _root_of(self, org_id: int | None) -> tuple | None:
        org = self.orgs.get(org_id)
        while org is not None and org[1] is not None:
            org = self.orgs[org[1]]
        return org

    def _base_of(self, org_id: int) -> tuple:
        """The organisation whose members form one peer group: the TCCSĐ, or the chi bộ trực
        thuộc of the root a cell belongs to [DOMAIN §7: "party members within one TCCSĐ"]."""
        org = self.orgs[org_id]
        while org[2] in (OrgKind.GROUP, OrgKind.SUB_CELL) and org[1] is not None:
            org = self.orgs[org[1]]
        return org

    def _add(self, subject_type: str, subject: dict, outcome: EligibilityOutcome, *,
             scope_org: int | None, scope_unit: int | None, group: tuple[str, str]) -> None:
        rows = self.rows.get(subject_type)
        if rows is None:
            framework = self.frameworks[subject_type]
            self.common[subject_type] = {
                "period_id": self.period.pk, "subject_type": subject_type, "framework_id": framework.pk,
                "framework_version": framework.version, "is_live": True, "created_by_id": self.actor_id,
                "status": RatingStatus.DRAFT,
            }
            rows = self.rows[subject_type] = []
        row = {**subject, "scope_org_id": scope_org, "scope_unit_id": scope_unit,
               "peer_group": group[0], "peer_group_label": group[1]}
        extra = self._outcome_fields.get(id(outcome))
        if extra is None:
            extra = self._outcome_fields[id(outcome)] = self._fields_of(outcome)
            self._kept.append(outcome)  # keep it alive: its id keys the cache
        if extra:
            row.update(extra)
            code = extra.get("exclusion")
            if code:
                self.result.excluded[code] = self.result.excluded.get(code, 0) + 1
        rows.append(row)

    @staticmethod
    def _fields_of(outcome: EligibilityOutcome) -> dict:
        """What an eligibility outcome puts on the rating: notes as flags; the reason of an exclusion."""
        extra = {}
        if outcome.notes:
            extra["flags"] = [{"code": f.code, "text": f.text, "source": f.source} for f in outcome.notes]
        if not outcome.rated:
            code = outcome.reasons[0].code if outcome.reasons else Exclusion.OTHER
            if code not in EXCLUSION_CODES:
                code = Exclusion.OTHER
            extra.update(
                status=RatingStatus.EXCLUDED, exclusion=code,
                exclusion_text=" ".join(f"{f.text} {f.source}" for f in outcome.reasons),
            )
        return extra

    def _org_outcome(self, org: tuple) -> EligibilityOutcome:
        return eligibility.organisation_eligibility(evaluated_on=self.on, formed_on=org[6])

    # -- subject types -----------------------------------------------------------------------

    def _covering(self, model) -> set[int]:
        """Members with a period of `model` (exemption, suspension…) covering the evaluation date."""
        return set(model.objects.current_on(self.on).values_list("member_id", flat=True))

    def _party_status(self) -> tuple[set[int], set[int]]:
        if not hasattr(self, "_status"):
            self._status = (self._covering(Exemption), self._covering(Suspension))
        return self._status

    def _plan_member_yearly(self) -> None:
        taken = self.existing[SubjectType.MEMBER_YEARLY]
        on = self.on
        exempt, suspended = self._party_status()
        temporary = self._covering(TemporaryActivity)
        # Members then: admitted by the evaluation date (a past period opened late gets no newcomers).
        members = Member.objects.filter(is_active=True, admitted_on__lte=on).values_list("pk", "admitted_on", "cell_id")
        groups: dict[int, tuple[str, str]] = {}
        # Members with the same facts get the same answer: ask the engine once per distinct facts
        # (a province has 200,000 members but far fewer admission dates).
        decided: dict[tuple, EligibilityOutcome] = {}
        for pk, admitted_on, cell_id in members.iterator(chunk_size=20000):
            if pk in taken:
                continue
            facts = (admitted_on, pk in exempt, pk in suspended, pk in temporary)
            outcome = decided.get(facts)
            if outcome is None:
                outcome = decided[facts] = eligibility.member_eligibility(
                    evaluated_on=on, admitted_on=admitted_on, exempt=facts[1], suspended=facts[2],
                    temporary_activity=facts[3],
                )
            group = groups.get(cell_id)
            if group is None:
                base = self._base_of(cell_id)
                group = groups[cell_id] = (f"dv:{base[0]}", f"Đảng viên — {base[4]}")
            self._add(SubjectType.MEMBER_YEARLY, {"member_id": pk}, outcome,
                      scope_org=cell_id, scope_unit=None, group=group)

    def _org_group(self, org: tuple, prefix: str, what: str) -> tuple[str, str]:
        root = self._root_of(org[0])
        if org[2] in (OrgKind.BASE_PARTY, OrgKind.BASE_CELL):
            kind, label = "tccsd", "tổ chức cơ sở đảng"
        elif org[2] == OrgKind.ROOT_CELL:
            kind, label = "truc-thuoc", "chi bộ trực thuộc Đảng ủy"
        else:
            kind, label = "co-so", "chi bộ trực thuộc đảng ủy cơ sở"
        return f"{prefix}:{kind}:{root[0]}", f"{what} {label} — {root[4]}"

    def _plan_base_org_yearly(self) -> None:
        taken = self.existing[SubjectType.BASE_ORG_YEARLY]
        for org in self.orgs.values():
            if org[0] in taken or not org[5] or org[2] not in RATED_ORG_KINDS or org[0] not in self.existing_orgs:
                continue
            self._add(SubjectType.BASE_ORG_YEARLY, {"organization_id": org[0]}, self._org_outcome(org),
                      scope_org=org[0], scope_unit=None, group=self._org_group(org, "tc", "Tổ chức đảng:"))

    def _plan_committee_yearly(self) -> None:
        taken = self.existing[SubjectType.COMMITTEE_YEARLY]
        seats = dict(
            CommitteeMembership.objects.current_on(self.on)
            .values_list("organization_id").annotate(n=Count("pk")).order_by()
        )
        for org in self.orgs.values():
            if org[0] in taken or not org[5] or org[2] not in RATED_ORG_KINDS or org[0] not in self.existing_orgs:
                continue
            if seats.get(org[0], 0) < COMMITTEE_MIN_SEATS:
                continue
            outcome = eligibility.committee_eligibility(evaluated_on=self.on, organisation_formed_on=org[6])
            self._add(SubjectType.COMMITTEE_YEARLY, {"organization_id": org[0]}, outcome,
                      scope_org=org[0], scope_unit=None, group=self._org_group(org, "cu", "Cấp ủy:"))

    def _plan_collective_yearly(self) -> None:
        taken = self.existing[SubjectType.COLLECTIVE_YEARLY]
        units = Unit.objects.filter(is_active=True, has_leadership_collective=True).values_list(
            "pk", "party_organization_id", "block_id", "block__name"
        )
        for pk, org_id, block_id, block_name in units:
            if pk in taken:
                continue
            root = self._root_of(org_id)
            key = f"tt:{block_id}:{root[0] if root else 0}"
            label = f"Tập thể lãnh đạo — {block_name}" + (f" — {root[4]}" if root else "")
            outcome = eligibility.collective_eligibility(evaluated_on=self.on)
            self._add(SubjectType.COLLECTIVE_YEARLY, {"unit_id": pk}, outcome,
                      scope_org=org_id, scope_unit=pk, group=(key, label))

    def _positions(self):
        return list(
            LeaderPosition.objects.current_on(self.on)
            .values_list("pk", "member_id", "unit_id", "organization_id", "group_id", "group__name",
                         "start_on", "unit__party_organization_id", "member__is_active")
        )

    def _leader_group(self, group_id, group_name, org_id) -> tuple[str, str]:
        root = self._root_of(org_id)
        return (f"cb:{group_id}:{root[0] if root else 0}",
                f"Cán bộ — {group_name}" + (f" — {root[4]}" if root else ""))

    def _plan_leader_yearly(self) -> None:
        taken = self.existing[SubjectType.LEADER_YEARLY]
        exempt, suspended = self._party_status()
        for pk, member_id, unit_id, org_id, group_id, group_name, _start, unit_org, active in self._positions():
            if pk in taken or not active:
                continue
            outcome = eligibility.leader_year_eligibility(
                evaluated_on=self.on, exempt=member_id in exempt, suspended=member_id in suspended,
            )
            scope_org = org_id or unit_org
            self._add(SubjectType.LEADER_YEARLY, {"leader_position_id": pk}, outcome,
                      scope_org=scope_org, scope_unit=unit_id,
                      group=self._leader_group(group_id, group_name, scope_org))

    def _plan_leader_quarterly(self) -> None:
        taken = self.existing[SubjectType.LEADER_QUARTERLY]
        positions = self._positions()
        history = defaultdict(list)
        for member_id, unit_id, start_on in LeaderPosition.objects.filter(
            member_id__in={p[1] for p in positions}
        ).values_list("member_id", "unit_id", "start_on"):
            history[member_id].append((start_on, unit_id))
        for pk, member_id, unit_id, org_id, group_id, group_name, start_on, unit_org, active in positions:
            if pk in taken or not active:
                continue
            earlier = [(s, u) for s, u in history[member_id] if s < start_on]
            org = self.orgs.get(org_id)
            outcome = eligibility.leader_quarter_eligibility(
                year=self.period.year, quarter=self.period.quarter, as_of=self.on,
                yearly_only=unit_id is None and org is not None and org[2] == OrgKind.ROOT_CELL,
                first_appointed_on=None if earlier else start_on,
                promoted_on=start_on if any(u == unit_id for _, u in earlier) else None,
                moved_unit_on=start_on if earlier and all(u != unit_id for _, u in earlier) else None,
            )
            scope_org = org_id or unit_org
            self._add(SubjectType.LEADER_QUARTERLY, {"leader_position_id": pk}, outcome,
                      scope_org=scope_org, scope_unit=unit_id,
                      group=self._leader_group(group_id, group_name, scope_org))




def ensure_open(period: Period) -> None:
    if period.status != PeriodStatus.OPEN:
        raise ValidationError(f"Kỳ đánh giá {period} không còn mở: không ghi thêm được.")
