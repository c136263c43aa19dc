"""Who may open each reports URL with GET, pinned by hand (never read from the views)."""
READERS = frozenset({"staff", "standing", "viewer"})

ALLOWED: dict[str, frozenset[str]] = {
    "reports:index": READERS,
    "reports:year_end": READERS,
    "reports:year_end_edit": frozenset({"staff"}),  # staff drafts [issue 15]
    "reports:year_end_finalize": frozenset({"standing"}),  # the standing committee's signer issues and signs
    "reports:year_end_file": READERS,
    "reports:multi_year": READERS,
    "reports:summary": READERS | {"secretary"},
    "reports:decision": READERS,
    "reports:rerating_decision": READERS,
    "reports:decision_issue": frozenset({"standing"}),
    "reports:summary_issue": frozenset({"staff"}),  # Ban Xây dựng Đảng compiles and issues it (Người lập biểu)
    "reports:decision_file": READERS,  # the standing committee's signer issues and signs
    "reports:self_assessment": READERS | {"secretary", "unit_leadership", "member"},
    "reports:ballot": READERS | {"secretary"},
    "reports:tally": READERS | {"secretary"},
    "reports:import": frozenset({"staff"}),
    "reports:import_confirm": frozenset({"staff"}),
}
