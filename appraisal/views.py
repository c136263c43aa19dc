"""Framework editor pages: check permission, bind a form, call one service, respond."""
from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from core.models import Role
from core.scope import role_required

from . import defaults, queries, trial
from .forms import (
    BallotTrialForm,
    CapFormSet,
    CopyForm,
    CriterionFormSet,
    FrameworkSettingsForm,
    ImportForm,
    QuotaTrialForm,
    TrialForm,
    VersionForm,
    cap_initial,
    criterion_initial,
)
from .framework_xlsx import export_framework, read_framework
from .models import Framework, SubjectType
from .rules import RatingInputError, describe_quota
from .services import frameworks as services

READERS = (Role.STAFF, Role.STANDING)
EDITORS = (Role.STAFF,)


def _get_framework(pk) -> Framework:
    try:
        return queries.framework_with_tree(pk)
    except (Framework.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Không tìm thấy khung tiêu chí.") from exc


def _refuse_if_frozen(request, framework: Framework):
    if framework.frozen:
        messages.error(request, services.FROZEN_MESSAGE.format(name=framework.name))
        return redirect(framework)
    return None


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@role_required(*READERS)
def framework_list(request):
    """All frameworks by subject type, with status and whether they are frozen."""
    return TemplateResponse(request, "appraisal/framework_list.html", {
        "frameworks": queries.framework_list(),
        "can_edit": request.scope.is_staff_member,
    })


@role_required(*READERS)
def framework_detail(request, pk):
    """The criteria tree, settings and condition caps of one framework."""
    framework = _get_framework(pk)
    return TemplateResponse(request, "appraisal/framework_detail.html", {
        "framework": framework,
        "criteria": queries.tree_order(list(framework.criteria.all())),
        "caps": queries.described_caps(framework),
        "problems": queries.framework_problems_of(framework),
        "can_edit": request.scope.is_staff_member,
        "copy_form": CopyForm(initial={
            "code": f"{framework.code}-BS", "name": f"{framework.name} (bản sao)", "year": framework.year,
        }),
    })


@role_required(*EDITORS)
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
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, "Đã tạo khung tiêu chí; hãy nhập các nhóm và tiêu chí.")
            return redirect("appraisal:framework_criteria", pk=framework.pk)
    return TemplateResponse(request, "appraisal/framework_form.html", {
        "form": form, "framework": None, "subject_types": SubjectType.choices, "subject_type": subject_type,
    })


@role_required(*EDITORS)
def framework_edit(request, pk):
    """Edit a framework's name, year and rating settings."""
    framework = _get_framework(pk)
    refused = _refuse_if_frozen(request, framework)
    if refused:
        return refused
    form = FrameworkSettingsForm(request.POST or None, instance=framework, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update_settings(
                actor=request.user, framework=_get_framework(pk),
                expected_version=form.cleaned_data["version"], settings=form.to_settings(),
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, "Đã lưu thông tin khung tiêu chí.")
            return redirect(framework)
    return TemplateResponse(request, "appraisal/framework_form.html", {"form": form, "framework": framework})


@role_required(*EDITORS)
def framework_criteria(request, pk):
    """Edit the whole criteria tree at once: add, change, delete rows; saved all-or-nothing."""
    framework = _get_framework(pk)
    refused = _refuse_if_frozen(request, framework)
    if refused:
        return refused
    formset = CriterionFormSet(
        request.POST or None, initial=criterion_initial(queries.criterion_rows(framework)), prefix="c",
        form_kwargs={}, settings=queries.settings_of(framework), caps=queries.cap_rows(framework),
    )
    return _save_formset(
        request, framework, formset, template="appraisal/framework_criteria.html",
        save=lambda version, rows: services.framework_save_criteria(
            actor=request.user, framework=framework, expected_version=version, rows=rows
        ),
        done="Đã lưu cây tiêu chí.",
    )


@role_required(*EDITORS)
def framework_caps(request, pk):
    """Edit the condition caps: the highest level each condition allows, and whether it applies."""
    framework = _get_framework(pk)
    refused = _refuse_if_frozen(request, framework)
    if refused:
        return refused
    formset = CapFormSet(
        request.POST or None, initial=cap_initial(queries.cap_rows(framework)), prefix="k",
        subject_type=framework.subject_type,
    )
    return _save_formset(
        request, framework, formset, template="appraisal/framework_caps.html",
        save=lambda version, rows: services.framework_save_caps(
            actor=request.user, framework=framework, expected_version=version, caps=rows
        ),
        done="Đã lưu các điều kiện hạ mức.",
    )


def _save_formset(request, framework, formset, *, template: str, save, done: str):
    """Show a framework's grid; on a valid POST save its rows (version-checked) and go back."""
    version = VersionForm(request.POST or None, initial={"version": framework.version})
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid() and version.is_valid():
        try:
            save(version.cleaned_data["version"], formset.rows())
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, done)
            return redirect(framework)
    return TemplateResponse(request, template, {
        "framework": framework, "formset": formset, "version_form": version, "errors": errors,
    })


