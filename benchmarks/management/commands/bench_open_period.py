"""Time opening a yearly period for a generated province, against a raw INSERT … SELECT of the same rows.

    DATABASE_URL=postgres://…/kd_bench manage.py bench_open_period --members 200000

Builds the province once (communes of about 900 members with their organisations, committees,
units and leaders; reused on the next run), then, in the same run:
- baseline: one `INSERT INTO appraisal_rating … SELECT` writing the same number of rows (a row
  per member, organisation, committee, unit and post, every column given, foreign keys checked
  as the opening's commit checks them), in a transaction rolled back afterwards;
- opening: `period_open` as the background job runs it — eligibility decided by the engine for
  every subject, peer groups, the excluded with their reasons, written with COPY;
then removes the period (and vacuums the table, as autovacuum would). `--repeat N` measures N
times. Last line, medians: `subjects=… runs=… seconds=… baseline_seconds=… ratio=… plan_seconds=…`.
"""
import time
from dataclasses import dataclass
from datetime import date
from io import StringIO
from statistics import median

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from appraisal.models import Period, PeriodKind
from appraisal.process.periods.services import OpeningResult, period_create, period_open
from benchmarks.data import build_province
from core.bulk import refresh_statistics
from core.models import AuditEntry
from members.models import Member

YEAR = 2098
EVALUATION = date(YEAR, 12, 15)


class Command(BaseCommand):
    help = "Đo thời gian mở kỳ đánh giá năm cho một tỉnh sinh ngẫu nhiên (PostgreSQL), so với INSERT … SELECT."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200_000)
        parser.add_argument("--repeat", type=int, default=1,
                            help="số lần đo (mỗi lần: đường cơ sở rồi mở kỳ); in trung vị")

    def handle(self, *args, members, repeat, **options):
        if repeat < 1:
            raise CommandError("--repeat phải từ 1 trở lên.")
        if connection.vendor != "postgresql":
            raise CommandError("Chạy trên PostgreSQL: DATABASE_URL=postgres://…")
        call_command("load_frameworks", stdout=StringIO())
        have = Member.objects.filter(card_number__startswith="P").count()
        if have != members:
            if have:
                raise CommandError(f"Cơ sở dữ liệu đã có tỉnh {have} đảng viên; dùng cơ sở dữ liệu khác cho {members}.")
            started = time.perf_counter()
            province = build_province(members, reference=EVALUATION)
            self.stdout.write(
                f"Đã sinh {province.communes} xã, {province.organizations} tổ chức đảng, {province.units} đơn vị, "
                f"{province.positions} chức vụ, {province.members} đảng viên trong {time.perf_counter() - started:.1f} s."
            )
            refresh_statistics()  # fresh statistics after a bulk load
        staff = _staff()
        _cleanup()  # a run stopped half-way
        runs = []
        for number in range(1, repeat + 1):
            run = _measure(staff)
            runs.append(run)
            self.stdout.write(
                f"Lần {number}: mở kỳ {run.seconds:.2f} s (xét đối tượng {run.plan_seconds:.2f} s), "
                f"đường cơ sở {run.baseline:.2f} s."
            )
        result = runs[-1].result
        if any(run.result.total != run.expected for run in runs):
            self.stderr.write(f"Chú ý: mở kỳ tạo {result.total} phiếu, đường cơ sở {runs[-1].expected} dòng.")
        self.stdout.write(
            f"Mở kỳ: {result.total} phiếu ({', '.join(f'{k}: {v}' for k, v in result.created.items())}); "
            f"không xếp loại: {sum(result.excluded.values())}."
        )
        # Medians: this machine's disk makes single runs vary by a third.
        self.stdout.write(
            f"subjects={result.total} runs={len(runs)} seconds={median(r.seconds for r in runs):.2f} "
            f"baseline_seconds={median(r.baseline for r in runs):.2f} "
            f"ratio={median(r.seconds / r.baseline for r in runs):.2f} "
            f"plan_seconds={median(r.plan_seconds for r in runs):.2f}"
        )


@dataclass
class _Run:
    result: OpeningResult
    expected: int
    seconds: float
    baseline: float
    plan_seconds: float  # of `seconds`: deciding who is rated, before the write


def _measure(staff) -> _Run:
    """One measurement: the baseline, then the opening as its job runs it; nothing stays."""
    period = period_create(actor=staff, kind=PeriodKind.YEAR, year=YEAR, evaluation_date=EVALUATION)
    planned = []

    def progress(done, total, step):
        if not planned and step.startswith("Ghi "):
            planned.append(time.perf_counter())

    try:
        baseline, expected = _baseline(period)
        started = time.perf_counter()
        result = period_open(actor=staff, period=period, progress=progress)
        seconds = time.perf_counter() - started
    finally:
        _cleanup()
    return _Run(result, expected, seconds, baseline, (planned[0] if planned else started) - started)


def _staff():
    user, _ = get_user_model().objects.get_or_create(username="bench-bxd", defaults={"is_superuser": True, "is_active": False})
    return user


def _cleanup() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEntry._meta.db_table} WHERE object_type = 'appraisal.Period' AND object_id IN "
            "(SELECT id::text FROM appraisal_period WHERE year = %s)", [YEAR],
        )
        cursor.execute("DELETE FROM appraisal_rating WHERE period_id IN (SELECT id FROM appraisal_period WHERE year = %s)", [YEAR])
    # The period's few other rows (its stored counts and quotas) go with it, by the ORM's cascade.
    Period.objects.filter(year=YEAR).delete()
    if not connection.in_atomic_block:
        # What autovacuum would do: the next run writes into a table without 622 000 dead rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM appraisal_rating")


