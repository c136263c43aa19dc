"""Checks every service of the apps shares: permission, errors keyed by field, stale edits, codes.

Stale edits, one style everywhere: a row two people may edit at once has a `version`; the form
sends back the version it was opened with and the service claims the next one (`claim_version`),
so a save over someone else's change is refused and changes nothing.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction

from .scope import Scope
from .vntext import nfc


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


def claim_versions(model: type[models.Model], claims: list[tuple[models.Model, int]], **also) -> list[models.Model]:
    """Claim the next version of many rows at once; return those someone saved since (none: all claimed).

    Each claim is (object, version the page was opened with). One conditional UPDATE, whatever
    their number, raises every row still at the version seen (and sets `also` on it), so of two
    concurrent saves exactly one wins. When a row was saved meanwhile the caller refuses the
    save: the transaction it runs in undoes the other claims. Claimed objects carry their new version.
    """
    if not claims:
        return []
    quote = connection.ops.quote_name
    meta = model._meta
    # A version no row can hold (a tampered hidden field beyond the column's range) is stale, not sent.
    low, high = connection.ops.integer_field_range(meta.get_field("version").get_internal_type())
    out_of_range = [obj for obj, seen in claims if not (low or 0) <= seen <= (high or seen)]
    if out_of_range:
        return out_of_range
    sets = [f"{quote('version')} = {quote('version')} + 1", *(f"{quote(meta.get_field(name).column)} = %s" for name in also)]
    values = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in also.items()]
    claimed: set = set()
    with connection.cursor() as cursor:
        for start in range(0, len(claims), 500):
            chunk = claims[start:start + 500]
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} "
                f"WHERE ({quote(meta.pk.column)}, {quote('version')}) IN ({', '.join(['(%s, %s)'] * len(chunk))}) "
                f"RETURNING {quote(meta.pk.column)}",
                [*values, *(value for obj, seen in chunk for value in (obj.pk, seen))],
            )
            claimed.update(pk for (pk,) in cursor.fetchall())
    stale = [obj for obj, _ in claims if obj.pk not in claimed]
    if stale:
        return stale
    for obj, seen in claims:
        obj.version = seen + 1
        for name, value in also.items():
            setattr(obj, name, value)
    return []


def claim_version(obj: models.Model, version: int) -> models.Model:
    """The row re-read under a lock with its version raised by one, or StaleEditError if its
    version is no longer `version` (someone saved since the form was opened): nothing changes.

    The form carries the version it was opened with (a hidden `version` field); `claim_versions`
    claims the next one.
    """
    model = type(obj)
    stale = claim_versions(model, [(model(pk=obj.pk), version)])  # the caller's object stays as it was read
    current = model.objects.select_for_update().get(pk=obj.pk)
    if stale:
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

