"""The secretary's grid: all the members of a cell against the framework's criteria [issue 8].

Builds what the page (and its XLSX twin) shows — one row per member with what is stored, or what
was just typed and why it is wrong — and reads a posted grid back into the services' inputs.
Checking a value is `appraisal.scores`' job and deciding a level the engine's: nothing here
repeats either.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from core.scope import Scope

from . import authority
from .inputs import FrameworkData, frameworks
from .models import CriterionKind, LevelCode, Rating
from .rules._text import fmt_number
from .scores import stored_value
from .selectors import scores_of
from .services.ratings import TASK_FIELDS, ScoreInput

GRID_TASKS = ("tasks_assigned", "tasks_done", "tasks_exceeded")
TASK_SHORT = {"tasks_assigned": "Giao", "tasks_done": "Hoàn thành", "tasks_exceeded": "Vượt mức"}


@dataclass
class Column:
    code: str
    title: str
    max_text: str
    qualitative: bool
    key: bool


@dataclass
class Cell:
    code: str
    value: str
    error: str = ""
    qualitative: bool = False


LEVEL_LABELS = dict(LevelCode.choices)


@dataclass
class Summary:
    """A row's result column: the total, the level the engine allows, and why — stored, or
    (`live`) for what is being typed and not saved yet."""

    pk: int
    total: str
    level: str
    score_level: str
    held: bool
    reasons: list
    errors: list
    live: bool = False

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")

    @classmethod
    def of_rating(cls, rating: Rating, errors=()) -> Summary:
        total = fmt_number(rating.total_score) if rating.total_score is not None else ""
        return cls(rating.pk, total, rating.condition_level, rating.score_level, rating.held,
                   rating.reasons or [], list(errors))

    @classmethod
    def of_outcome(cls, pk: int, outcome, errors=()) -> Summary:
        if outcome is None:
            return cls(pk, "", "", "", False, [], list(errors), live=True)
        total = fmt_number(outcome.total) if outcome.total is not None else ""
        return cls(pk, total, outcome.condition_level, outcome.score_level, outcome.held, outcome.reasons,
                   list(errors), live=True)


@dataclass
class Row:
    rating: Rating
    editable: bool
    version: int
    cells: list[Cell]
    tasks: list[Cell]
    outstanding: bool
    errors: list[str] = field(default_factory=list)
    row_url: str = ""

    @property
    def pk(self) -> int:
        return self.rating.pk

    @property
    def summary(self) -> Summary:
        return Summary.of_rating(self.rating, self.errors)


@dataclass
class Section:
    """The members scored with one framework (a cell normally has one)."""

    framework: object
    columns: list[Column]
    rows: list[Row]


def columns_of(data: FrameworkData) -> list[Column]:
    titles = {c.code: c for c in data.compiled.criteria}
    return [
        Column(c.code, titles[c.code].title, fmt_number(c.max_points), c.kind == CriterionKind.QUALITATIVE,
               titles[c.code].key)
        for c in data.leaves
    ]


def field_name(rating_pk: int, code: str) -> str:
    return f"v-{rating_pk}-{code}"


def build(scope: Scope, period, cell, ratings: list[Rating], posted=None, errors=None) -> list[Section]:
    """The grid's sections: stored values, or (`posted`) what was typed with its `errors`."""
    fws = frameworks({r.framework_id for r in ratings})
    scores = scores_of(ratings)
    errors = errors or {}
    sections: dict[int, Section] = {}
    for rating in ratings:
        data = fws[rating.framework_id]
        section = sections.get(rating.framework_id)
        if section is None:
            section = sections[rating.framework_id] = Section(rating.framework, columns_of(data), [])
        codes = {pk: code for pk, code in data.codes.items()}
        stored = {codes[cid]: s for cid, s in scores.get(rating.pk, {}).items() if cid in codes}
        editable = authority.may_score(scope, rating) or authority.may_self_assess(scope, rating)
        cells = []
        for column in section.columns:
            name = field_name(rating.pk, column.code)
            if posted is not None and name in posted:
                value = posted.get(name, "")
            else:
                s = stored.get(column.code)
                value = stored_value(s.points, s.quality, s.achieved, s.plan).text() if s else ""
            cells.append(Cell(column.code, value, errors.get((rating.pk, column.code), ""), column.qualitative))
        tasks = []
        for name in GRID_TASKS:
            key = f"t-{rating.pk}-{name}"
            if posted is not None and key in posted:
                value = posted.get(key, "")
            else:
                value = "" if getattr(rating, name) is None else str(getattr(rating, name))
            tasks.append(Cell(name, value, errors.get((rating.pk, name), "")))
        if posted is not None and f"row-{rating.pk}" in posted:
            outstanding = posted.get(f"o-{rating.pk}") == "1"
            version = _int(posted.get(f"ver-{rating.pk}"), rating.version)
        else:
            outstanding = bool((rating.facts or {}).get("outstanding"))
            version = rating.version
        row_errors = [message for (pk, _), message in errors.items() if pk == rating.pk]
        section.rows.append(Row(
            rating, editable, version, cells, tasks, outstanding, row_errors,
            reverse("appraisal:grid_row", args=[period.pk, cell.pk, rating.pk]),
        ))
    return list(sections.values())


def _int(raw, default: int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def read_row(rating: Rating, data, columns: list[Column]) -> ScoreInput:
    """One row of a posted grid as the scoring service's input."""
    values = {c.code: data.get(field_name(rating.pk, c.code), "") for c in columns}
    tasks = {name: data.get(f"t-{rating.pk}-{name}", "") for name in GRID_TASKS}
    facts = {"outstanding": data.get(f"o-{rating.pk}") == "1"}
    return ScoreInput(rating, _int(data.get(f"ver-{rating.pk}"), -1), values, tasks, facts)


def read(scope: Scope, sections: list[Section], data) -> list[ScoreInput]:
    """The editable rows of a posted grid (rows the form did not carry are left alone)."""
    items = []
    for section in sections:
        for row in section.rows:
            if row.editable and f"row-{row.pk}" in data:
                items.append(read_row(row.rating, data, section.columns))
    return items


TASK_LABELS = {name: TASK_FIELDS[name] for name in GRID_TASKS}
