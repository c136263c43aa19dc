"""What most appraisal tests start from: the test commune with its year opened."""
import pytest

from tests.appraisal.workflow import build_commune, open_year


@pytest.fixture
def commune(db):
    """The commune of `tests.appraisal.workflow`, its yearly period open (a rating a subject)."""
    commune = build_commune()
    open_year(commune)
    return commune
