"""Ballot counting: the level each subject reaches, then HTXSNV by votes within the quota.

[003 C.IV.11; 002 §5.3]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from ._text import SafeFormat
from .conditions import Reason
from .framework import QuotaSettings
from .levels import Level
from .quota import DEFAULT_QUOTA, QuotaCandidate, QuotaOutcome, apply_quota
from .scoring import RatingInputError

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
class BallotLevel:
    """The level a subject reached by votes, and why."""

    subject_id: Hashable
    level: Level
    reason: Reason


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


_STEPS = (
    (Level.EXCELLENT, "excellent", "{n}/{valid} phiếu hợp lệ cho mức Hoàn thành xuất sắc nhiệm vụ (trên 50%)"),
    (Level.GOOD, "good", "{n}/{valid} phiếu hợp lệ cho mức Hoàn thành tốt nhiệm vụ trở lên (trên 50%)"),
    (Level.PASS, "passing", "{n}/{valid} phiếu hợp lệ cho mức Hoàn thành nhiệm vụ trở lên (trên 50%)"),
)


def ballot_level(votes: SubjectVotes, valid: int) -> BallotLevel:
    """Return the highest level with > 50 % of valid ballots for it or above; higher votes cascade down [003 C.IV.11]."""
    cumulative = 0
    for level, attr, template in _STEPS:
        cumulative += getattr(votes, attr)
        if cumulative * 2 > valid:
            text = template.format_map(SafeFormat(n=cumulative, valid=valid))
            return BallotLevel(votes.subject_id, level, Reason("ballot", level, text, SOURCE))
    text = f"không mức nào từ Hoàn thành nhiệm vụ trở lên đạt trên 50% của {valid} phiếu hợp lệ"
    return BallotLevel(votes.subject_id, Level.FAIL, Reason("ballot", Level.FAIL, text, SOURCE))


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
    return BallotOutcome(reached, apply_quota(candidates, settings))
