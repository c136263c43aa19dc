"""Who may open each Excel import/export URL with GET, pinned by hand (never read from the views)."""
ALLOWED: dict[str, frozenset[str]] = {
    "workbook:import": frozenset({"staff"}),
    "workbook:template": frozenset({"staff"}),
    "workbook:export": frozenset({"staff", "standing"}),
}
