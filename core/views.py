"""Views every app shares: a form page, code-and-name pages, and the audit trail."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .audit import audit_entries, audit_rows, object_history
from .forms import AuditFilterForm, CodeNameEditForm, CodeNameForm, TamperedPost, form_errors
from .models import Role
from .scope import role_required

AUDIT_READERS = (Role.STAFF, Role.STANDING)
AUDIT_PAGE_SIZE = 50


def bad_request(request, exception=None):
    """The 400 page (handler400): a tampered post's message names its field; others stay generic."""
    message = str(exception) if isinstance(exception, TamperedPost) else ""
    return TemplateResponse(request, "400.html", {"message": message}, status=400).render()


def call_service(form, service, /, **kwargs):
    """Call `service`; put its Vietnamese errors on the form. The result, or None if refused."""
    try:
        return service(**kwargs) or True
    except ValidationError as exc:
        form_errors(form, exc)
        return None


def form_page(request, form, *, title: str, submit: str, cancel: str, intro: str = "", danger=False):
    """The shared page of one form: title, explanation, errors, submit and cancel."""
    return TemplateResponse(request, "orgs/form.html", {
        "form": form, "title": title, "submit": submit, "cancel": cancel, "intro": intro,
        "danger": danger,
    })


def service_page(request, form, service, /, *, done, back: str, title: str, submit: str,
                 intro: str = "", danger=False, **service_kwargs):
    """A form page whose valid POST calls `service` with the form's data and `service_kwargs`, then
    says `done` (a text, or a function of the form's data) and goes `back`, where cancel leads."""
    if request.method == "POST" and form.is_valid():
        if call_service(form, service, actor=request.user, scope=request.scope, **service_kwargs, **form.cleaned_data):
            messages.success(request, done(form.cleaned_data) if callable(done) else done)
            return redirect(back)
    return form_page(request, form, title=title, submit=submit, cancel=back, intro=intro, danger=danger)


def code_name_create(request, service, *, title: str, done: str, back: str = "orgs:blocks"):
    """The page adding a row that has a code, a name and an order (block, position group)."""
    form = CodeNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = call_service(form, service, actor=request.user, scope=request.scope, **form.cleaned_data)
        if obj:
            messages.success(request, f"{done} “{obj}”.")
            return redirect(back)
    return form_page(request, form, title=title, submit="Thêm", cancel=reverse(back))


def code_name_edit(request, obj, service, *, back: str = "orgs:blocks"):
    """The page editing a row that has a code, a name and an order (block, position group)."""
    initial = {"code": obj.code, "name": obj.name, "sort_order": obj.sort_order,
               "version": obj.version}
    return service_page(
        request, CodeNameEditForm(request.POST or None, initial=initial), service, row=obj,
        done=lambda data: f"Đã lưu “{data['name']}”.", back=reverse(back), title=f"Sửa: {obj}", submit="Lưu",
    )


def audit_page(request, entries, **context):
    """The context of one page of audit rows."""
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("trang"))
    return {"page": page, "rows": audit_rows(page.object_list), **context}


@role_required(*AUDIT_READERS)
def audit(request):
    """The audit trail of the whole deployment, filtered by object type, actor and dates."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entries(**{k: v for k, v in filters.items() if v})
    query = request.GET.copy()
    query.pop("trang", None)
    return TemplateResponse(request, "orgs/audit.html", audit_page(
        request, entries, form=form, query=query.urlencode(), title="Nhật ký thay đổi",
    ))


def history_page(request, obj, *, back: str, related=None):
    """The audit entries of one object (and of `related` objects), newest first."""
    return TemplateResponse(request, "orgs/history.html", audit_page(
        request, object_history(obj, related=related), obj=obj, back=back,
        title=f"Lịch sử thay đổi: {obj}",
    ))
