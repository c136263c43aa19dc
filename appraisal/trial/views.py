"""Trying a framework, the quota and a ballot count on made-up figures (nothing is stored)."""
from __future__ import annotations

from django.template.response import TemplateResponse

from appraisal import authority
from appraisal.frameworks.selectors import get_framework
from appraisal.models import SubjectType
from appraisal.rules import RatingInputError, describe_quota
from appraisal.trial import run as trial
from appraisal.trial.forms import BallotTrialForm, QuotaTrialForm, TrialForm
from core.scope import role_required

# ---------------------------------------------------------------- trial pages: the engine, explained


@role_required(*authority.FRAMEWORK_READERS)
def framework_trial(request, pk):
    """Chấm thử: score an imaginary subject on the framework and show the engine's workings; nothing is saved."""
    framework = get_framework(pk)
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


@role_required(*authority.FRAMEWORK_READERS)
def quota_trial(request, pk):
    """Thử tỷ lệ: the engine's HTXSNV quota of a typed or uploaded peer group, with its arithmetic; nothing is saved."""
    framework = get_framework(pk)
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


@role_required(*authority.FRAMEWORK_READERS)
def ballot_trial(request, pk):
    """Kiểm phiếu thử: the engine's count (level by votes, step by step), then HTXSNV by votes; nothing is saved."""
    framework = get_framework(pk)
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
