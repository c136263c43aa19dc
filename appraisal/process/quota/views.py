"""The HTXSNV quota of each peer group, as the engine works it out [DOMAIN §7]."""
from __future__ import annotations

from django.template.response import TemplateResponse

from appraisal import selectors
from appraisal.models import (
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.rules import Level, QuotaCandidate, apply_quota
from appraisal.scoring.loader import frameworks
from core.models import Role
from core.scope import role_required

# ------------------------------------------------------------------------------ quota


def _best_level(r: Rating) -> Level | None:
    code = r.approved_level if r.status == RatingStatus.DECIDED else (r.proposed_level or r.condition_level)
    return Level.from_code(code) if code else None


@role_required(Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY)
def quota(request, pk):
    """Each peer group's HTXSNV quota: ranked candidates, the number allowed and how, the
    cut-off, ties flagged for the committee — as the engine works them out [DOMAIN §7]."""
    period = selectors.get_period(pk)
    subject_type = request.GET.get("doi_tuong", "")
    if subject_type not in SubjectType.values:
        subject_type = ""
    groups = selectors.peer_groups(request.scope, period, subject_type=subject_type)
    all_ratings = [r for g in groups for r in g.ratings]
    ballots = selectors.latest_ballots(all_ratings)
    quarters = selectors.quarters_proposed_excellent(period, all_ratings)
    fws = frameworks({r.framework_id for r in all_ratings})
    shown = []
    for group in groups:
        candidates, by_id, unknown = [], {}, 0
        for r in group.ratings:
            level = _best_level(r)
            by_id[r.pk] = r
            r.subject_label = selectors.subject_name(r)
            if level is None:
                unknown += 1
                continue
            line = ballots.get(r.pk)
            candidates.append(QuotaCandidate(
                r.pk, level, score=r.total_score or 0, votes=line.excellent if line else 0,
                excellent_quarters=quarters.get(r.pk, 0),
            ))
        settings = fws[group.ratings[0].framework_id].spec.quota
        outcome = apply_quota(candidates, settings, by_quarters=group.ratings[0].subject_type == SubjectType.LEADER_YEARLY)
        places = [(place, by_id[place.subject_id]) for place in outcome.places]
        shown.append({"group": group, "outcome": outcome, "places": places, "unknown": unknown,
                      "size": len(group.ratings)})
    return TemplateResponse(request, "appraisal/quota.html", {
        "period": period, "groups": shown, "subject_types": SubjectType.choices, "subject_type": subject_type,
    })
