"""`manage.py check --deploy`: what a deployment still lacks, said in Vietnamese."""
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections


@register(Tags.caches, deploy=True)
def database_cache_tables(app_configs=None, **kwargs):
    """Every database cache the settings name has its table (`createcachetable` makes it)."""
    wanted = {
        alias: conf.get("LOCATION")
        for alias, conf in settings.CACHES.items()
        if conf.get("BACKEND", "").endswith("DatabaseCache")
    }
    if not wanted:
        return []
    try:
        with connections["default"].cursor() as cursor:
            existing = set(connections["default"].introspection.table_names(cursor))
    except DatabaseError as exc:
        return [Warning(f"Không kết nối được cơ sở dữ liệu để kiểm tra bảng cache: {exc}", id="core.W001")]
    return [
        Error(
            f"Thiếu bảng cache “{table}” (CACHES['{alias}']) trong cơ sở dữ liệu.",
            hint="Chạy `manage.py createcachetable` với cùng DJANGO_SETTINGS_MODULE của bản triển khai.",
            id="core.E001",
        )
        for alias, table in wanted.items()
        if table not in existing
    ]


@register(Tags.security, deploy=True)
def content_security_policy(app_configs=None, **kwargs):
    """Pages forbid inline scripts and styles and anything from other sites (django-csp)."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES", {})
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE or "'self'" not in directives.get("default-src", []):
        return [Error("Chưa bật Content-Security-Policy (chỉ cho phép nội dung của chính trang).", id="core.E002")]
    return []
