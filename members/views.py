"""Member pages: search, the member's page, and one view per change (each calls one service)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst

from core.models import Role
from core.scope import role_required
from core.views import call_service, history_page
from core.vntext import search_text
from orgs.scope import get_visible_org, visible_orgs, visible_units
from orgs.selectors import ancestors, editable_cells
from vnformat import fmt_date

from . import selectors, services
from .forms import (
    DisciplineRecordForm,
    MemberCreateForm,
    MemberEditForm,
    PeriodEndForm,
    PeriodForm,
    PositionEndForm,
    PositionForm,
    TemporaryActivityForm,
    TransferForm,
)
from .models import LeaderPosition, Member
from .scope import get_visible_member
from .validators import PERIOD_LABELS

WRITERS = (Role.SECRETARY, Role.STAFF)


def _editable_member(request, pk) -> Member:
    """The member if visible (else 404) and editable by the user (else 403)."""
    member = get_visible_member(request.scope, pk, queryset=Member.objects.select_related("cell"))
    if not request.scope.edits_org(member.cell):
        raise PermissionDenied("Đồng chí chỉ được thay đổi đảng viên thuộc chi bộ mình phụ trách.")
    return member


@role_required()
def member_search(request):
    """Find members in the user's part of the tree by name (without tones) or card number."""
    text = search_text(request.GET.get("q"))
    today = timezone.localdate()
    page = None
    if text:
        members = selectors.member_list(
            request.scope, today, text=text, include_left=bool(request.GET.get("ca_da_chuyen"))
        )
        page = Paginator(members, selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    return TemplateResponse(request, "members/search.html", {
        "text": text,
        "include_left": bool(request.GET.get("ca_da_chuyen")),
        "page": page,
        "rows": selectors.member_rows(page.object_list, today) if page else [],
    })


@role_required()
def member_detail(request, pk):
    """A member's page: identity, status, history and positions."""
    today = timezone.localdate()
    member = selectors.member_detail(request.scope, pk, today)
    current, past = selectors.split_positions(member, today)
    return TemplateResponse(request, "members/detail.html", {
        "member": member,
        "ancestors": ancestors(request.scope, member.cell),
        "row": selectors.member_row(member, today),
        "current_positions": current,
        "past_positions": past,
        "can_edit": request.scope.edits_org(member.cell),
        "open_exemption": selectors.open_period_pk(member.exemptions.all(), today),
        "open_suspension": selectors.open_period_pk(member.suspensions.all(), today),
        "open_temporary": selectors.open_period_pk(member.temporary_activities.all(), today),
    })


@role_required(*WRITERS)
def member_create(request):
    """Add a member to one of the cells the user may edit."""
    cells = editable_cells(request.scope)
    initial = {}
    if "chi_bo" in request.GET:
        initial["cell"] = get_visible_org(request.scope, request.GET["chi_bo"]).pk
    else:
        only = list(cells.values_list("pk", flat=True)[:2])
        if len(only) == 1:  # a secretary of one cell has nothing to choose
            initial["cell"] = only[0]
    form = MemberCreateForm(request.POST or None, cells=cells, initial=initial)
    if request.method == "POST" and form.is_valid():
        member = call_service(form, services.member_create, actor=request.user, scope=request.scope, **form.cleaned_data)
        if member:
            messages.success(request, f"Đã thêm đảng viên {member}.")
            return redirect(member)
    return TemplateResponse(request, "members/form.html", {
        "form": form, "title": "Thêm đảng viên", "submit": "Thêm đảng viên",
    })


@role_required(*WRITERS)
def member_edit(request, pk):
    """Edit a member; a form opened before someone else's save is refused."""
    member = _editable_member(request, pk)
    initial = {name: getattr(member, name) for name in services.MEMBER_FIELDS} | {"version": member.version}
    form = MemberEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if call_service(form, services.member_update, actor=request.user, scope=request.scope,
                        member=member, version=data.pop("version"), **data):
            messages.success(request, f"Đã lưu hồ sơ đảng viên {member}.")
            return redirect(member)
    return TemplateResponse(request, "members/form.html", {
        "form": form, "member": member, "title": f"Sửa hồ sơ: {member}", "submit": "Lưu",
    })


@role_required(*WRITERS)
def member_transfer(request, pk):
    """Transfer a member out of their cell to another cell of the deployment."""
    member = _editable_member(request, pk)
    form = TransferForm(request.POST or None, initial={"version": member.version})
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.member_transfer, actor=request.user, scope=request.scope,
                        member=member, **form.cleaned_data):
            messages.success(request, f"Đã chuyển sinh hoạt đảng viên {member} đến {form.cleaned_data['to_cell']}.")
            if request.scope.covers_org(form.cleaned_data["to_cell"]):
                return redirect(member)
            return redirect("orgs:tree")
    return TemplateResponse(request, "members/form.html", {
        "form": form, "member": member, "title": f"Chuyển sinh hoạt: {member}", "submit": "Chuyển sinh hoạt",
        "intro": f"Đang sinh hoạt tại: {member.cell}.",
    })


