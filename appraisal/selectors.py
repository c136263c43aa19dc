"""Reads of stored rating outcomes: the one place that says which ratings count.

Every page, the quota, the decision and every report read ratings through here, so a superseded
rating (replaced by a re-rating) never counts anywhere [DOMAIN §9; 003 C.IV.9].
"""
from django.db.models import QuerySet

from .models import Rating


def live_ratings() -> QuerySet[Rating]:
    """Ratings not superseded by a re-rating, whatever their state."""
    return Rating.objects.filter(superseded_by__isnull=True)
