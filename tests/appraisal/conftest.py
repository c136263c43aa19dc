"""What most appraisal tests start from: the test commune with its year opened."""
import pytest

from core.models import Role
from tests.appraisal.workflow import build_commune, open_year
from tests.factories import user_with_role


@pytest.fixture
def commune(db):
    """The commune of `tests.appraisal.workflow`, its yearly period open (a rating a subject)."""
    commune = build_commune()
    open_year(commune)
    return commune


@pytest.fixture
def staff(db):
    """A Ban Xây dựng Đảng user (`bxd`), who edits frameworks."""
    return user_with_role(Role.STAFF, username="bxd")


@pytest.fixture
def framework(staff):
    """A small framework made through the editor's services (tests/appraisal/test_frameworks.py)."""
    from tests.appraisal.test_frameworks import make_framework

    return make_framework(staff)
