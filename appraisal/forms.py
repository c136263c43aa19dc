"""Forms of the framework editor; they parse input into the plain rows the services take."""
from __future__ import annotations

from dataclasses import dataclass

from django import forms

from appraisal.rules import (
    SETTINGS_FIELDS,
    BallotTally,
    BaseOrgKind,
    CapRow,
    CompiledFramework,
    CriterionEntry,
    CriterionLevel,
    CriterionRow,
    CriterionSpec,
    Discipline,
    Facts,
    FrameworkSettings,
    Level,
    ScoringKind,
    cap_row_problems,
    condition_name,
    framework_problems,
    settings_problems,
    template_from_words,
    words_from_template,
)

from . import trial
from .models import AxisWeight, CriterionKind, Framework, LevelCode, ResultAxis

SETTINGS_FORM_FIELDS = [f for f in SETTINGS_FIELDS]


class VersionForm(forms.Form):
    """Carries the version the user saw, so a concurrent save is detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _decimal_comma(field: forms.DecimalField) -> None:
    """Show and accept the number the Vietnamese way ("0,3", "85"), in a plain text box."""
    field.localize = True
    field.widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 8})
    field.widget.is_localized = True


class FrameworkSettingsForm(forms.ModelForm):
    """Name, year and rating settings of a framework."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Framework
        fields = SETTINGS_FORM_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                _decimal_comma(field)
        if editing:
            self.fields["subject_type"].disabled = True
            self.fields["code"].disabled = True
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def validate_unique(self):
        """Uniqueness of the code is the service's job (it names the code in its message)."""

    def clean(self):
        """Check the settings with the engine's framework validator (thresholds, shares, quota)."""
        data = super().clean()
        if not self.errors:
            for problem in settings_problems(self.to_settings()):
                self.add_error(None, problem)
        return data

    def to_settings(self) -> FrameworkSettings:
        data = self.cleaned_data
        return FrameworkSettings(**{name: data[name] for name in SETTINGS_FIELDS})


class CopyForm(forms.Form):
    code = forms.CharField(label="Mã khung mới", max_length=40)
    name = forms.CharField(label="Tên khung mới", max_length=255)
    year = forms.IntegerField(label="Năm áp dụng", min_value=2000, max_value=2100)


AXIS_CHOICES = [("", "—")] + [(str(v), label) for v, label in ResultAxis.choices]


class CriterionRowForm(forms.Form):
    """One row of the criteria tree editor."""

    code = forms.CharField(label="Mã", max_length=16, widget=forms.TextInput(attrs={"size": 6}))
    parent_code = forms.CharField(
        label="Thuộc nhóm", max_length=16, required=False, widget=forms.TextInput(attrs={"size": 6})
    )
    title = forms.CharField(label="Nội dung", max_length=500, widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))
    guidance = forms.CharField(
        label="Hướng dẫn chấm", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 30})
    )
    max_points = forms.DecimalField(
        label="Điểm tối đa", max_digits=5, decimal_places=2, min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.25", "style": "width:5em"}),
    )
    kind = forms.ChoiceField(label="Loại", choices=CriterionKind.choices)
    is_key = forms.BooleanField(label="Trọng tâm", required=False)
    axis = forms.TypedChoiceField(
        label="Trục kết quả", choices=AXIS_CHOICES, coerce=int, empty_value=None, required=False
    )
    axis_weight = forms.ChoiceField(
        label="Vai trò trục", choices=[("", "—"), *AxisWeight.choices], required=False
    )

    def to_row(self, where: str) -> CriterionRow:
        data = self.cleaned_data
        return CriterionRow(
            code=data["code"].strip(),
            parent_code=data["parent_code"].strip(),
            title=data["title"].strip(),
            guidance=data["guidance"].strip(),
            max_points=data["max_points"],
            kind=data["kind"],
            is_key=data["is_key"],
            axis=data["axis"],
            axis_weight=data["axis_weight"],
            where=where,
        )


