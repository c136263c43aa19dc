"""One rating's pages: its outcome and workings, scores, self-assessment, products, the member's own."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from appraisal import authority, selectors
from appraisal.models import LevelCode, SubjectType
from appraisal.process.grid.build import Summary
from appraisal.process.meetings.forms import ProposeForm
from appraisal.process.ratings import services as rating_services
from appraisal.process.ratings.forms import AxisRolesForm, ProductFormSet, SelfReviewForm
from appraisal.process.ratings.services import ProductRow
from appraisal.process.verification.forms import AdjustForm, NoteForm, ReasonForm, UndoForm
from appraisal.process.web import done, posted_version, rating_post
from appraisal.scoring import services as scoring
from appraisal.scoring.loader import fact_fields_of, frameworks, stored_fact_text
from appraisal.scoring.services import ScoreErrors, ScoreInput
from appraisal.scoring.values import stored_value
from core.audit import audit_rows, object_history
from core.forms import form_errors
from core.models import Role
from core.scope import MEMBER, role_required
from members.scope import get_visible_member

# ------------------------------------------------------------------------------ the page


@role_required(*authority.EVERYONE)
def rating_detail(request, pk):
    """A rating: levels side by side, the engine's outcome and workings, scores, products,
    ballots, complaints, re-ratings, the audit of every change, and what the user may do."""
    rating = selectors.get_rating(request.scope, pk)
    scope = request.scope
    page = selectors.rating_page(rating)
    data = frameworks([rating.framework_id])[rating.framework_id]
    stored = {}
    for criterion_id, score in page.scores.items():
        code = data.codes.get(criterion_id)
        if code:
            stored[code] = score
    rows = []
    for criterion in data.compiled.criteria:
        score = stored.get(criterion.code)
        value = stored_value(score.points, score.quality, score.achieved, score.plan).text() if score else ""
        rows.append({"criterion": criterion, "value": value, "score": score})
    workings = {c["code"]: c for c in (rating.workings or {}).get("criteria", [])}
    for row in rows:
        row["working"] = workings.get(row["criterion"].code)
    facts = [(f.label, (rating.facts or {}).get(f.name)) for f in fact_fields_of(rating)]
    for number, h in enumerate(page.history):
        h.label = "Xếp loại lần đầu" if not h.supersedes_id else (
            "Xếp loại lại" if len(page.history) == 2 else f"Xếp loại lại lần {number}")
    return TemplateResponse(request, "appraisal/rating_detail.html", {
        "rating": rating,
        "name": selectors.subject_name(rating),
        "page": page,
        "held": selectors.held_reasons(rating),
        "unapproved": sum(1 for p in page.products if p.approved_at is None),
        "self_note": selectors.self_level_note(rating),
        "replaces": next((h for h in page.history if h.pk == rating.supersedes_id), None),
        "replaced_by": next((h for h in page.history if h.supersedes_id == rating.pk), None),
        "rows": rows,
        "facts": facts,
        "authority": authority.decider(rating),
        "needs_verification": authority.needs_verification(rating),
        "audit": audit_rows(object_history(rating)[:200]),
        "can": {
            "score": authority.may_edit_scores(scope, rating),
            "review": authority.may_edit_scores(scope, rating),
            "submit": authority.may_submit(scope, rating),
            "reopen": authority.may_reopen(scope, rating),
            "propose": authority.may_propose(scope, rating),
            "verify": authority.may_verify(scope, rating),
            "unverify": authority.may_unverify(scope, rating),
            "return": authority.may_return(scope, rating),
            "decide": authority.may_decide(scope, rating),
            "announce": authority.may_announce(scope, rating),
            "rerate": authority.may_rerate(scope, rating) and not rating_has_rerating(rating, page),
            "complain": authority.may_complain(scope, rating),
            "products": rating.subject_type in (SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY),
        },
        "own_notes": [note for step in (authority.PROPOSE, authority.VERIFY)
                      if (note := authority.own_work_note(scope, rating, step))],
        "propose_form": ProposeForm(initial={"level": rating.condition_level or "", "version": rating.version}),
        "note_form": NoteForm(initial={"version": rating.version}),
        "adjust_form": AdjustForm(initial={"version": rating.version}),
        "reason_form": ReasonForm(initial={"version": rating.version}),
        "undo_form": UndoForm(initial={"version": rating.version}),
    })


def rating_has_rerating(rating, page) -> bool:
    return any(r.supersedes_id == rating.pk for r in page.history)


# ------------------------------------------------------------------------------ scoring


def _score_input(rating, data, params, version: int) -> ScoreInput:
    """What the rating's scoring form sends, as the scoring service's input (saved or previewed)."""
    values = {c.code: params.get(f"v-{c.code}", "") for c in data.leaves}
    tasks = {name: params.get(name, "") for name in scoring.TASK_FIELDS if name in params}
    facts = {f.name: (params.get(f.name, "") if f.kind == "percent" else params.get(f.name) == "1")
             for f in fact_fields_of(rating)}
    return ScoreInput(rating, version, values, tasks, facts)


def _may_score(scope, rating) -> None:
    if not (authority.may_edit_scores(scope, rating)):
        raise PermissionDenied("Đồng chí không chấm điểm được phiếu này (không có quyền, hoặc phiếu đã qua bước chấm điểm).")


def _locked(request, rating, what: str):
    """The page saying the rating can no longer be changed here, why (its step), and how it can be:
    None when the account may still change it. A rating of someone else's part stays a 403."""
    scope = request.scope
    if authority.may_edit_scores(scope, rating):
        return None
    own = authority.is_own(scope, rating)
    if rating.is_editable and not own:
        raise PermissionDenied(f"Đồng chí không có quyền sửa {what} của phiếu này.")
    if not (own or scope.is_staff_member or authority.is_proposer(scope, rating) or authority.is_decider(scope, rating)):
        raise PermissionDenied(f"Đồng chí không có quyền sửa {what} của phiếu này.")
    return TemplateResponse(request, "appraisal/rating_locked.html", {
        "rating": rating, "name": selectors.subject_name(rating), "what": what,
        "can_rerate": authority.may_rerate(scope, rating), "can_complain": authority.may_complain(scope, rating),
    }, status=409)


