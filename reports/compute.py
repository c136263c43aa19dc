"""The figures of a report from the database: load facts (reports.data), then build (reports.build).

A constant number of queries for any size of deployment: the grouped reads of `reports.data`, the
quota settings, the names of peer groups, the re-ratings and the previous final report.
"""
from __future__ import annotations

from dataclasses import replace

from appraisal.frameworks.selectors import settings_of
from appraisal.models import Framework, LevelCode, RatingStatus, SubjectType
from appraisal.rules import FrameworkError, QuotaSettings, default_quota
from appraisal.rules import SubjectType as EngineSubject
from appraisal.rules import quota_settings as quota_settings_of
from appraisal.selectors import live_ratings, subject_name
from orgs.models import PartyOrganization
from vnformat import fmt_date

from . import build
from .checks import LatestDecision
from .data import (
    TREE_PATH,
    PeriodSet,
    ReportScope,
    load_facts,
    peer_labels,
    rerating_rows,
    stored_quota_flags,
)
from .figures import ChangedReport, QuotaFlag, Rerating, YearEndFigures, from_json
from .models import ImportedResult, Report, ReportKind, ReportStatus


def quota_settings(year: int) -> dict[str, QuotaSettings]:
    """The quota settings per subject type: the framework of the year (or the latest before), else the defaults."""
    chosen: dict[str, Framework] = {}
    for fw in Framework.objects.filter(year__lte=year).order_by("-year", "status", "-pk"):
        # Within a year an active framework wins ("active" sorts before "draft").
        chosen.setdefault(fw.subject_type, fw)
    out = {}
    for subject in SubjectType.values:
        fw = chosen.get(subject)
        try:
            out[subject] = quota_settings_of(settings_of(fw)) if fw else default_quota(EngineSubject(subject))
        except FrameworkError:
            out[subject] = default_quota(EngineSubject(subject))
    return out



def default_quarters(year: int) -> list[tuple[int, int]]:
    return [(year, q) for q in range(1, 5)]


def parse_quarters(text: str, year: int) -> list[tuple[int, int]]:
    """ "1/2026, 2/2026" → [(2026, 1), (2026, 2)]; blank → the quarters of `year`. Raises ValueError."""
    text = (text or "").strip()
    if not text:
        return default_quarters(year)
    out = []
    for item in text.replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        q_text, _, y_text = item.partition("/")
        q_text = q_text.strip().upper().removeprefix("QUÝ").strip()
        roman = {"I": 1, "II": 2, "III": 3, "IV": 4}
        quarter = roman.get(q_text) or (int(q_text) if q_text.isdigit() else 0)
        quarter_year = int(y_text) if y_text.strip().isdigit() else year
        if not 1 <= quarter <= 4 or not 1990 <= quarter_year <= 2100:
            raise ValueError(f"«{item}» không phải quý hợp lệ (ví dụ: 1/2026 hoặc II/2026).")
        out.append((quarter_year, quarter))
    return sorted(set(out))


def year_end_figures(scope: ReportScope, year: int, quarters_text: str = "", *, exclude_report: Report | None = None) -> YearEndFigures:
    """The year-end figures of a scope: counts, quota flags, re-ratings and changed final reports."""
    quarters = parse_quarters(quarters_text, year)
    facts = load_facts(scope, PeriodSet(years=(year,), quarters=tuple(quarters)))
    if not quarters_text.strip():
        having = {(f.year, f.quarter) for f in facts if f.quarter is not None}
        quarters = [q for q in quarters if q in having]
    peers = {f.peer.removeprefix("nhap:") for f in facts if f.section == "members" and f.peer.startswith("nhap:")}
    names = dict(PartyOrganization.objects.filter(path__in=peers).values_list("path", "name")) if peers else {}
    periods = PeriodSet(years=(year,), quarters=tuple(quarters))
    figures = build.year_end_figures(
        scope=scope, year=year, quarters=quarters, facts=facts, quota=quota_settings(year), peer_names=names,
    )
    # Results decided in the app: the quota stored for their peer group (its own framework, the
    # whole group), as the queue, the quota page and the decision read it. Results imported from
    # outside have no stored quota: the engine's arithmetic on their counts (build.quota_flags).
    imported = tuple(f for f in figures.quota_flags if f.peer.startswith("nhap:"))
    live = tuple(_stored_flag(q) for q in stored_quota_flags({f.peer for f in facts}, periods))
    figures = replace(figures, quota_flags=live + _named_flags(imported, scope, periods))
    previous = previous_final(scope, year, exclude=exclude_report)
    reratings = rerating_list(scope, year, previous)
    changed = ()
    if previous is not None:
        printed = from_json(previous.figures)
        now = counts_only(scope, previous.year, previous.quarters)
        diff = build.figure_changes(printed, now)
        if diff:
            changed = (ChangedReport(
                reference=f"Báo cáo số {previous.number}-{previous.document_code}",
                issued_on=fmt_date(previous.issued_on), year=previous.year, changes=diff,
            ),)
    return replace(figures, reratings=reratings, changed_reports=changed)


