"""Pages of the organisation tree, the units, blocks and position groups, and the audit trail.

Each page reads through selectors, scoped to the user's part of the tree; each change is one
form and one service call (orgs.services), for party-building staff only.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from members import selectors as member_selectors
from members.models import PositionGroup

from . import manage_selectors, selectors, services
from .forms import (
    AuditFilterForm,
    CodeNameEditForm,
    CodeNameForm,
    ConfirmForm,
    OrgCreateForm,
    OrgEditForm,
    OrgMoveForm,
    UnitEditForm,
    UnitForm,
)
from .models import Block, PartyOrganization, Role
from .scope import get_visible_member, get_visible_org, get_visible_unit, role_required
from .vntext import search_text

STAFF = (Role.STAFF,)
AUDIT_READERS = (Role.STAFF, Role.STANDING)
AUDIT_PAGE_SIZE = 50


def call_service(form, service, /, **kwargs):
    """Call `service`; put its Vietnamese errors on the form. The result, or None if refused."""
    try:
        return service(**kwargs) or True
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def form_page(request, form, *, title: str, submit: str, cancel: str, intro: str = "", danger=False):
    """The shared page of one form: title, explanation, errors, submit and cancel."""
    return TemplateResponse(request, "orgs/form.html", {
        "form": form, "title": title, "submit": submit, "cancel": cancel, "intro": intro,
        "danger": danger,
    })


@role_required()
def home(request):
    """The start page: counts of the user's part of the tree, and what they can do."""
    user = request.user
    # Vietnamese order: family and middle names (last_name) before the given name.
    name = " ".join(part for part in (user.last_name, user.first_name) if part) or user.username
    return TemplateResponse(request, "home.html", {
        "links": selectors.home_links(request.scope),
        "display_name": name,
        "board": manage_selectors.dashboard(request.scope, timezone.localdate()),
    })


@role_required()
def tree(request):
    """The visible organisation tree, any depth, with member counts per subtree."""
    today = timezone.localdate()
    return TemplateResponse(request, "orgs/tree.html", {
        "nodes": selectors.org_tree(request.scope, today),
        "on": today,
    })


@role_required()
def detail(request, pk):
    """An organisation's page: its sub-organisations and its members, searchable and paged."""
    org = get_visible_org(request.scope, pk)
    today = timezone.localdate()
    text = search_text(request.GET.get("q"))
    include_left = bool(request.GET.get("ca_da_chuyen"))
    members = member_selectors.member_list(
        request.scope, today, organization=org, text=text, include_left=include_left
    )
    page = Paginator(members, member_selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    return TemplateResponse(request, "orgs/detail.html", {
        "org": org,
        "parent": org.parent if org.parent_id and request.scope.covers_org(org.parent) else None,
        "ancestors": selectors.ancestors(request.scope, org),
        "children": selectors.sub_organizations(request.scope, org),
        "text": text,
        "include_left": include_left,
        "page": page,
        "rows": member_selectors.member_rows(page.object_list, today),
        "can_edit": request.scope.edits_org(org),
        "can_manage": request.scope.is_staff_member,
        "on": today,
    })


@role_required()
def units(request):
    """Blocks and their units, with the leaders currently in post."""
    today = timezone.localdate()
    return TemplateResponse(request, "orgs/units.html", {
        "blocks": selectors.units_by_block(request.scope, today),
        "can_manage": request.scope.is_staff_member,
    })


@role_required()
def unit(request, pk):
    """A unit's page: its block, party organisation and every post held in it."""
    found = get_visible_unit(request.scope, pk)
    today = timezone.localdate()
    current, past = [], []
    for position in selectors.unit_positions(found):
        (current if position.is_current(today) else past).append(position)
    return TemplateResponse(request, "orgs/unit.html", {
        "unit": found, "current_positions": current, "past_positions": past,
        "can_manage": request.scope.is_staff_member,
    })


# --- Organisations (staff) -------------------------------------------------------------------


def _active_orgs():
    return PartyOrganization.objects.filter(is_active=True).order_by("path")


@role_required(*STAFF)
def org_create(request):
    """Create an organisation under a parent (preselected from ?cha=)."""
    initial = {}
    if "cha" in request.GET:
        initial["parent"] = get_visible_org(request.scope, request.GET["cha"]).pk
    form = OrgCreateForm(request.POST or None, parents=_active_orgs(), initial=initial)
    if request.method == "POST" and form.is_valid():
        org = call_service(form, services.org_create, actor=request.user, scope=request.scope, **form.cleaned_data)
        if org:
            messages.success(request, f"Đã thêm tổ chức đảng “{org}”.")
            return redirect(org)
    return form_page(request, form, title="Thêm tổ chức đảng", submit="Thêm tổ chức đảng",
                      cancel=reverse("orgs:tree"))


def _org_initial(org) -> dict:
    return {"fingerprint": services.fingerprint(org, services.ORG_FIELDS)}


@role_required(*STAFF)
def org_edit(request, pk):
    """Edit an organisation's name, code, date of establishment and order."""
    org = get_visible_org(request.scope, pk)
    initial = {"code": org.code, "name": org.name, "established_on": org.established_on,
               "sort_order": org.sort_order} | _org_initial(org)
    form = OrgEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.org_update, actor=request.user, scope=request.scope, org=org, **form.cleaned_data):
            messages.success(request, f"Đã lưu tổ chức đảng “{form.cleaned_data['name']}”.")
            return redirect(org)
    return form_page(request, form, title=f"Sửa: {org}", submit="Lưu", cancel=org.get_absolute_url())


