"""The pure rating engine: frameworks, scores, levels, conditions, holds, quota, ballots, eligibility.

No ORM, no Django, no float: plain frozen data in, plain frozen data out; only the standard
library is imported. Every rule cites its source (`[003 C.II.2]`, see ../shared/DOMAIN.md and
docs/rules.md). Points are exact, kept in integer hundredths; at most two decimals come in.

The API, in the order of the pipeline (load → decide → store → read):

Load (appraisal/frameworks/selectors.py builds these once per framework and run)
    framework_problems(settings, rows, caps) -> list[str]
        The one framework validator: structure, points, codes, thresholds, shares, caps;
        each message names its row (`CriterionRow.where`) or field. `validate_framework(spec)`
        runs the tree-level part on a spec built in code.
    build_framework(settings, rows, caps) -> FrameworkSpec          (FrameworkError if invalid)
    compile_framework(spec) -> CompiledFramework                    (FrameworkError if invalid)
    framework_spec(code, title, subject_type, groups, **settings) / sample_framework(type)

Decide
    rate(cf, subject_id, entries, facts=NO_FACTS) -> RatingResult
    rate_many(cf, [SubjectInput(subject_id, entries, facts), ...]) -> list[RatingResult]
        entries: CriterionEntry(code, achieved=, plan=, level=, points=, completed=, short=),
        in any order (framework order is fastest); RatingInputError lists every problem.
        RatingResult: subject_id, total (Decimal, exact), score_level, level (None while held),
        ceiling (the best level when held), held (Hold: what it waits for), flags, reasons
        (the score's first, then each cap that lowered it), criteria (points, level) and
        workings() -> RatingWorkings (points per criterion and how, total, level by score with
        the band and thresholds, each cap with its name, reason and source, flags, holds).
    partial_total(cf, entries) -> Decimal: the running total of a sheet being filled in.
    apply_quota(candidates, settings, by_quarters=, by_votes=) -> QuotaOutcome
        inside / pushed_down / tie, and the workings: arithmetic (share × base, rounding,
        the small-group seat: `.text`) and places (each candidate's rank, status, note).
    count_ballots(tally, votes, settings) -> BallotOutcome; ballot_level(votes, valid) -> BallotLevel
        with the steps of the count (cumulative votes per level against valid ballots, > 50 %).
    subject_eligibility(subject_type, **facts) -> EligibilityOutcome (status, reasons, notes);
        member_eligibility, leader_quarter_eligibility, leader_year_eligibility,
        organisation_eligibility, committee_eligibility, collective_eligibility.
    rating_stages() / DEPENDS_ON / bottom_up(parent_of): the order subject types (and base
        organisations among themselves) are rated in, so no subject waits for a level.
    fact_problems(values) -> [(field, message)]: task counts and tallies that contradict each
        other (done > assigned, on time or exceeded > done …) — the one check for every path.
    product_result(completed=, on_time=, quality=, excused=) / axis_results(pairs): what work
        products achieve per result axis; with_axis_roles(spec, roles): the framework as it
        scores a person who marked their own primary axes [002 II.1.5] (rules/axes.py).
    describe_cap(cap, values) / CompiledFramework.describe_cap(cap): a condition in words
        (Vietnamese name, level allowed, reason with the framework's values) for pages.
"""