@role_required(*authority.ACTORS)
def rating_scores(request, pk):
    """Score one rating: every criterion, the tasks and the facts the conditions need; the
    result follows what is typed (`rating_preview`) and is stored on "Lưu"."""
    rating = selectors.get_rating(request.scope, pk)
    scope = request.scope
    locked = _locked(request, rating, "điểm")
    if locked is not None:
        return locked
    data = frameworks([rating.framework_id])[rating.framework_id]
    fact_fields = fact_fields_of(rating)
    errors = {}
    if request.method == "POST":
        item = _score_input(rating, data, request.POST, posted_version(request))
        try:
            scoring.scores_save(actor=request.user, items=[item])
        except ScoreErrors as exc:
            errors = {field: message for (_, field), message in exc.by_field.items()}
        except ValidationError as exc:
            errors = {"": " ".join(exc.messages)}
        else:
            return done(request, rating, "Đã lưu điểm và tính lại kết quả.")
    scores = {data.codes.get(s.criterion_id): s for s in rating.scores.all()}
    criteria = []
    titles = {c.code: c for c in data.compiled.criteria}
    for leaf in data.leaves:
        score = scores.get(leaf.code)
        value = request.POST.get(f"v-{leaf.code}") if request.method == "POST" else (
            stored_value(score.points, score.quality, score.achieved, score.plan).text() if score else "")
        criteria.append({"leaf": leaf, "spec": titles[leaf.code], "value": value, "error": errors.get(leaf.code, "")})
    task_values = [
        {"name": name, "label": label, "error": errors.get(name, ""),
         "value": request.POST.get(name) if request.method == "POST" else (getattr(rating, name) if getattr(rating, name) is not None else "")}
        for name, label in scoring.TASK_FIELDS.items()
    ]
    fact_values = [
        {"field": f, "value": request.POST.get(f.name) if request.method == "POST" else stored_fact_text(rating, f)}
        for f in fact_fields
    ]
    return TemplateResponse(request, "appraisal/rating_scores.html", {
        "rating": rating, "name": selectors.subject_name(rating), "criteria": criteria, "tasks": task_values,
        "facts": fact_values, "errors": errors, "self": authority.may_self_assess(scope, rating)
        and not authority.may_score(scope, rating),
        "summary": Summary.of_rating(rating),
    }, status=400 if errors else 200)


