"""Vietnamese text: NFC, tone-insensitive search, and the Vietnamese sort order [DOMAIN §10a]."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.vntext import fold, name_sort_key, nfc


def test_fold_finds_names_typed_without_tones():
    """"nguyen van anh" is what "Nguyễn Văn Ánh" folds to, and Đ folds to d."""
    assert fold("Nguyễn Văn Ánh") == "nguyen van anh"
    assert fold("  ĐẶNG   Thị Hoà ") == "dang thi hoa"


def test_decomposed_and_precomposed_fold_and_normalise_the_same():
    """Text typed in NFD (some Excel files) equals the NFC form after normalisation."""
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    assert nfc(decomposed) == "Nguyễn"
    assert fold(decomposed) == fold("Nguyễn")


@pytest.mark.parametrize(
    "earlier, later",
    [
        ("Trần Văn An", "Nguyễn Văn Ánh"),  # same base letters: the tone decides
        ("Nguyễn Văn Anh", "Hoàng Ăn"),  # a < ă
        ("Phạm Ăn", "Lò Ân"),  # ă < â
        ("Lê Thị Dung", "Lò Văn Đại"),  # D before Đ
        ("Lò Văn Đại", "Vàng Thị Em"),  # Đ before E, not at the end
        ("Lê Văn Anh", "Nguyễn Văn Anh"),  # same given name: the family name decides
        ("Trần Thị Ơn", "Trần Văn Phúc"),  # ơ < p
        ("Trần An", "Trần Văn An"),
    ],
)
def test_names_sort_by_given_name_in_vietnamese_order(earlier, later):
    """Names sort by given name, then the rest, in the Vietnamese alphabet."""
    assert name_sort_key(earlier) < name_sort_key(later)


VIET_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@given(st.lists(st.text(alphabet=VIET_LETTERS, min_size=1, max_size=7), min_size=1, max_size=4))
def test_sort_key_ignores_normal_form_and_case(words):
    """The key of a name is the same in NFC, NFD and any letter case."""
    name = " ".join(words)
    assert name_sort_key(name) == name_sort_key(unicodedata.normalize("NFD", name))
    assert name_sort_key(name) == name_sort_key(name.upper())
