"""Who may open each members URL with GET, pinned by hand (never read from the views)."""
from .urls_core import EVERY_ROLE

WRITERS = frozenset({"secretary", "staff"})

ALLOWED: dict[str, frozenset[str]] = {
    "members:search": EVERY_ROLE,
    "members:detail": EVERY_ROLE,
    "members:history": EVERY_ROLE,
    "members:create": WRITERS,
    "members:edit": WRITERS,
    "members:transfer": WRITERS,
    "members:exempt": WRITERS,
    "members:exemption_end": WRITERS,
    "members:suspend": WRITERS,
    "members:suspension_end": WRITERS,
    "members:temporary": WRITERS,
    "members:temporary_end": WRITERS,
    "members:discipline": WRITERS,
    "members:position_add": WRITERS,
    "members:position_end": WRITERS,
}