_COLUMNS = (
    "period_id, subject_type, member_id, organization_id, unit_id, leader_position_id, framework_id, "
    "framework_version, is_live, scope_org_id, scope_unit_id, peer_group, peer_group_label, status, exclusion, "
    "exclusion_text, total_score, score_level, condition_level, held, reasons, flags, workings, outcome_at, facts, "
    "tasks_assigned, tasks_done, tasks_on_time, tasks_exceeded, review_strengths, review_weaknesses, review_causes, "
    "review_remedies, self_level, proposed_level, approved_level, submitted_at, proposed_at, proposal_note, "
    "verified_at, verified_by_id, verification_note, decision_id, decision_number, decision_date, announced_at, "
    "supersedes_id, rerating_reason, version, created_by_id, created_at, updated_at"
)
# Every column after scope_unit_id, in the order of _COLUMNS, as a new draft rating has them.
_REST = ", ".join((
    "'dv:' || coalesce({org}::text, '0')", "'Đảng viên'", "'draft'", "''", "''",  # peer group … exclusion_text
    "NULL::numeric", "''", "''", "false", "'[]'::jsonb", "'[]'::jsonb", "'{{}}'::jsonb",  # outcome
    "NULL::timestamptz", "'{{}}'::jsonb", "NULL::int", "NULL::int", "NULL::int", "NULL::int",  # facts, tasks
    "''", "''", "''", "''", "''", "''", "''",  # review, self/proposed/approved levels
    "NULL::timestamptz", "NULL::timestamptz", "''", "NULL::timestamptz", "NULL::int", "''",  # submitted … verification
    "NULL::bigint", "''", "NULL::date", "NULL::timestamptz", "NULL::bigint", "''",  # decision … rerating_reason
    "1", "NULL::int", "now()", "now()",  # version, created_by, created_at, updated_at
))


def _other_columns() -> tuple[str, str]:
    """The rating's columns added since _COLUMNS was written, each with its field's default (a new
    draft's value), as ", col…" and ", value…" to append to the INSERT and to each SELECT."""
    from psycopg.sql import Literal
    from psycopg.types.json import Jsonb

    from appraisal.models import Rating

    named = {name.strip() for name in _COLUMNS.split(",")}
    connection.ensure_connection()
    columns, values = [], []
    for field in Rating._meta.concrete_fields:
        if field.column in named or field.primary_key:
            continue
        default = field.get_default() if field.has_default() else (None if field.null else "")
        if isinstance(field, models.JSONField):
            default = Jsonb(default)
        columns.append(connection.ops.quote_name(field.column))
        # Typed: in a UNION ALL an untyped NULL is text, which an integer column refuses.
        values.append(f"{Literal(default).as_string(connection.connection)}::{field.db_type(connection)}")
    return "".join(f", {c}" for c in columns), "".join(f", {v}" for v in values)


def _baseline(period) -> tuple[float, int]:
    """Time one INSERT … SELECT of a rating row per subject (members, organisations, committees,
    units, posts), every column given, then roll it back."""
    from appraisal.process.periods.services import framework_for

    def ids(subject_type):
        f = framework_for(subject_type, YEAR)
        return f.pk, f.version

    selects = []
    for subject_type, table, subject, org, unit, where in (
        ("member_yearly", "members_member m", "m.id, N, N, N", "m.cell_id", "N", "m.is_active"),
        ("base_org_yearly", "orgs_partyorganization o", "N, o.id, N, N", "o.id", "N", "o.kind <> 'root' AND o.kind <> 'group'"),
        ("committee_yearly", "orgs_partyorganization o", "N, o.id, N, N", "o.id", "N",
         "o.id IN (SELECT organization_id FROM orgs_committeemembership GROUP BY organization_id HAVING count(*) >= 3)"),
        ("collective_yearly", "orgs_unit u", "N, N, u.id, N", "u.party_organization_id", "u.id", "u.is_active"),
        ("leader_yearly", "members_leaderposition p JOIN orgs_unit pu ON pu.id = p.unit_id", "N, N, N, p.id",
         "pu.party_organization_id", "p.unit_id", "p.end_on IS NULL"),
    ):
        framework_id, version = ids(subject_type)
        subject, unit = subject.replace("N", "NULL::bigint"), unit.replace("N", "NULL::bigint")
        selects.append(
            f"SELECT {period.pk}, '{subject_type}', {subject}, {framework_id}, {version}, true, {org}, {unit}, "
            + _REST.format(org=org) + f" FROM {table} WHERE {where}"
        )
    extra_columns, extra_values = _other_columns()
    sql = (f"INSERT INTO appraisal_rating ({_COLUMNS}{extra_columns}) "
           + " UNION ALL ".join(select.replace(" FROM ", f"{extra_values} FROM ", 1) for select in selects))
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Foreign keys are checked at commit (Django makes them deferrable); the opening commits,
            # so the baseline checks them too, in the statement, before it is rolled back.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            started = time.perf_counter()
            cursor.execute(sql)
            seconds = time.perf_counter() - started
            rows = cursor.rowcount
        transaction.set_rollback(True)
    return seconds, rows
