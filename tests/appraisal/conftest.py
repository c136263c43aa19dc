"""What most appraisal tests start from besides `commune` (tests/conftest.py): a staff account
and a small framework. Imports are inside the fixtures: the rule tests in this folder also run
without Django (.ci/run)."""
import pytest


@pytest.fixture
def staff(db):
    """A Ban Xây dựng Đảng user (`bxd`), who edits frameworks."""
    from core.models import Role
    from tests.factories import user_with_role

    return user_with_role(Role.STAFF, username="bxd")


@pytest.fixture
def framework(staff):
    """A small framework made through the editor's services (tests/appraisal/test_frameworks.py)."""
    from tests.appraisal.test_frameworks import make_framework

    return make_framework(staff)
