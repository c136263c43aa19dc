"""`scope|may_open:"name"`: a link is offered exactly to the roles its page lets in."""
from core.models import Role
from core.scope import MEMBER, WIDE_ROLES, Scope
from core.templatetags.access import may_open


def _scope(*roles, superuser=False) -> Scope:
    """As scope_for makes it: staff and the standing committee hold their role over the whole deployment."""
    return Scope(user_id=1, is_superuser=superuser, roles=frozenset(roles),
                 wide_roles=frozenset(r for r in roles if r in WIDE_ROLES))


def test_a_link_is_offered_to_the_roles_its_view_names():
    assert may_open(_scope(Role.STAFF), "reports:import")
    assert not may_open(_scope(Role.STANDING), "reports:import")
    assert may_open(_scope(Role.VIEWER), "appraisal:grid")
    assert not may_open(_scope(Role.VIEWER), "appraisal:ballot_form")
    assert not may_open(_scope(Role.UNIT_LEADERSHIP), "appraisal:quota")


def test_a_members_own_account_is_offered_only_its_own_pages():
    member = _scope(MEMBER)
    assert may_open(member, "appraisal:my_ratings") and may_open(member, "appraisal:rating_detail")
    assert not may_open(member, "appraisal:period_detail") and not may_open(member, "members:search")


def test_an_administrator_is_offered_everything_and_an_unknown_page_to_no_one():
    assert may_open(_scope(superuser=True), "reports:import")
    assert not may_open(_scope(superuser=True), "no:such-page")
    assert not may_open(None, "home")
    assert may_open(_scope(), "accounts:password_change")  # open to every signed-in account
