"""Who is rated this period: not rated but counted, still to be reviewed, deferred, special cases.

[003 B.I.2, C.III.1, C.IV.1–8; 004 II.2; 002 §2.1, §8.1; 000 §4.1]

The one place that decides who is rated, for every subject type (`subject_eligibility`
dispatches): opening a period calls it for each subject and stores the outcome and its reasons.

Everything here is a pure function of dates and flags. "Chưa đủ N tháng" is calendar
months: admitted on 16/6 is 6 months on 16/12. A total over several spells ("nghỉ ốm với
tổng thời gian ... từ 03 tháng trở lên") counts days inside the period and compares them
with the shortest run of N calendar months that fits in it (61 days for two months of Q2).
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from vnformat import fmt_date

from .calendar import add_months
from .levels import SubjectType
from .reasons import Flag

Period = tuple[date, date]
ONE_DAY = timedelta(days=1)
_DEFER = "chưa đánh giá, xếp loại quý này; kết quả được xem xét sang quý sau"
_SOURCE_DEFER = "[002 §8.1d]"


class Eligibility(enum.Enum):
    """What happens to a subject this period."""

    RATED = "rated"
    NOT_RATED = "not_rated"
    PENDING = "pending"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return _ELIGIBILITY_LABELS[self]


_ELIGIBILITY_LABELS = {
    Eligibility.RATED: "Đánh giá, xếp loại",
    Eligibility.NOT_RATED: "Không đánh giá, xếp loại",
    Eligibility.PENDING: "Chưa kiểm điểm, chưa đánh giá",
    Eligibility.DEFERRED: "Chuyển xem xét sang quý sau",
}


@dataclass(frozen=True, slots=True)
class EligibilityOutcome:
    """The status, why it is not RATED (`reasons`), and what the raters must gather or weigh (`notes`)."""

    status: Eligibility
    reasons: tuple[Flag, ...] = ()
    notes: tuple[Flag, ...] = ()

    @property
    def rated(self) -> bool:
        return self.status is Eligibility.RATED


def quarter_bounds(year: int, quarter: int) -> Period:
    """Return the first and last day of a quarter (1–4)."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"Quý {quarter} không hợp lệ (1–4).")
    first = date(year, 3 * quarter - 2, 1)
    return first, add_months(first, 3) - ONE_DAY


def months_reached(since: date, until: date, months: int) -> bool:
    """Return whether `months` calendar months have passed from `since` to `until` (16/6 → 16/12 is 6)."""
    return add_months(since, months) <= until


def covered_days(periods: Iterable[Period], start: date, end: date) -> int:
    """Count the days of `start`–`end` covered by the periods (inclusive; overlaps counted once)."""
    clipped = sorted((max(s, start), min(e, end)) for s, e in periods if s <= end and e >= start and s <= e)
    days, reach = 0, start - ONE_DAY
    for s, e in clipped:
        s = max(s, reach + ONE_DAY)
        if e >= s:
            days += (e - s).days + 1
            reach = e
    return days


def total_reaches_months(periods: Iterable[Period], start: date, end: date, months: int) -> bool:
    """Return whether the spells add up to `months` months within `start`–`end` (see the module docstring)."""
    shortest = None
    first = date(start.year, start.month, 1)
    if first < start:
        first = add_months(first, 1)
    while add_months(first, months) - ONE_DAY <= end:
        length = (add_months(first, months) - first).days
        shortest = length if shortest is None else min(shortest, length)
        first = add_months(first, 1)
    return shortest is not None and covered_days(periods, start, end) >= shortest


def member_eligibility(
    *,
    evaluated_on: date,
    admitted_on: date | None = None,
    exempt: bool = False,
    suspended: bool = False,
    reviewed: bool = True,
    temporary_activity: bool = False,
    previous_org_period: Period | None = None,
    sick_leave_periods: Sequence[Period] = (),
    maternity_leave: bool = False,
    committee_suspended: bool = False,
) -> EligibilityOutcome:
    """Return whether a party member is rated this year, and the special cases to weigh [003 B.I.2, C.IV.2–6].

    Not rated but counted: exempt from work and party activities, suspended, admitted less
    than 6 months before the evaluation date. Pending: not yet reviewed. The rest are rated;
    notes say whose opinion to gather (temporary cell, previous organisation when the
    member spent 6 months or more of the year there) or how to read the year (long leave).
    """
    reasons = _party_status_reasons(exempt, suspended)
    if admitted_on is not None and not months_reached(admitted_on, evaluated_on, 6):
        reasons.append(Flag(
            "admitted_recently",
            f"Đảng viên mới kết nạp ngày {fmt_date(admitted_on)}, đến ngày {fmt_date(evaluated_on)} "
            "chưa đủ 6 tháng: không đánh giá, xếp loại",
            "[003 B.I.2]",
        ))
    if reasons:
        return EligibilityOutcome(Eligibility.NOT_RATED, tuple(reasons))
    notes = _member_notes(
        evaluated_on, temporary_activity, previous_org_period, sick_leave_periods, maternity_leave, committee_suspended
    )
    if not reviewed:
        pending = Flag(
            "not_reviewed",
            "Đảng viên chưa kiểm điểm: phải kiểm điểm xong mới được đánh giá, xếp loại; "
            "tổ chức đánh giá, xếp loại trong thời gian sớm nhất.",
            "[003 C.IV.2]",
        )
        return EligibilityOutcome(Eligibility.PENDING, (pending,), notes)
    return EligibilityOutcome(Eligibility.RATED, (), notes)


