"""What keeps a draft from being made final ("Ban hành"), each named where it is [issue 14]:

- text still to be written: the dots of the opening paragraph ("…-CV/TU, ngày …/…/…"), the
  placeholder of a part of the outline ("(Nội dung do Ban Xây dựng Đảng soạn thảo.)"), dots typed
  anywhere in the header or the parts;
- header lines a document cannot go without (the place of the dateline, the signer's title …);
- an issue date before a decision the report counts, or before a date its text cites.

Pure functions over the report, its laid-out parts and the latest decision (read by the caller):
the page lists the same problems before anyone presses "Ban hành", and the service refuses with them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from vnformat import fmt_date

from .narrative import PLACEHOLDER, basis_text, numbered_parts

_DOTS = re.compile(r"…|\.{3,}")
_SHORT_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_LONG_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class LatestDecision:
    """The latest decision a report counts (its date and number)."""

    day: dt.date
    number: str


def placeholders(text: str) -> list[str]:
    """The stretches of `text` still to be filled in: "…-CV/TU, ngày …/…/…", the placeholder sentence."""
    found = [PLACEHOLDER] if PLACEHOLDER in (text or "") else []
    tokens = (text or "").replace(PLACEHOLDER, " ").split()
    marked = [i for i, token in enumerate(tokens) if _DOTS.search(token)]
    runs: list[list[int]] = []
    for i in marked:
        if runs and i - runs[-1][-1] <= 2:  # one word between two blanks ("…-CV/TU, ngày …/…/…") is one stretch
            runs[-1].append(i)
        else:
            runs.append([i])
    found += [" ".join(tokens[run[0]:run[-1] + 1]).rstrip(",;:") for run in runs]
    return found


def cited_dates(text: str) -> list[tuple[dt.date, str]]:
    """The dates a text cites ("ngày 19/6/2026", "ngày 24 tháng 6 năm 2026"), each with the words before it."""
    out = []
    for pattern in (_SHORT_DATE, _LONG_DATE):
        for match in pattern.finditer(text or ""):
            day, month, year = (int(g) for g in match.groups())
            try:
                when = dt.date(year, month, day)
            except ValueError:
                continue
            before = (text[:match.start()]).split()[-5:]
            out.append((when, " ".join([*before, match.group(0)]).strip()))
    return out


def _texts(report) -> list[tuple[str, str]]:
    """(where, text) of everything typed that prints: header lines, the opening, each part kept."""
    out = [
        ("Dòng cấp trên", report.superior_name), ("Cơ quan ban hành", report.issuer_name),
        ("Địa danh", report.place), ("Trích yếu", report.title), ("Nơi nhận", report.recipients),
        ("Thay mặt", report.signer_on_behalf), ("Chức vụ người ký", report.signer_title),
        ("Đoạn mở đầu", basis_text(report.narrative, report.issuer_name)),
    ]
    for part in numbered_parts(report.narrative):
        where = f"{part.place} «{part.title}»"
        out += [(where, part.title), (where, part.typed.text), (f"{where} (sau số liệu)", part.typed.after)]
    return [(where, text) for where, text in out if text]


def text_problems(report) -> list[str]:
    """Placeholders left and header lines missing, each named where it is."""
    problems = []
    for name, label in (("issuer_name", "Cơ quan ban hành"), ("place", "Địa danh ở dòng ngày tháng"),
                        ("title", "Trích yếu"), ("recipients", "Nơi nhận"), ("signer_title", "Chức vụ người ký")):
        if not getattr(report, name).strip():
            problems.append(f"{label}: chưa nhập.")
    for part in numbered_parts(report.narrative):
        if part.needs_text and not part.typed.text.strip():
            problems.append(f"{part.place} «{part.title}»: còn «{PLACEHOLDER}» — hãy soạn nội dung hoặc bỏ mục này.")
    for where, text in _texts(report):
        for stretch in placeholders(text):
            problems.append(f"{where}: còn chỗ trống «{stretch}» chưa điền.")
    return problems


def date_problems(report, issued_on: dt.date, latest: LatestDecision | None) -> list[str]:
    """An issue date before the latest decision the report counts, or before a date its text cites."""
    problems = []
    if latest is not None and issued_on < latest.day:
        problems.append(f"Ngày ban hành {fmt_date(issued_on)} trước ngày {fmt_date(latest.day)} của Quyết định số "
                        f"{latest.number or '…'} mà báo cáo tính số liệu.")
    for where, text in _texts(report):
        for when, words in cited_dates(text):
            if when > issued_on:
                problems.append(f"Ngày ban hành {fmt_date(issued_on)} trước ngày {fmt_date(when)} mà "
                                f"{where[:1].lower() + where[1:]} dẫn («{words}»).")
    return problems


def finalize_problems(report, *, issued_on: dt.date | None, latest: LatestDecision | None) -> list[str]:
    """Everything that keeps the report from being made final on `issued_on` (no date: the text alone)."""
    problems = text_problems(report)
    if issued_on is not None:
        problems += date_problems(report, issued_on, latest)
    return problems
