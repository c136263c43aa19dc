"""Who may open each accounts URL with GET, pinned by hand (never read from the views)."""
from .urls_core import EVERY_ROLE

STAFF = frozenset({"staff"})

ALLOWED: dict[str, frozenset[str]] = {
    # Every signed-in user, even one without a role yet, changes their own password.
    "accounts:password_change": EVERY_ROLE | {"norole", "member"},
    "accounts:list": STAFF,
    "accounts:create": STAFF,
    "accounts:detail": STAFF,
    "accounts:edit": STAFF,
    "accounts:role_add": STAFF,
    "accounts:role_remove": STAFF,
    "accounts:temporary_password": STAFF,
    "accounts:signin_resume": STAFF,
    "accounts:deactivate": STAFF,
    "accounts:activate": STAFF,
}
