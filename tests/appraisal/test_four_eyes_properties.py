"""Four eyes as properties of `authority` over plain scopes and ratings (no database) [issue 15;
002 §1.2, §2.2, §5.1]: whatever the roles, no account approves its own list, proposes its own
level or verifies its own proposal; on anyone else's work the four-eyes rule takes nothing away."""
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from appraisal import authority
from appraisal.models import RatingStatus, SubjectType
from core.models import Role
from core.scope import MEMBER, Scope
from orgs.models import OrgKind

ROOT = SimpleNamespace(pk=1, path="0001.", kind=OrgKind.ROOT, name="Đảng bộ xã", parent_id=None, parent=None)
CELL = SimpleNamespace(pk=2, path="0001.0002.", kind=OrgKind.ROOT_CELL, name="Chi bộ thôn", parent_id=1, parent=ROOT)
UNIT_ID = 7


@st.composite
def scopes(draw):
    role = draw(st.sampled_from(["staff", "secretary", "unit_leadership", "standing", "admin"]))
    member_id = draw(st.sampled_from([None, 1, 2]))
    roles = {role} - {"admin"} | ({MEMBER} if member_id else set())
    return Scope(
        user_id=draw(st.sampled_from([10, 11])), is_superuser=role == "admin", roles=frozenset(roles),
        wide_roles=frozenset({role} & {Role.STAFF, Role.STANDING}),
        org_paths={Role.SECRETARY: (CELL.path,)} if role == "secretary" else {},
        unit_ids=frozenset({UNIT_ID}) if role == "unit_leadership" else frozenset(), member_id=member_id,
    )


@st.composite
def ratings(draw):
    leader = draw(st.booleans())
    subject = draw(st.sampled_from([1, 2, 3]))
    return SimpleNamespace(
        subject_type=SubjectType.LEADER_YEARLY if leader else SubjectType.MEMBER_YEARLY,
        member_id=None if leader else subject, leader_position_id=subject if leader else None,
        leader_position=SimpleNamespace(member_id=subject) if leader else None,
        scope_unit_id=UNIT_ID if leader else None, scope_org=CELL,
        status=draw(st.sampled_from(list(RatingStatus))), proposed_by_id=draw(st.sampled_from([None, 10, 11])),
        supersedes_id=None,
    )


@given(scopes(), ratings())
def test_no_one_approves_proposes_or_verifies_their_own_work(scope, rating):
    own = authority.is_own(scope, rating)
    if authority.may_approve_products(scope, rating) or authority.may_propose(scope, rating):
        assert not own
    if authority.may_verify(scope, rating):
        assert rating.proposed_by_id != scope.user_id


@given(scopes(), ratings())
def test_on_someone_elses_work_the_proposer_and_staff_still_act(scope, rating):
    acting = scope.is_staff_member or authority.is_proposer(scope, rating)
    if not authority.is_own(scope, rating):
        assert authority.may_approve_products(scope, rating) == acting
        assert authority.may_propose(scope, rating) == (acting and rating.status == RatingStatus.SUBMITTED)
    if rating.proposed_by_id != scope.user_id:
        assert authority.may_verify(scope, rating) == (scope.is_staff_member and rating.status == RatingStatus.PROPOSED)


@given(scopes(), ratings())
def test_a_refusal_for_own_work_says_where_the_work_goes(scope, rating):
    note = authority.own_work(scope, rating, authority.PROPOSE)
    assert (note is not None) == authority.is_own(scope, rating)
    if note:
        assert "Ban Xây dựng Đảng" in note  # a cell of the commune and a unit: the level above is the commune's
