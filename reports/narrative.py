"""The outline of a year-end report and what staff type into it [seed 000].

Seed 000 follows the superior's outline: the opening paragraph, then I (1–6, with 2.1–2.2,
3.1–3.5, 4.1–4.6), II (1–4, with 1.1–1.2, 2.1–2.2) and III. Every heading of the outline is
printed; the numbers are not typed but counted, so a part removed on purpose renumbers the rest
and no number is skipped. A part whose text is still to be written shows the placeholder
(`PLACEHOLDER`), which, like the dots of the opening paragraph ("…-CV/TU, ngày …/…/…"), keeps
the report from being made final until it is replaced (`reports.checks`). The statistics the
software computes sit in 4.1, 4.3, 4.5 and 6, between the text typed before and after them.

What is typed is stored in `Report.narrative` as {"parts": {key: {"title", "text", "after",
"removed"}}}; a draft saved before the outline existed (flat keys: "basis", "part1_before" …) is
read into the parts it belongs to, so nothing typed is lost.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.vntext import nfc

from .figures import ROMAN

PLACEHOLDER = "(Nội dung do Ban Xây dựng Đảng soạn thảo.)"
MAX_SLOT_LENGTH = 50_000
MAX_TITLE_LENGTH = 500

BASIS_DEFAULT = (
    "Thực hiện Công văn số …-CV/TU, ngày …/…/… của Ban Thường vụ Tỉnh ủy về báo cáo kết quả kiểm điểm, đánh giá, "
    "xếp loại chất lượng tập thể, cá nhân; Ban Thường vụ {issuer} báo cáo kết quả thực hiện như sau:"
)


@dataclass(frozen=True)
class Part:
    """A heading of the outline: its key (the seed's numbering, never shown), its title, its parts."""

    key: str
    title: str
    children: tuple[Part, ...] = ()
    computed: str = ""  # the statistics printed in it: "subjects", "results", "rerating", "quarterly"
    inline: bool = False  # one short paragraph is printed on the heading's line ("4.5. …: Không có.")
    default_text: str = ""


def _p(key: str, title: str, *children: Part, **kw) -> Part:
    return Part(key, title, tuple(children), **kw)


OUTLINE: tuple[Part, ...] = (
    _p("I", "TÌNH HÌNH, KẾT QUẢ THỰC HIỆN",
       _p("I.1", "Công tác lãnh đạo, chỉ đạo và tổ chức triển khai thực hiện"),
       _p("I.2", "Việc cụ thể hóa nội dung kiểm điểm, bộ tiêu chí đánh giá, xếp loại",
          _p("I.2.1", "Về việc ban hành văn bản cụ thể hóa"),
          _p("I.2.2", "Về chất lượng bộ tiêu chí và khả năng lượng hóa")),
       _p("I.3", "Công tác kiểm điểm, tự phê bình và phê bình",
          _p("I.3.1", "Về đối tượng và nơi kiểm điểm"),
          _p("I.3.2", "Về công tác chuẩn bị và tổ chức kiểm điểm"),
          _p("I.3.3", "Về cách thức, trình tự kiểm điểm"),
          _p("I.3.4", "Về trách nhiệm, thẩm quyền trong kiểm điểm"),
          _p("I.3.5", "Về thực hiện gợi ý kiểm điểm và khắc phục hạn chế, khuyết điểm sau kiểm điểm")),
       _p("I.4", "Kết quả đánh giá, xếp loại chất lượng",
          _p("I.4.1", "Về đối tượng đánh giá, xếp loại chất lượng", computed="subjects"),
          _p("I.4.2", "Về khung tiêu chí đánh giá và tiêu chí xếp loại chất lượng"),
          _p("I.4.3", "Về quy trình, trình tự đánh giá, xếp loại chất lượng", computed="results"),
          _p("I.4.4", "Về trách nhiệm, thẩm quyền trong đánh giá, xếp loại chất lượng (nhất là vai trò của người đứng đầu)"),
          _p("I.4.5", "Kết quả rà soát, đánh giá, xếp loại lại (nếu có)", computed="rerating", inline=True),
          _p("I.4.6", "Về thông báo và sử dụng kết quả đánh giá, xếp loại chất lượng")),
       _p("I.5", "Việc thực hiện Kết luận số 12-KL/TW của Bộ Chính trị"),
       _p("I.6", "Việc thực hiện Kết luận số 198-KL/TW của Bộ Chính trị gắn với đánh giá định kỳ hằng quý đối với cán bộ "
                 "lãnh đạo, quản lý các cấp", computed="quarterly")),
    _p("II", "ĐÁNH GIÁ CHUNG",
       _p("II.1", "Ưu điểm và nguyên nhân", _p("II.1.1", "Ưu điểm"), _p("II.1.2", "Nguyên nhân")),
       _p("II.2", "Hạn chế, tồn tại và nguyên nhân", _p("II.2.1", "Hạn chế"), _p("II.2.2", "Nguyên nhân")),
       _p("II.3", "Khó khăn, vướng mắc và nguyên nhân"),
       _p("II.4", "Bài học kinh nghiệm")),
    _p("III", "ĐỀ XUẤT, KIẾN NGHỊ", inline=True, default_text="Không."),
)


def _walk(parts: tuple[Part, ...], depth: int = 1):
    for part in parts:
        yield part, depth
        yield from _walk(part.children, depth + 1)


PARTS: dict[str, Part] = {part.key: part for part, _ in _walk(OUTLINE)}
DEPTH: dict[str, int] = {part.key: depth for part, depth in _walk(OUTLINE)}


@dataclass(frozen=True)
class Typed:
    """What staff typed for one part (blank title: the outline's)."""

    title: str = ""
    text: str = ""
    after: str = ""
    removed: bool = False


def typed_parts(narrative: dict | None) -> tuple[str, dict[str, Typed]]:
    """The opening paragraph and each part as typed (a draft of the older flat form read into parts)."""
    narrative = narrative or {}
    if "parts" not in narrative and narrative:
        narrative = _from_flat(narrative)
    stored = narrative.get("parts") or {}
    parts = {}
    for key in PARTS:
        raw = stored.get(key) or {}
        parts[key] = Typed(title=raw.get("title", ""), text=raw.get("text", ""), after=raw.get("after", ""),
                           removed=bool(raw.get("removed")))
    return narrative.get("basis", BASIS_DEFAULT), parts


def basis_text(narrative: dict | None, issuer: str) -> str:
    """The opening paragraph as it prints: what was typed, else the default with the issuer's name."""
    basis, _ = typed_parts(narrative)
    return basis.replace("{issuer}", issuer or "Đảng ủy")


@dataclass(frozen=True)
class Numbered:
    """A part as it prints: its number counted among the parts kept, its level, its title and text."""

    part: Part
    number: str  # "I.", "4.", "4.1."
    level: int  # 1 roman, 2 "1.", 3 "1.1."
    title: str
    typed: Typed
    has_children: bool
    roman: str  # the number of the part (I, II, III) it lies in

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def place(self) -> str:
        """Where it is, as people say it: "Phần II", "Mục 3.4 phần I" (numbers repeat across parts)."""
        if self.level == 1:
            return f"Phần {self.roman}"
        return f"Mục {self.number.rstrip('.')} phần {self.roman}"

    @property
    def needs_text(self) -> bool:
        """A part with nothing below it and nothing computed must have typed text (else the placeholder)."""
        return not self.has_children and not self.part.computed and not self.part.default_text


def numbered_parts(narrative: dict | None) -> list[Numbered]:
    """The parts kept, in order, numbered without gaps (a part removed takes its sub-parts with it)."""
    _, typed = typed_parts(narrative)
    out: list[Numbered] = []

    def walk(parts: tuple[Part, ...], prefix: str, level: int, roman: str) -> None:
        kept = [p for p in parts if not typed[p.key].removed]
        for i, part in enumerate(kept, start=1):
            number = f"{ROMAN_NUMERALS[i]}." if level == 1 else f"{prefix}{i}."
            top = ROMAN_NUMERALS[i] if level == 1 else roman
            kids = [c for c in part.children if not typed[c.key].removed]
            out.append(Numbered(part, number, level, typed[part.key].title or part.title, typed[part.key], bool(kids), top))
            walk(part.children, "" if level == 1 else number, level + 1, top)

    walk(OUTLINE, "", 1, "")
    return out


ROMAN_NUMERALS = {**ROMAN, 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


# -- what a save stores ---------------------------------------------------------------------------

def clean_block(text: str | None) -> str:
    """Typed text as stored: NFC, line ends unified, trailing blanks removed."""
    text = nfc(text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def clean_narrative(basis: str, parts: dict[str, Typed]) -> dict:
    """The narrative as stored: the opening paragraph and, per part, only what differs from the outline."""
    stored = {}
    for key, typed in parts.items():
        if key not in PARTS:
            continue
        title = " ".join(nfc(typed.title).split())
        entry = {
            "title": "" if title == PARTS[key].title else title,
            "text": clean_block(typed.text), "after": clean_block(typed.after), "removed": bool(typed.removed),
        }
        entry = {k: v for k, v in entry.items() if v}
        if entry:
            stored[key] = entry
    return {"basis": clean_block(basis), "parts": stored}


def too_long(narrative: dict) -> dict[str, list[str]]:
    """Parts longer than the limits, keyed by the form's field names."""
    errors = {}
    if len(narrative.get("basis", "")) > MAX_SLOT_LENGTH:
        errors["basis"] = [f"Dài {len(narrative['basis'])} ký tự, tối đa {MAX_SLOT_LENGTH} ký tự."]
    for key, entry in narrative.get("parts", {}).items():
        for name, limit in (("title", MAX_TITLE_LENGTH), ("text", MAX_SLOT_LENGTH), ("after", MAX_SLOT_LENGTH)):
            value = entry.get(name, "")
            if len(value) > limit:
                errors[field_name(name, key)] = [f"Dài {len(value)} ký tự, tối đa {limit} ký tự."]
    return errors


def field_name(kind: str, key: str) -> str:
    """The form field of one part's title, text, after-text or removal: "text_I_4_1"."""
    return f"{kind}_{key.replace('.', '_')}"


# -- drafts saved before the outline --------------------------------------------------------------

_HEADING = re.compile(r"^((?:[IVX]+\.)|(?:\d+(?:\.\d+)*\.))\s+\S")
_OLD_DEFAULTS = {
    "part1_before": "1. Công tác lãnh đạo, chỉ đạo và tổ chức triển khai thực hiện\n\n" + PLACEHOLDER,
    "part2": "II. ĐÁNH GIÁ CHUNG\n\n1. Ưu điểm và nguyên nhân\n\n" + PLACEHOLDER,
    "part3": "III. ĐỀ XUẤT, KIẾN NGHỊ: Không.",
}
_OLD_TEXT = {
    "subjects_intro": ("I.4.1", "text"), "results_middle": ("I.4.2", "text"), "results_intro": ("I.4.3", "text"),
    "results_after": ("I.4.4", "text"), "part1_after": ("I.4.6", "text"), "quarterly_intro": ("I.6", "text"),
    "quarterly_after": ("I.6", "after"), "part1_before": ("I.1", "text"), "part2": ("II", "text"),
    "part3": ("III", "text"),
}
_OLD_TITLES = {
    "part1_heading": "I", "results_heading": "I.4", "subjects_heading": "I.4.1", "results_subheading": "I.4.3",
    "rerating_heading": "I.4.5", "quarterly_heading": "I.6",
}


def _strip_number(title: str) -> str:
    match = _HEADING.match(title)
    return title[match.end(1):].strip().rstrip(":") if match else title


def _drop_first_heading(text: str, key: str) -> str:
    """Text without its first paragraph when that is the part's own heading, typed in the older form."""
    first, _, rest = text.partition("\n\n")
    if _strip_number(first.strip()).split(":")[0].strip().upper() == PARTS[key].title.upper():
        inline = first.split(":", 1)[1].strip() if ":" in first else ""
        return "\n\n".join(x for x in (inline, rest.strip()) if x)
    return text


def _from_flat(flat: dict) -> dict:
    """A draft of the older form (one slot per stretch of text, numbers typed) as parts."""
    parts: dict[str, dict] = {}
    for old, key in _OLD_TITLES.items():
        title = _strip_number(" ".join((flat.get(old) or "").split()))
        if title and title != PARTS[key].title:
            parts.setdefault(key, {})["title"] = title
    for old, (key, slot) in _OLD_TEXT.items():
        text = (flat.get(old) or "").strip()
        if not text or text == _OLD_DEFAULTS.get(old):
            continue
        text = _drop_first_heading(text, "I.1" if old == "part1_before" else key)
        if text and text != PLACEHOLDER:
            parts.setdefault(key, {})[slot] = text
    return {"basis": flat.get("basis", BASIS_DEFAULT), "parts": parts}


# -- typed text laid out ------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """One laid-out piece of text: a heading (level 1–3) or a paragraph; a placeholder is marked."""

    text: str
    level: int = 0  # 0 paragraph; 1 "I.", 2 "1.", 3 "1.1."
    placeholder: bool = False

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
        out.append(Block(chunk, level, placeholder=chunk == PLACEHOLDER))
    return out