def _party_status_reasons(exempt: bool, suspended: bool) -> list[Flag]:
    """Exempt from work and party activities, or suspended: counted, not rated [003 B.I.2; 004 II.2]."""
    reasons = []
    if exempt:
        reasons.append(Flag("exempt", "Đảng viên được miễn công tác và sinh hoạt đảng: không đánh giá, xếp loại.", "[003 B.I.2]"))
    if suspended:
        reasons.append(Flag("suspended", "Đảng viên bị đình chỉ sinh hoạt đảng: không đánh giá, xếp loại.", "[003 B.I.2]"))
    return reasons


def _member_notes(
    evaluated_on: date,
    temporary_activity: bool,
    previous_org_period: Period | None,
    sick_leave_periods: Sequence[Period],
    maternity_leave: bool,
    committee_suspended: bool,
) -> tuple[Flag, ...]:
    year_start, year_end = date(evaluated_on.year, 1, 1), date(evaluated_on.year, 12, 31)
    notes = []
    if temporary_activity:
        notes.append(Flag(
            "temporary_activity",
            "Đảng viên đang sinh hoạt đảng tạm thời: đánh giá, xếp loại ở nơi sinh hoạt chính thức, "
            "sau khi lấy ý kiến nhận xét của chi bộ nơi sinh hoạt tạm thời.",
            "[003 C.IV.4]",
        ))
    if previous_org_period is not None:
        start, end = max(previous_org_period[0], year_start), min(previous_org_period[1], year_end)
        if start <= end and months_reached(start, end + ONE_DAY, 6):
            notes.append(Flag(
                "previous_org_opinion",
                "Đảng viên chuyển đến, đã sinh hoạt ở tổ chức đảng trước đây từ 6 tháng trở lên trong năm: "
                "lấy ý kiến nhận xét của tổ chức đảng trước đây làm căn cứ đánh giá, xếp loại.",
                "[003 C.IV.5]",
            ))
    # No sick leave reaches no months: the calendar walk is skipped (a province asks 16 000 times).
    if maternity_leave or (sick_leave_periods and total_reaches_months(sick_leave_periods, year_start, year_end, 3)):
        notes.append(Flag(
            "long_leave",
            "Đảng viên nghỉ ốm từ 03 tháng trở lên trong năm hoặc nghỉ thai sản: xếp loại căn cứ vào "
            "kết quả làm việc thực tế trong năm.",
            "[003 C.IV.3]",
        ))
    if committee_suspended:
        notes.append(Flag(
            "committee_suspended",
            "Cấp ủy viên bị đình chỉ sinh hoạt cấp ủy: kiểm điểm trách nhiệm trong thời gian trước khi "
            "bị đình chỉ, tại chi bộ nơi đang sinh hoạt.",
            "[003 C.IV.6]",
        ))
    return tuple(notes)


def organisation_eligibility(
    *, evaluated_on: date, formed_on: date | None = None, transferred_in_year: bool = False
) -> EligibilityOutcome:
    """Return whether a party organisation is rated: not if established, split or merged < 6 months ago [003 C.IV.1].

    `formed_on` is the date of the latest establishment, split or merger. An organisation
    transferred in during the year is rated where it now belongs, on the opinion of the
    superior committee that handed it over.
    """
    if _recently_formed(formed_on, evaluated_on):
        reason = _recently_formed_flag(
            "recently_formed", formed_on, evaluated_on, ": không đánh giá, xếp loại.", "[003 C.IV.1]"
        )
        return EligibilityOutcome(Eligibility.NOT_RATED, (reason,))
    notes = ()
    if transferred_in_year:
        notes = (Flag(
            "transferred_org_opinion",
            "Tổ chức đảng mới được chuyển giao, tiếp nhận trong năm: lấy ý kiến nhận xét của cấp ủy cấp "
            "trên trực tiếp nơi chuyển giao làm cơ sở đánh giá, xếp loại.",
            "[003 C.IV.1]",
        ),)
    return EligibilityOutcome(Eligibility.RATED, (), notes)


