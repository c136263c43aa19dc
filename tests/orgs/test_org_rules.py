"""Pure rules of the tree: where each kind of organisation may sit. No database."""
import pytest

from orgs.models import OrgKind
from orgs.validators import DEFAULT_PLACEMENT, placement_error

K = OrgKind
PLACEMENTS = [
    # (kind, parent kind, allowed)
    (K.ROOT, None, True),
    (K.ROOT, K.ROOT, False),
    (K.BASE_PARTY, K.ROOT, True),
    (K.BASE_PARTY, None, False),
    (K.BASE_PARTY, K.BASE_PARTY, False),
    (K.BASE_CELL, K.ROOT, True),
    (K.BASE_CELL, K.BASE_PARTY, False),
    (K.ROOT_CELL, K.ROOT, True),
    (K.ROOT_CELL, K.BASE_PARTY, False),
    (K.SUB_CELL, K.BASE_PARTY, True),
    (K.SUB_CELL, K.ROOT, False),
    (K.SUB_CELL, K.BASE_CELL, False),
    (K.GROUP, K.ROOT_CELL, True),
    (K.GROUP, K.SUB_CELL, True),
    (K.GROUP, K.BASE_CELL, True),
    (K.GROUP, K.BASE_PARTY, False),
    (K.GROUP, K.ROOT, False),
    (K.GROUP, K.GROUP, False),
    (K.GROUP, None, False),
]


@pytest.mark.parametrize(("kind", "parent", "allowed"), PLACEMENTS)
def test_placement_table(kind, parent, allowed):
    """Each kind sits only under the kinds DOMAIN §2 draws above it (the rules a fresh deployment starts with)."""
    assert (placement_error(kind, parent) is None) == allowed


def test_every_kind_has_a_placement_rule():
    assert set(DEFAULT_PLACEMENT) == set(OrgKind.values)


def test_placement_messages_name_the_kinds_in_vietnamese():
    """The refusal says what the organisation is and where it may go."""
    message = placement_error(K.SUB_CELL, K.ROOT)
    assert "“Chi bộ trực thuộc đảng ủy cơ sở” chỉ trực thuộc “Đảng bộ cơ sở”" in message
    assert "không trực thuộc “Đảng bộ cấp trên trực tiếp cơ sở”" in message
    assert "là cấp cao nhất hoặc trực thuộc" in placement_error(K.ROOT, K.ROOT)
    assert "chưa chọn tổ chức cấp trên" in placement_error(K.GROUP, None)
    assert placement_error("khac", K.ROOT) == "Loại tổ chức đảng không hợp lệ."
