"""Charts as SVG drawn on the server: no JavaScript, nothing fetched; the same markup in pages and PDFs.

Shades of one hue that stay distinct in black and white, each bar segment labelled with its count.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from vnformat import fmt_number, fmt_ratio

from .figures import LEVEL_FIELDS, LEVEL_LABELS, Tally

COLOURS = {"excellent": "#7f1d1d", "good": "#c2410c", "passing": "#f59e0b", "failing": "#6b7280"}
INK = {"excellent": "#fff", "good": "#fff", "passing": "#000", "failing": "#fff"}
# A presentation attribute, not a style attribute: pages allow no inline style but `--level` (CSP).
FONT = "'Liberation Sans',Arial,sans-serif"


def _text(x, y, content, *, size=11, anchor="start", fill="#000", weight="normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}" font-family="{FONT}">{escape(str(content))}</text>')


def _open(width: int, height: int, name: str) -> str:
    """The root element, named for screen readers (aria-label) and for tooltips (title)."""
    name = escape(name)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{name}"><title>{name}</title>')


def _legend(y: float, width: float) -> list[str]:
    out, x = [], 10.0
    step = (width - 20) / 4
    for name in LEVEL_FIELDS:
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{COLOURS[name]}"/>')
        out.append(_text(x + 16, y + 10, LEVEL_LABELS[name], size=10))
        x += step
    return out


def level_bars(rows: Sequence[tuple[str, Tally]], *, title: str = "", width: int = 640) -> SafeString:
    """One horizontal bar per subject type, split into the four levels (share of those rated).

    A subject type nobody was rated in gets no bar; with none at all there is no chart ("").
    """
    rows = [(label, t) for label, t in rows if t.rated]
    if not rows:
        return mark_safe("")
    label_w, bar_h, gap, top = 190, 22, 10, 34 if title else 8
    height = top + len(rows) * (bar_h + gap) + 30
    bar_w = width - label_w - 60
    parts = [_open(width, height, title or "Biểu đồ mức xếp loại")]
    if title:
        parts.append(_text(width / 2, 16, title, size=13, anchor="middle", weight="bold"))
    y = top
    for label, t in rows:
        parts.append(_text(label_w - 6, y + 15, label, anchor="end"))
        x = float(label_w)
        for name in LEVEL_FIELDS:
            count = t.level(name)
            if not count:
                continue
            w = bar_w * count / t.rated
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[name]}">'
                         f'<title>{escape(LEVEL_LABELS[name])}: {fmt_number(count)} ({fmt_ratio(count, t.rated)})</title></rect>')
            if w > 7 * len(fmt_number(count)) + 6:  # only where the number fits inside its segment
                parts.append(_text(x + w / 2, y + 15, fmt_number(count), size=10, anchor="middle", fill=INK[name]))
            x += w
        parts.append(_text(label_w + bar_w + 6, y + 15, fmt_number(t.rated), size=10))
        y += bar_h + gap
    parts += _legend(y + 4, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def year_columns(years: Sequence[int], tallies: dict[int, Tally], *, title: str = "", width: int = 640) -> SafeString:
    """Stacked columns, one per year, of the four levels (counts): the multi-year trend.

    The plot starts below the title with room for the tallest column's total above it, so the two
    never overlap; no year with anyone rated gives no chart ("").
    """
    if not any(tallies[y].rated for y in years):
        return mark_safe("")
    label_room = 16  # the total printed above each column
    height, top, bottom, left = 260 + label_room, (34 if title else 10) + label_room, 50, 50
    plot_h = height - top - bottom
    peak = max((tallies[y].rated for y in years), default=0) or 1
    col_w = min(70, (width - left - 20) / max(len(years), 1) * 0.6)
    step = (width - left - 20) / max(len(years), 1)
    parts = [_open(width, height, title or "Biểu đồ qua các năm")]
    if title:
        parts.append(_text(width / 2, 16, title, size=13, anchor="middle", weight="bold"))
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#000" stroke-width="1"/>')
    for i, year in enumerate(years):
        t = tallies[year]
        x = left + i * step + (step - col_w) / 2
        y = float(base)
        for name in LEVEL_FIELDS:
            count = t.level(name)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" fill="{COLOURS[name]}">'
                         f'<title>{year} — {escape(LEVEL_LABELS[name])}: {fmt_number(count)}</title></rect>')
            if h > 13:
                parts.append(_text(x + col_w / 2, y + h / 2 + 4, fmt_number(count), size=10, anchor="middle", fill=INK[name]))
        parts.append(_text(x + col_w / 2, y - 4, fmt_number(t.rated), size=10, anchor="middle", weight="bold"))
        parts.append(_text(x + col_w / 2, base + 15, year, size=11, anchor="middle"))
    parts += _legend(height - 22, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))
