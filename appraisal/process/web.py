"""What the process pages share: the roles that read them, the posted version, the answers after a post."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from appraisal import selectors
from appraisal.models import (
    LevelCode,
)
from core import forms as core_forms
from core.forms import form_errors

LEVELS = dict(LevelCode.choices)


def posted_version(request) -> int:
    """The version the post carries (-1 if none: the service refuses it as stale)."""
    return core_forms.posted_version(request.POST)


def done(request, rating, message: str):
    messages.success(request, message)
    return redirect(rating)


def refused(request, rating, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))
    return redirect(rating)


def form_saved(request, form, save, message: str):
    """On a valid post, `save()` and go to what it saved with `message` (formatted with it as `obj`);
    None to show the form again, with the service's refusal on it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save()
    except ValidationError as exc:
        form_errors(form, exc)
        return None
    messages.success(request, message.format(obj=obj))
    return redirect(obj)


def rating_post(request, pk, service, message: str, *, form_class=None, invalid: str = "", fields: tuple[str, ...] = ()):
    """Apply one service to a rating from a post and answer on the rating's page.

    A posted `form_class` that is not valid is refused with `invalid`. The service gets the version
    the page saw and the form's `fields`; `message` is formatted with those and the service's `result`.
    """
    rating = selectors.get_rating(request.scope, pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, invalid)
            return redirect(rating)
        data = form.cleaned_data
    version = data.get("version")
    values = {name: data[name] for name in fields}
    try:
        result = service(actor=request.user, rating=rating,
                         expected_version=posted_version(request) if version is None else version, **values)
    except ValidationError as exc:
        return refused(request, rating, exc)
    return done(request, rating, message.format(result=result, **values))
