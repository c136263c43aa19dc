"""Production: refuses to start without a secret key; HTTPS behind a reverse proxy."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("Thiếu biến môi trường SECRET_KEY: không thể khởi động bản triển khai.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^suc-khoe/$"]  # a load balancer asks over plain HTTP, inside
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Nothing needs a cache shared between workers (the sign-in brake counts in its own table), so each
# worker keeps its own in memory and no table can be missing. A shared one may be named with
# CACHE_URL (django-environ's form); `manage.py check --deploy` says if its table is missing.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Keep database connections between requests (and between the worker's jobs) instead of
# opening one per request; checked before reuse, so a restarted PostgreSQL costs no error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # Pages run short queries; PostgreSQL's JIT can spend longer compiling one than running it
    # (about a second on a province's dashboard): off for this application's connections.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")  # noqa: F405
