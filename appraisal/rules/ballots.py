"""Ballot counting: the level each subject reaches, then HTXSNV by votes within the quota.

[003 C.IV.11; 002 §5.3]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from vnformat import fmt_ratio

from .framework import QuotaSettings
from .levels import Level
from .quota import DEFAULT_QUOTA, QuotaCandidate, QuotaOutcome, apply_quota
from .reasons import RatingInputError, Reason

SOURCE = "[003 C.IV.11]"
# "đối với đơn vị có từ 03 lãnh đạo quản lý trở xuống họp toàn thể cơ quan để bỏ phiếu" [002 §5.3]
FULL_MEETING_MAX_LEADERS = 3


@dataclass(frozen=True, slots=True)
class BallotTally:
    """The counting team's totals (biên bản kiểm phiếu)."""

    issued: int
    collected: int
    valid: int
    invalid: int


@dataclass(frozen=True, slots=True)
class SubjectVotes:
    """Votes for each level on one subject's line of the valid ballots."""

    subject_id: Hashable
    excellent: int = 0
    good: int = 0
    passing: int = 0
    fail: int = 0

    @property
    def total(self) -> int:
        return self.excellent + self.good + self.passing + self.fail


@dataclass(frozen=True, slots=True)
class BallotStep:
    """One step of the count: the votes for a level, those carried down from above, and whether > 50 % [003 C.IV.11]."""

    level: Level
    own: int
    carried: int
    cumulative: int
    valid: int
    reached: bool

    @property
    def share(self) -> str:
        """The cumulative votes as a share of the valid ballots ("60%")."""
        return fmt_ratio(self.cumulative, self.valid)

    @property
    def text(self) -> str:
        """ "6/10 phiếu hợp lệ (60%) cho mức Hoàn thành xuất sắc nhiệm vụ trở lên: trên 50%"."""
        verdict = "trên 50%" if self.reached else "không quá 50%, chuyển xuống mức dưới"
        above = "" if self.level is Level.EXCELLENT else " trở lên"
        return f"{self.cumulative}/{self.valid} phiếu hợp lệ ({self.share}) cho mức {self.level.label}{above}: {verdict}"


@dataclass(frozen=True, slots=True)
class BallotLevel:
    """The level a subject reached by votes, why, and the steps of the count."""

    subject_id: Hashable
    level: Level
    reason: Reason
    steps: tuple[BallotStep, ...] = ()


@dataclass(frozen=True, slots=True)
class BallotOutcome:
    """Levels reached by votes, then the quota over those at HTXSNV (ties reported)."""

    reached: tuple[BallotLevel, ...]
    quota: QuotaOutcome

    def final_level(self, subject_id: Hashable) -> Level | None:
        """Return the level after the quota, or None while a tie is undecided."""
        for item in self.reached:
            if item.subject_id == subject_id:
                return self.quota.level_of(subject_id, item.level)
        raise KeyError(subject_id)


def validate_ballots(tally: BallotTally, votes: Sequence[SubjectVotes]) -> list[str]:
    """Check the tally adds up and no subject has more votes than valid ballots; Vietnamese errors [003 C.IV.11]."""
    errors = []
    for name, value in (
        ("phát ra", tally.issued),
        ("thu về", tally.collected),
        ("hợp lệ", tally.valid),
        ("không hợp lệ", tally.invalid),
    ):
        if value < 0:
            errors.append(f"Số phiếu {name} không được âm ({value}).")
    if tally.valid + tally.invalid != tally.collected:
        errors.append(
            f"Số phiếu hợp lệ ({tally.valid}) cộng phiếu không hợp lệ ({tally.invalid}) "
            f"phải bằng số phiếu thu về ({tally.collected})."
        )
    if tally.collected > tally.issued:
        errors.append(f"Số phiếu thu về ({tally.collected}) vượt số phiếu phát ra ({tally.issued}).")
    seen = set()
    for v in votes:
        if v.subject_id in seen:
            errors.append(f"Đối tượng «{v.subject_id}» có hai dòng kết quả kiểm phiếu.")
        seen.add(v.subject_id)
        if min(v.excellent, v.good, v.passing, v.fail) < 0:
            errors.append(f"Đối tượng «{v.subject_id}»: số phiếu không được âm.")
        if v.total > tally.valid:
            errors.append(
                f"Đối tượng «{v.subject_id}»: tổng số phiếu ({v.total}) vượt số phiếu hợp lệ ({tally.valid})."
            )
    return errors


def full_meeting_votes(leaders: int) -> bool:
    """Return whether a unit's leaders are voted on by the whole staff: 3 leaders or fewer [002 §5.3]."""
    return leaders <= FULL_MEETING_MAX_LEADERS


_STEPS = ((Level.EXCELLENT, "excellent"), (Level.GOOD, "good"), (Level.PASS, "passing"))


def ballot_level(votes: SubjectVotes, valid: int) -> BallotLevel:
    """Return the highest level with > 50 % of valid ballots for it or above; higher votes cascade down [003 C.IV.11].

    Exactly 50 % is not "trên 50%": the level is not reached and its votes count toward the
    next level down. The steps of the count come with the result.
    """
    steps, carried = [], 0
    for level, attr in _STEPS:
        own = getattr(votes, attr)
        cumulative = carried + own
        reached = cumulative * 2 > valid
        steps.append(BallotStep(level, own, carried, cumulative, valid, reached))
        if reached:
            reason = Reason("ballot", level, steps[-1].text, SOURCE)
            return BallotLevel(votes.subject_id, level, reason, tuple(steps))
        carried = cumulative
    text = f"không mức nào từ Hoàn thành nhiệm vụ trở lên đạt trên 50% của {valid} phiếu hợp lệ"
    return BallotLevel(votes.subject_id, Level.FAIL, Reason("ballot", Level.FAIL, text, SOURCE), tuple(steps))


def count_ballots(
    tally: BallotTally, votes: Sequence[SubjectVotes], settings: QuotaSettings = DEFAULT_QUOTA
) -> BallotOutcome:
    """Give each subject its voted level, then choose HTXSNV by most votes down to the quota [003 C.IV.11]."""
    errors = validate_ballots(tally, votes)
    if errors:
        raise RatingInputError(errors)
    reached = tuple(ballot_level(v, tally.valid) for v in votes)
    excellent_votes = {v.subject_id: v.excellent for v in votes}
    candidates = [
        QuotaCandidate(r.subject_id, r.level, votes=excellent_votes[r.subject_id]) for r in reached
    ]
    return BallotOutcome(reached, apply_quota(candidates, settings, by_votes=True))
