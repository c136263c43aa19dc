"""Account pages: staff manage users and their roles without the admin; everyone changes
their own password. Each change is one form and one service call (orgs.services)."""
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.views import PasswordChangeView
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode

from core.dates import format_moment
from core.forms import ConfirmOnlyForm
from core.models import Role, RoleAssignment
from core.scope import SIGNED_IN, role_required
from core.views import call_service, form_page, service_page
from core.vntext import search_text

from . import selectors, services
from .forms import (
    RoleAssignForm,
    UserCreateForm,
    UserEditForm,
    VietnamesePasswordChangeForm,
)
from .login import paused_until

STAFF = (Role.STAFF,)
PAGE_SIZE = 50


def _account(pk):
    try:
        return selectors.user_detail(pk)
    except get_user_model().DoesNotExist as exc:
        raise Http404("Không tìm thấy tài khoản.") from exc


def _confirm_form(request) -> ConfirmOnlyForm:
    """A bare confirmation, bound on a POST."""
    return ConfirmOnlyForm(request.POST if request.method == "POST" else None)


def _display_name(user) -> str:
    return " ".join(p for p in (user.last_name, user.first_name) if p) or user.username


@role_required(*STAFF)
def account_list(request):
    """Every account with its roles and where they apply, searchable and paged."""
    text = search_text(request.GET.get("q"))
    page = Paginator(selectors.user_list(text), PAGE_SIZE).get_page(request.GET.get("trang"))
    return TemplateResponse(request, "accounts/list.html", {
        "page": page, "text": text, "query": urlencode({"q": text}) if text else "", "rows": _rows(page.object_list),
    })


def _rows(users) -> list[dict]:
    return [
        {"user": u, "name": _display_name(u),
         "roles": [(a, selectors.role_label(a), selectors.scope_label(a)) for a in u.role_assignments.all()]}
        for u in users
    ]


@role_required(*STAFF)
def account_detail(request, pk):
    """One account: name, member, roles (each removable) and actions."""
    user = _account(pk)
    return TemplateResponse(request, "accounts/detail.html", {
        "account": user, "name": _display_name(user), "member": getattr(user, "member", None),
        "roles": [(a, selectors.role_label(a), selectors.scope_label(a)) for a in user.role_assignments.all()],
        "role_form": RoleAssignForm(),
        "is_self": user.pk == request.user.pk,
        "must_change": services.must_change_password(user),
        "paused_until": paused_until(user.get_username()),
    })


def _show_password(request, user, password, *, title):
    """The page that shows a temporary password once: never cached, never stored."""
    response = TemplateResponse(request, "accounts/password_shown.html", {
        "account": user, "password": password, "title": title, "name": _display_name(user),
    })
    response.headers["Cache-Control"] = "no-store"
    return response


@role_required(*STAFF)
def account_create(request):
    """Create an account; its temporary password is shown once, on the answer to the POST."""
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = call_service(form, services.user_create, actor=request.user, scope=request.scope, **form.cleaned_data)
        if created:
            user, password = created
            return _show_password(request, user, password, title=f"Đã tạo tài khoản “{user.username}”")
    return form_page(request, form, title="Tạo tài khoản", submit="Tạo tài khoản",
                      cancel=reverse("accounts:list"),
                      intro="Sau khi tạo, mật khẩu tạm thời hiện một lần: hãy ghi lại và trao cho người dùng.")


@role_required(*STAFF)
def account_edit(request, pk):
    """Change an account's full name and linked member."""
    user = _account(pk)
    member = getattr(user, "member", None)
    initial = {
        "full_name": _display_name(user) if (user.last_name or user.first_name) else "",
        "card_number": member.card_number if member else "",
        "version": services.account_version(user),
    }
    return service_page(
        request, UserEditForm(request.POST or None, initial=initial), services.user_update, user=user,
        done=f"Đã lưu tài khoản “{user.username}”.", back=reverse("accounts:detail", args=[user.pk]),
        title=f"Sửa tài khoản: {user.username}", submit="Lưu",
    )


