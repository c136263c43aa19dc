"""The scoring loop of one framework, written out criterion by criterion when it is compiled [003 C.I.1.4].

`compile_scorer(leaves)` returns `score(entries, problems)`, which, for a subject's entries
in framework order, gives (points in hundredths per criterion, their total, the lowest quality
level below Tốt reached over all criteria and over key ones, marks), or None when an entry's
code is not its criterion's (the caller puts the entries in framework order, then scores again).

Why a function per framework: a loop over the criteria pays, on every criterion of every
subject, for the iteration, for unpacking the criterion's figures and for appending its points;
written out once per framework, each criterion's maximum and floors are constants of its own
lines, and the points are one tuple. The source is kept on the function (`__source__`) to read.

The two usual shapes of entry (valid points alone; valid achieved and plan alone) are scored
inline, marked or not (short on quality or timing, key criteria not completed: the marks are
counted inline too); any other goes through `other_points`, which scores a level, counts marks (short on
quality or timing, key criteria not completed) and records every problem [003 C.II.2].
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from vnformat import fmt_hundredths, fmt_number

from .levels import CriterionLevel
from .scoring import (
    CriterionEntry,
    band_floor,
    band_message,
    from_hundredths,
    level_of_points,
    quantitative_points,
)

# (code, max points in hundredths, quantitative, floor of Tốt (0: levels not noted), (key, floor of Trung bình))
Leaf = tuple[str, int, bool, int, tuple[bool, int]]
Scored = tuple[tuple[int, ...], int, int, int, "list[int] | tuple[int, int]"]

NO_MARKS = (0, 0)  # [short, key not completed] until an entry is marked
# Criterion quality levels as plain ints (an IntEnum compares slower).
GOOD_BAND, AVERAGE_BAND, POOR_BAND = int(CriterionLevel.GOOD), int(CriterionLevel.AVERAGE), int(CriterionLevel.POOR)


@lru_cache(maxsize=64)
def compile_scorer(leaves: tuple[Leaf, ...]) -> Callable[[tuple, list[str]], Scored | None]:
    """Write out and compile the scoring loop of a framework's criteria (see the module docstring)."""
    lines = ["def score(entries, problems):"]
    names = [f"e{i}" for i in range(len(leaves))]
    if names:
        lines.append(f"    {', '.join(names)}, = entries")
    lines += [f"    if e{i}.code != {code!r}: return None" for i, (code, *_) in enumerate(leaves)]
    lines.append(f"    marks, lowest, lowest_key = NO_MARKS, {GOOD_BAND}, {GOOD_BAND}")
    for i, leaf in enumerate(leaves):
        lines += criterion_lines(i, leaf)
    points = "".join(f"p{i}, " for i in range(len(leaves)))
    total = " + ".join(f"p{i}" for i in range(len(leaves))) or "0"
    lines.append(f"    return ({points}), {total}, lowest, lowest_key, marks")
    source = "\n".join(lines) + "\n"
    namespace = {"NO_MARKS": NO_MARKS, "other_points": other_points}
    exec(compile(source, f"<scorer of {len(leaves)} criteria>", "exec"), namespace)  # noqa: S102 - our own source
    score = namespace["score"]
    score.__source__ = source
    return score


def criterion_lines(i: int, leaf: Leaf) -> list[str]:
    """The lines that score criterion `i` into `p{i}` and note the lowest level below Tốt it reaches."""
    code, top, quantitative, good, (key, average) = leaf
    p, e = f"p{i}", f"e{i}"
    # A marked entry of the usual shape (short on quality or timing, or a key criterion not
    # completed): the same points, and its marks counted here, as `other_points` counts them.
    counted = [f"marks[0] += {e}.short", *([f"marks[1] += not {e}.completed"] if key else [])]
    other = [
        f"{p} = {e}.usual_points",
        f"if {p} is not None and {p} <= {top}:",
        *(f"    {line}" for line in counted),
        "else:",
        f"    {p} = other_points({code!r}, {top}, {quantitative}, {key}, {e}, problems, marks)",
    ]
    if quantitative:
        # The plain ratio is already capped at plan and kept as two integers [003 C.I.1.4].
        other = [
            f"n = {e}.usual_numerator",
            "if n is not None:",
            f"    {p} = n * {top} // {e}.usual_denominator",
            *(f"    {line}" for line in counted),
            "else:",
            *(f"    {line}" for line in other),
        ]
        lines = [
            f"    n = {e}.plain_numerator",
            f"    if n is not None: {p} = n * {top} // {e}.plain_denominator",
            "    else:",
            f"        {p} = {e}.plain_points",
            f"        if {p} is None or {p} > {top}:",
            "            if marks is NO_MARKS: marks = [0, 0]",
            *(f"            {line}" for line in other),
        ]
    else:
        lines = [
            f"    {p} = {e}.plain_points",
            f"    if {p} is None or {p} > {top}:",
            "        if marks is NO_MARKS: marks = [0, 0]",
            *(f"        {line}" for line in other),
        ]
    if good:
        # Below Tốt: the lowest level reached, over all criteria and key ones, for the conditions
        # on criterion levels (Tốt stands for "Tốt or above").
        lines += [
            f"    if {p} < {good}:",
            f"        band = {AVERAGE_BAND} if {p} >= {average} else {POOR_BAND}",
            "        if band < lowest: lowest = band",
        ]
        if key:
            lines.append("        if band < lowest_key: lowest_key = band")
    return lines


def other_points(
    code: str, top: int, quantitative: bool, key: bool, entry: CriterionEntry, problems: list[str], marks: list[int]
) -> int:
    """Score any entry but the two usual shapes, count its marks, or record what is wrong [003 C.I.1.4, C.II.2].

    A qualitative level: its points must lie in its band; without points, the band's floor.
    Points above the maximum are refused. `marks` counts [short on quality or timing, key
    criteria not completed].
    """
    marks[0] += entry.short
    marks[1] += not entry.completed and key
    p, level = entry.exact_points, entry.level
    if entry.problem:
        problems.append(entry.problem)
    elif p is not None:
        if p > top or (level is not None and not quantitative and level is not level_of_points(p, top)):
            return _refused(code, top, entry, problems)
        return p
    elif entry.ratio is not None and quantitative:
        return quantitative_points(entry.ratio, top)
    elif quantitative:
        problems.append(f"Tiêu chí «{code}»: cần kết quả đạt được (≥ 0) và kế hoạch (> 0), hoặc điểm.")
    elif level is not None and entry.ratio is None:
        return band_floor(level, top)
    else:
        problems.append(f"Tiêu chí «{code}»: cần mức đánh giá hoặc điểm.")
    return 0


def _refused(code: str, top: int, entry: CriterionEntry, problems: list[str]) -> int:
    """Record points out of range, or outside the band of the level given [003 C.I.1.4]."""
    points = entry.points
    if entry.exact_points > top:
        problems.append(f"Tiêu chí «{code}»: điểm {fmt_number(points)} phải từ 0 đến {fmt_hundredths(top)}.")
    else:
        problems.append(band_message(code, points, entry.level, from_hundredths(top)))
    return 0
