"""The secretary's grid: all the members of a cell against the framework's criteria [issue 8].

Builds what the page (and its XLSX twin) shows — one row per member with what is stored, or what
was just typed and why it is wrong — and reads a posted grid back into the services' inputs.
Checking a value is `appraisal.scoring.values`' job and deciding a level the engine's: nothing here
repeats either.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from appraisal import authority
from appraisal.models import CriterionKind, CriterionScore, LevelCode, Rating, RatingStatus
from appraisal.scoring.loader import FrameworkData, frameworks
from appraisal.scoring.services import TASK_FIELDS, ScoreInput
from appraisal.scoring.values import stored_value
from core.scope import Scope
from vnformat import fmt_number

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
STATUS_LABELS = {value: escape(label) for value, label in RatingStatus.choices}


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
    sent: bool = False  # sent back unsaved after a refused save: still to be sent on the next one

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

    @property
    def rows_html(self) -> SafeString:
        return rows_html(self)


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
    stored = stored_texts(ratings, fws)
    errors = errors or {}
    sections: dict[int, Section] = {}
    # One reverse() for all rows: the row URL differs only by the rating's id.
    row_url = reverse("appraisal:grid_row", args=[period.pk, cell.pk, 0])[: -len("0/")] + "{}/"
    for rating in ratings:
        section = sections.get(rating.framework_id)
        if section is None:
            section = sections[rating.framework_id] = Section(rating.framework, columns_of(fws[rating.framework_id]), [])
        texts = stored.get(rating.pk, {})
        editable = authority.may_edit_scores(scope, rating)
        cells = []
        for column in section.columns:
            name = field_name(rating.pk, column.code)
            value = posted.get(name, "") if posted is not None and name in posted else texts.get(column.code, "")
            cells.append(Cell(column.code, value, errors.get((rating.pk, column.code), ""), column.qualitative))
        tasks = []
        for name in GRID_TASKS:
            key = f"t-{rating.pk}-{name}"
            if posted is not None and key in posted:
                value = posted.get(key, "")
            else:
                value = "" if getattr(rating, name) is None else str(getattr(rating, name))
            tasks.append(Cell(name, value, errors.get((rating.pk, name), "")))
        sent = posted is not None and f"row-{rating.pk}" in posted
        if sent:
            outstanding = posted.get(f"o-{rating.pk}") == "1"
            version = _int(posted.get(f"ver-{rating.pk}"), rating.version)
        else:
            outstanding = bool((rating.facts or {}).get("outstanding"))
            version = rating.version
        row_errors = [message for (pk, _), message in errors.items() if pk == rating.pk]
        section.rows.append(Row(rating, editable, version, cells, tasks, outstanding, row_errors, row_url.format(rating.pk),
                                sent))
    return list(sections.values())


def stored_texts(ratings: list[Rating], fws) -> dict[int, dict[str, str]]:
    """What each rating's stored scores show in the grid, by criterion code: one query, no models."""
    codes = {}
    for data in fws.values():
        codes.update(data.codes)
    found: dict[int, dict[str, str]] = {}
    rows = CriterionScore.objects.filter(rating__in=[r.pk for r in ratings]).values_list(
        "rating_id", "criterion_id", "points", "quality", "achieved", "plan"
    )
    for rating_id, criterion_id, points, quality, achieved, plan in rows:
        code = codes.get(criterion_id)
        if code is not None:
            found.setdefault(rating_id, {})[code] = stored_value(points, quality, achieved, plan).text()
    return found


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


def read(scope: Scope, ratings: list[Rating], data) -> list[ScoreInput]:
    """The rows of a posted grid the account may change (rows the form did not carry are left alone)."""
    fws = frameworks({r.framework_id for r in ratings})
    columns = {pk: columns_of(data_) for pk, data_ in fws.items()}
    items = []
    for rating in ratings:
        if f"row-{rating.pk}" not in data:
            continue
        # A row locked since the page was loaded (decided, proposed) goes on: the save refuses it, saying why.
        if authority.may_edit_scores(scope, rating) or not rating.is_editable:
            items.append(read_row(rating, data, columns[rating.framework_id]))
    return items


TASK_LABELS = {name: TASK_FIELDS[name] for name in GRID_TASKS}


# ------------------------------------------------------------------------------ rendering
# The grid is 60 rows × 20-odd inputs: built here as strings (every value escaped), about ten
# times faster than the template language for 1,500 inputs. The template lays out the page
# around it; the result cell is built by `summary_html` for the page and for htmx alike.

