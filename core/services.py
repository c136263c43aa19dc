"""Checks every service of the apps shares: permission, errors keyed by field, stale edits, codes.

Edits of a row two staff may open at once carry the fingerprint of the row as the form showed
it: a save over someone else's change is refused and changes nothing.
"""
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F

from .scope import Scope
from .vntext import nfc


def padded(count: int) -> str:
    """A count as the documents write it in prose: "03", "12" [DOMAIN §10]."""
    return f"{count:02d}"


def fingerprint(obj: models.Model, fields: tuple[str, ...]) -> str:
    """A short hash of the row's values of `fields`: a form carries it to detect a concurrent edit."""
    values = "\x1f".join(repr(getattr(obj, name)) for name in fields)
    return hashlib.sha256(values.encode()).hexdigest()[:20]



class StaleEditError(ValidationError):
    """The row changed since the form was opened; nothing was saved."""


STALE_MESSAGE = (
    "“{obj}” vừa được người khác sửa sau khi đồng chí mở trang. Chưa lưu gì: "
    "hãy tải lại trang để xem thông tin mới nhất rồi sửa lại."
)


def require_staff(scope: Scope) -> None:
    if not scope.is_staff_member:
        raise PermissionDenied("Chỉ Ban Xây dựng Đảng được thực hiện thao tác này.")


def raise_if(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def locked(obj: models.Model, fields: tuple[str, ...], expected: str) -> models.Model:
    """The row re-read under a lock, or StaleEditError if it changed since `expected` was taken."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if fingerprint(current, fields) != expected:
        raise StaleEditError(STALE_MESSAGE.format(obj=current))
    return current


def claim_version(obj: models.Model, version: int, field: str = "version") -> models.Model:
    """The row re-read under a lock with its version raised by one, or StaleEditError if its
    version is no longer `version` (someone saved since the form was opened): nothing changes.

    The form carries the version it was opened with (a hidden `version` field); one conditional
    UPDATE claims the next version, so of two concurrent saves exactly one wins.
    """
    model = type(obj)
    claimed = model.objects.filter(pk=obj.pk, **{field: version}).update(**{field: F(field) + 1})
    current = model.objects.select_for_update().get(pk=obj.pk)
    if not claimed:
        raise StaleEditError(STALE_MESSAGE.format(obj=current))
    return current


def apply_changes(obj: models.Model, changes: dict) -> dict:
    """Set `changes` on `obj`; return field → (old, new) for those that differ."""
    diff = {}
    for name, value in changes.items():
        value = nfc(value) if isinstance(value, str) else value
        old = getattr(obj, name)
        if old != value:
            diff[name] = (old, value)
        setattr(obj, name, value)
    return diff


def code_taken_errors(model, code: str, exclude_pk=None, field: str = "code") -> dict[str, list[str]]:
    """The code (already cleaned) is taken by another row of `model`: keyed by `field`."""
    if code and model.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        return {field: [f"Mã “{code}” đã được dùng cho một {model._meta.verbose_name} khác."]}
    return {}


def save_unique(obj: models.Model, field: str = "code") -> None:
    """Save, turning a lost race on a unique column into a form error."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({field: [f"“{getattr(obj, field)}” vừa được dùng cho một bản ghi khác."]}) from exc

