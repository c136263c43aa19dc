"""The parts of a year-end report that staff type, in seed 000's order, and how their text is laid out.

Computed statistics sit between these parts (4.1, 4.3, 4.5 and 6 in seed 000); every heading is
editable because reports number their sections differently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.vntext import nfc


@dataclass(frozen=True)
class Slot:
    key: str
    label: str
    default: str
    heading: bool = False  # a one-line heading, not free text


SLOTS = (
    Slot("basis", "Căn cứ (đoạn mở đầu)",
         "Thực hiện Công văn số …-CV/TU, ngày …/…/… của Ban Thường vụ Tỉnh ủy về báo cáo kết quả kiểm điểm, "
         "đánh giá, xếp loại chất lượng tập thể, cá nhân; Ban Thường vụ {issuer} báo cáo kết quả thực hiện như sau:"),
    Slot("part1_heading", "Tiêu đề phần I", "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN", heading=True),
    Slot("part1_before", "Phần I: từ đầu đến trước kết quả đánh giá (mục 1–3)",
         "1. Công tác lãnh đạo, chỉ đạo và tổ chức triển khai thực hiện\n\n(Nội dung do Ban Xây dựng Đảng soạn thảo.)"),
    Slot("results_heading", "Tiêu đề mục kết quả", "4. Kết quả đánh giá, xếp loại chất lượng", heading=True),
    Slot("subjects_heading", "Tiêu đề mục đối tượng", "4.1. Về đối tượng đánh giá, xếp loại chất lượng", heading=True),
    Slot("subjects_intro", "Nhận định trước số liệu đối tượng (mục 4.1)", ""),
    Slot("results_middle", "Nội dung giữa (mục 4.2)", ""),
    Slot("results_subheading", "Tiêu đề mục kết quả năm", "4.3. Về quy trình, trình tự đánh giá, xếp loại chất lượng", heading=True),
    Slot("results_intro", "Nhận định trước số liệu kết quả (mục 4.3)", ""),
    Slot("results_after", "Nội dung sau số liệu kết quả (mục 4.4)", ""),
    Slot("rerating_heading", "Tiêu đề mục xếp loại lại", "4.5. Kết quả rà soát, đánh giá, xếp loại lại (nếu có):", heading=True),
    Slot("part1_after", "Nội dung sau mục xếp loại lại (mục 4.6, 5)", ""),
    Slot("quarterly_heading", "Tiêu đề mục đánh giá hằng quý",
         "6. Kết quả đánh giá định kỳ hằng quý đối với cán bộ lãnh đạo, quản lý", heading=True),
    Slot("quarterly_intro", "Nhận định trước số liệu hằng quý (mục 6)", ""),
    Slot("quarterly_after", "Nội dung sau số liệu hằng quý", ""),
    Slot("part2", "Phần II. Đánh giá chung",
         "II. ĐÁNH GIÁ CHUNG\n\n1. Ưu điểm và nguyên nhân\n\n(Nội dung do Ban Xây dựng Đảng soạn thảo.)"),
    Slot("part3", "Phần III. Đề xuất, kiến nghị", "III. ĐỀ XUẤT, KIẾN NGHỊ: Không."),
)
SLOT_KEYS = tuple(s.key for s in SLOTS)
MAX_SLOT_LENGTH = 50_000


def narrative_text(narrative: dict | None, key: str, *, issuer: str = "") -> str:
    """The text of one part: what staff typed, or the default."""
    stored = (narrative or {}).get(key)
    if stored is not None:
        return stored
    slot = next(s for s in SLOTS if s.key == key)
    return slot.default.replace("{issuer}", issuer or "Đảng ủy")


def clean_narrative(values: dict) -> dict:
    """Typed text as stored: NFC, line ends unified, trailing blanks removed."""
    out = {}
    for slot in SLOTS:
        text = nfc(values.get(slot.key, "")).replace("\r\n", "\n").replace("\r", "\n")
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
        if slot.heading:
            text = " ".join(text.split())
        out[slot.key] = text
    return out


_HEADING = re.compile(r"^((?:[IVX]+\.)|(?:\d+(?:\.\d+)*\.))\s+\S")


@dataclass(frozen=True)
class Block:
    """One laid-out piece of typed text: a heading (level 1–3) or a paragraph."""

    text: str
    level: int = 0  # 0 paragraph; 1 "I.", 2 "1.", 3 "1.1."

    @property
    def tag(self) -> str:
        return {1: "h2", 2: "h3", 3: "h4"}.get(self.level, "p")


def blocks(text: str) -> list[Block]:
    """Paragraphs split at blank lines; a short line numbered "I.", "1." or "2.1." is a heading."""
    out = []
    for chunk in re.split(r"\n\s*\n", text or ""):
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        match = _HEADING.match(chunk)
        level = 0
        if match and len(chunk) <= 200 and not chunk.endswith(";"):
            number = match.group(1)
            level = 1 if number[0] in "IVX" else min(2 + number.count(".") - 1, 3)
        out.append(Block(chunk, level))
    return out
