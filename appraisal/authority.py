"""Who may do what to a rating: the one answer views, services and the home page share.

[000 §3.4; 002 §2.2, §5; 003 C.II.3, C.I.3, C.III.4]
- The subject (a member or leader with an account) writes their own self-assessment while
  it is a draft, and sees their own results.
- The proposer scores, holds the meeting and proposes: the cell's secretary for its members,
  the unit leadership for the leaders working in the unit, the organisation's secretary for
  the organisation and its committee, the unit leadership for its collective. Party-building
  staff (Ban Xây dựng Đảng) may act for any of them.
- Ban Xây dựng Đảng verifies (thẩm định).
- The decision belongs to the Ban Thường vụ, except for party members: a chi bộ cơ sở
  decides for its own members (its vote is final), a đảng bộ cơ sở for the members of its
  chi bộ trực thuộc. A chi bộ trực thuộc Đảng ủy xã only proposes. Chi bộ trực thuộc a đảng
  ủy cơ sở and their committees are decided by that đảng ủy.
- Four eyes [002 §1.2, §2.2, §5.1]: nobody approves their own product list, proposes their own
  level or verifies a proposal they made (`own_work`); a head of unit's own list and proposal go
  to the level above (`level_above`).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from core.models import Role
from core.scope import MEMBER, Scope
from orgs.models import OrgKind

from .models import RatingStatus, SubjectType

# The roles each kind of page lets in (`core.scope.role_required`); the rows a role then sees or
# changes are decided by the functions below.
FRAMEWORK_READERS = (Role.STAFF, Role.STANDING)
FRAMEWORK_EDITORS = (Role.STAFF,)
PROCESS_READERS = (Role.STAFF, Role.STANDING, Role.VIEWER, Role.SECRETARY, Role.UNIT_LEADERSHIP)
PROPOSERS = (Role.STAFF, Role.SECRETARY, Role.UNIT_LEADERSHIP)
EVERYONE = (*PROCESS_READERS, MEMBER)
REPORT_DRAFTERS = (Role.STAFF,)  # narrowed by may_draft_reports
REPORT_ISSUERS = (Role.STANDING,)  # narrowed by may_issue_reports
RESULT_IMPORTERS = (Role.STAFF,)  # narrowed by may_import_results
ACTORS = (Role.STAFF, Role.STANDING, Role.SECRETARY, Role.UNIT_LEADERSHIP, MEMBER)
# Who ever scores or hands in a rating (may_score, may_self_assess, may_submit): the standing
# committee as such never does (a member of it does, for their own rating, as MEMBER).
SCORERS = (Role.STAFF, Role.SECRETARY, Role.UNIT_LEADERSHIP, MEMBER)

INDIVIDUAL_TYPES = (SubjectType.MEMBER_YEARLY, SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY)
STANDING_LABEL = "Ban Thường vụ Đảng ủy"


@dataclass(frozen=True)
class Authority:
    """Who decides a rating: the standing committee (`org` None) or a base organisation's committee."""

    label: str
    org: object | None = None  # PartyOrganization

    @property
    def is_standing(self) -> bool:
        return self.org is None


def may_draft_reports(scope: Scope) -> bool:
    """Whether the account drafts reports (their text, header, signer): Ban Xây dựng Đảng, or an
    administrator [DOMAIN §1: staff "produces reports"]. The standing committee reads the draft and
    issues it (`may_issue_reports`); it does not edit it [issue 15]. The edit page (through
    `role_required(check=…)` and the `may_open` filter) and `reports.services.report_save` ask this."""
    return scope.is_superuser or scope.is_staff_member


def may_issue_reports(scope: Scope) -> bool:
    """Whether the account makes a report final and signs it ("Ban hành"): the standing committee,
    whose signer signs the report [DOMAIN §1, 002 §5.4], or an administrator. The finalize page and
    `reports.services.report_finalize` ask this."""
    return scope.is_superuser or Role.STANDING in scope.wide_roles


def may_issue_decisions(scope: Scope) -> bool:
    """Whether the account issues and signs decisions on ratings: the standing committee (or an
    administrator); Ban Xây dựng Đảng drafts them. The decision pages and `reports.services.decision_issue` ask this."""
    return scope.is_superuser or Role.STANDING in scope.wide_roles


def may_import_results(scope: Scope) -> bool:
    """Whether the account imports results decided outside the app: Ban Xây dựng Đảng (or an
    administrator). The import pages and `reports.results_import.run_import` ask this."""
    return scope.is_superuser or scope.is_staff_member


def _covers(paths, org) -> bool:
    return org is not None and any(org.path.startswith(p) for p in paths)


def _cell_of(org):
    """A tổ đảng's members belong to the cell above it."""
    while org is not None and org.kind == OrgKind.GROUP and org.parent_id:
        org = org.parent
    return org


