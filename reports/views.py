"""The home page: what the user can do and the counts of their part of the tree."""
from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from appraisal.selectors import work_waiting
from core.models import Role
from core.scope import ALL_ROLES, MEMBER, Scope, role_required
from orgs.models import PartyOrganization, Unit

from .dashboard import dashboard


@dataclass(frozen=True)
class HomeLink:
    """One thing the user can do, as the home page lists it."""

    label: str
    url: str
    help: str


def _url(name: str) -> str:
    """The URL of `name`, or "" if the project has no such page."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def own_places(scope: Scope) -> list[HomeLink]:
    """The cells a secretary leads and the units a leadership account belongs to (two queries)."""
    links = []
    paths = scope.org_paths.get(Role.SECRETARY, ())
    if paths:
        for org in PartyOrganization.objects.filter(path__in=paths).order_by("path"):
            links.append(HomeLink(org.name, org.get_absolute_url(), "Đảng viên của chi bộ, tìm kiếm, cập nhật hồ sơ."))
    if scope.unit_ids:
        for unit in Unit.objects.filter(pk__in=scope.unit_ids).order_by("name"):
            links.append(HomeLink(unit.name, unit.get_absolute_url(), "Lãnh đạo, quản lý của cơ quan, đơn vị."))
    return links


def home_links(scope: Scope) -> list[HomeLink]:
    """What the user can do from the home page, by role."""
    links = [
        *own_places(scope),
        HomeLink("Cây tổ chức đảng", _url("orgs:tree"), "Các tổ chức đảng trong phạm vi, số đảng viên."),
        HomeLink("Cơ quan, đơn vị", _url("orgs:units"), "Các khối, cơ quan, đơn vị và lãnh đạo."),
        HomeLink("Tìm đảng viên", _url("members:search"), "Tìm theo tên (không cần dấu) hoặc số thẻ."),
    ]
    if scope.is_staff_member or scope.has_role(Role.SECRETARY):
        links.append(HomeLink("Thêm đảng viên", _url("members:create"), "Nhập đảng viên mới vào chi bộ."))
    if scope.is_staff_member:
        links.append(HomeLink("Nhập/xuất Excel", _url("workbook:import"), "Nhập danh sách đảng viên từ tệp Excel."))
    if scope.is_staff_member or scope.has_role(Role.STANDING):
        links.append(HomeLink("Khung tiêu chí", _url("appraisal:framework_list"), "Các khung tiêu chí, biểu điểm."))
    return [link for link in links if link.url]


@role_required(*ALL_ROLES, MEMBER)
def home(request):
    """The start page: counts of the user's part of the tree, and what they can do."""
    user = request.user
    # Vietnamese order: family and middle names (last_name) before the given name.
    name = " ".join(part for part in (user.last_name, user.first_name) if part) or user.username
    return TemplateResponse(request, "home.html", {
        "links": home_links(request.scope),
        "display_name": name,
        "board": dashboard(request.scope, timezone.localdate()),
        "waiting": work_waiting(request.scope),
    })