@role_required(*authority.ACTORS)
def rating_preview(request, pk):
    """The result of the scoring form as typed, not saved: what "Lưu" would store (the htmx partial)."""
    rating = selectors.get_rating(request.scope, pk)
    _may_score(request.scope, rating)
    data = frameworks([rating.framework_id])[rating.framework_id]
    preview = scoring.scores_preview(actor=request.user, item=_score_input(rating, data, request.GET, rating.version))
    summary = Summary.of_outcome(rating.pk, preview.outcome, list(preview.errors.values()))
    return TemplateResponse(request, "appraisal/rating_scores.html#result", {"summary": summary})


@role_required(*authority.ACTORS)
def rating_review(request, pk):
    """The bản tự kiểm điểm and the self-proposed level."""
    rating = selectors.get_rating(request.scope, pk)
    locked = _locked(request, rating, "bản tự kiểm điểm")
    if locked is not None:
        return locked
    initial = {
        "strengths": rating.review_strengths, "weaknesses": rating.review_weaknesses,
        "causes": rating.review_causes, "remedies": rating.review_remedies, "self_level": rating.self_level,
        "version": rating.version,
    }
    form = SelfReviewForm(request.POST or None, initial=initial)
    chosen = request.POST.get("self_level", "") if request.method == "POST" else rating.self_level
    allowed = selectors.allowed_level(rating)
    form.fields["self_level"].help_text = selectors.self_level_note(rating, chosen) or (
        f"Theo tiêu chí và điều kiện hiện nay, mức cao nhất là {LevelCode(allowed).label}; tự nhận cao hơn "
        "vẫn được, cấp ủy xem cả hai mức." if allowed in LevelCode.values else "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating_services.self_review_save(
                actor=request.user, rating=rating, expected_version=data["version"], strengths=data["strengths"],
                weaknesses=data["weaknesses"], causes=data["causes"], remedies=data["remedies"],
                self_level=data["self_level"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Đã lưu bản tự kiểm điểm.")
            note = selectors.self_level_note(rating, data["self_level"])
            if note:
                messages.warning(request, f"Tự nhận {LevelCode(data['self_level']).label}: {note}")
            return redirect(rating)
    return TemplateResponse(request, "appraisal/form.html", {
        "form": form, "title": f"Bản tự kiểm điểm: {selectors.subject_name(rating)} — {rating.period}",
        "submit": "Lưu", "cancel": rating.get_absolute_url(),
    })


@require_POST
@role_required(*authority.SCORERS)
def rating_submit(request, pk):
    return rating_post(request, pk, rating_services.rating_submit, "Đã gửi bản tự đánh giá, chấm điểm.")


@require_POST
@role_required(Role.STAFF, Role.SECRETARY, Role.UNIT_LEADERSHIP)
def rating_reopen(request, pk):
    return rating_post(request, pk, rating_services.rating_reopen, "Đã mở lại phiếu để sửa tự đánh giá, chấm điểm.")


@role_required(*authority.ACTORS)
def rating_products(request, pk):
    """A leader's product list for the period, and its results [002 §5.1, §5.3]."""
    rating = selectors.get_rating(request.scope, pk)
    if rating.subject_type not in (SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY):
        raise PermissionDenied("Chỉ cán bộ lãnh đạo, quản lý có danh mục sản phẩm.")
    scope = request.scope
    editable = authority.may_edit_scores(scope, rating)
    products = list(rating.products.all())
    initial = [{f: getattr(p, f) for f in ("pk", "title", "product", "due_on", "axis", "completed", "on_time", "exceeded",
                                            "quality", "force_majeure", "force_majeure_confirmed_by")} for p in products]
    formset = ProductFormSet(request.POST or None, initial=initial, prefix="sp")
    if request.method == "POST":
        if not editable:
            return _locked(request, rating, "danh mục sản phẩm")
        if formset.is_valid():
            rows = [
                ProductRow(
                    pk=form.cleaned_data.get("pk"), title=form.cleaned_data.get("title", ""),
                    product=form.cleaned_data.get("product", ""), due_on=form.cleaned_data.get("due_on"),
                    axis=form.cleaned_data.get("axis"), completed=form.cleaned_data.get("completed"),
                    on_time=form.cleaned_data.get("on_time"), exceeded=form.cleaned_data.get("exceeded", False),
                    quality=form.cleaned_data.get("quality"), force_majeure=form.cleaned_data.get("force_majeure", False),
                    force_majeure_confirmed_by=form.cleaned_data.get("force_majeure_confirmed_by", ""),
                    delete=form.cleaned_data.get("delete", False),
                )
                for form in formset.forms
                if form.cleaned_data and (form.cleaned_data.get("pk") or form.cleaned_data.get("title"))
            ]
            try:
                rating_services.products_save(actor=request.user, rating=rating, expected_version=posted_version(request), rows=rows)
            except ValidationError as exc:
                form_errors(formset, exc)
            else:
                return done(request, rating, "Đã lưu danh mục sản phẩm, công việc.")
    approved_list = any(p.approved_at for p in products)
    rows = [(form, products[i] if i < len(products) else None) for i, form in enumerate(formset.forms)]
    return TemplateResponse(request, "appraisal/products.html", {
        "rating": rating, "name": selectors.subject_name(rating), "formset": formset, "editable": editable,
        "axes_form": _axes_form(rating), "computed": _computed_axes(rating),
        "rows": rows, "approved_list": approved_list,
        "products": products, "can_approve": authority.may_approve_products(scope, rating)
        and any(p.approved_at is None for p in products) and rating.is_editable,
        "own_note": authority.own_work_note(scope, rating, authority.APPROVE_PRODUCTS)
        if any(p.approved_at is None for p in products) else None,
    }, status=400 if request.method == "POST" else 200)


@require_POST
@role_required(Role.STAFF, Role.UNIT_LEADERSHIP, Role.SECRETARY)
def products_approve(request, pk):
    return rating_post(request, pk, rating_services.products_approve, "Đã phê duyệt {result} nhiệm vụ của danh mục.")


# ------------------------------------------------------------------------------ a member's own


@role_required(MEMBER)
def my_ratings(request):
    """The member's (or leader's) own ratings: self-assessments to write, results, history."""
    member_id = request.scope.member_id
    ratings = selectors.member_history_of(member_id)
    return TemplateResponse(request, "appraisal/my_ratings.html", {
        "ratings": ratings, "scope": request.scope,
        "todo": [r for r in ratings if authority.may_self_assess(request.scope, r)],
    })


@role_required(*authority.EVERYONE)
def member_history(request, member_pk):
    """A member's rating history, yearly and quarterly, re-ratings included (linked from the member's page)."""
    member = get_visible_member(request.scope, member_pk)
    return TemplateResponse(request, "appraisal/member_history.html", {
        "member": member, "ratings": selectors.member_history(member),
    })


def _axes_form(rating, data=None) -> AxisRolesForm:
    """The leader's marking of their axes, as stored (else the framework's roles)."""
    spec = frameworks([rating.framework_id])[rating.framework_id].spec
    marked = rating.axis_roles or {}
    axes = [(c.axis.value, c.title, marked.get(str(c.axis.value), c.axis_role.value if c.axis_role else "secondary"))
            for c in spec.criteria() if c.axis is not None]
    return AxisRolesForm(data, axes=axes, initial={"version": rating.version})


def _computed_axes(rating) -> list[dict]:
    """The result-axis criteria as the stored outcome scored them (from the work products)."""
    axes = {c.code for c in frameworks([rating.framework_id])[rating.framework_id].compiled.criteria if c.axis}
    return [c for c in (rating.workings or {}).get("criteria", []) if c["code"] in axes]


@require_POST
@role_required(*authority.SCORERS)
def rating_axes(request, pk):
    """The leader marks which result axes are primary and which secondary for them [002 II.1.5]."""
    rating = selectors.get_rating(request.scope, pk)
    _may_score(request.scope, rating)
    form = _axes_form(rating, request.POST)
    if not form.is_valid():
        messages.error(request, "Vai trò các trục kết quả không hợp lệ: tải lại trang rồi chọn lại.")
        return redirect("appraisal:rating_products", rating.pk)
    try:
        rating_services.axis_roles_save(actor=request.user, rating=rating,
                                        expected_version=form.cleaned_data["version"], roles=form.roles())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã lưu vai trò các trục kết quả và tính lại điểm nhiệm vụ.")
    return redirect("appraisal:rating_products", rating.pk)
