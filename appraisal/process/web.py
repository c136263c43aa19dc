"""What the process pages share: the roles that read them, the posted version, the answers after a post."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from appraisal.models import (
    LevelCode,
)

LEVELS = dict(LevelCode.choices)


def int_or(raw, default=0) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default



def posted_version(request) -> int:
    try:
        return int(request.POST.get("version", -1))
    except (TypeError, ValueError):
        return -1


def done(request, rating, message: str):
    messages.success(request, message)
    return redirect(rating)


def refused(request, rating, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))
    return redirect(rating)
