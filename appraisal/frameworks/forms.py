"""Forms of the framework editor; they parse input into the plain rows the services take."""
from __future__ import annotations

from django import forms

from appraisal.frameworks.defaults import rating_defaults
from appraisal.models import (
    FRAMEWORK_DEFAULTED,
    AxisWeight,
    CriterionKind,
    Framework,
    LevelCode,
    ResultAxis,
    SubjectType,
)
from appraisal.rules import (
    SETTINGS_FIELDS,
    CapRow,
    CriterionRow,
    FrameworkSettings,
    cap_row_problems,
    condition_name,
    framework_problems,
    settings_problems,
    template_from_words,
    words_from_template,
)
from core.forms import clean_xlsx

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
            # A box left unticked cannot say "the default": a choice can.
            self.fields["small_group_requires_all"] = forms.TypedChoiceField(
                label=self.fields["small_group_requires_all"].label, required=False, empty_value=None,
                choices=[("", "Theo mặc định của đối tượng"), ("True", "Có"), ("False", "Không")],
                coerce=lambda value: value == "True",
            )
            for name in FRAMEWORK_DEFAULTED:  # left blank: the subject type's default (rules/defaults.py)
                self.fields[name].required = False
                self.fields[name].help_text = " ".join(
                    (self.fields[name].help_text, "Để trống: theo mặc định của đối tượng đánh giá.")
                ).strip()

    def validate_unique(self):
        """Uniqueness of the code is the service's job (it names the code in its message)."""

    def clean(self):
        """Fill the settings left blank with the subject type's defaults, then check them with the
        engine's framework validator (thresholds, shares, quota)."""
        data = super().clean()
        if data.get("subject_type") in SubjectType.values:
            defaults = rating_defaults(data["subject_type"])
            for name in FRAMEWORK_DEFAULTED:
                if data.get(name) in (None, "") and name not in self.errors:
                    data[name] = defaults[name]
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
        return clean_xlsx(self.cleaned_data["file"])
