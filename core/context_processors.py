from .scope import scope_for


def roles(request):
    """Expose the user's scope to templates, for menus only (views enforce permissions)."""
    user = getattr(request, "user", None)
    return {"scope": scope_for(user)}
