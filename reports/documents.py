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
from .narrative import Block, blocks, narrative_text
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


def _text_item(report: Report, key: str, issuer: str) -> Item | None:
    found = tuple(blocks(narrative_text(report.narrative, key, issuer=issuer)))
    return Item("text", blocks=found) if found else None


def _heading(report: Report, key: str, level: int) -> Item | None:
    text = narrative_text(report.narrative, key)
    return Item("heading", heading=Block(text, level)) if text else None


def year_end_document(report: Report, figures: YearEndFigures) -> YearEndDocument:
    """Lay out a year-end report with its figures."""
    issuer = report.issuer_name or "Đảng ủy"
    body: list[Item | None] = [
        _text_item(report, "basis", issuer),
        _heading(report, "part1_heading", 1),
        _text_item(report, "part1_before", issuer),
        _heading(report, "results_heading", 2),
        _heading(report, "subjects_heading", 3),
        _text_item(report, "subjects_intro", issuer),
        Item("computed", paragraphs=tuple(wording.subjects_paragraphs(figures))),
        _text_item(report, "results_middle", issuer),
        _heading(report, "results_subheading", 3),
        _text_item(report, "results_intro", issuer),
        Item("computed", paragraphs=tuple(wording.results_paragraphs(figures))),
    ]
    rollup = wording.rollup_paragraph(figures)
    if rollup:
        body.append(Item("computed", paragraphs=(rollup,)))
    body.append(_text_item(report, "results_after", issuer))
    rerating = wording.rerating_paragraphs(figures)
    heading = narrative_text(report.narrative, "rerating_heading")
    if rerating:
        body += [Item("heading", heading=Block(heading, 3)), Item("computed", paragraphs=tuple(rerating))]
    elif heading:
        body.append(Item("heading", heading=Block(f"{heading} Không có.", 3)))
    body += [
        _text_item(report, "part1_after", issuer),
        _heading(report, "quarterly_heading", 2),
        _text_item(report, "quarterly_intro", issuer),
        Item("computed", paragraphs=tuple(wording.quarterly_paragraphs(figures))),
        _text_item(report, "quarterly_after", issuer),
        _text_item(report, "part2", issuer),
        _text_item(report, "part3", issuer),
    ]
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
        body=tuple(i for i in body if i is not None),
        closing=Closing(recipient_lines(report.recipients), report.signer_on_behalf, report.signer_title,
                        report.signer_name),
        is_draft=not report.is_final,
        summary=summary,
        pending=any(t.pending for _, t in summary),
        chart=charts.level_bars(summary, title=f"Kết quả xếp loại chất lượng năm {figures.year}"),
        communes=communes,
        communes_total=totals,
    )
