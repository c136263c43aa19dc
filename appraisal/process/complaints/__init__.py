"""Complaints about ratings."""
