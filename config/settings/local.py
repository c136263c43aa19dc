"""Development on one machine: the embedded SQLite database and debug pages."""
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")

# The demo signs with its own test certificates (manage.py make_test_certificates, run by
# scripts/run and seed_demo when missing), labelled "CHỨNG THƯ THỬ NGHIỆM" wherever they appear.
DEMO_SIGNING_DIR = BASE_DIR / "var" / "signing"  # noqa: F405
SIGNING_PKCS12 = env("SIGNING_PKCS12", default=str(DEMO_SIGNING_DIR / "organisation.p12"))
SIGNING_PASSWORD = env("SIGNING_PASSWORD", default="thu-nghiem")
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[str(DEMO_SIGNING_DIR / "ca.pem")])
