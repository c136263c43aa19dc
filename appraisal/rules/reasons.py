"""What the engine says about a decision: reasons, flags, holds, and the errors it raises.

A `Reason` explains a level (the score's, or a cap that lowered it), a `Flag` is something the
committee must look at without changing the level, a `Hold` says what a subject waits for before
it can be rated. Each carries Vietnamese text and the source it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass

from .levels import Level


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a subject's level is what it is: the condition, the level allowed, the text, the source."""

    code: str
    cap: Level
    text: str
    source: str

    def __str__(self) -> str:
        return f"{self.cap.label}: {self.text} {self.source}"


@dataclass(frozen=True, slots=True)
class Note:
    """A sentence the engine says about a subject besides its level: a code, the text, the source."""

    code: str
    text: str
    source: str

    def __str__(self) -> str:
        return f"{self.text} {self.source}"


@dataclass(frozen=True, slots=True)
class Flag(Note):
    """Something the committee must look at; it does not change the level by itself."""


@dataclass(frozen=True, slots=True)
class Hold(Note):
    """A rule that needs another subject's level, not known yet: the subject waits for it [DOMAIN §6 Order]."""


class MessagesError(ValueError):
    """An error that lists every problem: `messages` are Vietnamese, one per problem, each naming where."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class RatingInputError(MessagesError):
    """Invalid scores or ballots."""


class FrameworkError(MessagesError):
    """A framework that cannot be used."""
