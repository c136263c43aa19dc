"""Decisions: deciding a batch, a decision's page, announcing it."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from appraisal import authority, selectors
from appraisal.models import (
    Decision,
    LevelCode,
    Rating,
    RatingStatus,
)
from appraisal.process.decisions import services as decision_services
from appraisal.process.decisions.forms import DecisionForm
from appraisal.rules import Level
from core.forms import posted_int
from core.models import Role
from core.scope import role_required

# ------------------------------------------------------------------------------ decision


@role_required(Role.STANDING, Role.SECRETARY)
def decide(request, pk):
    """Decide a batch with a number and a date: the ratings the user's committee decides,
    each level at most what the conditions allow, the quota checked [002 §5.4]."""
    period = selectors.get_period(pk)
    scope = request.scope
    qs = Rating.objects.filter(period=period, status__in=[RatingStatus.PROPOSED, RatingStatus.VERIFIED])
    qs = selectors.visible_ratings(scope, qs)
    peer_group = request.GET.get("nhom", "")
    if peer_group:
        qs = qs.filter(peer_group=peer_group)
    ratings = [r for r in selectors.with_subject(qs).order_by("peer_group", "scope_org__path", "pk")
               if authority.may_decide(scope, r)]
    form = DecisionForm(request.POST or None)
    rows = []
    for r in ratings:
        r.subject_label = selectors.subject_name(r)
        default = r.proposed_level
        if r.condition_level and default and Level.from_code(default) > Level.from_code(r.condition_level):
            default = r.condition_level
        rows.append({
            "rating": r,
            "checked": request.method != "POST" or request.POST.get(f"c-{r.pk}") == "1",
            "level": request.POST.get(f"m-{r.pk}", default) if request.method == "POST" else default,
        })
    errors = []
    if request.method == "POST" and form.is_valid():
        chosen = [row for row in rows if row["checked"]]
        try:
            decision = decision_services.ratings_decide(
                actor=request.user, period=period,
                levels={row["rating"].pk: row["level"] for row in chosen},
                versions={row["rating"].pk: posted_int(request.POST, f"v-{row['rating'].pk}") for row in chosen},
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors = exc.messages
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            messages.success(request, f"Đã ghi {decision}: {len(chosen)} kết quả xếp loại.")
            return redirect("appraisal:decision_detail", decision.pk)
    return TemplateResponse(request, "appraisal/decide.html", {
        "period": period, "rows": rows, "form": form, "errors": errors, "levels": LevelCode.choices,
        "groups": sorted({(r.peer_group, r.peer_group_label) for r in ratings}, key=lambda g: g[1]),
        "peer_group": peer_group,
    }, status=400 if errors else 200)


@role_required(*authority.PROCESS_READERS)
def decision_detail(request, pk):
    decision = Decision.objects.select_related("period", "decided_by").filter(pk=pk).first()
    if decision is None:
        raise Http404("Không tìm thấy quyết định.")
    ratings = list(selectors.with_subject(selectors.visible_ratings(request.scope, decision.ratings.all())).order_by("pk"))
    for r in ratings:
        r.subject_label = selectors.subject_name(r)
    return TemplateResponse(request, "appraisal/decision_detail.html", {
        "decision": decision, "ratings": ratings,
        "can_announce": any(authority.may_announce(request.scope, r) for r in ratings),
    })


@require_POST
@role_required(Role.STAFF, Role.STANDING, Role.SECRETARY)
def decision_announce(request, pk):
    """Announce the results of a decision to the organisations and people concerned [002 §5.5]."""
    decision = Decision.objects.filter(pk=pk).first()
    if decision is None:
        raise Http404("Không tìm thấy quyết định.")
    ratings = [r for r in selectors.with_subject(selectors.visible_ratings(request.scope, decision.ratings.all()))
               if authority.may_announce(request.scope, r)]
    try:
        count = decision_services.ratings_announce(actor=request.user, ratings=ratings)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã thông báo {count} kết quả xếp loại.")
    return redirect("appraisal:decision_detail", decision.pk)
