"""What a year-end report shows, in order: header, title, typed parts and computed statistics.

`year_end_document` lays out a report (saved or not) with its figures; the page preview, the PDF
and the tests all read this one structure, so they cannot show different things.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from . import charts, wording
from .build import SECTION_LABELS, section_tallies
from .data import ReportScope
from .figures import YearEndFigures
from .letterhead import DEFAULT_RECIPIENTS, Closing, dateline, recipient_lines, scope_letterhead
from .models import Report, ReportKind
from .narrative import PLACEHOLDER, Block, Numbered, basis_text, blocks, numbered_parts
from .wording import Paragraph


@dataclass(frozen=True)
class Item:
    """One piece of the body: a typed part, a heading, or computed paragraphs."""

    kind: str  # "heading" | "text" | "computed"
    heading: Block | None = None
    blocks: tuple[Block, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class YearEndDocument:
    report: Report
    figures: YearEndFigures
    superior: str
    issuer: str
    reference: str
    dateline: str
    title: str
    body: tuple[Item, ...]
    closing: Closing
    is_draft: bool
    summary: tuple[tuple[str, object], ...] = ()
    pending: bool = False  # some subjects of the period are not decided yet (a draft of a year in progress)
    chart: SafeString | None = None
    communes: tuple = ()
    communes_total: dict = field(default_factory=dict)


def new_report(scope: ReportScope, year: int) -> Report:
    """An unsaved report with the header, title, recipients and signer filled from the scope."""
    who = scope_letterhead(scope)
    return Report(
        kind=ReportKind.YEAR_END, organization=scope.organization, year=year, superior_name=who.superior,
        issuer_name=who.issuer, place=who.place,
        title=f"kết quả kiểm điểm, đánh giá, xếp loại chất lượng tập thể, cá nhân trong hệ thống chính trị năm {year}",
        recipients="\n".join(DEFAULT_RECIPIENTS),
        signer_title="PHÓ BÍ THƯ",
    )


def _dateline(report: Report) -> str:
    return dateline(report.place, report.issued_on)


def _computed(kind: str, figures: YearEndFigures) -> tuple[Paragraph, ...]:
    """The statistics printed in a part of the outline (4.1, 4.3, 4.5, 6)."""
    if kind == "subjects":
        return tuple(wording.subjects_paragraphs(figures))
    if kind == "results":
        rollup = wording.rollup_paragraph(figures)
        return tuple(wording.results_paragraphs(figures)) + ((rollup,) if rollup else ())
    if kind == "rerating":
        return tuple(wording.rerating_paragraphs(figures))
    if kind == "quarterly":
        return tuple(wording.quarterly_paragraphs(figures))
    return ()


def _inline(text: str) -> str | None:
    """The text when it is one short paragraph, printed on its heading's line; else None."""
    found = blocks(text)
    return found[0].text if len(found) == 1 and not found[0].level and len(found[0].text) <= 200 else None


def _part_items(part: Numbered, figures: YearEndFigures) -> list[Item]:
    """A part of the outline: its numbered heading, the text typed before the statistics (or the
    placeholder where text is still to be written), the statistics, the text typed after them."""
    typed, computed = part.typed, _computed(part.part.computed, figures)
    text = typed.text or part.part.default_text
    if part.part.inline and not computed:
        # "4.5. Kết quả rà soát, … (nếu có): Không có." and "III. ĐỀ XUẤT, KIẾN NGHỊ: Không."
        line = _inline(text or ("Không có." if part.part.computed else ""))
        if line is not None:
            return [Item("heading", heading=Block(f"{part.heading}: {line}", part.level))]
    items = [Item("heading", heading=Block(part.heading, part.level))]
    found = tuple(blocks(text))
    if not found and part.needs_text:
        found = (Block(PLACEHOLDER, placeholder=True),)
    if found:
        items.append(Item("text", blocks=found))
    if computed:
        items.append(Item("computed", paragraphs=computed))
    after = tuple(blocks(typed.after))
    if after:
        items.append(Item("text", blocks=after))
    return items


def year_end_document(report: Report, figures: YearEndFigures) -> YearEndDocument:
    """Lay out a year-end report with its figures: the opening paragraph, then every part of the outline kept."""
    issuer = report.issuer_name or "Đảng ủy"
    body = [Item("text", blocks=tuple(blocks(basis_text(report.narrative, issuer))))]
    for part in numbered_parts(report.narrative):
        body += _part_items(part, figures)
    # A subject type with nobody to rate gets no row (and no bar): no empty lines in the annex.
    summary = tuple((SECTION_LABELS[k], t) for k, t in section_tallies(figures).items() if t.total)
    communes = ()
    totals = {}
    if figures.is_rollup:
        communes = figures.communes
        totals = {k: t for k, t in section_tallies(figures).items()}
    return YearEndDocument(
        report=report,
        figures=figures,
        superior=report.superior_name,
        issuer=report.issuer_name,
        reference=report.reference,
        dateline=_dateline(report),
        title=report.title,
        body=tuple(i for i in body if i.kind != "text" or i.blocks),
        closing=Closing(recipient_lines(report.recipients), report.signer_on_behalf, report.signer_title,
                        report.signer_name),
        is_draft=not report.is_final,
        summary=summary,
        pending=any(t.pending for _, t in summary),
        chart=charts.level_bars(summary, title=f"Kết quả xếp loại chất lượng năm {figures.year}"),
        communes=communes,
        communes_total=totals,
    )
