"""Forms of the trial pages: a sheet of points and facts, tables of quota candidates and votes."""
from __future__ import annotations

from dataclasses import dataclass

from django import forms

from appraisal.rules import (
    BallotTally,
    BaseOrgKind,
    CompiledFramework,
    CriterionEntry,
    CriterionLevel,
    CriterionSpec,
    Discipline,
    Facts,
    Level,
    ScoringKind,
    fact_problems,
)
from appraisal.trial import run as trial
from core.forms import clean_xlsx

# ---------------------------------------------------------------- trial pages (chấm thử, tỷ lệ, kiểm phiếu)

CRITERION_LEVEL_CHOICES = [("", "—")] + [
    (str(int(level)), level.label) for level in sorted(CriterionLevel, reverse=True)
]
LEVEL_CHOICES = [("", "— (chưa xếp loại)")] + [(str(int(level)), level.label) for level in sorted(Level, reverse=True)]
DISCIPLINE_CHOICES = [(str(int(d)), d.label.capitalize()) for d in Discipline]
ORG_KIND_CHOICES = [(BaseOrgKind.CELL.value, "Chi bộ cơ sở"), (BaseOrgKind.PARTY_COMMITTEE.value, "Đảng bộ cơ sở")]
QUARTER_NAMES = ("Quý I", "Quý II", "Quý III", "Quý IV")
NUMBER_WIDGET = {"inputmode": "decimal", "size": 6, "autocomplete": "off"}


def _number(code: str, what: str) -> forms.DecimalField:
    """A decimal input typed the Vietnamese way ("8,5"); its errors name the criterion.

    How many decimals points may have is the engine's rule (two): it refuses more, naming the
    criterion, when it scores.
    """
    message = f"Tiêu chí «{code}»: {what} phải là một số (ví dụ 8,5)."
    return forms.DecimalField(
        label=what.capitalize(), required=False, localize=True, max_digits=20, decimal_places=None,
        widget=forms.TextInput(attrs=NUMBER_WIDGET),
        error_messages={
            "invalid": message,
            "max_digits": f"Tiêu chí «{code}»: {what} quá lớn.",
            "max_whole_digits": f"Tiêu chí «{code}»: {what} quá lớn.",
        },
    )


def _fact_field(fact: trial.FactField) -> forms.Field:
    """The form field for one fact: counts, percentages, yes/no, levels, discipline, kind of organisation."""
    label, help_text = fact.label, fact.help
    if fact.kind == "count":
        return forms.IntegerField(
            label=label, help_text=help_text, required=False, min_value=0, localize=True,
            widget=forms.TextInput(attrs={**NUMBER_WIDGET, "inputmode": "numeric"}),
            error_messages={
                "invalid": f"«{label}» phải là số nguyên.",
                "min_value": f"«{label}» không được âm.",
            },
        )
    if fact.kind == "pct":
        return forms.DecimalField(
            label=label, help_text=help_text or "Để trống: không xét.", required=False, localize=True,
            min_value=0, max_value=100, max_digits=5, decimal_places=2, widget=forms.TextInput(attrs=NUMBER_WIDGET),
            error_messages={
                "invalid": f"«{label}» phải là một số (ví dụ 65,5).",
                "min_value": f"«{label}» phải từ 0 đến 100.",
                "max_value": f"«{label}» phải từ 0 đến 100.",
                "max_digits": f"«{label}» phải từ 0 đến 100.",
                "max_decimal_places": f"«{label}» có tối đa 2 chữ số thập phân.",
            },
        )
    if fact.kind == "bool":
        return forms.BooleanField(label=label, help_text=help_text, required=False)
    if fact.kind == "level":
        return forms.TypedChoiceField(
            label=label, help_text=help_text, choices=LEVEL_CHOICES, required=False,
            coerce=lambda v: Level(int(v)), empty_value=None,
        )
    if fact.kind == "discipline":
        return forms.TypedChoiceField(
            label=label, help_text=help_text, choices=DISCIPLINE_CHOICES, initial="0",
            coerce=lambda v: Discipline(int(v)),
        )
    if fact.kind == "org_kind":
        return forms.TypedChoiceField(
            label=label, help_text=help_text, choices=ORG_KIND_CHOICES, coerce=BaseOrgKind,
            initial=BaseOrgKind.CELL.value,
        )
    raise ValueError(fact.kind)