@role_required(*STAFF)
def role_add(request, pk):
    """Give the account a role over a scope."""
    user = _account(pk)
    return service_page(
        request, RoleAssignForm(request.POST or None), services.role_assign, user=user,
        done=lambda data: f"Đã giao vai trò “{Role(data['role']).label}” cho “{user.username}”.",
        back=reverse("accounts:detail", args=[user.pk]), title=f"Giao vai trò: {user.username}", submit="Giao vai trò",
    )


@role_required(*STAFF)
def role_remove(request, assignment_pk):
    """Take a role away from an account, after confirmation."""
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "organization", "unit"), pk=assignment_pk
    )
    user = assignment.user
    return service_page(
        request, _confirm_form(request), services.role_remove, assignment=assignment,
        done=f"Đã bỏ vai trò “{selectors.role_label(assignment)}” của “{user.username}”.",
        back=reverse("accounts:detail", args=[user.pk]), title=f"Bỏ vai trò: {user.username}", submit="Bỏ vai trò",
        danger=True,
        intro=f"Bỏ vai trò “{selectors.role_label(assignment)}” ({selectors.scope_label(assignment)}) "
              f"của tài khoản “{user.username}”?",
    )


@role_required(*STAFF)
def account_password_reset(request, pk):
    """Set a temporary password, shown once on the answer to the POST."""
    user = _account(pk)
    form = _confirm_form(request)
    if request.method == "POST" and form.is_valid():
        password = call_service(form, services.password_reset, actor=request.user, scope=request.scope, user=user)
        if password:
            return _show_password(request, user, password, title=f"Mật khẩu tạm thời của “{user.username}”")
    return form_page(request, form, title=f"Đặt mật khẩu tạm thời: {user.username}", submit="Đặt mật khẩu tạm thời",
                      cancel=reverse("accounts:detail", args=[user.pk]),
                      intro="Mật khẩu cũ sẽ không dùng được nữa. Mật khẩu tạm thời chỉ hiện một lần.")


def _set_active(request, pk, *, active: bool):
    user = _account(pk)
    verb = "Mở lại" if active else "Khóa"
    return service_page(
        request, _confirm_form(request), services.user_set_active, user=user, active=active,
        done=f"Đã {verb.lower()} tài khoản “{user.username}”.", back=reverse("accounts:detail", args=[user.pk]),
        title=f"{verb} tài khoản: {user.username}", submit=f"{verb} tài khoản", danger=not active,
        intro="" if active else "Tài khoản bị khóa không đăng nhập được; lịch sử vẫn được giữ.",
    )


@role_required(*STAFF)
def signin_resume(request, pk):
    """Lift the pause on the account's sign-in after wrong passwords, after confirmation."""
    user = _account(pk)
    until = paused_until(user.get_username())
    intro = (f"Đăng nhập đang tạm dừng đến {format_moment(until)} vì nhập sai mật khẩu nhiều lần. "
             "Chỉ mở lại khi đã xác minh đúng là chủ tài khoản đang cần đăng nhập." if until
             else "Đăng nhập của tài khoản này không bị tạm dừng.")
    return service_page(
        request, _confirm_form(request), services.signin_resume, user=user,
        done=f"Đã mở lại đăng nhập cho tài khoản “{user.username}”.", back=reverse("accounts:detail", args=[user.pk]),
        title=f"Mở lại đăng nhập: {user.username}", submit="Mở lại đăng nhập", intro=intro,
    )


@role_required(*STAFF)
def account_deactivate(request, pk):
    """Close an account: it can no longer sign in."""
    return _set_active(request, pk, active=False)


@role_required(*STAFF)
def account_activate(request, pk):
    """Open a closed account again."""
    return _set_active(request, pk, active=True)


class _PasswordChange(PasswordChangeView):
    """Django's password change, in Vietnamese; back to the home page with a message."""

    form_class = VietnamesePasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        """Whether the password is a temporary one: then there is nowhere to go back to."""
        return super().get_context_data(**kwargs, must_change=services.must_change_password(self.request.user))

    def form_valid(self, form):
        services.own_password_change(user=form.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return HttpResponseRedirect(self.get_success_url())


password_change = role_required(SIGNED_IN)(_PasswordChange.as_view())
