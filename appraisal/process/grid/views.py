"""The secretary's grid: one screen per cell and period, every member against every criterion.

Keyboard-only entry; each row's total, level and reasons follow what is typed (htmx asks the
row's partial with the row's values; nothing is saved until "Lưu"); without JavaScript the
page posts and comes back with the results. The page sends only the rows that changed (static/js/
grid.js), each with the version it showed; saving is all or nothing; a row someone else saved
since is refused by name, with the typed values kept on the page. The same grid downloads and uploads as XLSX.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from appraisal import authority, selectors
from appraisal.models import RatingStatus
from appraisal.process.grid import build as grid
from appraisal.process.grid import xlsx as grid_xlsx
from appraisal.process.ratings.services import ratings_submit
from appraisal.scoring.loader import frameworks
from appraisal.scoring.services import ScoreErrors, scores_preview, scores_save
from core.downloads import XLSX, file_download
from core.models import Role
from core.scope import role_required
from orgs.scope import get_visible_org

GRID_ROLES = (Role.SECRETARY, Role.STAFF, Role.STANDING, Role.VIEWER)


def _period_and_cell(request, pk, org_pk):
    return selectors.get_period(pk), get_visible_org(request.scope, org_pk)


def _grid_context(request, pk, org_pk):
    period, cell = _period_and_cell(request, pk, org_pk)
    return period, cell, selectors.grid_ratings(period, cell)


def _page(request, period, cell, ratings, *, posted=None, errors=None, status=200):
    sections = grid.build(request.scope, period, cell, ratings, posted=posted, errors=errors)
    editable = any(row.editable for s in sections for row in s.rows)
    return TemplateResponse(request, "appraisal/grid.html", {
        "period": period, "cell": cell, "sections": sections, "editable": editable,
        "task_labels": grid.TASK_SHORT, "error_count": len(errors or {}), "refused": posted is not None,
    }, status=status)


@role_required(*GRID_ROLES)
def grid_page(request, pk, org_pk):
    """Show the grid; POST "luu" saves every changed row at once, "gui" also hands them in."""
    period, cell, ratings = _grid_context(request, pk, org_pk)
    if request.method != "POST":
        return _page(request, period, cell, ratings)
    items = grid.read(request.scope, ratings, request.POST)
    names = {r.pk: r.member.full_name for r in ratings}
    try:
        outcomes_ = scores_save(actor=request.user, items=items, names=names)
    except ScoreErrors as exc:  # the page says so once, above the grid (error_count)
        return _page(request, period, cell, ratings, posted=request.POST, errors=exc.by_field, status=400)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, period, cell, ratings, posted=request.POST, status=409)
    saved = len(outcomes_)
    if request.POST.get("action") == "gui":
        try:
            sent, incomplete = _submit_all(request, period, cell)
        except ValidationError as exc:  # saved, but not handed in: say why
            messages.error(request, f"Đã lưu {saved} phiếu; chưa gửi: " + " ".join(exc.messages))
            return redirect(reverse("appraisal:grid", args=[period.pk, cell.pk]))
        text = f"Đã lưu {saved} phiếu và gửi {sent} phiếu đã chấm đủ."
        if incomplete:
            text += f" Chưa gửi {len(incomplete)} phiếu chưa chấm đủ: {', '.join(incomplete[:10])}."
        messages.success(request, text)
    else:
        messages.success(request, f"Đã lưu {saved} phiếu." if saved else "Không có gì thay đổi để lưu.")
    return redirect(reverse("appraisal:grid", args=[period.pk, cell.pk]))


def _submit_all(request, period, cell) -> tuple[int, list[str]]:
    """Hand in every complete draft row at once (one batch); list the rows not complete."""
    ready, incomplete = [], []
    for rating in selectors.grid_ratings(period, cell):
        if rating.status != RatingStatus.DRAFT or not authority.may_submit(request.scope, rating):
            continue
        if not rating.condition_level and not rating.held:
            incomplete.append(rating.member.full_name)
            continue
        ready.append((rating, rating.version))
    if ready:
        ratings_submit(actor=request.user, ratings=ready)
    return len(ready), incomplete


@role_required(*GRID_ROLES)
def grid_row(request, pk, org_pk, rating_pk):
    """One row's total, level and reasons for the values being typed (not saved): the htmx
    partial. It is what saving the row would store (`scores_preview`, the save's own code)."""
    period, cell = _period_and_cell(request, pk, org_pk)  # one row: not the whole cell's ratings
    rating = selectors.get_rating(request.scope, rating_pk)
    if rating.period_id != period.pk or not rating.scope_org.path.startswith(cell.path):
        raise Http404("Không tìm thấy phiếu trong chi bộ này.")
    columns = grid.columns_of(frameworks([rating.framework_id])[rating.framework_id])
    preview = scores_preview(actor=request.user, item=grid.read_row(rating, request.GET, columns))
    summary = grid.Summary.of_outcome(rating.pk, preview.outcome, list(preview.errors.values()))
    return TemplateResponse(request, "appraisal/grid.html#summary", {"summary_html": grid.summary_html(summary)})


@role_required(*GRID_ROLES)
def grid_download(request, pk, org_pk):
    """The grid as an XLSX workbook: one row per member, one column per criterion."""
    period, cell, ratings = _grid_context(request, pk, org_pk)
    sections = grid.build(request.scope, period, cell, ratings)
    content = grid_xlsx.write(period, cell, sections)
    return file_download(content, f"cham-diem-{cell.code}-{period.year}.xlsx", XLSX)


@role_required(Role.SECRETARY, Role.STAFF)
def grid_upload(request, pk, org_pk):
    """Fill the grid from an XLSX workbook, all or nothing; errors name sheet, row and column."""
    period, cell, ratings = _grid_context(request, pk, org_pk)
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("tep")
        if upload is None:
            problems = ["Chưa chọn tệp Excel."]
        else:
            sections = grid.build(request.scope, period, cell, ratings)
            result = grid_xlsx.read(upload, sections)
            problems = result.problems
            if not problems:
                if not result.items:
                    problems = ["Tệp không có dòng nào đồng chí được chấm điểm."]
                else:
                    try:
                        saved = scores_save(actor=request.user, items=result.items,
                                            names={r.pk: r.member.full_name for r in ratings})
                    except ScoreErrors as exc:
                        problems = [result.where(key, message) for key, message in exc.by_field.items()]
                    except (ValidationError, PermissionDenied) as exc:
                        problems = list(getattr(exc, "messages", [str(exc)]))
                    else:
                        messages.success(request, f"Đã nhập từ tệp {upload.name}: lưu {len(saved)} phiếu.")
                        return redirect(reverse("appraisal:grid", args=[period.pk, cell.pk]))
    return TemplateResponse(request, "appraisal/grid_upload.html", {
        "period": period, "cell": cell, "problems": problems,
    }, status=400 if problems else 200)