def _action_view(request, *, page_member: Member, form, service, title: str, done: str,
                 submit: str = "Lưu", **service_kwargs):
    """Show `form`; on a valid POST call `service` with the form's data, then show the member."""
    if request.method == "POST" and form.is_valid():
        if call_service(form, service, actor=request.user, scope=request.scope, **service_kwargs, **form.cleaned_data):
            messages.success(request, done)
            return redirect(page_member)
    return TemplateResponse(request, "members/form.html", {
        "form": form, "member": page_member, "title": title, "submit": submit,
    })


# The form that starts an exemption, a suspension or a temporary activity.
PERIOD_FORMS = {"exemption": PeriodForm, "suspension": PeriodForm, "temporary": TemporaryActivityForm}


@role_required(*WRITERS)
def period_start(request, pk, kind: str):
    """Record that a member is exempted, suspended or active elsewhere for a while (`kind`, set
    by the URL), from a date."""
    member = _editable_member(request, pk)
    label = PERIOD_LABELS[kind]
    return _action_view(
        request, page_member=member, form=PERIOD_FORMS[kind](request.POST or None), service=services.period_start,
        title=f"{capfirst(label)}: {member}", done=f"Đã ghi {label} cho đảng viên {member}.", member=member,
        kind=kind,
    )


@role_required(*WRITERS)
def period_end(request, pk, kind: str):
    """End the member's current exemption, suspension or temporary activity (`kind`, set by the
    URL); say so plainly when there is none."""
    member = _editable_member(request, pk)
    label = PERIOD_LABELS[kind]
    title = f"Kết thúc {label}: {member}"
    period = services.current_period(member, kind, timezone.localdate())
    if period is None:
        return TemplateResponse(request, "members/form.html", {
            "member": member, "title": title, "form": None,
            "intro": f"Đảng viên {member} hiện không có thời gian {label} nào chưa kết thúc.",
        })
    until = f" đến {fmt_date(period.end_on)}" if period.end_on else " (chưa xác định ngày kết thúc)"
    where = f" tại {period.place}" if kind == "temporary" else ""
    form = PeriodEndForm(request.POST or None, initial={
        "end_on": timezone.localdate(), "version": period.version,
    })
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.period_end, actor=request.user, scope=request.scope, member=member,
                        kind=kind, end_on=form.cleaned_data["end_on"], version=form.cleaned_data["version"]):
            messages.success(request, f"Đã ghi kết thúc {label} cho đảng viên {member}.")
            return redirect(member)
    return TemplateResponse(request, "members/form.html", {
        "form": form, "member": member, "title": title, "submit": "Ghi ngày kết thúc",
        "intro": f"Đang ghi: từ {fmt_date(period.start_on)}{until}{where}.",
    })


@role_required(*WRITERS)
def member_discipline(request, pk):
    """Record a discipline decision against a member."""
    member = _editable_member(request, pk)
    return _action_view(
        request, page_member=member, form=DisciplineRecordForm(request.POST or None),
        service=services.discipline_record, title=f"Ghi kỷ luật: {member}",
        done=f"Đã ghi quyết định kỷ luật đối với đảng viên {member}.", member=member,
    )


@role_required(*WRITERS)
def position_add(request, pk):
    """Record a leadership post held by a member."""
    member = _editable_member(request, pk)
    form = PositionForm(
        request.POST or None,
        units=visible_units(request.scope).filter(is_active=True),
        organizations=visible_orgs(request.scope).order_by("path"),
    )
    return _action_view(
        request, page_member=member, form=form, service=services.position_add,
        title=f"Thêm chức vụ: {member}", done=f"Đã thêm chức vụ cho đảng viên {member}.",
        submit="Thêm chức vụ", member=member,
    )


@role_required(*WRITERS)
def position_end(request, position_pk):
    """End a leadership post on a date."""
    try:
        position = LeaderPosition.objects.select_related("member").get(pk=position_pk)
    except LeaderPosition.DoesNotExist as exc:
        raise Http404("Không tìm thấy chức vụ.") from exc
    member = _editable_member(request, position.member_id)
    return _action_view(
        request, page_member=member, form=PositionEndForm(request.POST or None), service=services.position_end,
        title=f"Thôi giữ chức vụ: {position.title} — {member}",
        done=f"Đã ghi thôi giữ chức vụ {position.title}.", position=position,
    )


@role_required()
def member_history(request, pk):
    """The audit entries of one member and of their posts."""
    member = get_visible_member(request.scope, pk)
    return history_page(request, member, back=member.get_absolute_url(), related=member.positions.all())
