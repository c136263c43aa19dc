import os

import pytest
from hypothesis import settings

# No per-example deadline: on a shared two-core machine a slow example is load, not a bug.
# Under CI the examples are derived from each test's name, so a red run can be replayed.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "local")


@pytest.fixture
def tree(db):
    """A small deployment: root, a đảng bộ cơ sở with two cells, and a village cell."""
    from orgs.models import OrgKind
    from tests.factories import OrgFactory

    root = OrgFactory(code="XA", name="Đảng bộ xã Bình Lư", kind=OrgKind.ROOT)
    base = OrgFactory(code="DBCS1", name="Đảng bộ Trường THCS", kind=OrgKind.BASE_PARTY, parent=root)
    cell_a = OrgFactory(code="CB1", name="Chi bộ Tổ Toán", kind=OrgKind.SUB_CELL, parent=base)
    cell_b = OrgFactory(code="CB2", name="Chi bộ Tổ Văn", kind=OrgKind.SUB_CELL, parent=base)
    village = OrgFactory(code="THON1", name="Chi bộ thôn Nà Bó", kind=OrgKind.ROOT_CELL, parent=root)
    return {"root": root, "base": base, "cell_a": cell_a, "cell_b": cell_b, "village": village}


@pytest.fixture
def scenario(tree):
    """`tree` with a unit, a leader and a user per role (tests/orgs/scenario.py)."""
    from tests.orgs.scenario import build_scenario

    return build_scenario(tree)


@pytest.fixture
def scenario_staff_client(scenario, client):
    """The scenario and a client signed in as its Ban Xây dựng Đảng user."""
    client.force_login(scenario.users["staff"])
    return scenario, client


@pytest.fixture
def commune(db):
    """The commune of `tests.appraisal.workflow`, its yearly period open (a rating a subject)."""
    from tests.appraisal.workflow import build_commune, open_year

    commune = build_commune()
    open_year(commune)
    return commune


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the run, end sessions the live server's request threads left open on PostgreSQL.

    A browser's keep-alive connection can outlive its test; PostgreSQL refuses to drop a test
    database that another session still uses, and the next run would find it in the way.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """The demo's test certificate authority and organisation certificate (core.signing), made once."""
    from core.signing import make_test_pki

    return make_test_pki(tmp_path_factory.mktemp("pki"), organization="Đảng ủy xã Bình Lư", password="thu-nghiem")


@pytest.fixture
def signing(settings, pki):
    """Issued documents are signed with the test certificate, which the verification trusts."""
    settings.SIGNING_PKCS12 = str(pki["pkcs12"])
    settings.SIGNING_PASSWORD = "thu-nghiem"
    settings.SIGNING_TRUST_ROOTS = [str(pki["ca"])]
    settings.SIGNING_TSA_URL = ""
    settings.PUBLIC_URL = "https://danhgia.example.vn"
    return pki
