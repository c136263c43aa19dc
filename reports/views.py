"""The home page: what the user can do and the counts of their part of the tree."""
from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from appraisal.selectors import work_waiting
from core.models import Role
from core.scope import ALL_ROLES, MEMBER, Scope, role_required
from orgs.models import PartyOrganization, Unit

from . import charts
from .dashboard import Dashboard, dashboard, year_end_report
from .year_end_views import READERS, report_url


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
    links = [*own_places(scope)]
    if scope.holds_a_role:  # a member's own account sees only its own results
        links += [
            HomeLink("Cây tổ chức đảng", _url("orgs:tree"), "Các tổ chức đảng trong phạm vi, số đảng viên."),
            HomeLink("Cơ quan, đơn vị", _url("orgs:units"), "Các khối, cơ quan, đơn vị và lãnh đạo."),
            HomeLink("Tìm đảng viên", _url("members:search"), "Tìm theo tên (không cần dấu) hoặc số thẻ."),
        ]
    if MEMBER in scope.roles:
        links.append(HomeLink("Xếp loại của tôi", _url("appraisal:my_ratings"),
                              "Phiếu tự đánh giá và kết quả xếp loại của đồng chí qua các kỳ."))
    if scope.is_staff_member or scope.has_role(Role.SECRETARY):
        links.append(HomeLink("Thêm đảng viên", _url("members:create"), "Nhập đảng viên mới vào chi bộ."))
    if scope.is_staff_member:
        links.append(HomeLink("Nhập/xuất Excel", _url("workbook:import"), "Nhập danh sách đảng viên từ tệp Excel."))
    if scope.is_staff_member or scope.has_role(Role.STANDING):
        links.append(HomeLink("Khung tiêu chí", _url("appraisal:framework_list"), "Các khung tiêu chí, biểu điểm."))
    return [link for link in links if link.url]


def levels_chart(board: Dashboard) -> str:
    """The decided levels per subject type as a bar chart ("" when nothing is decided)."""
    if not board.levels:
        return ""
    return charts.level_bars(board.levels, title=f"Kết quả xếp loại năm {board.levels_period.year}")


def year_end_link(scope: Scope, board: Dashboard) -> str:
    """Where to read the year-end report of the year still undecided, for those who may ("" if none)."""
    period = board.undecided_period
    if period is None or not scope.has_role(*READERS):
        return ""
    report = year_end_report(scope, period.year)
    return report_url("year_end", period.year, report.organization) if report else ""


@role_required(*ALL_ROLES, MEMBER)
def home(request):
    """The start page: counts of the user's part of the tree, and what they can do."""
    user = request.user
    # Vietnamese order: family and middle names (last_name) before the given name.
    name = " ".join(part for part in (user.last_name, user.first_name) if part) or user.username
    # The counts of a part of the tree; a member's own account sees only its own results.
    board = dashboard(request.scope, timezone.localdate()) if request.scope.holds_a_role else None
    return TemplateResponse(request, "home.html", {
        "links": home_links(request.scope),
        "display_name": name,
        "board": board,
        "levels_chart": levels_chart(board) if board else "",
        "year_end_url": year_end_link(request.scope, board) if board else "",
        "waiting": work_waiting(request.scope),
    })
