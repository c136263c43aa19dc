"""Who may open each orgs URL (the tree, units, blocks) with GET, pinned by hand (never read from the views)."""
from .urls_core import EVERY_ROLE

STAFF = frozenset({"staff"})

ALLOWED: dict[str, frozenset[str]] = {
    "orgs:tree": EVERY_ROLE,
    "orgs:detail": EVERY_ROLE,
    "orgs:history": EVERY_ROLE,
    "orgs:units": EVERY_ROLE,
    "orgs:unit": EVERY_ROLE,
    "orgs:unit_history": EVERY_ROLE,
    "orgs:create": STAFF,
    "orgs:edit": STAFF,
    "orgs:move": STAFF,
    "orgs:deactivate": STAFF,
    "orgs:unit_create": STAFF,
    "orgs:unit_edit": STAFF,
    "orgs:unit_deactivate": STAFF,
    "orgs:blocks": STAFF,
    "orgs:block_create": STAFF,
    "orgs:block_edit": STAFF,
    "orgs:group_create": STAFF,
    "orgs:group_edit": STAFF,
    "orgs:placement_rules": frozenset({"staff", "standing"}),
    "orgs:placement_rule_edit": STAFF,
}
