"""Who may open each URL the scale work added with GET, pinned by hand (never read from the views).

Background jobs (/cong-viec/): every role may list and open its own jobs (party-building staff see
everyone's); another user's job is a 404. Rerunning an interrupted job (POST) is let in for every
role, then refused (403) unless the user started the job and it may run again. The tree's branch (/to-chuc/<pk>/cay/): every role, a
404 outside the role's part of the tree.
"""
ALL = frozenset({"secretary", "unit_leadership", "staff", "standing", "viewer"})

ALLOWED: dict[str, frozenset[str]] = {
    "jobs:list": ALL,
    "jobs:detail": ALL,
    "jobs:download": ALL,
    "jobs:retry": ALL,
    "orgs:tree_branch": ALL,
}