@role_required(*STAFF)
def org_move(request, pk):
    """Move an organisation, with everything under it, to another parent."""
    org = get_visible_org(request.scope, pk)
    parents = _active_orgs().exclude(path__startswith=org.path)
    form = OrgMoveForm(request.POST or None, parents=parents, initial=_org_initial(org))
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.org_move, actor=request.user, scope=request.scope, org=org, **form.cleaned_data):
            messages.success(request, f"Đã chuyển “{org}” về trực thuộc “{form.cleaned_data['parent']}”.")
            return redirect(org)
    current = f"Hiện trực thuộc: {org.parent}." if org.parent_id else "Hiện là tổ chức cấp cao nhất."
    return form_page(request, form, title=f"Chuyển tổ chức: {org}", submit="Chuyển",
                      cancel=org.get_absolute_url(),
                      intro=f"{current} Các tổ chức trực thuộc và đảng viên của “{org}” chuyển theo.")


@role_required(*STAFF)
def org_deactivate(request, pk):
    """Mark an organisation as no longer active (refused while it has members or children)."""
    org = get_visible_org(request.scope, pk)
    form = ConfirmForm(request.POST or None, initial=_org_initial(org))
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.org_deactivate, actor=request.user, scope=request.scope, org=org, **form.cleaned_data):
            messages.success(request, f"“{org}” đã ngừng hoạt động.")
            return redirect(org)
    return form_page(request, form, title=f"Ngừng hoạt động: {org}", submit="Ngừng hoạt động",
                      cancel=org.get_absolute_url(), danger=True,
                      intro="Tổ chức ngừng hoạt động vẫn giữ lịch sử nhưng không nhận thêm đảng viên.")


# --- Units, blocks, position groups (staff) --------------------------------------------------


@role_required(*STAFF)
def unit_create(request):
    """Add a unit of the political system."""
    form = UnitForm(request.POST or None, initial={"block": request.GET.get("khoi")})
    if request.method == "POST" and form.is_valid():
        found = call_service(form, services.unit_create, actor=request.user, scope=request.scope, **form.cleaned_data)
        if found:
            messages.success(request, f"Đã thêm cơ quan, đơn vị “{found}”.")
            return redirect(found)
    return form_page(request, form, title="Thêm cơ quan, đơn vị", submit="Thêm", cancel=reverse("orgs:units"))


def _unit_fingerprint(found) -> dict:
    return {"fingerprint": services.fingerprint(found, services.UNIT_FIELDS)}


@role_required(*STAFF)
def unit_edit(request, pk):
    """Edit a unit."""
    found = get_visible_unit(request.scope, pk)
    initial = {
        "code": found.code, "name": found.name, "block": found.block_id,
        "party_organization": found.party_organization_id,
        "has_leadership_collective": found.has_leadership_collective, "sort_order": found.sort_order,
    } | _unit_fingerprint(found)
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.unit_update, actor=request.user, scope=request.scope, unit=found, **form.cleaned_data):
            messages.success(request, f"Đã lưu cơ quan, đơn vị “{form.cleaned_data['name']}”.")
            return redirect(found)
    return form_page(request, form, title=f"Sửa: {found}", submit="Lưu", cancel=found.get_absolute_url())