@role_required(*EDITORS)
def framework_copy(request, pk):
    """Copy a framework into a new editable draft ("Sao chép để sửa")."""
    framework = _get_framework(pk)
    form = CopyForm(request.POST or None, initial={
        "code": f"{framework.code}-BS", "name": f"{framework.name} (bản sao)", "year": framework.year,
    })
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.framework_copy(actor=request.user, framework=framework, **form.cleaned_data)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"Đã sao chép thành «{copy.name}»; bản sao có thể sửa.")
            return redirect(copy)
    return TemplateResponse(request, "appraisal/framework_copy.html", {"framework": framework, "form": form})


@require_POST
@role_required(*EDITORS)
def framework_activate(request, pk):
    """Put a valid framework into use."""
    framework = _get_framework(pk)
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


@role_required(*READERS)
def framework_export(request, pk):
    """Download the framework as an XLSX workbook."""
    framework = _get_framework(pk)
    response = HttpResponse(
        export_framework(framework),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="khung-tieu-chi-{framework.code}.xlsx"'
    return response


@role_required(*EDITORS)
def framework_import(request):
    """Upload an XLSX workbook; a new draft framework is created only if every row is valid."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        parsed = read_framework(form.cleaned_data["file"].read())
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


# ---------------------------------------------------------------- trial pages: the engine, explained


@role_required(*READERS)
def framework_trial(request, pk):
    """Chấm thử: score an imaginary subject on the framework and show the engine's workings; nothing is saved."""
    framework = _get_framework(pk)
    loaded = trial.load_framework(framework)
    form = result = None
    if loaded.framework is not None:
        form = TrialForm(loaded.framework, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = trial.run_trial(loaded.framework, form.entries, form.facts)
            except RatingInputError as exc:
                form.add_engine_errors(exc.messages)
    workings = trial.workings_of(result)
    return TemplateResponse(request, "appraisal/framework_trial.html", {
        "framework": framework,
        "problems": loaded.problems,
        "form": form,
        "rows": form.rows(trial.workings_by_index(workings)) if form else [],
        "fact_sections": form.fact_sections() if form else [],
        "workings": workings,
    })


@role_required(*READERS)
def quota_trial(request, pk):
    """Thử tỷ lệ: the engine's HTXSNV quota of a typed or uploaded peer group, with its arithmetic; nothing is saved."""
    framework = _get_framework(pk)
    settings, problems = trial.framework_quota(framework)
    yearly_leader = framework.subject_type == SubjectType.LEADER_YEARLY
    form = QuotaTrialForm(request.POST or None, request.FILES or None, initial={"by_quarters": yearly_leader})
    explained = None
    if settings is not None and request.method == "POST" and form.is_valid():
        explained = trial.quota_trial(form.rows, settings, by_quarters=form.cleaned_data["by_quarters"])
    return TemplateResponse(request, "appraisal/quota_trial.html", {
        "framework": framework, "form": form if settings else None, "settings": settings, "explained": explained,
        "quota_rule": describe_quota(settings) if settings else "", "problems": problems,
    })


@role_required(*READERS)
def ballot_trial(request, pk):
    """Kiểm phiếu thử: the engine's count (level by votes, step by step), then HTXSNV by votes; nothing is saved."""
    framework = _get_framework(pk)
    settings, problems = trial.framework_quota(framework)
    form = BallotTrialForm(request.POST or None, request.FILES or None)
    explained = None
    if settings is not None and request.method == "POST" and form.is_valid():
        try:
            explained = trial.ballot_trial(form.tally(), form.rows, settings)
        except RatingInputError as exc:
            for message in exc.messages:
                form.add_error(None, message)
    return TemplateResponse(request, "appraisal/ballot_trial.html", {
        "framework": framework, "form": form if settings else None, "settings": settings, "explained": explained,
        "quota_rule": describe_quota(settings) if settings else "", "problems": problems,
    })
