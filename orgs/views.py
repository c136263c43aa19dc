"""Pages that change the organisation tree, the units and the blocks (party-building staff).

Each change is one form and one service call (orgs.services); the pages that show the tree with
its members live in members.org_views.
"""
from functools import partial

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.forms import ConfirmForm
from core.models import Role
from core.scope import role_required
from core.views import (
    call_service,
    code_name_create,
    code_name_edit,
    form_page,
    history_page,
    service_page,
)

from . import services
from .forms import (
    OrgCreateForm,
    OrgEditForm,
    OrgMoveForm,
    PlacementRuleForm,
    UnitEditForm,
    UnitForm,
)
from .models import Block, OrgKind, PartyOrganization, PlacementRule
from .scope import get_visible_org, get_visible_unit
from .selectors import placement_rules
from .validators import DEFAULT_PLACEMENT

STAFF = (Role.STAFF,)


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
    return {"version": org.version}


@role_required(*STAFF)
def org_edit(request, pk):
    """Edit an organisation's name, code, date of establishment, order and the letterhead of its documents."""
    org = get_visible_org(request.scope, pk)
    initial = {"code": org.code, "name": org.name, "established_on": org.established_on,
               "sort_order": org.sort_order, "letterhead_superior": org.letterhead_superior,
               "letterhead_issuer": org.letterhead_issuer, "letterhead_place": org.letterhead_place} | _org_initial(org)
    return _edit_page(request, org, OrgEditForm(request.POST or None, initial=initial), services.org_update,
                      noun="tổ chức đảng", org=org)


def _edit_page(request, row, form, service, /, *, noun: str, **service_kwargs):
    """Edit an organisation or a unit, then go back to its page."""
    return service_page(
        request, form, service, **service_kwargs, done=lambda data: f"Đã lưu {noun} “{data['name']}”.",
        back=row.get_absolute_url(), title=f"Sửa: {row}", submit="Lưu",
    )


@role_required(*STAFF)
def org_move(request, pk):
    """Move an organisation, with everything under it, to another parent."""
    org = get_visible_org(request.scope, pk)
    parents = _active_orgs().exclude(path__startswith=org.path)
    current = f"Hiện trực thuộc: {org.parent}." if org.parent_id else "Hiện là tổ chức cấp cao nhất."
    return service_page(
        request, OrgMoveForm(request.POST or None, parents=parents, initial=_org_initial(org)), services.org_move,
        org=org, done=lambda data: f"Đã chuyển “{org}” về trực thuộc “{data['parent']}”.",
        back=org.get_absolute_url(), title=f"Chuyển tổ chức: {org}", submit="Chuyển",
        intro=f"{current} Các tổ chức trực thuộc và đảng viên của “{org}” chuyển theo.",
    )


@role_required(*STAFF)
def org_deactivate(request, pk):
    """Mark an organisation as no longer active (refused while it has members or children)."""
    org = get_visible_org(request.scope, pk)
    return _deactivate_page(
        request, org, services.org_deactivate, org=org,
        intro="Tổ chức ngừng hoạt động vẫn giữ lịch sử nhưng không nhận thêm đảng viên.",
    )


def _deactivate_page(request, row, service, /, *, intro: str = "", **service_kwargs):
    """Confirm that an organisation or a unit stops being active, with the version shown."""
    return service_page(
        request, ConfirmForm(request.POST or None, initial={"version": row.version}), service, **service_kwargs,
        done=f"“{row}” đã ngừng hoạt động.", back=row.get_absolute_url(), title=f"Ngừng hoạt động: {row}",
        submit="Ngừng hoạt động", intro=intro, danger=True,
    )


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


@role_required(*STAFF)
def unit_edit(request, pk):
    """Edit a unit."""
    found = get_visible_unit(request.scope, pk)
    initial = {
        "code": found.code, "name": found.name, "block": found.block_id,
        "party_organization": found.party_organization_id,
        "has_leadership_collective": found.has_leadership_collective, "sort_order": found.sort_order,
        "version": found.version,
    }
    return _edit_page(request, found, UnitEditForm(request.POST or None, initial=initial), services.unit_update,
                      noun="cơ quan, đơn vị", unit=found)


@role_required(*STAFF)
def unit_deactivate(request, pk):
    """Mark a unit as no longer active (refused while people hold posts in it)."""
    found = get_visible_unit(request.scope, pk)
    return _deactivate_page(request, found, services.unit_deactivate, unit=found)


@role_required(*STAFF)
def block_create(request):
    """Add a block of units."""
    return code_name_create(request, partial(services.coded_list_create, model=Block), title="Thêm khối",
                            done="Đã thêm khối")


@role_required(*STAFF)
def block_edit(request, pk):
    """Edit a block of units."""
    block = get_object_or_404(Block, pk=pk)
    return code_name_edit(request, block, services.coded_list_update)


@role_required()
def org_history(request, pk):
    """The audit entries of one organisation."""
    org = get_visible_org(request.scope, pk)
    return history_page(request, org, back=org.get_absolute_url())


@role_required()
def unit_history(request, pk):
    """The audit entries of one unit."""
    found = get_visible_unit(request.scope, pk)
    return history_page(request, found, back=found.get_absolute_url())


# --- Placement rules (staff edit, the standing committee reads) ------------------------------


@role_required(Role.STAFF, Role.STANDING)
def placement_rules_page(request):
    """Where each kind of organisation may sit: at the top, under which kinds."""
    rules = placement_rules()
    rows = [
        {"kind": value, "label": label, "top": None in rules[value],
         "parents": [OrgKind(k).label for k in OrgKind.values if k in rules[value]]}
        for value, label in OrgKind.choices
    ]
    return TemplateResponse(request, "orgs/placement_rules.html", {
        "rows": rows, "can_edit": request.scope.is_staff_member,
    })


@role_required(*STAFF)
def placement_rule_edit(request, kind: str):
    """Change where organisations of one kind may sit."""
    if kind not in OrgKind.values:
        raise Http404("Không có loại tổ chức này.")
    default = DEFAULT_PLACEMENT[kind]
    rule = PlacementRule.objects.filter(kind=kind).first() or PlacementRule(
        kind=kind, top_allowed=None in default, parent_kinds=[k for k in OrgKind.values if k in default],
    )
    initial = {"top_allowed": rule.top_allowed, "parent_kinds": rule.parent_kinds, "version": rule.version}
    return service_page(
        request, PlacementRuleForm(request.POST or None, initial=initial), services.placement_rule_update, kind=kind,
        done=f"Đã lưu quy tắc trực thuộc của “{OrgKind(kind).label}”.", back=reverse("orgs:placement_rules"),
        title=f"Quy tắc trực thuộc: {OrgKind(kind).label}", submit="Lưu",
        intro="Quy tắc áp dụng khi thêm, chuyển tổ chức đảng, trên trang quản trị và khi nhập từ Excel.",
    )
