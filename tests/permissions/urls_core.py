"""Who may open each core URL (and the home page) with GET, pinned by hand (never read from the views)."""
EVERY_ROLE = frozenset({"secretary", "unit_leadership", "staff", "standing", "viewer"})

ALLOWED: dict[str, frozenset[str]] = {
    "home": EVERY_ROLE | {"member"},
    "core:audit": frozenset({"staff", "standing"}),
}
