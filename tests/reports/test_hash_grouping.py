"""reports.data.hash_grouping: PostgreSQL groups a province's imported results by hashing inside the
block, and the setting is what it was afterwards — after an error too, inside a caller's transaction."""
import pytest
from django.db import connection, transaction

from reports.data import hash_grouping

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting"),
]


def _sort() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_sort")
        return cursor.fetchone()[0]


def test_sorting_is_off_inside_the_block_and_back_after_it():
    with hash_grouping():
        assert _sort() == "off"
    assert _sort() == "on"


def test_an_error_inside_the_block_puts_the_setting_back_and_the_callers_transaction_goes_on():
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), hash_grouping():
            assert _sort() == "off"
            1 / 0  # noqa: B018
        assert _sort() == "on"
    assert _sort() == "on"
