"""Criteria frameworks: the editor, its forms and services, XLSX, defaults, loading for the engine."""
