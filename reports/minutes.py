"""The tally minutes (biên bản kiểm phiếu) of a cell's meetings in a year [003 C.IV.11]: every
meeting recorded, each with its place, its counting team by name and one row per subject (the
votes for each level and the level reached), without the engine's workings in the rows."""
from __future__ import annotations

import re
from dataclasses import dataclass

from appraisal.models import BallotLine, Meeting, PeriodKind
from appraisal.selectors import subject_name
from orgs.models import PartyOrganization

from .letterhead import dateline

_HEAD_MARK = re.compile(r"\s*\((?:tổ trưởng|trưởng tổ)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TallyRow:
    name: str
    excellent: int
    good: int
    passing: int
    failing: int
    reached_level: str


@dataclass(frozen=True)
class Minutes:
    """One meeting's tally as the minutes print it."""

    meeting: Meeting
    rows: tuple[TallyRow, ...]
    team_head: str
    team_members: tuple[str, ...]
    dateline: str

    @property
    def team(self) -> tuple[str, ...]:
        return ((self.team_head,) if self.team_head else ()) + self.team_members


def counting_team(text: str) -> tuple[str, tuple[str, ...]]:
    """The team's head and its other members from what was typed ("A (Tổ trưởng), B, C" or one a line).

    The head is the one marked "(Tổ trưởng)", else the first named.
    """
    names = [n.strip(" .;-") for n in re.split(r"[,;\n]", text or "")]
    names = [n for n in names if n]
    head = next((n for n in names if _HEAD_MARK.search(n)), names[0] if names else "")
    others = tuple(n for n in names if n != head)
    return _HEAD_MARK.sub("", head).strip(), others


def cell_meetings(cell: PartyOrganization, year: int) -> list[Meeting]:
    """The cell's meetings on the ratings of a year, in the order they were held, a voided one left
    out (one query)."""
    return list(Meeting.objects.filter(organization=cell, period__kind=PeriodKind.YEAR, period__year=year,
                                       voided_at__isnull=True)
                .select_related("period").order_by("held_on", "pk"))


def tally_minutes(meetings: list[Meeting], place: str) -> list[Minutes]:
    """The minutes of these meetings, dated at `place`, their rows in the order recorded (one query for all the rows)."""
    lines = (BallotLine.objects.filter(meeting__in=meetings)
             .select_related("rating__member", "rating__leader_position__member", "rating__organization", "rating__unit")
             .order_by("meeting_id", "pk"))
    rows: dict[int, list[TallyRow]] = {}
    for line in lines:
        rows.setdefault(line.meeting_id, []).append(TallyRow(
            name=subject_name(line.rating), excellent=line.excellent, good=line.good, passing=line.passing,
            failing=line.fail, reached_level=line.reached_level,
        ))
    out = []
    for meeting in meetings:
        head, others = counting_team(meeting.counting_team)
        out.append(Minutes(meeting, tuple(rows.get(meeting.pk, ())), head, others, dateline(place, meeting.held_on)))
    return out
