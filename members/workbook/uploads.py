"""Keep an uploaded workbook between the preview and the confirmation, private to its uploader."""
import re
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_FOR = timedelta(days=1)  # a preview nobody confirmed within a day is abandoned


def _name(user_id: int, token: str) -> str:
    return f"workbook-imports/{int(user_id)}/{token}.xlsx"


def stash_upload(*, user_id: int, content: bytes) -> str:
    """Store the file under a random token in the user's own folder; return the token.

    Previews the user abandoned more than a day ago are removed on the way.
    """
    purge_stale_uploads(user_id=user_id)
    token = secrets.token_urlsafe(24)
    default_storage.save(_name(user_id, token), ContentFile(content))
    return token


def load_upload(*, user_id: int, token: str) -> bytes | None:
    """The stored file, or None if the token is malformed, unknown, or another user's."""
    if not _TOKEN.match(token or ""):
        return None
    name = _name(user_id, token)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as f:
        return f.read()


def discard_upload(*, user_id: int, token: str) -> None:
    if _TOKEN.match(token or ""):
        default_storage.delete(_name(user_id, token))


def purge_stale_uploads(*, user_id: int) -> int:
    """Delete the user's stored previews older than KEEP_FOR; return how many went."""
    folder = f"workbook-imports/{int(user_id)}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - KEEP_FOR
    stale = [f"{folder}/{name}" for name in files if default_storage.get_modified_time(f"{folder}/{name}") < cutoff]
    for name in stale:
        default_storage.delete(name)
    return len(stale)
