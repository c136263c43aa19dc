"""Who may open each appraisal URL with GET, pinned by hand (never read from the views)."""
READERS = frozenset({"staff", "standing"})
STAFF = frozenset({"staff"})

ALLOWED: dict[str, frozenset[str]] = {
    "appraisal:framework_list": READERS,
    "appraisal:framework_detail": READERS,
    "appraisal:framework_export": READERS,
    "appraisal:framework_trial": READERS,
    "appraisal:quota_trial": READERS,
    "appraisal:ballot_trial": READERS,
    "appraisal:framework_create": STAFF,
    "appraisal:framework_import": STAFF,
    "appraisal:framework_edit": STAFF,
    "appraisal:framework_criteria": STAFF,
    "appraisal:framework_caps": STAFF,
    "appraisal:framework_copy": STAFF,
    "appraisal:framework_activate": STAFF,
}
