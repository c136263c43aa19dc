"""Periods: creating, opening (a background job), deadlines, closing, the period's dashboard."""
