"""core.services.claim_versions: the one stale-edit guard of every service."""
import pytest

from core.services import claim_versions
from orgs.models import Block

pytestmark = pytest.mark.django_db


def test_all_rows_at_the_version_seen_are_claimed_in_one_statement(django_assert_num_queries):
    blocks = [Block.objects.create(code=f"K{i}", name=f"Khối {i}") for i in range(3)]
    seen = [(b, b.version) for b in blocks]
    with django_assert_num_queries(1):
        assert claim_versions(Block, seen, name="Khối mới") == []
    assert [b.version for b in blocks] == [v + 1 for _, v in seen]
    assert list(Block.objects.order_by("code").values_list("version", "name")) == [(v + 1, "Khối mới") for _, v in seen]


def test_a_row_saved_once_since_is_named_even_at_the_version_this_save_would_give():
    """Someone saved block K1 once since the page was opened: its version is now exactly the one
    this save would have claimed; it is still the one reported, and the others are not."""
    blocks = [Block.objects.create(code=f"K{i}", name=f"Khối {i}") for i in range(3)]
    seen = [(b, b.version) for b in blocks]
    Block.objects.filter(pk=blocks[1].pk).update(version=blocks[1].version + 1)

    stale = claim_versions(Block, seen)

    assert [b.code for b in stale] == ["K1"]