from .axes import axis_results, axis_role_problems, product_result, role_of, with_axis_roles
from .ballots import (
    BallotLevel,
    BallotOutcome,
    BallotStep,
    BallotTally,
    SubjectVotes,
    ballot_level,
    count_ballots,
    full_meeting_votes,
    validate_ballots,
)
from .compiled import CapDescription, CompiledFramework, cap_values, compile_framework, describe_cap
from .conditions import (
    DEPENDENCIES,
    NO_FACTS,
    Facts,
    QuarterSummary,
    fact_problems,
    summarise_quarters,
)
from .defaults import (
    CONDITION_NAMES,
    DEFAULT_SHORT_SHARE_MAX,
    DEFAULT_TOTAL_POINTS,
    condition_codes,
    condition_name,
    default_caps,
    default_exceeded_share,
    default_quota,
    default_thresholds,
    framework_spec,
    sample_framework,
    template_from_words,
    words_from_template,
)
from .eligibility import (
    Eligibility,
    EligibilityOutcome,
    collective_eligibility,
    committee_eligibility,
    discipline_counts_for,
    leader_quarter_eligibility,
    leader_year_eligibility,
    member_eligibility,
    organisation_eligibility,
    quarter_bounds,
    subject_eligibility,
)
from .framework import (
    GROUP,
    ROUNDINGS,
    SETTING_LABELS,
    SETTINGS_FIELDS,
    CapRow,
    ConditionCap,
    CriterionRow,
    CriterionSpec,
    FrameworkSettings,
    FrameworkSpec,
    GroupSpec,
    QuotaSettings,
    Thresholds,
)
from .levels import (
    AxisRole,
    BaseOrgKind,
    CriterionLevel,
    Discipline,
    Level,
    ResultAxis,
    ScoringKind,
    SubjectType,
)
from .order import DEPENDS_ON, bottom_up, rating_stages
from .quota import (
    PushedDown,
    QuotaArithmetic,
    QuotaCandidate,
    QuotaOutcome,
    QuotaPlace,
    TieGroup,
    apply_quota,
    describe_quota,
    excellent_quota,
    quota_arithmetic,
)
from .rating import (
    AppliedCap,
    CriterionResult,
    CriterionWorking,
    RatingResult,
    RatingWorkings,
    SubjectInput,
    partial_total,
    rate,
    rate_many,
    score_subject,
)
from .reasons import Flag, FrameworkError, Hold, RatingInputError, Reason
from .scoring import (
    CriterionEntry,
    band,
    criterion_level,
    level_from_score,
    score_qualitative,
    score_quantitative,
)
from .validation import (
    build_framework,
    cap_row_problems,
    framework_problems,
    quota_settings,
    settings_problems,
    validate_framework,
)

__all__ = [
    "CONDITION_NAMES",
    "DEFAULT_SHORT_SHARE_MAX",
    "DEFAULT_TOTAL_POINTS",
    "DEPENDENCIES",
    "DEPENDS_ON",
    "GROUP",
    "NO_FACTS",
    "ROUNDINGS",
    "SETTINGS_FIELDS",
    "SETTING_LABELS",
    "AppliedCap",
    "AxisRole",
    "BallotLevel",
    "BallotOutcome",
    "BallotStep",
    "BallotTally",
    "BaseOrgKind",
    "CapDescription",
    "CapRow",
    "CompiledFramework",
    "ConditionCap",
    "CriterionEntry",
    "CriterionLevel",
    "CriterionResult",
    "CriterionRow",
    "CriterionSpec",
    "CriterionWorking",
    "Discipline",
    "Eligibility",
    "EligibilityOutcome",
    "Facts",
    "Flag",
    "FrameworkError",
    "FrameworkSettings",
    "FrameworkSpec",
    "GroupSpec",
    "Hold",
    "Level",
    "PushedDown",
    "QuarterSummary",
    "QuotaArithmetic",
    "QuotaCandidate",
    "QuotaOutcome",
    "QuotaPlace",
    "QuotaSettings",
    "RatingInputError",
    "RatingResult",
    "RatingWorkings",
    "Reason",
    "ResultAxis",
    "ScoringKind",
    "SubjectInput",
    "SubjectType",
    "SubjectVotes",
    "Thresholds",
    "TieGroup",
    "apply_quota",
    "axis_results",
    "axis_role_problems",
    "ballot_level",
    "band",
    "bottom_up",
    "build_framework",
    "cap_row_problems",
    "cap_values",
    "collective_eligibility",
    "committee_eligibility",
    "compile_framework",
    "condition_codes",
    "condition_name",
    "count_ballots",
    "criterion_level",
    "default_caps",
    "default_exceeded_share",
    "default_quota",
    "default_thresholds",
    "describe_cap",
    "describe_quota",
    "discipline_counts_for",
    "excellent_quota",
    "fact_problems",
    "framework_problems",
    "framework_spec",
    "full_meeting_votes",
    "leader_quarter_eligibility",
    "leader_year_eligibility",
    "level_from_score",
    "member_eligibility",
    "organisation_eligibility",
    "partial_total",
    "product_result",
    "quarter_bounds",
    "quota_arithmetic",
    "quota_settings",
    "rate",
    "rate_many",
    "rating_stages",
    "role_of",
    "sample_framework",
    "score_qualitative",
    "score_quantitative",
    "score_subject",
    "settings_problems",
    "subject_eligibility",
    "summarise_quarters",
    "template_from_words",
    "validate_ballots",
    "validate_framework",
    "with_axis_roles",
    "words_from_template",
]
