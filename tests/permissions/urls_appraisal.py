"""Who may open each appraisal URL with GET, pinned by hand (never read from the views).

For the rating process the object each role opens is set in tests/permissions/appraisal_objects.py:
a draft rating of its own part (a member's own, for "member"), a leader's draft rating, a decided
rating, a meeting. A POST-only action is pinned for the roles its view lets in.
"""
READERS = frozenset({"staff", "standing"})
STAFF = frozenset({"staff"})
# The rating process.
PERIOD_READERS = frozenset({"staff", "standing", "viewer", "secretary", "unit_leadership"})
GRID = frozenset({"staff", "standing", "viewer", "secretary"})
PROPOSERS = frozenset({"staff", "secretary", "unit_leadership"})
SCORERS = frozenset({"staff", "secretary", "unit_leadership", "member"})  # the proposer, staff, the subject
EVERYONE_BUT_NOROLE = PERIOD_READERS | {"member"}

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
    # Periods: Ban Xây dựng Đảng creates, opens (a background job) and closes them; every
    # role with a part of the tree sees its dashboard.
    "appraisal:period_list": PERIOD_READERS,
    "appraisal:period_create": STAFF,
    "appraisal:period_edit": STAFF,
    "appraisal:period_open": STAFF,
    "appraisal:period_close": STAFF,
    "appraisal:period_detail": PERIOD_READERS,
    "appraisal:period_org": PERIOD_READERS,
    "appraisal:period_overdue": PERIOD_READERS,  # late work and flagged leaders, in the role's part
    # The secretary's grid (read-only for the standing committee and viewers) and its XLSX twin.
    "appraisal:grid": GRID,
    "appraisal:grid_row": GRID,
    "appraisal:grid_download": GRID,
    "appraisal:grid_upload": frozenset({"staff", "secretary"}),
    # Meetings, ballots: the cell or unit that votes (staff may act for them); minutes are read by all.
    "appraisal:ballot_form": PROPOSERS,
    "appraisal:meeting_list": PERIOD_READERS,
    "appraisal:meeting_create": PROPOSERS,
    "appraisal:meeting_detail": PERIOD_READERS,
    "appraisal:meeting_void": PROPOSERS,  # POST: whoever records the meeting (or staff) voids a wrong tally
    # Verification is Ban Xây dựng Đảng's; the quota is read by those who weigh it; the decision
    # belongs to the standing committee, or a base organisation's committee for its members.
    "appraisal:verify_queue": STAFF,
    "appraisal:verify_group": STAFF,
    "appraisal:quota": frozenset({"staff", "standing", "viewer", "secretary"}),
    "appraisal:decide": frozenset({"standing", "secretary"}),
    "appraisal:decision_detail": PERIOD_READERS,
    "appraisal:decision_announce": frozenset({"staff", "standing", "secretary"}),
    # One rating: its page for everyone who may see it (a member: their own); scoring and the
    # self-assessment for the proposer, staff and the subject while it is open.
    "appraisal:rating_detail": EVERYONE_BUT_NOROLE,
    "appraisal:rating_scores": SCORERS,
    "appraisal:rating_preview": SCORERS,
    "appraisal:rating_review": SCORERS,
    "appraisal:rating_submit": frozenset({"staff", "secretary", "unit_leadership", "member"}),
    "appraisal:rating_reopen": PROPOSERS,
    "appraisal:rating_products": frozenset({"staff", "standing", "secretary", "unit_leadership", "member"}),
    "appraisal:products_approve": PROPOSERS,
    "appraisal:rating_axes": frozenset({"staff", "secretary", "unit_leadership", "member"}),
    "appraisal:rating_propose": PROPOSERS,
    "appraisal:rating_verify": STAFF,
    "appraisal:rating_unverify": STAFF,
    "appraisal:rating_adjust": STAFF,
    "appraisal:rating_return": STAFF,
    "appraisal:rating_rerate": STAFF,
    "appraisal:rating_complaint": PROPOSERS | {"member"},
    "appraisal:complaints": STAFF,
    "appraisal:complaint_resolve": STAFF,
    # A member's own ratings; a member's history (from the member's page).
    "appraisal:my_ratings": frozenset({"member"}),
    "appraisal:member_history": EVERYONE_BUT_NOROLE,
}

# Four eyes [issue 15; 002 §1.2, §2.2, §5.1]: a pinned role that is refused (403, saying why and
# where the work goes) on its *own* work: the head of a unit on their own list and level, a
# secretary on their own level, Ban Xây dựng Đảng on a proposal it made. `test_matrix` makes the
# object the role's own and knocks; another account of the same role then gets through.
OWN_REFUSED: dict[str, frozenset[str]] = {
    "appraisal:products_approve": frozenset({"unit_leadership", "staff"}),
    "appraisal:rating_propose": PROPOSERS,
    "appraisal:rating_verify": STAFF,
    "appraisal:rating_adjust": STAFF,
}