def _named_flags(flags, scope: ReportScope, periods: PeriodSet):
    """Flags named as the workflow named their peer groups (one query, only when there are flags)."""
    names = peer_labels([f.peer for f in flags if not f.peer.startswith("nhap:")], periods)
    out = []
    for flag in flags:
        name = names.get(flag.peer)
        out.append(replace(flag, group=name) if name else flag)
    return tuple(out)


_SECTION_OF_SUBJECT = {
    SubjectType.BASE_ORG_YEARLY: "organisations", SubjectType.COMMITTEE_YEARLY: "committees",
    SubjectType.COLLECTIVE_YEARLY: "collectives", SubjectType.LEADER_YEARLY: "leaders",
    SubjectType.LEADER_QUARTERLY: "leaders", SubjectType.MEMBER_YEARLY: "members",
}


def _stored_flag(quota) -> QuotaFlag:
    period = quota.period
    section = build.SECTION_LABELS[_SECTION_OF_SUBJECT[quota.subject_type]]
    if period.quarter:
        section += f" quý {period.quarter}/{period.year}"
    return QuotaFlag(section=section, group=quota.label, excellent=quota.excellent, base=quota.base,
                     allowed=quota.allowed, peer=quota.peer_group)


def counts_only(scope: ReportScope, year: int, quarters_text: str = "") -> YearEndFigures:
    """The counts of a year as the data gives them now (no flags, no notes)."""
    quarters = parse_quarters(quarters_text, year)
    facts = load_facts(scope, PeriodSet(years=(year,), quarters=tuple(quarters)))
    if not quarters_text.strip():
        having = {(f.year, f.quarter) for f in facts if f.quarter is not None}
        quarters = [q for q in quarters if q in having]
    return build.year_end_figures(scope=scope, year=year, quarters=quarters, facts=facts,
                                  quota=quota_settings(year), peer_names={})


def previous_final(scope: ReportScope, year: int, *, exclude: Report | None = None) -> Report | None:
    """The latest final report of the same scope for an earlier year."""
    qs = Report.objects.filter(
        kind=ReportKind.YEAR_END, status=ReportStatus.FINAL, organization=scope.organization, year__lt=year,
    )
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("-year", "-finalized_at").first()


def rerating_list(scope: ReportScope, year: int, previous: Report | None) -> tuple[Rerating, ...]:
    """Re-ratings of the year, or, after a final report, those decided since it was issued."""
    after = previous.issued_on if previous is not None else None
    rows = rerating_rows(scope, up_to_year=year, decided_after=after)
    return tuple(
        Rerating(
            subject=subject_name(r, formal=True), period=str(r.period), old_level=LevelCode(r.supersedes.approved_level).label
            if r.supersedes.approved_level else "chưa xếp loại",
            new_level=LevelCode(r.approved_level).label, decision_number=r.decision_number or "…",
            decision_date=fmt_date(r.decision_date),
        )
        for r in rows
    )


def latest_counted_decision(scope: ReportScope, report: Report, figures: YearEndFigures) -> LatestDecision | None:
    """The latest decision whose results the report counts: the ratings of its periods, the re-ratings
    it lists (4.5) and results imported with their decision (three queries)."""
    periods = PeriodSet(years=(report.year,), quarters=tuple((q.year, q.quarter) for q in figures.quarters))
    previous = previous_final(scope, report.year, exclude=report)
    fields = ("decision_date", "decision_number")
    found = [
        live_ratings().filter(periods.q(), scope.path_filter(TREE_PATH), status=RatingStatus.DECIDED,
                              decision_date__isnull=False).order_by("-decision_date").values_list(*fields).first(),
        rerating_rows(scope, up_to_year=report.year, decided_after=previous.issued_on if previous else None)
        .exclude(decision_date__isnull=True).order_by("-decision_date").values_list(*fields).first(),
        ImportedResult.objects.filter(periods.imported_q(), scope.path_filter("organization__path"),
                                      decision_date__isnull=False).order_by("-decision_date").values_list(*fields).first(),
    ]
    day, number = max((f for f in found if f), key=lambda f: f[0], default=(None, ""))
    return LatestDecision(day, number) if day else None