@role_required(*STAFF)
def unit_deactivate(request, pk):
    """Mark a unit as no longer active (refused while people hold posts in it)."""
    found = get_visible_unit(request.scope, pk)
    form = ConfirmForm(request.POST or None, initial=_unit_fingerprint(found))
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.unit_deactivate, actor=request.user, scope=request.scope, unit=found, **form.cleaned_data):
            messages.success(request, f"“{found}” đã ngừng hoạt động.")
            return redirect(found)
    return form_page(request, form, title=f"Ngừng hoạt động: {found}", submit="Ngừng hoạt động",
                      cancel=found.get_absolute_url(), danger=True)


@role_required(*STAFF)
def blocks(request):
    """Blocks and position groups, with links to add and edit them."""
    return TemplateResponse(request, "orgs/blocks.html", {
        "blocks": manage_selectors.blocks_with_unit_counts(),
        "groups": manage_selectors.position_groups_with_counts(),
    })


def _code_name_create(request, service, *, title: str, done: str):
    form = CodeNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = call_service(form, service, actor=request.user, scope=request.scope, **form.cleaned_data)
        if obj:
            messages.success(request, f"{done} “{obj}”.")
            return redirect("orgs:blocks")
    return form_page(request, form, title=title, submit="Thêm", cancel=reverse("orgs:blocks"))


def _code_name_edit(request, obj, service, *, fields, target: str):
    initial = {"code": obj.code, "name": obj.name, "sort_order": obj.sort_order,
               "fingerprint": services.fingerprint(obj, fields)}
    form = CodeNameEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if call_service(form, service, actor=request.user, scope=request.scope, **{target: obj}, **form.cleaned_data):
            messages.success(request, f"Đã lưu “{form.cleaned_data['name']}”.")
            return redirect("orgs:blocks")
    return form_page(request, form, title=f"Sửa: {obj}", submit="Lưu", cancel=reverse("orgs:blocks"))


@role_required(*STAFF)
def block_create(request):
    """Add a block of units."""
    return _code_name_create(request, services.block_create, title="Thêm khối", done="Đã thêm khối")


@role_required(*STAFF)
def block_edit(request, pk):
    """Edit a block of units."""
    block = get_object_or_404(Block, pk=pk)
    return _code_name_edit(request, block, services.block_update, fields=services.BLOCK_FIELDS, target="block")


@role_required(*STAFF)
def group_create(request):
    """Add a position group (the peer group of the 20 % quota)."""
    return _code_name_create(request, services.position_group_create, title="Thêm nhóm chức danh",
                             done="Đã thêm nhóm chức danh")


@role_required(*STAFF)
def group_edit(request, pk):
    """Edit a position group."""
    group = get_object_or_404(PositionGroup, pk=pk)
    return _code_name_edit(request, group, services.position_group_update, fields=services.GROUP_FIELDS,
                           target="group")


# --- Audit trail -----------------------------------------------------------------------------


def _audit_page(request, entries, **context):
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("trang"))
    return {"page": page, "rows": manage_selectors.audit_rows(page.object_list), **context}


@role_required(*AUDIT_READERS)
def audit(request):
    """The audit trail of the whole deployment, filtered by object type, actor and dates."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = manage_selectors.audit_entries(**{k: v for k, v in filters.items() if v})
    query = request.GET.copy()
    query.pop("trang", None)
    return TemplateResponse(request, "orgs/audit.html", _audit_page(
        request, entries, form=form, query=query.urlencode(), title="Nhật ký thay đổi",
    ))


def _history(request, obj, *, back: str):
    return TemplateResponse(request, "orgs/history.html", _audit_page(
        request, manage_selectors.object_history(obj), obj=obj, back=back,
        title=f"Lịch sử thay đổi: {obj}",
    ))


@role_required()
def org_history(request, pk):
    """The audit entries of one organisation."""
    org = get_visible_org(request.scope, pk)
    return _history(request, org, back=org.get_absolute_url())


@role_required()
def unit_history(request, pk):
    """The audit entries of one unit."""
    found = get_visible_unit(request.scope, pk)
    return _history(request, found, back=found.get_absolute_url())


@role_required()
def member_history(request, member_pk):
    """The audit entries of one member and of their posts."""
    member = get_visible_member(request.scope, member_pk)
    return _history(request, member, back=member.get_absolute_url())

