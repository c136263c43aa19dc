"""Meetings that vote, and proposals."""
