"""Production settings as gunicorn runs them, for the tests that start several web processes.

Only the static files differ (served from the source folders, not collected): everything a later
request needs — sessions, previewed uploads, the sign-in brake — is exactly production's.
"""
from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
