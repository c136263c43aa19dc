"""Requests an account must not make yet: with a temporary password, only the password change."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .services import must_change_password

TEMPORARY_PASSWORD_MESSAGE = "Đồng chí cần đổi mật khẩu tạm thời trước khi tiếp tục."

#: URL names an account with a temporary password may still open.
ALLOWED_URL_NAMES = frozenset({"accounts:password_change", "logout", "login"})


class TemporaryPasswordMiddleware:
    """Send an account holding a temporary password to the password change page.

    A staff member set the password and read it out, so until it is changed it is not a secret
    of its holder: every page but the password change (and signing out) answers with a redirect
    there, and nothing is changed. One query per signed-in request; static files never get here
    (WhiteNoise answers them first) and anonymous requests cost nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        user = request.user
        if not user.is_authenticated or not must_change_password(user):
            return None
        target = reverse("accounts:password_change")
        if request.headers.get("HX-Request"):
            # An htmx swap would put the whole page inside a fragment: ask for a full navigation.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        messages.warning(request, TEMPORARY_PASSWORD_MESSAGE)
        return redirect(target)
