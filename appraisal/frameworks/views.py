"""Framework editor pages: check permission, bind a form, call one service, respond."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from appraisal import authority
from appraisal.frameworks import defaults, services
from appraisal.frameworks import selectors as queries
from appraisal.frameworks.forms import (
    CapFormSet,
    CopyForm,
    CriterionFormSet,
    FrameworkSettingsForm,
    ImportForm,
    VersionForm,
    cap_initial,
    criterion_initial,
)
from appraisal.frameworks.xlsx import export_framework, read_framework
from appraisal.models import Framework, SubjectType
from core.downloads import XLSX, file_download
from core.forms import form_errors
from core.scope import role_required


def _editable(view):
    """Give the view the framework `pk` names, or go back to it with why if it is frozen."""
    @wraps(view)
    def wrapped(request, pk):
        framework = queries.get_framework(pk)
        if framework.frozen:
            messages.error(request, services.FROZEN_MESSAGE.format(name=framework.name))
            return redirect(framework)
        return view(request, framework)
    return wrapped


def _copy_form(framework: Framework, data=None) -> CopyForm:
    return CopyForm(data, initial={
        "code": f"{framework.code}-BS", "name": f"{framework.name} (bản sao)", "year": framework.year,
    })


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@role_required(*authority.FRAMEWORK_READERS)
def framework_list(request):
    """All frameworks by subject type, with status and whether they are frozen."""
    return TemplateResponse(request, "appraisal/framework_list.html", {
        "frameworks": queries.framework_list(),
        "can_edit": request.scope.is_staff_member,
    })


@role_required(*authority.FRAMEWORK_READERS)
def framework_detail(request, pk):
    """The criteria tree, settings and condition caps of one framework."""
    framework = queries.get_framework(pk)
    return TemplateResponse(request, "appraisal/framework_detail.html", {
        "framework": framework,
        "criteria": queries.tree_order(list(framework.criteria.all())),
        "caps": queries.described_caps(framework),
        "problems": queries.framework_problems_of(framework),
        "can_edit": request.scope.is_staff_member,
        "copy_form": _copy_form(framework),
    })


@role_required(*authority.FRAMEWORK_EDITORS)
def framework_create(request):
    """Create an empty draft framework; criteria are added next.

    `?doi_tuong=<subject type>` fills the settings with that subject type's defaults.
    """
    subject_type = request.GET.get("doi_tuong", "")
    initial = {}
    if subject_type in SubjectType.values:
        initial = {"subject_type": subject_type, **defaults.rating_defaults(subject_type)}
    form = FrameworkSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_create(actor=request.user, settings=form.to_settings())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Đã tạo khung tiêu chí; hãy nhập các nhóm và tiêu chí.")
            return redirect("appraisal:framework_criteria", pk=framework.pk)
    return TemplateResponse(request, "appraisal/framework_form.html", {
        "form": form, "framework": None, "subject_types": SubjectType.choices, "subject_type": subject_type,
    })


@role_required(*authority.FRAMEWORK_EDITORS)
@_editable
def framework_edit(request, framework):
    """Edit a framework's name, year and rating settings."""
    form = FrameworkSettingsForm(request.POST or None, instance=framework, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update_settings(
                actor=request.user, framework=queries.get_framework(framework.pk),
                expected_version=form.cleaned_data["version"], settings=form.to_settings(),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin khung tiêu chí.")
            return redirect(framework)
    return TemplateResponse(request, "appraisal/framework_form.html", {"form": form, "framework": framework})


@dataclass(frozen=True)
class _Grid:
    """A grid of a framework edited as a whole: its formset, its page, the service saving its rows, the answer."""

    formset: Callable[..., BaseFormSet]
    template: str
    save: Callable[..., Framework]
    done: str


def _criteria_formset(data, framework: Framework) -> BaseFormSet:
    return CriterionFormSet(
        data, initial=criterion_initial(queries.criterion_rows(framework)), prefix="c",
        form_kwargs={}, settings=queries.settings_of(framework), caps=queries.cap_rows(framework),
    )


def _caps_formset(data, framework: Framework) -> BaseFormSet:
    return CapFormSet(
        data, initial=cap_initial(queries.cap_rows(framework)), prefix="k", subject_type=framework.subject_type,
    )


CRITERIA_GRID = _Grid(
    formset=_criteria_formset, template="appraisal/framework_criteria.html",
    save=services.framework_save_criteria, done="Đã lưu cây tiêu chí.",
)
CAPS_GRID = _Grid(
    formset=_caps_formset, template="appraisal/framework_caps.html",
    save=lambda *, rows, **edit: services.framework_save_caps(caps=rows, **edit), done="Đã lưu các điều kiện hạ mức.",
)


@role_required(*authority.FRAMEWORK_EDITORS)
@_editable
def framework_criteria(request, framework):
    """Edit the whole criteria tree at once: add, change, delete rows; saved all-or-nothing."""
    return _edit_grid(request, framework, CRITERIA_GRID)


@role_required(*authority.FRAMEWORK_EDITORS)
@_editable
def framework_caps(request, framework):
    """Edit the condition caps: the highest level each condition allows, and whether it applies."""
    return _edit_grid(request, framework, CAPS_GRID)


def _edit_grid(request, framework: Framework, grid: _Grid):
    """Show a framework's grid; on a valid POST save its rows (version-checked) and go back."""
    formset = grid.formset(request.POST or None, framework)
    version = VersionForm(request.POST or None, initial={"version": framework.version})
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid() and version.is_valid():
        try:
            grid.save(actor=request.user, framework=framework, expected_version=version.cleaned_data["version"],
                      rows=formset.rows())
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, grid.done)
            return redirect(framework)
    return TemplateResponse(request, grid.template, {
        "framework": framework, "formset": formset, "version_form": version, "errors": errors,
    })


@role_required(*authority.FRAMEWORK_EDITORS)
def framework_copy(request, pk):
    """Copy a framework into a new editable draft ("Sao chép để sửa")."""
    framework = queries.get_framework(pk)
    form = _copy_form(framework, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.framework_copy(actor=request.user, framework=framework, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"Đã sao chép thành «{copy.name}»; bản sao có thể sửa.")
            return redirect(copy)
    return TemplateResponse(request, "appraisal/framework_copy.html", {"framework": framework, "form": form})


@require_POST
@role_required(*authority.FRAMEWORK_EDITORS)
def framework_activate(request, pk):
    """Put a valid framework into use."""
    framework = queries.get_framework(pk)
    version = VersionForm(request.POST)
    if not version.is_valid():
        messages.error(request, "Thiếu phiên bản của khung tiêu chí; hãy tải lại trang.")
        return redirect(framework)
    try:
        services.framework_activate(
            actor=request.user, framework=framework, expected_version=version.cleaned_data["version"]
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, "Khung tiêu chí đã được đưa vào áp dụng.")
    return redirect(framework)


@role_required(*authority.FRAMEWORK_READERS)
def framework_export(request, pk):
    """Download the framework as an XLSX workbook."""
    framework = queries.get_framework(pk)
    return file_download(export_framework(framework), f"khung-tieu-chi-{framework.code}.xlsx", XLSX)


@role_required(*authority.FRAMEWORK_EDITORS)
def framework_import(request):
    """Upload an XLSX workbook; a new draft framework is created only if every row is valid."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = read_framework(upload.read(), name=upload.name)
        errors = parsed.errors
        if not errors:
            overrides = {k: form.cleaned_data[k] for k in ("code", "name") if form.cleaned_data[k]}
            settings = replace(parsed.settings, **overrides)
            try:
                framework = services.framework_import(
                    actor=request.user, settings=settings, rows=parsed.rows, caps=parsed.caps
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, f"Đã nhập khung tiêu chí «{framework.name}» (dự thảo).")
                return redirect(framework)
    return TemplateResponse(request, "appraisal/framework_import.html", {"form": form, "errors": errors})