def summary_html(s: Summary) -> SafeString:
    """The result cell of a row: total, level (or "chờ"), the reasons folded; or what is wrong."""
    parts = [f'<td id="s-{s.pk}" class="sum{" has-problem" if s.errors else ""}" aria-live="polite">']
    if s.errors:
        parts.append('<ul class="errorlist">')
        parts.extend(f"<li>{escape(e)}</li>" for e in s.errors)
        parts.append("</ul>")
    else:
        if s.total:
            parts.append(f'<strong class="total">{escape(s.total)}</strong> điểm')
        if s.level:
            parts.append(f' · <span class="level level-{s.level}" title="{escape(s.level_label)}">{s.level}</span>')
        elif s.held:
            parts.append(' · <span class="level held">chờ</span>')
        if s.live:
            parts.append(' <span class="muted">(chưa lưu)</span>')
        parts.append('<details><summary>Lý do</summary><ul class="reasons">')
        for r in s.reasons:
            level = f"<b>{escape(r.get('level'))}</b>: " if r.get("level") else ""
            parts.append(f'<li>{level}{escape(r.get("text", ""))} <span class="muted">{escape(r.get("source", ""))}</span></li>')
        if not s.reasons:
            parts.append('<li class="muted">Chưa chấm điểm.</li>')
        parts.append("</ul></details>")
    parts.append("</td>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def rows_html(section: Section) -> SafeString:
    """The rows of a section: the member, an input per criterion and task, "nổi bật", the result."""
    out = []
    rating_url = reverse("appraisal:rating_detail", args=[0])[: -len("0/")] + "{}/"
    for row in section.rows:
        pk = row.pk
        name = escape(row.rating.member.full_name)
        if row.editable:
            changed = " data-changed" if row.sent else ""
            out.append(
                f'<tr id="r-{pk}" hx-get="{row.row_url}" hx-trigger="input delay:400ms, change" hx-include="this" '
                f'hx-target="#s-{pk}" hx-swap="outerHTML" hx-sync="this:replace"{changed}>'
            )
        else:
            out.append(f'<tr id="r-{pk}">')
        out.append(
            f'<th scope="row" id="n-{pk}"><a href="{rating_url.format(pk)}">{name}</a><br>'
            f'<span class="muted small">{STATUS_LABELS[row.rating.status]}</span>'
        )
        if row.editable:
            out.append(f'<input type="hidden" name="row-{pk}" value="1"><input type="hidden" name="ver-{pk}" value="{row.version}">')
        out.append("</th>")
        for column, cell in zip(section.columns, row.cells, strict=True):
            label = f"{name} — tiêu chí {escape(column.code)}: {escape(column.title)}"
            out.append(_input_cell(row, f"v-{pk}-{cell.code}", cell, label, "decimal", 5, cell.qualitative))
        for cell in row.tasks:
            label = f"{name} — số nhiệm vụ {escape(TASK_SHORT[cell.code].lower())}"
            out.append(_input_cell(row, f"t-{pk}-{cell.code}", cell, label, "numeric", 3, False))
        if row.editable:
            checked = " checked" if row.outstanding else ""
            out.append(f'<td class="center"><input type="checkbox" name="o-{pk}" value="1"{checked} '
                       f'aria-label="{name} — có thành tích nổi bật"></td>')
        else:
            out.append(f'<td class="center">{"✓" if row.outstanding else ""}</td>')
        out.append(summary_html(row.summary))
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _input_cell(row: Row, name: str, cell: Cell, label: str, mode: str, size: int, levels: bool) -> str:
    """One input, named for a screen reader by its member and criterion (`label`, escaped)."""
    value = escape(cell.value)
    if not row.editable:
        return f'<td class="num">{value}</td>'
    invalid = f' aria-invalid="true" title="{escape(cell.error)}"' if cell.error else ""
    # A qualitative criterion takes a level's name: its box is wide enough for "Trung bình".
    listed = ' list="muc-chat-luong" class="level-input"' if levels else ""
    mode = "text" if levels else mode  # a phone's number pad has no letters
    css = "num invalid" if cell.error else "num"
    return (
        f'<td class="{css}"><input name="{name}" value="{value}" inputmode="{mode}" size="{size}" '
        f'aria-label="{label}"{invalid}{listed}></td>'
    )
