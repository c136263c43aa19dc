"""The year-end report follows seed 000's outline: every heading printed, numbered without gaps,
a placeholder where text is still to be typed, a part removed on purpose renumbering the rest
(issue 14: the demo's draft went 1 → 4 → 4.1 → 4.3 → 4.5 → 6)."""
import re

from hypothesis import given
from hypothesis import strategies as st

from reports.documents import year_end_document
from reports.figures import YearEndFigures
from reports.models import Report
from reports.narrative import OUTLINE, PARTS, PLACEHOLDER, numbered_parts

# Seed 000's headings, in order (lines 18–254 of the seed): part I 1–6 with 2.1–2.2, 3.1–3.5 and
# 4.1–4.6, part II 1–4 with 1.1–1.2 and 2.1–2.2, part III. Item 5's title is the seed's without the
# superior's dispatch it names (a date that belongs to that year's report); 3.5 corrects "gọi ý".
SEED_000_HEADINGS = [
    ("I.", "TÌNH HÌNH, KẾT QUẢ THỰC HIỆN"),
    ("1.", "Công tác lãnh đạo, chỉ đạo và tổ chức triển khai thực hiện"),
    ("2.", "Việc cụ thể hóa nội dung kiểm điểm, bộ tiêu chí đánh giá, xếp loại"),
    ("2.1.", "Về việc ban hành văn bản cụ thể hóa"),
    ("2.2.", "Về chất lượng bộ tiêu chí và khả năng lượng hóa"),
    ("3.", "Công tác kiểm điểm, tự phê bình và phê bình"),
    ("3.1.", "Về đối tượng và nơi kiểm điểm"),
    ("3.2.", "Về công tác chuẩn bị và tổ chức kiểm điểm"),
    ("3.3.", "Về cách thức, trình tự kiểm điểm"),
    ("3.4.", "Về trách nhiệm, thẩm quyền trong kiểm điểm"),
    ("3.5.", "Về thực hiện gợi ý kiểm điểm và khắc phục hạn chế, khuyết điểm sau kiểm điểm"),
    ("4.", "Kết quả đánh giá, xếp loại chất lượng"),
    ("4.1.", "Về đối tượng đánh giá, xếp loại chất lượng"),
    ("4.2.", "Về khung tiêu chí đánh giá và tiêu chí xếp loại chất lượng"),
    ("4.3.", "Về quy trình, trình tự đánh giá, xếp loại chất lượng"),
    ("4.4.", "Về trách nhiệm, thẩm quyền trong đánh giá, xếp loại chất lượng (nhất là vai trò của người đứng đầu)"),
    ("4.5.", "Kết quả rà soát, đánh giá, xếp loại lại (nếu có): Không có."),
    ("4.6.", "Về thông báo và sử dụng kết quả đánh giá, xếp loại chất lượng"),
    ("5.", "Việc thực hiện Kết luận số 12-KL/TW của Bộ Chính trị"),
    ("6.", "Việc thực hiện Kết luận số 198-KL/TW của Bộ Chính trị gắn với đánh giá định kỳ hằng quý đối với cán bộ "
           "lãnh đạo, quản lý các cấp"),
    ("II.", "ĐÁNH GIÁ CHUNG"),
    ("1.", "Ưu điểm và nguyên nhân"),
    ("1.1.", "Ưu điểm"),
    ("1.2.", "Nguyên nhân"),
    ("2.", "Hạn chế, tồn tại và nguyên nhân"),
    ("2.1.", "Hạn chế"),
    ("2.2.", "Nguyên nhân"),
    ("3.", "Khó khăn, vướng mắc và nguyên nhân"),
    ("4.", "Bài học kinh nghiệm"),
    ("III.", "ĐỀ XUẤT, KIẾN NGHỊ: Không."),
]


def _headings(narrative: dict) -> list[tuple[str, str]]:
    doc = year_end_document(Report(year=2026, narrative=narrative, issuer_name="Đảng ủy xã Bình Lư"),
                            YearEndFigures(scope="Đảng bộ xã Bình Lư", year=2026))
    out = []
    for item in doc.body:
        if item.kind == "heading":
            number, _, title = item.heading.text.partition(" ")
            out.append((number, title))
    return out


def _placeholders(narrative: dict) -> int:
    doc = year_end_document(Report(year=2026, narrative=narrative), YearEndFigures(scope="x", year=2026))
    return sum(1 for item in doc.body if item.kind == "text" for b in item.blocks if b.placeholder)


def test_a_new_draft_prints_every_heading_of_seed_000s_outline():
    assert _headings({}) == SEED_000_HEADINGS