@dataclass(frozen=True)
class TrialRow:
    """One line of the trial sheet: a group heading, or a criterion with its inputs and the engine's working."""

    line: trial.SheetLine
    fields: tuple
    errors: tuple[str, ...]
    working: object | None

    @property
    def is_group(self) -> bool:
        return self.line.is_group


class TrialForm(forms.Form):
    """Every criterion of a framework and the facts its conditions read; nothing is saved.

    Built from the compiled framework: quantitative criteria ask for achieved and plan,
    qualitative ones for a level and/or points [003 C.I.1.4]; the facts are those the subject
    type's conditions read (`trial.fact_fields`). After `is_valid()`, `entries` and `facts`
    hold the engine's inputs; `add_engine_errors` puts the engine's scoring messages on the
    criteria they name.
    """

    def __init__(self, cf: CompiledFramework, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = cf
        self.lines = trial.sheet_lines(cf)
        self.criteria = cf.criteria
        self.engine_errors: dict[str, list[str]] = {}
        marks = trial.criterion_marks(cf.subject_type)
        self.suffixes: list[tuple[str, ...]] = []
        for index, criterion in enumerate(self.criteria):
            suffixes = self._add_criterion(index, criterion, marks)
            self.suffixes.append(suffixes)
        self.fact_specs = trial.fact_fields(cf.subject_type)
        for fact in self.fact_specs:
            if fact.kind == "quarters":
                for number, name in enumerate(QUARTER_NAMES, start=1):
                    self.fields[f"f_quarter_{number}"] = forms.TypedChoiceField(
                        label=name, choices=LEVEL_CHOICES, required=False,
                        coerce=lambda v: Level(int(v)), empty_value=None,
                    )
            else:
                self.fields[f"f_{fact.name}"] = _fact_field(fact)
        self.entries: tuple[CriterionEntry, ...] = ()
        self.facts: Facts | None = None

    def _add_criterion(self, index: int, criterion: CriterionSpec, marks: frozenset[str]) -> tuple[str, ...]:
        code, prefix = criterion.code, f"c{index}_"
        if criterion.kind is ScoringKind.QUANTITATIVE:
            self.fields[prefix + "achieved"] = _number(code, "kết quả đạt được")
            self.fields[prefix + "plan"] = _number(code, "kế hoạch")
            self.initial.setdefault(prefix + "achieved", 100)
            self.initial.setdefault(prefix + "plan", 100)
            suffixes = ["achieved", "plan"]
        else:
            self.fields[prefix + "level"] = forms.TypedChoiceField(
                label="Mức", choices=CRITERION_LEVEL_CHOICES, required=False,
                coerce=lambda v: CriterionLevel(int(v)), empty_value=None,
            )
            self.fields[prefix + "points"] = _number(code, "điểm")
            self.initial.setdefault(prefix + "points", criterion.max_points)
            suffixes = ["level", "points"]
        if "not_done" in marks and criterion.key:
            self.fields[prefix + "not_done"] = forms.BooleanField(label="Không hoàn thành", required=False)
            suffixes.append("not_done")
        if "short" in marks:
            self.fields[prefix + "short"] = forms.BooleanField(
                label="Chưa bảo đảm chất lượng, tiến độ", required=False
            )
            suffixes.append("short")
        return tuple(suffixes)

    def clean(self):
        data = super().clean()
        entries = []
        for index, criterion in enumerate(self.criteria):
            names = [f"c{index}_{s}" for s in self.suffixes[index]]
            if any(name in self.errors for name in names):
                continue
            values = {s: data.get(f"c{index}_{s}") for s in self.suffixes[index]}
            entry, errors = trial.criterion_entry(criterion, values)
            for suffix, message in errors:
                self.add_error(f"c{index}_{suffix}", message)
            if entry is not None:
                entries.append(entry)
        values = self._fact_values(data)
        for name, message in fact_problems(values):
            self.add_error(f"f_{name}", message)
        if not self.errors:
            self.entries = tuple(entries)
            self.facts = trial.facts_from(values, self.spec.subject_type)
        return data

    def _fact_values(self, data) -> dict:
        values = {}
        for fact in self.fact_specs:
            if fact.kind == "quarters":
                values[fact.name] = tuple(data.get(f"f_quarter_{n}") for n in range(1, 5))
            else:
                values[fact.name] = data.get(f"f_{fact.name}")
        return values

    def add_engine_errors(self, messages: list[str]) -> None:
        """Show the engine's scoring messages: on the criterion each names, the rest above the sheet."""
        self.engine_errors = trial.engine_errors(messages)
        for message in self.engine_errors.get("", ()):
            self.add_error(None, message)
        if not self.engine_errors.get(""):
            self.add_error(None, "Có điểm chưa đúng (xem thông báo cạnh từng tiêu chí).")

    def rows(self, workings: dict) -> list[TrialRow]:
        """The sheet in tree order: groups, and criteria with their bound inputs and the engine's working."""
        rows = []
        for line in self.lines:
            if line.is_group:
                rows.append(TrialRow(line, (), (), None))
                continue
            fields = tuple(self[f"c{line.index}_{s}"] for s in self.suffixes[line.index])
            errors = (*(e for f in fields for e in f.errors), *self.engine_errors.get(line.node.code, ()))
            rows.append(TrialRow(line, fields, tuple(errors), workings.get(line.index)))
        return rows

    def fact_sections(self) -> list[tuple[str, list]]:
        """The fact inputs grouped under their headings, in form order."""
        sections: dict[str, list] = {}
        for fact in self.fact_specs:
            if fact.kind == "quarters":
                bound = [self[f"f_quarter_{n}"] for n in range(1, 5)]
            else:
                bound = [self[f"f_{fact.name}"]]
            sections.setdefault(fact.section, []).extend(bound)
        return list(sections.items())


class _TableForm(forms.Form):
    """Pasted lines or an uploaded XLSX, read into checked rows (`self.rows`)."""

    columns: tuple[trial.Column, ...] = ()
    lines = forms.CharField(
        label="Danh sách (mỗi dòng một đối tượng, các cột cách nhau bằng dấu ; hoặc dán từ Excel)",
        required=False, widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
    )
    file = forms.FileField(label="Hoặc chọn tệp Excel (.xlsx)", required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return None if upload is None else clean_xlsx(upload)

    def clean(self):
        data = super().clean()
        self.rows: list[trial.TableRow] = []
        if "file" in self.errors:
            return data
        upload, text = data.get("file"), data.get("lines", "")
        try:
            if upload is not None:
                self.rows = trial.parse_table(trial.xlsx_rows(upload.read(), name=upload.name), self.columns, letters=True)
            elif text.strip():
                self.rows = trial.parse_table(trial.split_lines(text), self.columns)
            else:
                self.add_error("lines", "Hãy nhập danh sách hoặc chọn tệp Excel.")
        except trial.TableError as exc:
            for message in exc.messages:
                self.add_error("file" if upload is not None else "lines", message)
        return data


class QuotaTrialForm(_TableForm):
    """A peer group to try the HTXSNV quota on [002 §4.1; 003 C.IV.10–11]."""

    columns = trial.QUOTA_COLUMNS
    by_quarters = forms.BooleanField(
        label="Xếp thứ tự theo số quý Hoàn thành xuất sắc nhiệm vụ trước (cán bộ, hằng năm)", required=False
    )


class BallotTrialForm(_TableForm):
    """The counting team's totals and each subject's votes per level [003 C.IV.11]."""

    columns = trial.BALLOT_COLUMNS
    issued = forms.IntegerField(label="Số phiếu phát ra", min_value=0)
    collected = forms.IntegerField(label="Số phiếu thu về", min_value=0)
    valid = forms.IntegerField(label="Số phiếu hợp lệ", min_value=0)
    invalid = forms.IntegerField(label="Số phiếu không hợp lệ", min_value=0, initial=0)

    field_order = ["issued", "collected", "valid", "invalid", "lines", "file"]

    def tally(self) -> BallotTally:
        """The counting team's totals as the engine's BallotTally."""
        data = self.cleaned_data
        return BallotTally(data["issued"], data["collected"], data["valid"], data["invalid"])