def _recently_formed(formed_on: date | None, evaluated_on: date) -> bool:
    """Whether an organisation was established, split or merged less than 6 months before the evaluation [003 C.IV.1]."""
    return formed_on is not None and not months_reached(formed_on, evaluated_on, 6)


def _recently_formed_flag(code: str, formed_on: date, evaluated_on: date, consequence: str, source: str) -> Flag:
    """Word why a recently formed organisation (or its committee) is not rated [003 C.IV.1]."""
    return Flag(
        code,
        f"Tổ chức đảng mới thành lập, chia tách hoặc sáp nhập ngày {fmt_date(formed_on)}, đến ngày "
        f"{fmt_date(evaluated_on)} chưa đủ 6 tháng{consequence}",
        source,
    )


def leader_quarter_eligibility(
    *,
    year: int,
    quarter: int,
    as_of: date | None = None,
    yearly_only: bool = False,
    training_periods: Sequence[Period] = (),
    leave_periods: Sequence[Period] = (),
    first_appointed_on: date | None = None,
    under_investigation: bool = False,
    promoted_on: date | None = None,
    moved_unit_on: date | None = None,
    restructured_on: date | None = None,
) -> EligibilityOutcome:
    """Return whether a leader is rated this quarter, deferred to the next, or rated yearly only [002 §2.1, §8.1].

    Deferred [002 §8.1d]: full-time training of 2 months or more in the quarter; first
    appointed to a leadership post less than 1 month before `as_of` (the evaluation date,
    by default the quarter's last day); sick or maternity leave of 2 months or more in the
    quarter; under investigation for signs of violation. Rated with a note [002 §8.1a–c]:
    promoted in the same unit or moved to another unit less than 2 months before `as_of`;
    moved by the restructuring of the apparatus during the quarter.
    """
    start, end = quarter_bounds(year, quarter)
    as_of = end if as_of is None else as_of
    if yearly_only:
        reason = Flag(
            "yearly_only",
            "Bí thư chi bộ thôn, chi bộ doanh nghiệp ngoài nhà nước, chi bộ hợp tác xã không bắt buộc "
            "đánh giá, xếp loại hằng quý; chỉ đánh giá, xếp loại hằng năm.",
            "[002 §2.1]",
        )
        return EligibilityOutcome(Eligibility.NOT_RATED, (reason,))
    reasons = []
    if total_reaches_months(training_periods, start, end, 2):
        reasons.append(Flag("training", f"Đào tạo, bồi dưỡng tập trung từ 02 tháng trở lên trong quý: {_DEFER}.", _SOURCE_DEFER))
    if first_appointed_on is not None and start <= first_appointed_on and not months_reached(first_appointed_on, as_of, 1):
        reasons.append(Flag(
            "first_appointed",
            f"Lần đầu được bổ nhiệm chức danh lãnh đạo, quản lý ngày {fmt_date(first_appointed_on)}, "
            f"chưa đủ 01 tháng trong quý: {_DEFER}.",
            _SOURCE_DEFER,
        ))
    if total_reaches_months(leave_periods, start, end, 2):
        reasons.append(Flag("leave", f"Nghỉ ốm hoặc nghỉ thai sản từ 02 tháng trở lên trong quý: {_DEFER}.", _SOURCE_DEFER))
    if under_investigation:
        reasons.append(Flag("under_investigation", f"Đang trong thời gian kiểm tra dấu hiệu vi phạm: {_DEFER}.", _SOURCE_DEFER))
    if reasons:
        return EligibilityOutcome(Eligibility.DEFERRED, tuple(reasons))
    return EligibilityOutcome(Eligibility.RATED, (), _position_notes(start, as_of, promoted_on, moved_unit_on, restructured_on))


def _position_notes(
    start: date, as_of: date, promoted_on: date | None, moved_unit_on: date | None, restructured_on: date | None
) -> tuple[Flag, ...]:
    notes = []
    if promoted_on is not None and promoted_on <= as_of and not months_reached(promoted_on, as_of, 2):
        notes.append(Flag(
            "promoted_in_unit",
            f"Được bổ nhiệm chức vụ cao hơn trong cùng cơ quan, đơn vị ngày {fmt_date(promoted_on)}, chưa đủ "
            "02 tháng: căn cứ kết quả thực hiện nhiệm vụ cả thời gian giữ chức vụ trước và sau khi bổ nhiệm.",
            "[002 §8.1a]",
        ))
    if moved_unit_on is not None and moved_unit_on <= as_of and not months_reached(moved_unit_on, as_of, 2):
        notes.append(Flag(
            "moved_unit",
            f"Được điều động, bổ nhiệm sang cơ quan, đơn vị mới ngày {fmt_date(moved_unit_on)}, chưa đủ 02 "
            "tháng: cơ quan, đơn vị cũ gửi nhận xét, đánh giá về nơi mới để xếp loại.",
            "[002 §8.1b]",
        ))
    if restructured_on is not None and start <= restructured_on <= as_of:
        notes.append(Flag(
            "restructured",
            f"Thay đổi vị trí công tác do sắp xếp tổ chức bộ máy ngày {fmt_date(restructured_on)}: đánh giá "
            "theo kết quả thực hiện nhiệm vụ từ sau khi sắp xếp.",
            "[002 §8.1c]",
        ))
    return tuple(notes)


