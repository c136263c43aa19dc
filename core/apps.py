from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Phân quyền và nhật ký"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the deployment checks)
            lookups,  # noqa: F401  (registers field__any_of)
        )
