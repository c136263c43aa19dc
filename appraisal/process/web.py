"""What the process pages share: the roles that read them, the posted version, the answers after a post."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from appraisal.models import (
    LevelCode,
)
from core import forms as core_forms

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