def discipline_counts_for(
    violation_on: date, memberships: Iterable[tuple[Hashable, date, date | None]]
) -> Hashable | None:
    """Return the organisation a discipline counts against: where the member was when the violation occurred [003 C.IV.7–8].

    `memberships` are (organisation, from, to or None while current). A violation at the
    old organisation disciplined at the new one counts for the old one, not the new.
    """
    for org, since, until in memberships:
        if since <= violation_on and (until is None or violation_on <= until):
            return org
    return None


def leader_year_eligibility(*, evaluated_on: date, exempt: bool = False, suspended: bool = False) -> EligibilityOutcome:
    """Return whether a leader is rated for the year: every leader is, unless exempt or suspended from party activity [003 B.I.2; 004 II.2].

    A leader rated yearly only (bí thư chi bộ thôn …) is rated here all the same [002 §2.1].
    """
    reasons = _party_status_reasons(exempt, suspended)
    if reasons:
        return EligibilityOutcome(Eligibility.NOT_RATED, tuple(reasons))
    return EligibilityOutcome(Eligibility.RATED)


def committee_eligibility(
    *, evaluated_on: date, organisation_formed_on: date | None = None, must_review: bool = True
) -> EligibilityOutcome:
    """Return whether a committee (cấp ủy) is rated [003 C.III.1, C.IV.1].

    Rated when it must hold the review ("Tập thể lãnh đạo, quản lý nào phải kiểm điểm thì được
    tiến hành đánh giá"); not while its organisation, established, split or merged less than 6
    months ago, is itself not rated: a committee is never rated above its organisation.
    """
    if not must_review:
        return EligibilityOutcome(Eligibility.NOT_RATED, (_not_reviewing("Cấp ủy"),))
    if _recently_formed(organisation_formed_on, evaluated_on):
        reason = _recently_formed_flag(
            "organisation_recently_formed", organisation_formed_on, evaluated_on,
            " nên không xếp loại: cấp ủy không đánh giá, xếp loại.", "[003 C.IV.1, C.III.3.1]",
        )
        return EligibilityOutcome(Eligibility.NOT_RATED, (reason,))
    return EligibilityOutcome(Eligibility.RATED)


def collective_eligibility(*, evaluated_on: date, must_review: bool = True) -> EligibilityOutcome:
    """Return whether a leadership collective is rated: when it must hold the review [003 C.III.1; 004 II.1]."""
    if not must_review:
        return EligibilityOutcome(Eligibility.NOT_RATED, (_not_reviewing("Tập thể lãnh đạo, quản lý"),))
    return EligibilityOutcome(Eligibility.RATED)


def _not_reviewing(who: str) -> Flag:
    return Flag(
        "not_reviewing",
        f"{who} không thuộc diện phải kiểm điểm: không đánh giá, xếp loại.",
        "[003 C.III.1]",
    )


_BY_SUBJECT_TYPE = {
    SubjectType.MEMBER_YEARLY: member_eligibility,
    SubjectType.LEADER_QUARTERLY: leader_quarter_eligibility,
    SubjectType.LEADER_YEARLY: leader_year_eligibility,
    SubjectType.BASE_ORG_YEARLY: organisation_eligibility,
    SubjectType.COMMITTEE_YEARLY: committee_eligibility,
    SubjectType.COLLECTIVE_YEARLY: collective_eligibility,
}


def subject_eligibility(subject_type: SubjectType, **facts) -> EligibilityOutcome:
    """Return whether a subject of this type is rated, with the reasons: the function for its type, given its facts.

    MEMBER_YEARLY: `member_eligibility`; LEADER_QUARTERLY: `leader_quarter_eligibility`;
    LEADER_YEARLY: `leader_year_eligibility`; BASE_ORG_YEARLY: `organisation_eligibility`;
    COMMITTEE_YEARLY: `committee_eligibility`; COLLECTIVE_YEARLY: `collective_eligibility`.
    """
    return _BY_SUBJECT_TYPE[subject_type](**facts)
