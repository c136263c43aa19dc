"""Settings shared by every environment; everything variable comes from the environment."""
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "django_htmx",
    "template_partials",
    "csp",
    # core before django_tasks_db: its `db_worker` (the same worker, marking stale jobs first) wins.
    "core",
    "django_tasks",
    "django_tasks_db",
    "orgs",
    "members",
    "accounts",
    "appraisal",
    "reports",
    "demo",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.LockedRowMiddleware",
    "accounts.middleware.TemporaryPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Pages load nothing but their own files: no inline script or style, nothing from other sites
# (htmx is vendored; its inline indicator style is turned off in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Style attributes only (no <style> element): a few pages indent tree rows with
        # style="--level: 2"; they cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Browser features the software never uses stay off (core.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# The embedded SQLite database is shared by the web server's threads and the background worker.
# Write-ahead logging lets pages (a job's progress) read while the worker writes. A transaction
# takes the write lock when it begins (IMMEDIATE) and waits up to `timeout` seconds for a
# competing writer: a transaction that had read, then wanted to write after another process
# wrote, would otherwise fail at once with "database is locked" (a sign-in while the worker ran
# a job did).
SQLITE_OPTIONS = {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every sign-in (ours and the admin's) goes through the brake on password guessing (accounts.login).
AUTHENTICATION_BACKENDS = ["accounts.login.BrakedModelBackend"]
# Argon2 as Django's documentation recommends: well under a second per sign-in on a small server
# (PBKDF2 at Django's iterations takes about one); older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},  # Vietnamese message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Commune offices share computers: a session ends with the browser, and after a working day.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Numbers and dates are printed by `vnformat` through `{% load vn %}` where they are shown
# ("3.254", "05/3/2026"); a global grouping would also group ids and years ("2.026", "?chi_bo=1.234").
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Long work (imports, exports, opening a period, long PDFs) runs as background jobs in the
# database queue; `manage.py db_worker` runs them (scripts/run starts one beside the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job reports progress (its heartbeat) at least this often; one silent for longer has
# lost its worker (killed, restarted) and is shown as interrupted (core.jobs.mark_stale_jobs).
JOB_STALE_AFTER = timedelta(minutes=env.int("JOB_STALE_MINUTES", default=10))
# Each `db_worker` also beats from a thread of its own every few seconds, whatever its job is doing
# (one long write transaction included): a worker silent this long is gone, and its job is run
# again where that is safe, else marked interrupted (on SQLite, whose one writer at a time can hold
# the beat back, JOB_STALE_AFTER applies instead).
JOB_WORKER_STALE_AFTER = timedelta(seconds=env.int("JOB_WORKER_STALE_SECONDS", default=60))

# Issued documents are signed (PAdES) with the organisation's certificate from a PKCS#12 file;
# empty: issued unsigned (core/signing.py; docs/signing.md for a PKCS#11 USB token).
SIGNING_PKCS12 = env("SIGNING_PKCS12", default="")
SIGNING_PASSWORD = env("SIGNING_PASSWORD", default="")
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[])  # PEM files of trusted CAs
SIGNING_TSA_URL = env("SIGNING_TSA_URL", default="")  # RFC 3161 timestamp server; empty: none
# The address printed (and in the QR) under an issued document for checking it.
PUBLIC_URL = env("PUBLIC_URL", default="http://127.0.0.1:8000")
VERIFY_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
VERIFY_PER_HOUR = env.int("VERIFY_PER_HOUR", default=30)  # checks per client address per hour

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