def decider(rating) -> Authority:
    """The competent authority that decides the rating [000 §3.4; 003 C.II.3.2]."""
    org = rating.scope_org
    if rating.subject_type == SubjectType.MEMBER_YEARLY and org is not None:
        cell = _cell_of(org)
        if cell.kind == OrgKind.BASE_CELL:
            return Authority(f"Chi ủy {cell.name}", cell)
        if cell.kind == OrgKind.SUB_CELL and cell.parent_id:
            parent = cell.parent
            return Authority(f"Đảng ủy {parent.name}", parent)
        if cell.kind == OrgKind.BASE_PARTY:
            return Authority(f"Đảng ủy {cell.name}", cell)
    if rating.subject_type in (SubjectType.BASE_ORG_YEARLY, SubjectType.COMMITTEE_YEARLY) and org is not None:
        if org.kind == OrgKind.SUB_CELL and org.parent_id:
            parent = org.parent
            return Authority(f"Đảng ủy {parent.name}", parent)
    return Authority(STANDING_LABEL)


def needs_verification(rating) -> bool:
    """Ratings the Ban Thường vụ decides go through Ban Xây dựng Đảng's verification first
    [002 §5.3–5.4, III.3.2]; a re-rating is prepared by Ban Xây dựng Đảng itself."""
    return decider(rating).is_standing and rating.supersedes_id is None


def is_own(scope: Scope, rating) -> bool:
    """Whether the rating is of the account's own member (as a member or in a post)."""
    if scope.member_id is None:
        return False
    if rating.member_id is not None:
        return rating.member_id == scope.member_id
    if rating.leader_position_id is not None:
        return rating.leader_position.member_id == scope.member_id
    return False


def can_view(scope: Scope, rating) -> bool:
    """Staff, the standing committee and wide viewers see all; others their part, or their own."""
    if scope.sees_everything or is_own(scope, rating):
        return True
    if rating.scope_unit_id is not None and rating.scope_unit_id in scope.unit_ids:
        return True
    return _covers(scope.all_paths(), rating.scope_org)


def is_proposer(scope: Scope, rating) -> bool:
    """Whether the account proposes this rating (not counting staff, who may act for anyone)."""
    secretary = scope.org_paths.get(Role.SECRETARY, ())
    if rating.subject_type in (SubjectType.LEADER_QUARTERLY, SubjectType.LEADER_YEARLY, SubjectType.COLLECTIVE_YEARLY):
        if rating.scope_unit_id is not None:
            return rating.scope_unit_id in scope.unit_ids and scope.has_role(Role.UNIT_LEADERSHIP)
        return _covers(secretary, rating.scope_org)
    return _covers(secretary, rating.scope_org)


def may_score(scope: Scope, rating) -> bool:
    """Enter or change scores, tasks and facts (the proposer or staff) while the rating is open."""
    if rating.status not in (RatingStatus.DRAFT, RatingStatus.SUBMITTED):
        return False
    return scope.is_staff_member or is_proposer(scope, rating)


def may_self_assess(scope: Scope, rating) -> bool:
    """The member or leader writes their own self-assessment while it is a draft."""
    return (
        rating.status == RatingStatus.DRAFT
        and rating.subject_type in INDIVIDUAL_TYPES
        and is_own(scope, rating)
    )


def may_edit_scores(scope: Scope, rating) -> bool:
    """Change the rating's scores, tasks and facts: the proposer or staff while it is open
    (may_score), or the subject in their own draft (may_self_assess)."""
    return may_score(scope, rating) or may_self_assess(scope, rating)


# The steps no one takes on their own work (`own_work`).
APPROVE_PRODUCTS = "approve_products"
PROPOSE = "propose"
VERIFY = "verify"


def level_above(rating) -> str:
    """Who approves a list and proposes a level when the one who usually does is the subject:
    the đảng ủy cơ sở above a cell, otherwise Ban Xây dựng Đảng, which prepares them for the
    Ban Thường vụ [002 §1.2, §5.1: the level that manages the cadre approves]."""
    org = None if rating.scope_unit_id is not None else _cell_of(rating.scope_org)
    parent = org.parent if org is not None and org.parent_id else None
    if parent is not None and parent.kind == OrgKind.BASE_PARTY:
        return f"Đảng ủy {parent.name}"
    return "Ban Xây dựng Đảng (tham mưu Ban Thường vụ Đảng ủy)"


def own_work(scope: Scope, rating, step: str) -> str | None:
    """Why the account may not take `step` on this rating because it is its own work, or None.

    Four eyes [002 §1.2, §2.2, §5.1]: a head of unit does not approve their own product list nor
    propose their own level (both go to `level_above`); whoever proposed a level does not verify
    it (a re-rating included). Every `may_…` of these steps, their services and their pages ask here.
    """
    if step == VERIFY:
        if scope.user_id is not None and rating.proposed_by_id == scope.user_id:
            return ("Đồng chí đã đề xuất mức xếp loại này nên không tự thẩm định đề xuất của mình; "
                    "đề xuất chờ một cán bộ khác của Ban Xây dựng Đảng thẩm định.")
        return None
    if not is_own(scope, rating):
        return None
    if step == APPROVE_PRODUCTS:
        return (f"Đồng chí không tự phê duyệt danh mục sản phẩm, công việc của mình; "
                f"danh mục chuyển lên {level_above(rating)} phê duyệt.")
    return (f"Đồng chí không tự đề xuất mức xếp loại của mình; "
            f"việc đề xuất chuyển lên {level_above(rating)}.")


