"""Forms printed for the meetings: the self-assessment (Mẫu 02A/02B-KĐ), the ballot (Mẫu phiếu 02)
and the tally minutes (biên bản kiểm phiếu). Filled with what is stored; blank lines elsewhere.
"""
from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from appraisal.frameworks.selectors import framework_with_tree, tree_order
from appraisal.models import (
    Framework,
    LevelCode,
    PeriodKind,
    RatingStatus,
    SubjectType,
)
from appraisal.selectors import live_ratings, root_of
from core.downloads import PDF, XLSX, file_download
from core.forms import query_int
from core.models import Role
from core.scope import MEMBER, role_required
from members.models import LeaderPosition, Member
from members.scope import get_visible_member
from orgs.models import OrgKind, PartyOrganization
from orgs.scope import get_visible_org

from .letterhead import dateline, letterhead
from .minutes import cell_meetings, tally_minutes
from .pdf import html_to_pdf, page_to_pdf, print_html
from .table_views import _format, file_base
from .xlsx import Column, single_table_workbook
from .year_end_views import check_year

FORM_READERS = (Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY, Role.UNIT_LEADERSHIP, MEMBER)
CELL_READERS = (Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY)
LEVELS = [(c, LevelCode(c).label) for c in LevelCode.values]


def _cell_header(cell: PartyOrganization) -> dict:
    """The header of a cell's document: its parent committee above, the cell's name, the commune's place."""
    who = letterhead(cell)
    return {"superior": who.superior, "issuer": who.issuer, "place": who.place}


def _member_rating(member: Member, year: int):
    return (
        live_ratings().filter(member=member, subject_type=SubjectType.MEMBER_YEARLY, period__kind=PeriodKind.YEAR,
                              period__year=year)
        .select_related("framework").prefetch_related("scores").first()
    )


def _review_sections(rating) -> list[tuple[str, str]]:
    """The headings of the self-assessment (Mẫu 02A/02B-KĐ) with what the member wrote under each, if anything."""
    strengths = weaknesses = remedies = ""
    if rating is not None:
        strengths, remedies = rating.review_strengths, rating.review_remedies
        weaknesses = rating.review_weaknesses + (f"\n\nNguyên nhân: {rating.review_causes}" if rating.review_causes else "")
    return [
        ("I. Ưu điểm, kết quả đạt được", strengths),
        ("II. Hạn chế, khuyết điểm và nguyên nhân", weaknesses.strip()),
        ("III. Kết quả khắc phục những hạn chế, khuyết điểm đã được chỉ ra", ""),
        ("IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)", ""),
        ("V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)", ""),
        ("VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm", remedies),
    ]


def _framework(rating, subject_type: str, year: int):
    if rating is not None:
        return framework_with_tree(rating.framework_id)
    chosen = Framework.objects.filter(subject_type=subject_type, year__lte=year).order_by("-year", "status", "-pk").first()
    return framework_with_tree(chosen.pk) if chosen else None


@role_required(*FORM_READERS)
def self_assessment(request, member_pk, year):
    """A member's self-assessment form for a year, with their stored scores (Mẫu 02A/02B-KĐ)."""
    year = check_year(year)
    member = get_visible_member(request.scope, member_pk, Member.objects.select_related("cell"))
    positions = list(LeaderPosition.objects.filter(member=member, end_on__isnull=True).select_related("unit", "organization"))
    leader = bool(positions) and request.GET.get("mau") != "dang-vien"
    rating = _member_rating(member, year)
    framework = _framework(rating, SubjectType.LEADER_YEARLY if leader and rating is None else SubjectType.MEMBER_YEARLY, year)
    scores = {s.criterion_id: s.points for s in rating.scores.all()} if rating is not None else {}
    criteria = tree_order(list(framework.criteria.all())) if framework is not None else []
    header = _cell_header(member.cell)
    context = {
        "member": member, "year": year, "positions": positions, "leader": leader, "rating": rating,
        "sections": _review_sections(rating),
        "framework": framework, "criteria": criteria, "scores": scores, "levels": LEVELS,
        "header": header, "dateline": dateline(header["place"]), "file_base": file_base(request),
        "form_code": "Mẫu 02A-KĐ" if leader else "Mẫu 02B-KĐ",
    }
    fmt = _format(request)
    if fmt == "pdf":
        markup = render_to_string("reports/_self_assessment_document.html", context)
        return file_download(html_to_pdf(print_html(markup, title="Bản tự kiểm điểm")), f"tu-kiem-diem-{member.card_number}-{year}.pdf", PDF)
    if fmt == "xlsx":
        rows = [[c.code, c.title, float(c.max_points), float(scores[c.pk]) if scores.get(c.pk) is not None else None]
                for c in criteria]
        content = single_table_workbook(
            sheet="Tự chấm điểm", title=f"BẢN TỰ CHẤM ĐIỂM NĂM {year} — {member.full_name.upper()}",
            columns=(Column("Mã", 8), Column("Tiêu chí", 70), Column("Điểm tối đa", 12, "0.00"),
                     Column("Tự chấm", 12, "0.00")), rows=rows, landscape=False)
        return file_download(content, f"tu-cham-diem-{member.card_number}-{year}.xlsx", XLSX)
    return TemplateResponse(request, "reports/self_assessment.html", context)


