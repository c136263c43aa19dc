"""The secretary's grid: every member of a cell against every criterion, on the page and as XLSX."""
