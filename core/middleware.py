"""Response headers Django does not set itself."""
from django.conf import settings


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (settings.PERMISSIONS_POLICY): features never used stay off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class LockedRowMiddleware:
    """A change the database's triggers refuse (a decided rating, a final report: core.db_guard)
    answers with the trigger's Vietnamese reason (409), not a server error. The request's
    transaction has been rolled back by then: nothing was saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DatabaseError
        from django.template.response import TemplateResponse

        from .db_guard import MARKER

        if not isinstance(exception, DatabaseError) or MARKER not in str(exception):
            return None
        text = str(exception).split(MARKER, 1)[1].lstrip(": ").splitlines()[0]
        response = TemplateResponse(request, "core/locked.html", {"message": text}, status=409)
        return response.render()