def _cell_members(cell: PartyOrganization, year: int) -> list[Member]:
    """The members a cell votes on for a year: those rated in the year, else its active members."""
    rated = list(
        Member.objects.filter(
            pk__in=live_ratings().filter(subject_type=SubjectType.MEMBER_YEARLY, period__kind=PeriodKind.YEAR,
                                         period__year=year, member__cell=cell)
            .exclude(status=RatingStatus.EXCLUDED).values("member_id")
        ).order_by("sort_key", "pk")
    )
    if rated:
        return rated
    return list(Member.objects.filter(cell=cell, is_active=True).order_by("sort_key", "pk"))


def _cell(request, org_pk) -> PartyOrganization:
    org = get_visible_org(request.scope, org_pk)
    if org.kind not in (OrgKind.BASE_CELL, OrgKind.ROOT_CELL, OrgKind.SUB_CELL, OrgKind.BASE_PARTY):
        raise Http404("Phiếu và biên bản kiểm phiếu in cho chi bộ, đảng bộ cơ sở.")
    return org


def _members_xlsx(cell, year: int, members, title: str, stem: str):
    rows = [[i, m.full_name, None, None, None, None] for i, m in enumerate(members, start=1)]
    content = single_table_workbook(
        sheet=title[:31], title=f"{title.upper()} NĂM {year} — {cell.name.upper()}",
        columns=(Column("STT", 6), Column("Họ và tên", 34), *[Column(label, 16) for _, label in LEVELS]),
        rows=rows, landscape=False)
    return file_download(content, f"{stem}-{cell.code}-{year}.xlsx", XLSX)


@role_required(*CELL_READERS)
def ballot(request, org_pk, year):
    """The ballot of a cell's members for a year (Mẫu phiếu 02): the rating process's print-ready page
    (appraisal/ballot_form.html), also as PDF and XLSX."""
    year = check_year(year)
    cell = _cell(request, org_pk)
    members = _cell_members(cell, year)
    fmt = _format(request)
    if fmt == "xlsx":
        return _members_xlsx(cell, year, members, "Phiếu đánh giá, xếp loại chất lượng đảng viên", "phieu")
    context = {"period": f"năm {year}", "cell": cell, "ratings": [SimpleNamespace(member=m) for m in members],
               "levels": LevelCode.choices, "root": root_of(cell)}
    if fmt == "pdf":
        html = render_to_string("appraisal/ballot_form.html", context)
        return file_download(page_to_pdf(html), f"phieu-{cell.code}-{year}.pdf", PDF)
    return TemplateResponse(request, "appraisal/ballot_form.html", context)


@role_required(*CELL_READERS)
def tally(request, org_pk, year):
    """The tally minutes of a cell's votes in a year: every meeting recorded, each on its own page
    (`hoi_nghi=` one meeting alone), or a blank form to fill by hand when none is recorded."""
    year = check_year(year)
    cell = _cell(request, org_pk)
    fmt = _format(request)
    if fmt == "xlsx":
        return _members_xlsx(cell, year, _cell_members(cell, year), "Biên bản kiểm phiếu", "bien-ban")
    meetings = cell_meetings(cell, year)
    chosen = query_int(request.GET, "hoi_nghi", default=None, lo=1, hi=2**31 - 1)
    if chosen is not None:
        meetings = [m for m in meetings if m.pk == chosen]
        if not meetings:
            raise Http404("Không có hội nghị này của chi bộ trong năm.")
    header = _cell_header(cell)
    context = {"cell": cell, "year": year, "levels": LEVELS, "header": header, "dateline": dateline(header["place"]),
               "minutes": tally_minutes(meetings, header["place"]), "file_base": file_base(request),
               "title": "Biên bản kiểm phiếu", "chosen": chosen,
               "members": [] if meetings else _cell_members(cell, year)}
    if fmt == "pdf":
        markup = render_to_string("reports/_tally_document.html", context)
        suffix = f"-hoi-nghi-{chosen}" if chosen else ""
        return file_download(html_to_pdf(print_html(markup, title="Biên bản kiểm phiếu")),
                             f"bien-ban-{cell.code}-{year}{suffix}.pdf", PDF)
    return TemplateResponse(request, "reports/ballot.html", context)
