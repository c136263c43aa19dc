"""The report's sentences, phrased as seed 000 §4.1, §4.3 and §6 phrase them.

Every number comes from one `YearEndFigures`; a footnote lists the groups whose sum its
sentence prints. Counts below 10 are padded ("09 chi bộ"), thousands take a dot ("3.254"),
percentages one decimal with a comma, rounded half up from the counts: 2 of 11 is "18,2%"
(seed 000 fn 4 truncates it to 18,1%) and 1 of 6 is "16,7%" (seed 000 fn 3 prints 16,6%).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vnformat import fmt_count, fmt_fraction, fmt_ratio

from .figures import ROMAN, Group, QuarterFigures, Section, Tally, YearEndFigures


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


@dataclass(frozen=True)
class Part:
    """A run of text, with the lines of the footnote it calls (if any) at its end."""

    text: str
    note: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Part, ...]
    style: str = ""  # "", "dash" (a "- " item), "plus" (a "+ " item)

    @property
    def text(self) -> str:
        """The paragraph without its footnotes (what a reader sees in the body)."""
        return "".join(p.text for p in self.parts)

    @property
    def notes(self) -> tuple[tuple[str, ...], ...]:
        return tuple(p.note for p in self.parts if p.note)


def para(*parts: str | Part, style: str = "") -> Paragraph:
    return Paragraph(tuple(p if isinstance(p, Part) else Part(p) for p in parts), style)


# -- pieces -------------------------------------------------------------------------------------

ORG_UNITS = {"base": "đơn vị", "root_cell": "chi bộ", "sub_cell": "chi bộ", "root": "đảng bộ"}


def reasons_text(tally: Tally, noun: str) -> str:
    """ "miễn công tác và sinh hoạt đảng 60 đồng chí; mới kết nạp dưới 06 tháng 14 đồng chí"."""
    return "; ".join(f"{lower_first(r.label)} {fmt_count(r.count)} {noun}" for r in tally.not_rated if r.count)


def lower_levels(tally: Tally, noun: str, *, always: bool = False) -> list[str]:
    """ "hoàn thành nhiệm vụ 02 chi bộ, chiếm 4,5%" and the same for KHTNV (zero ones left out)."""
    out = []
    for count, label in ((tally.passing, "hoàn thành nhiệm vụ"), (tally.failing, "không hoàn thành nhiệm vụ")):
        if count or always:
            out.append(f"{label} {fmt_count(count)} {noun}, chiếm {fmt_ratio(count, tally.rated)}")
    return out


def pending_clause(tally: Tally, noun: str) -> str:
    """ "; 804 đồng chí chưa có quyết định xếp loại" while a year is still being rated ("" once all are decided)."""
    return f"; {fmt_count(tally.pending)} {noun} chưa có quyết định xếp loại" if tally.pending else ""


def excellent_clause(tally: Tally, noun: str, verb: str = "có") -> str:
    """ "có 09 chi bộ hoàn thành xuất sắc nhiệm vụ, chiếm 20,5%" (share of those HTTNV or above)."""
    if not tally.excellent:
        return f"không có {noun} hoàn thành xuất sắc nhiệm vụ"
    return f"{verb} {fmt_count(tally.excellent)} {noun} hoàn thành xuất sắc nhiệm vụ, chiếm {fmt_ratio(tally.excellent, tally.good_or_above)}"


# -- 4.1 subjects --------------------------------------------------------------------------------

def subjects_paragraphs(f: YearEndFigures) -> list[Paragraph]:
    """4.1: how many of each kind of subject were rated of those to be rated [000 §4.1]."""
    out = []
    k = f.committees.tally
    if k.total:
        parts = " và ".join(f"{fmt_fraction(g.tally.rated, g.tally.total)} {lower_first(g.label)}" for g in f.committees.groups)
        out.append(f"Cấp ủy các cấp đã hoàn thành đánh giá {fmt_fraction(k.rated, k.total)} tập thể cấp ủy, "
                   f"đạt {fmt_ratio(k.rated, k.total)} ({parts}){pending_clause(k, 'tập thể cấp ủy')}.")
    c = f.collectives.tally
    if c.total:
        out.append(f"Đối với tập thể lãnh đạo, quản lý {fmt_fraction(c.rated, c.total)} tập thể đã được tiến hành đánh giá, "
                   f"đạt tỷ lệ {fmt_ratio(c.rated, c.total)}{pending_clause(c, 'tập thể')}.")
    leaders = f.leaders
    if leaders.total:
        tiers = "; ".join(f"{s.label} {fmt_fraction(s.tally.rated, s.tally.total)} đồng chí" for s in f.leader_tiers)
        out.append(f"Đối với cán bộ lãnh đạo, quản lý đã thực hiện đánh giá {fmt_fraction(leaders.rated, leaders.total)} "
                   f"đồng chí, đạt {fmt_ratio(leaders.rated, leaders.total)} ({tiers}){pending_clause(leaders, 'đồng chí')}.")
    m = f.members
    if m.total:
        sentence = (f"Đối với đảng viên, tổng số đảng viên tại thời điểm đánh giá là {fmt_count(m.total)} đồng chí; "
                    f"có {fmt_count(m.taking_part)} đồng chí đã tham gia đánh giá, xếp loại, đạt tỷ lệ "
                    f"{fmt_ratio(m.taking_part, m.total)}")
        if m.pending:
            sentence += (f" (trong đó {fmt_count(m.rated)} đồng chí đã có quyết định xếp loại, "
                         f"{fmt_count(m.pending)} đồng chí chưa có quyết định)")
        if m.not_rated_total:
            sentence += (f"; số lượng không tham gia đánh giá là {fmt_count(m.not_rated_total)} đồng chí, "
                         f"chiếm {fmt_ratio(m.not_rated_total, m.total)}; lý do: {reasons_text(m, 'đồng chí')}")
        out.append(sentence + ".")
    if not out:
        return [para("Chưa có kết quả đánh giá, xếp loại của năm này.")]
    return [para(" ".join(out))]


# -- 4.3 results ---------------------------------------------------------------------------------

def organisations_paragraph(f: YearEndFigures) -> Paragraph:
    """+ Xếp loại tổ chức đảng [000 §4.3]."""
    s = f.organisations
    t = s.tally
    lead = "+ Xếp loại tổ chức đảng: "
    if not t.total:
        return para(lead + "Chưa có kết quả xếp loại tổ chức đảng.")
    text = lead + f"Đã đánh giá, xếp loại {fmt_fraction(t.rated, t.total)} tổ chức đảng, đạt {fmt_ratio(t.rated, t.total)}"
    text += pending_clause(t, "tổ chức đảng")
    if t.not_rated_total:
        text += f"; {fmt_count(t.not_rated_total)} tổ chức đảng không xếp loại ({reasons_text(t, 'tổ chức')})"
    text += ". Kết quả cụ thể: " + " ".join(_org_group_sentence(g) for g in s.groups)
    return para(text)


def _org_group_sentence(g: Group) -> str:
    t, unit = g.tally, ORG_UNITS.get(g.key, "tổ chức")
    head = f"Đối với {g.label}: "
    if not t.rated:
        reasons = reasons_text(t, unit)
        return (head + f"chưa có {unit} được đánh giá, xếp loại" + (f" ({reasons})" if reasons else "")
                + pending_clause(t, unit) + ".")
    parts = [f"{fmt_fraction(t.good_or_above, t.rated)} {unit} hoàn thành tốt nhiệm vụ trở lên, đạt {fmt_ratio(t.good_or_above, t.rated)}",
             "trong đó " + excellent_clause(t, unit)]
    parts += lower_levels(t, unit)
    if t.not_rated_total:
        parts.append(f"{fmt_count(t.not_rated_total)} {unit} không xếp loại ({reasons_text(t, unit)})")
    return head + "; ".join(parts) + "."


def collectives_paragraph(f: YearEndFigures) -> Paragraph:
    """+ Xếp loại tập thể lãnh đạo, quản lý và cấp ủy, with the per-block footnote [000 §4.3, fn 3]."""
    c, k = f.collectives.tally, f.committees.tally
    both = c + k
    lead = "+ Xếp loại tập thể lãnh đạo, quản lý và cấp ủy: "
    if not both.total:
        return para(lead + "Chưa có kết quả xếp loại tập thể lãnh đạo, quản lý và cấp ủy.")
    text = (lead + f"Tổng số có {fmt_fraction(c.rated, c.total)} cơ quan, đơn vị và {fmt_fraction(k.rated, k.total)} tập thể cấp ủy "
            "được đánh giá, xếp loại")
    if both.pending:
        text += f" ({fmt_count(both.pending)} tập thể chưa có quyết định xếp loại)"
    if both.rated and both.good_or_above == both.rated:
        text += (" đều đạt mức hoàn thành tốt nhiệm vụ trở lên, trong đó " + excellent_clause(both, "tập thể"))
    elif both.rated:
        text += (f"; hoàn thành tốt nhiệm vụ trở lên {fmt_count(both.good_or_above)} tập thể, chiếm "
                 f"{fmt_ratio(both.good_or_above, both.rated)} (trong đó {excellent_clause(both, 'tập thể')})")
        text += "".join("; " + x for x in lower_levels(both, "tập thể"))
    return para(Part(text, collectives_note(f)), ".")


def collectives_note(f: YearEndFigures) -> tuple[str, ...]:
    """Footnote 3: collectives by block, committees by kind; their HTXSNV add up to the sentence."""
    lines = []
    c = f.collectives.tally
    if c.rated:
        lines.append(f"- Đối với tập thể lãnh đạo, quản lý: {fmt_fraction(c.rated, c.total)} tập thể được đánh giá, xếp loại, "
                     f"trong đó {fmt_count(c.excellent)} tập thể hoàn thành xuất sắc nhiệm vụ; kết quả theo khối:")
        lines += [_block_line(g) for g in f.collectives.groups]
    k = f.committees.tally
    if k.rated:
        lines.append(f"- Đối với tập thể cấp ủy: Đã hoàn thành đánh giá {fmt_fraction(k.rated, k.total)}, đạt {fmt_ratio(k.rated, k.total)} "
                     "cấp ủy, kết quả cụ thể:")
        lines += [_committee_line(g) for g in f.committees.groups]
    return tuple(lines)


def _block_line(g: Group) -> str:
    t = g.tally
    if not t.rated:
        return f"+ {g.label}: chưa có tập thể được đánh giá, xếp loại."
    if t.good_or_above == t.rated:
        if t.excellent:
            inner = f"có {fmt_count(t.excellent)} đơn vị xuất sắc, chiếm {fmt_ratio(t.excellent, t.good_or_above)}"
        else:
            inner = "đều hoàn thành tốt nhiệm vụ, không có đơn vị xuất sắc"
        return f"+ {g.label}: {fmt_count(t.rated)} tập thể ({inner})."
    inner = [f"hoàn thành tốt nhiệm vụ trở lên {fmt_count(t.good_or_above)}",
             f"có {fmt_count(t.excellent)} đơn vị xuất sắc, chiếm {fmt_ratio(t.excellent, t.good_or_above)}"]
    inner += lower_levels(t, "tập thể")
    return f"+ {g.label}: {fmt_count(t.rated)} tập thể ({'; '.join(inner)})."


def _committee_line(g: Group) -> str:
    t = g.tally
    if not t.rated:
        return f"+ {g.label}: chưa có tập thể được đánh giá, xếp loại."
    text = (f"+ {g.label}: Tổng số {fmt_fraction(t.good_or_above, t.rated)} tập thể được đánh giá hoàn thành tốt nhiệm vụ "
            f"trở lên ({'có ' + fmt_count(t.excellent) + ' tập thể xuất sắc, chiếm ' + fmt_ratio(t.excellent, t.good_or_above) if t.excellent else 'không có tập thể xuất sắc'})")
    text += "".join("; " + x for x in lower_levels(t, "tập thể"))
    return text + "."


def tier_sentence(s: Section) -> str:
    """ "Cán bộ diện … có 58/58 đồng chí được đánh giá, xếp loại; trong đó, …" [000 §4.3]."""
    t = s.tally
    head = f"Cán bộ {s.label} có {fmt_fraction(t.rated, t.total)} đồng chí được đánh giá, xếp loại"
    head += pending_clause(t, "đồng chí")
    if not t.rated:
        return head
    head += (f"; trong đó, hoàn thành tốt nhiệm vụ trở lên {fmt_count(t.good_or_above)} người, chiếm "
             f"{fmt_ratio(t.good_or_above, t.rated)} ({_people_excellent(t)})")
    return head + "".join("; " + x for x in lower_levels(t, "người"))


def _people_excellent(t: Tally) -> str:
    if not t.excellent:
        return "không có người hoàn thành xuất sắc nhiệm vụ"
    return f"gồm {fmt_count(t.excellent)} người hoàn thành xuất sắc nhiệm vụ, chiếm {fmt_ratio(t.excellent, t.good_or_above)}"


def leaders_paragraph(f: YearEndFigures) -> Paragraph:
    """+ Xếp loại chất lượng cán bộ lãnh đạo, quản lý, per tier with the per-group footnote [000 fn 4]."""
    lead = "+ Xếp loại chất lượng cán bộ lãnh đạo quản lý: "
    if not f.leader_tiers:
        return para(lead + "Chưa có kết quả xếp loại cán bộ lãnh đạo, quản lý.")
    parts: list[str | Part] = [lead]
    for i, s in enumerate(f.leader_tiers):
        sep = ". " if i else ""
        note = tuple(_leader_group_line(g) for g in s.groups) if len(s.groups) > 1 and s.tally.rated else ()
        parts.append(Part(sep + tier_sentence(s), note))
    parts.append(".")
    return para(*parts)


def _leader_group_line(g: Group) -> str:
    t = g.tally
    if not t.rated and t.pending:
        return f"+ Đối với {g.label}: chưa có đồng chí được đánh giá, xếp loại{pending_clause(t, 'đồng chí')}."
    if t.rated and t.good_or_above == t.rated:
        text = f"+ Đối với {g.label}: {fmt_fraction(t.good_or_above, t.rated)} đồng chí hoàn thành tốt nhiệm vụ trở lên"
        if t.excellent:
            text += (f", trong đó có {fmt_count(t.excellent)} đồng chí hoàn thành xuất sắc nhiệm vụ, "
                     f"chiếm {fmt_ratio(t.excellent, t.good_or_above)}")
        else:
            text += ", không có đồng chí hoàn thành xuất sắc nhiệm vụ"
        return text + "."
    text = f"+ Đối với {g.label}: Tổng số {fmt_count(t.rated)} đồng chí."
    if t.good_or_above:
        text += (f" Hoàn thành tốt nhiệm vụ trở lên: {fmt_count(t.good_or_above)} đồng chí, chiếm {fmt_ratio(t.good_or_above, t.rated)}, "
                 f"trong đó có {fmt_count(t.excellent)} đồng chí hoàn thành xuất sắc nhiệm vụ, chiếm {fmt_ratio(t.excellent, t.good_or_above)}.")
    if t.passing:
        text += f" Hoàn thành nhiệm vụ: {fmt_count(t.passing)} đồng chí, chiếm {fmt_ratio(t.passing, t.rated)}."
    if t.failing:
        text += f" Không hoàn thành nhiệm vụ: {fmt_count(t.failing)} đồng chí, chiếm {fmt_ratio(t.failing, t.rated)}."
    return text


def members_paragraph(f: YearEndFigures) -> Paragraph:
    """+ Xếp loại chất lượng đảng viên: total, rated, not rated with reasons, each level [000 §4.3]."""
    m = f.members
    lead = "+ Xếp loại chất lượng đảng viên: "
    if not m.total:
        return para(lead + "Chưa có kết quả xếp loại đảng viên.")
    text = (lead + f"Tổng số đảng viên tại thời điểm đánh giá là {fmt_count(m.total)} đồng chí. Trong đó, có {fmt_count(m.taking_part)} "
            f"đồng chí tham gia đánh giá, xếp loại, đạt {fmt_ratio(m.taking_part, m.total)}")
    if m.pending:
        text += (f", trong đó {fmt_count(m.rated)} đồng chí đã có quyết định xếp loại và {fmt_count(m.pending)} đồng chí "
                 "chưa có quyết định")
    if m.not_rated_total:
        text += (f"; {fmt_count(m.not_rated_total)} đồng chí không tham gia đánh giá, chiếm {fmt_ratio(m.not_rated_total, m.total)} "
                 f"({reasons_text(m, 'đồng chí')})")
    text += "."
    if m.rated:
        text += (f" Kết quả{' (của ' + fmt_count(m.rated) + ' đồng chí đã có quyết định)' if m.pending else ''}: Hoàn thành tốt nhiệm vụ trở lên {fmt_fraction(m.good_or_above, m.rated)}, chiếm "
                 f"{fmt_ratio(m.good_or_above, m.rated)}; trong đó {fmt_count(m.excellent)} hoàn thành xuất sắc nhiệm vụ, chiếm "
                 f"{fmt_ratio(m.excellent, m.good_or_above)}; hoàn thành nhiệm vụ {fmt_fraction(m.passing, m.rated)}, chiếm "
                 f"{fmt_ratio(m.passing, m.rated)}; không hoàn thành nhiệm vụ {fmt_fraction(m.failing, m.rated)}, chiếm "
                 f"{fmt_ratio(m.failing, m.rated)}.")
    return para(text)


def results_paragraphs(f: YearEndFigures) -> list[Paragraph]:
    """4.3: the results of the year, one paragraph per subject type."""
    return [
        para(f"- Kết quả đánh giá, xếp loại năm {f.year}"),
        organisations_paragraph(f),
        collectives_paragraph(f),
        leaders_paragraph(f),
        members_paragraph(f),
    ]


# -- 4.5 re-rating, and reports whose figures changed -------------------------------------------

def rerating_paragraphs(f: YearEndFigures) -> list[Paragraph]:
    """4.5: re-ratings decided since the last final report, and final reports they changed."""
    out = []
    if f.reratings:
        out.append(para(f"Có {fmt_count(len(f.reratings))} trường hợp được xếp loại lại:"))
        for r in f.reratings:
            out.append(para(f"+ {r.subject} ({r.period}): từ {lower_first(r.old_level)} thành {lower_first(r.new_level)} "
                            f"theo Quyết định số {r.decision_number} ngày {r.decision_date}.", style="plus"))
    for c in f.changed_reports:
        out.append(para(f"Số liệu năm {c.year} tại {c.reference} ngày {c.issued_on} đã ban hành nay thay đổi do xếp loại "
                        f"lại: {'; '.join(c.changes)}."))
    return out


# -- 6 quarterly ---------------------------------------------------------------------------------

def quarters_label(quarters: Iterable[QuarterFigures]) -> str:
    """ "quý I, II/2026" (or "quý IV/2025, quý I/2026" across years)."""
    by_year: dict[int, list[int]] = {}
    for q in quarters:
        by_year.setdefault(q.year, []).append(q.quarter)
    return ", ".join(f"quý {', '.join(ROMAN[q] for q in qs)}/{y}" for y, qs in by_year.items())


def quarterly_paragraphs(f: YearEndFigures) -> list[Paragraph]:
    """6: leaders rated each quarter, per tier, with the per-group footnotes [000 §6, fn 5–6]."""
    quarters = [q for q in f.quarters if any(s.tally.total for s in q.tiers)]
    if not quarters:
        return [para("Chưa có kết quả đánh giá, xếp loại hằng quý đối với cán bộ lãnh đạo, quản lý.")]
    per_tier: dict[str, tuple[str, int]] = {}
    for q in quarters:
        for s in q.tiers:
            label, n = per_tier.get(s.key, (s.label, 0))
            per_tier[s.key] = (label, n + s.tally.rated)
    turns = ", ".join(f"{fmt_count(n)} lượt cán bộ {label}" for label, n in per_tier.values())
    out = [para(f"Trong {quarters_label(quarters)}, đã có {turns} được tiến hành đánh giá, xếp loại. Kết quả cụ thể như sau:")]
    for q in quarters:
        parts: list[str | Part] = [f"- Trong {q.label}: "]
        for i, s in enumerate(q.tiers):
            note = tuple(_quarter_group_line(g) for g in s.groups) if len(s.groups) > 1 and s.tally.rated else ()
            parts.append(Part((". " if i else "") + tier_sentence(s), note))
        parts.append(".")
        out.append(para(*parts, style="dash"))
    return out


def _quarter_group_line(g: Group) -> str:
    t = g.tally
    levels = [f"Hoàn thành xuất sắc nhiệm vụ {fmt_count(t.excellent)}", f"hoàn thành tốt nhiệm vụ {fmt_count(t.good)}"]
    if t.passing:
        levels.append(f"hoàn thành nhiệm vụ {fmt_count(t.passing)}")
    if t.failing:
        levels.append(f"không hoàn thành nhiệm vụ {fmt_count(t.failing)}")
    return f"+ {g.label} {fmt_count(t.rated)} đồng chí, trong đó: {', '.join(levels)}."


def rollup_paragraph(f: YearEndFigures) -> Paragraph | None:
    if not f.is_rollup:
        return None
    return para(f"Kết quả của từng đảng bộ xã ({fmt_count(len(f.communes))} đảng bộ) tại Phụ lục kèm theo.")