class BaseCriterionFormSet(forms.BaseFormSet):
    """The criteria tree as rows; with the framework's settings and caps, checked as a whole by the engine."""

    def __init__(self, *args, settings: FrameworkSettings | None = None, caps: list[CapRow] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.settings, self.caps = settings, list(caps)

    def clean(self):
        """Check the whole tree with the engine's framework validator (totals, groups, codes, axes)."""
        if any(self.errors) or self.settings is None:
            return
        problems = framework_problems(self.settings, self.rows(), self.caps)
        if problems:
            raise forms.ValidationError(problems)

    def rows(self) -> list[CriterionRow]:
        """The rows kept (not deleted, not left blank), each labelled with its line number."""
        return [
            form.to_row(f"Dòng {index}")
            for index, form in enumerate(self.forms, start=1)
            if form.has_changed() or form.initial
            if not self._should_delete_form(form)
        ]


CriterionFormSet = forms.formset_factory(
    CriterionRowForm, formset=BaseCriterionFormSet, extra=3, can_delete=True
)


def criterion_initial(rows: list[CriterionRow]) -> list[dict]:
    return [
        {
            "code": r.code, "parent_code": r.parent_code, "title": r.title, "guidance": r.guidance,
            "max_points": r.max_points, "kind": r.kind, "is_key": r.is_key,
            "axis": r.axis, "axis_weight": r.axis_weight,
        }
        for r in rows
    ]


class CapRowForm(forms.Form):
    """One condition cap: which level it allows at most, and whether it applies."""

    condition = forms.CharField(widget=forms.HiddenInput)
    max_level = forms.ChoiceField(
        label="Mức cao nhất", choices=[("", "Theo tập thể, tổ chức liên quan"), *LevelCode.choices],
        required=False,
    )
    step_down = forms.BooleanField(label="Hạ thêm một mức", required=False)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))
    source = forms.CharField(label="Căn cứ", max_length=255, required=False)
    enabled = forms.BooleanField(label="Áp dụng", required=False)

    @property
    def condition_name(self) -> str:
        """The condition's Vietnamese name, never its code."""
        return condition_name(self["condition"].value() or "")

    def to_row(self, where: str) -> CapRow:
        """The cap as a row; the reason's Vietnamese words ("[số vượt mức]") become placeholders again."""
        data = self.cleaned_data
        return CapRow(
            condition=data["condition"], max_level=data["max_level"], step_down=data["step_down"],
            reason=template_from_words(data["reason"].strip()), source=data["source"].strip(),
            enabled=data["enabled"], where=where,
        )


class BaseCapFormSet(forms.BaseFormSet):
    """The condition caps as rows, checked by the engine's framework validator."""

    def __init__(self, *args, subject_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_type = subject_type

    def clean(self):
        if any(self.errors) or not self.subject_type:
            return
        problems = cap_row_problems(self.subject_type, self.rows())
        if problems:
            raise forms.ValidationError(problems)

    def rows(self) -> list[CapRow]:
        return [
            form.to_row(f"Dòng {index} ({form.condition_name})") for index, form in enumerate(self.forms, start=1)
        ]


CapFormSet = forms.formset_factory(CapRowForm, formset=BaseCapFormSet, extra=0)


def cap_initial(caps: list[CapRow]) -> list[dict]:
    return [
        {
            "condition": c.condition, "max_level": c.max_level, "step_down": c.step_down,
            "reason": words_from_template(c.reason), "source": c.source, "enabled": c.enabled,
        }
        for c in caps
    ]


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")
    code = forms.CharField(
        label="Mã khung mới", max_length=40, required=False,
        help_text="Để trống: dùng mã ghi trong tệp.",
    )
    name = forms.CharField(
        label="Tên khung mới", max_length=255, required=False,
        help_text="Để trống: dùng tên ghi trong tệp.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Tệp quá lớn (tối đa 5 MB).")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx.")
        return upload


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
        for name, message in trial.check_facts(values):
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
        if upload is None:
            return None
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Tệp quá lớn (tối đa 5 MB).")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx.")
        return upload

    def clean(self):
        data = super().clean()
        self.rows: list[trial.TableRow] = []
        if "file" in self.errors:
            return data
        upload, text = data.get("file"), data.get("lines", "")
        try:
            if upload is not None:
                self.rows = trial.parse_table(trial.xlsx_rows(upload.read()), self.columns, letters=True)
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
