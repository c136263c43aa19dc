"""The HTXSNV quota of each peer group, as stored when its levels last changed [DOMAIN §7]."""
from __future__ import annotations

from django.template.response import TemplateResponse

from appraisal import selectors
from appraisal.models import SubjectType
from core.models import Role
from core.scope import role_required


@role_required(Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY)
def quota(request, pk):
    """Each peer group's quota: how many HTXSNV it may have and how, its candidates ranked, ties
    left to the committee — read from the stored outcome (`scoring.quota`), never worked out here.
    Groups with something to decide come first; the rest are folded."""
    period = selectors.get_period(pk)
    subject_type = request.GET.get("doi_tuong", "")
    if subject_type not in SubjectType.values:
        subject_type = ""
    groups = selectors.quota_groups(request.scope, period, subject_type=subject_type)
    return TemplateResponse(request, "appraisal/quota.html", {
        "period": period, "subject_types": SubjectType.choices, "subject_type": subject_type,
        "to_decide": [g for g in groups if g.has_work], "others": [g for g in groups if not g.has_work],
    })
