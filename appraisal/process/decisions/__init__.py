"""Decisions and their announcement."""
