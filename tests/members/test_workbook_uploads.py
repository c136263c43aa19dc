"""Stored previews stay private and do not pile up."""
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from members.workbook import uploads


def test_abandoned_previews_older_than_a_day_are_removed_on_the_next_upload():
    """A new upload removes the same user's day-old previews, keeps recent ones and other users'."""
    old = uploads.stash_upload(user_id=7, content=b"old")
    other = uploads.stash_upload(user_id=8, content=b"other")
    later = timezone.now() + uploads.KEEP_FOR + timedelta(minutes=1)
    with mock.patch("members.workbook.uploads.timezone.now", return_value=later):
        fresh = uploads.stash_upload(user_id=7, content=b"fresh")
    assert uploads.load_upload(user_id=7, token=old) is None
    assert uploads.load_upload(user_id=7, token=fresh) == b"fresh"
    assert uploads.load_upload(user_id=8, token=other) == b"other"


def test_a_preview_cannot_be_read_by_another_user():
    """The token alone is not enough: the file lives in its uploader's folder."""
    token = uploads.stash_upload(user_id=7, content=b"x")
    assert uploads.load_upload(user_id=9, token=token) is None
    assert uploads.load_upload(user_id=7, token="../7/" + token) is None
