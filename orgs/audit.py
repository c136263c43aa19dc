"""Write the audit trail: every service that changes state records one entry here."""
from django.db import models

from .models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def record_change(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Record that `actor` did `action` to `obj`; `changes` maps field → (old, new) or a value."""
    plain = {}
    for key, value in (changes or {}).items():
        plain[key] = [_plain(v) for v in value] if isinstance(value, tuple) else _plain(value)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=plain,
    )