def test_each_part_still_to_be_written_shows_the_placeholder():
    """Eighteen parts with nothing below them and no statistics (twelve in I, six in II): eighteen placeholders."""
    leaves = [p for p in numbered_parts({}) if p.needs_text]
    assert len(leaves) == 18
    assert _placeholders({}) == 18
    written = {"parts": {p.part.key: {"text": "Đã soạn."} for p in leaves[:5]}}
    assert _placeholders(written) == 13


def test_a_removed_part_renumbers_the_rest():
    """Removing 2 (with 2.1–2.2) and 4.2 of part I: 3 becomes 2, 4 becomes 3, 4.3 becomes 3.2 …"""
    narrative = {"parts": {"I.2": {"removed": True}, "I.4.2": {"removed": True}}}
    headings = _headings(narrative)
    numbers = [n for n, _ in headings]
    assert numbers[:16] == ["I.", "1.", "2.", "2.1.", "2.2.", "2.3.", "2.4.", "2.5.", "3.", "3.1.", "3.2.", "3.3.",
                            "3.4.", "3.5.", "4.", "5."]
    assert ("3.2.", "Về quy trình, trình tự đánh giá, xếp loại chất lượng") in headings
    assert not any(t.startswith("Về việc ban hành văn bản") for _, t in headings)


def test_an_edited_title_keeps_its_counted_number():
    narrative = {"parts": {"I.5": {"title": "Việc thực hiện Kết luận số 12-KL/TW; Công văn số 961-CV/TU"}}}
    assert ("5.", "Việc thực hiện Kết luận số 12-KL/TW; Công văn số 961-CV/TU") in _headings(narrative)


def test_a_draft_saved_before_the_outline_keeps_what_was_typed():
    """The older flat form: its typed text lands in the part it belongs to; nothing is lost."""
    flat = {
        "basis": "Thực hiện Công văn số 1311-CV/TU, ngày 19/6/2026 của Ban Thường vụ Tỉnh ủy.",
        "part1_before": "1. Công tác lãnh đạo, chỉ đạo và tổ chức triển khai thực hiện\n\nĐã quán triệt đầy đủ.",
        "results_heading": "4. Kết quả đánh giá, xếp loại",
        "quarterly_after": "Việc đánh giá hằng quý có hiệu quả.",
        "part3": "III. ĐỀ XUẤT, KIẾN NGHỊ: Đề nghị tập huấn phần mềm.",
    }
    doc = year_end_document(Report(year=2026, narrative=flat), YearEndFigures(scope="x", year=2026))
    texts = [b.text for item in doc.body for b in (item.blocks or ((item.heading,) if item.heading else ()))]
    assert texts[0] == flat["basis"]
    assert "Đã quán triệt đầy đủ." in texts and "Việc đánh giá hằng quý có hiệu quả." in texts
    assert "4. Kết quả đánh giá, xếp loại" in texts
    assert "III. ĐỀ XUẤT, KIẾN NGHỊ: Đề nghị tập huấn phần mềm." in texts


@given(st.sets(st.sampled_from(sorted(PARTS))))
def test_numbering_never_skips_whatever_is_removed(removed):
    """Under each heading its parts count 1, 2, 3 … (I, II, III at the top); removed parts and theirs are gone."""
    narrative = {"parts": {key: {"removed": True} for key in removed}}
    parts = numbered_parts(narrative)
    gone = {key for key in PARTS if any(key == r or key.startswith(r + ".") for r in removed)}
    assert {p.part.key for p in parts} == set(PARTS) - gone
    counters: dict[str, int] = {}
    for p in parts:
        parent = p.part.key.rsplit(".", 1)[0] if "." in p.part.key else ""
        counters[parent] = counters.get(parent, 0) + 1
        expected = counters[parent]
        if p.level == 1:
            assert p.number == f"{['', 'I', 'II', 'III'][expected]}."
        else:
            assert re.fullmatch(rf"(\d+\.)*{expected}\.", p.number), (p.number, expected)


def test_the_outline_keys_are_its_seed_numbers():
    """Keys never shown but stable: each is its parent's key plus its position in seed 000."""
    def walk(parts, prefix):
        for i, part in enumerate(parts, start=1):
            expected = ["I", "II", "III"][i - 1] if not prefix else f"{prefix}.{i}"
            assert part.key == expected
            walk(part.children, part.key)
    walk(OUTLINE, "")
    assert PLACEHOLDER == "(Nội dung do Ban Xây dựng Đảng soạn thảo.)"