def others_proposals(scope: Scope) -> Q:
    """`own_work`'s verification rule in SQL, for counts: proposals the account did not make."""
    return ~Q(proposed_by_id=scope.user_id) if scope.user_id is not None else Q()


def own_work_note(scope: Scope, rating, step: str) -> str | None:
    """What a page says instead of the step's button where only `own_work` holds the account back."""
    acting = scope.is_staff_member or is_proposer(scope, rating)
    ready = {
        APPROVE_PRODUCTS: acting and rating.status in (RatingStatus.DRAFT, RatingStatus.SUBMITTED),
        PROPOSE: acting and rating.status == RatingStatus.SUBMITTED,
        VERIFY: scope.is_staff_member and rating.status == RatingStatus.PROPOSED,
    }[step]
    return own_work(scope, rating, step) if ready else None


def may_approve_products(scope: Scope, rating) -> bool:
    """Approve a leader's product list: the unit leadership that proposes the rating, or staff
    [002 §5.1]; never one's own list (`own_work`)."""
    return (scope.is_staff_member or is_proposer(scope, rating)) and own_work(scope, rating, APPROVE_PRODUCTS) is None


def may_submit(scope: Scope, rating) -> bool:
    return rating.status == RatingStatus.DRAFT and (
        scope.is_staff_member or is_proposer(scope, rating) or may_self_assess(scope, rating)
    )


def may_reopen(scope: Scope, rating) -> bool:
    """Take a handed-in self-assessment back to draft for corrections: the proposer or staff."""
    return rating.status == RatingStatus.SUBMITTED and (scope.is_staff_member or is_proposer(scope, rating))


def may_propose(scope: Scope, rating) -> bool:
    """Record the meeting's result and propose a level (after the self-assessment is in); never
    one's own (`own_work`)."""
    if rating.status != RatingStatus.SUBMITTED:
        return False
    return (scope.is_staff_member or is_proposer(scope, rating)) and own_work(scope, rating, PROPOSE) is None


def may_verify(scope: Scope, rating) -> bool:
    """Ban Xây dựng Đảng verifies proposals (and may adjust points, with a reason); not one the
    account proposed itself (`own_work`)."""
    return (
        rating.status == RatingStatus.PROPOSED and scope.is_staff_member
        and own_work(scope, rating, VERIFY) is None
    )


def may_unverify(scope: Scope, rating) -> bool:
    """Undo a verification (back to proposed) until the decision: Ban Xây dựng Đảng."""
    return rating.status == RatingStatus.VERIFIED and scope.is_staff_member


def may_void_meeting(scope: Scope, meeting) -> bool:
    """Void a meeting's tally recorded wrongly: whoever records the meeting (the organisation's
    secretary, the unit's leadership) or staff, while it stands; the service checks its ratings."""
    if meeting.voided_at is not None:
        return False
    if scope.is_staff_member:
        return True
    if meeting.unit_id is not None:
        return meeting.unit_id in scope.unit_ids and scope.has_role(Role.UNIT_LEADERSHIP)
    return _covers(scope.org_paths.get(Role.SECRETARY, ()), meeting.organization)


def may_return(scope: Scope, rating) -> bool:
    """Send a proposal back to the proposer (verification found it wanting)."""
    return rating.status in (RatingStatus.PROPOSED, RatingStatus.VERIFIED) and scope.is_staff_member


def is_decider(scope: Scope, rating) -> bool:
    """Whether the account acts for the authority that decides the rating."""
    authority = decider(rating)
    if scope.is_superuser:  # an administrator may record any authority's decision
        return True
    if authority.is_standing:
        return Role.STANDING in scope.wide_roles
    return _covers(scope.org_paths.get(Role.SECRETARY, ()), authority.org)


def may_decide(scope: Scope, rating) -> bool:
    """Decide: after verification where it is required, by the competent authority."""
    ready = (RatingStatus.VERIFIED,) if needs_verification(rating) else (RatingStatus.PROPOSED, RatingStatus.VERIFIED)
    return rating.status in ready and is_decider(scope, rating)


def may_announce(scope: Scope, rating) -> bool:
    return (
        rating.status == RatingStatus.DECIDED and rating.announced_at is None and rating.is_live
        and (scope.is_staff_member or is_decider(scope, rating))
    )


def may_rerate(scope: Scope, rating) -> bool:
    """Open a re-rating of a decided, live rating [003 C.IV.9]: Ban Xây dựng Đảng prepares it."""
    return rating.status == RatingStatus.DECIDED and rating.is_live and scope.is_staff_member


def may_complain(scope: Scope, rating) -> bool:
    """Record a complaint: the subject, the proposer or staff, once a level is decided [002 III.5.2]."""
    return rating.status == RatingStatus.DECIDED and (
        scope.is_staff_member or is_own(scope, rating) or is_proposer(scope, rating)
    )


def may_resolve_complaint(scope: Scope) -> bool:
    return scope.is_staff_member
