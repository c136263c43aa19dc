"""The rating loop of one framework, written out when it is compiled [DOMAIN §5–6; 003 C.I.1.4].

`compile_rater(...)` returns `rate_all(cf, subjects, result)`, which rates a batch of subjects
of the framework `cf` in input order and returns their results (built as `result`, the
RatingResult type, from its fields in order). For each subject, in one function:

- the points of every criterion, exactly, in hundredths: the lines of the framework's scorer
  (`scorer.criterion_lines`, the one source of them), written out per criterion;
- the level the total reaches, by comparisons with the thresholds written in as numbers;
- for that level, the caps that can lower it (`cf.live[level]`, known when the framework is
  compiled), checked by the conditions of the subject type: the functions of `conditions`
  (`CHECKS`) are the single source; their code is read once and written out per score level,
  with each `"code" in live` decided (a cap that cannot lower this level is not looked at, and
  a helper whose caps are all dead vanishes), the helpers' bodies inlined, the framework's
  figures they read written in as numbers, and each hit added to the subject's `applied`
  tuple and lowering the level at once by the level its cap allows (known per score level, or
  read from the related subject for a relative cap);
- the levels the subject waits for, the quarterly flag, the result.

What each subject gets is what the conditions say, hit for hit in their order: the same
`applied` tuples, flags and holds as the hand-written functions give (a test checks it for
random inputs of every subject type). The conditions' expressions are pure (they read the
facts and figures), so a test decided false drops the whole test, and a test whose parts are
all decided reads as the truth value it has.

Entries in another order, or with a code missing, unknown or repeated, are put in framework
order (`align`) and scored by the same lines; RatingInputError lists every problem of the
first subject whose entries are wrong.
"""

from __future__ import annotations

import ast
import inspect
import itertools
from collections.abc import Callable, Mapping
from functools import cache
from typing import NamedTuple

from . import conditions
from .conditions import Facts, consecutive_failed_flag
from .levels import Level
from .reasons import Hold, RatingInputError
from .scorer import GOOD_BAND, NO_MARKS, Leaf, criterion_lines, other_points
from .scoring import CriterionEntry

# The names the check functions of `conditions` take, as the written-out loop names them.
_CHECK_PARAMS = ("cf", "points", "lowest", "lowest_key", "marks", "f", "flags", "live")


def compile_rater(cf, leaves: tuple[Leaf, ...]) -> Callable:
    """Write out and compile the rating loop of the compiled framework `cf` (see the module docstring).

    `leaves` are the scorer's figures per criterion. Read from `cf`: the thresholds in
    hundredths, `live[level]` the caps that can lower each level, `checks` the conditions of
    the subject type, `dependencies` the levels its caps may wait for, `quarterly`, and the
    figures the conditions read (written in as numbers).
    """
    namespace = {
        **{name: value for name, value in vars(conditions).items() if not name.startswith("__")},
        "NO_MARKS": NO_MARKS, "other_points": other_points, "align": align, "holds": holds,
        "RatingInputError": RatingInputError, "consecutive_failed_flag": consecutive_failed_flag,
        "new": tuple.__new__, "FAIL": Level.FAIL,
        **{f"L{int(level)}": level for level in Level},
    }
    n = len(leaves)
    names = [f"e{i}" for i in range(n)]
    lines = [
        "def rate_all(cf, subjects, result):",
        "    results = []",
        "    keep = results.append",
        "    problems = []  # stays empty between subjects: the first with a problem raises",
        "    flags = []  # copied into the subject's result and cleared",
        "    for subject_id, entries, f in subjects:",
        "        if type(entries) is not tuple: entries = tuple(entries)",
        f"        if len(entries) != {n}: entries, problems = align(cf, entries)",
    ]
    if names:
        unpack = f"        {', '.join(names)}, = entries"
        mismatch = " or ".join(f"e{i}.code != {code!r}" for i, (code, *_) in enumerate(leaves))
        lines += [unpack, f"        if {mismatch}:", "            entries, problems = align(cf, entries)", "    " + unpack]
    lines.append(f"        marks, lowest, lowest_key = NO_MARKS, {GOOD_BAND}, {GOOD_BAND}")
    for i, leaf in enumerate(leaves):
        lines += [f"    {line}" for line in criterion_lines(i, leaf)]
    lines += [
        "        if problems: raise RatingInputError(problems)",
        f"        points = ({''.join(f'p{i}, ' for i in range(n))})",
        "        total = sum(points)",
    ]
    t = cf.thresholds_in_hundredths
    excellent, good, passing = t.excellent, t.good, t.passing
    tests = [f"if total >= {excellent}:", f"elif total >= {good}:", f"elif total >= {passing}:", "else:"]
    for test, level in zip(tests, (Level.EXCELLENT, Level.GOOD, Level.PASS, Level.FAIL), strict=True):
        lines.append(f"        {test}")
        lines += [f"            {line}" for line in _level_lines(cf, level, namespace)]
    lines.append("    return results")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<rating loop of {n} criteria>", "exec"), namespace)  # noqa: S102 - our own source
    rate_all = namespace["rate_all"]
    rate_all.__source__ = source
    return rate_all


def _level_lines(cf, level: Level, namespace: dict) -> list[str]:
    """The lines that rate a subject whose total reaches `level`: its caps, holds, flags, result."""
    live, dependencies, quarterly = cf.live[level], cf.dependencies, cf.quarterly
    lines = [f"score_level = level = L{int(level)}"]
    raises_flags = quarterly
    if live:  # nothing lowers a level no cap can lower: its conditions are not looked at
        namespace[f"live{int(level)}"] = live
        body = _written_checks(cf, level, namespace)
        raises_flags = raises_flags or "flags.append" in body
        lines += body.splitlines()
    else:
        lines.append("applied = ()")
    if dependencies:
        lines.append("held = holds(cf, level, f)")
    if quarterly:
        lines.append("if level is FAIL and f.previous_quarter_level is FAIL: flags.append(consecutive_failed_flag(2))")
    if raises_flags:
        lines += ["if flags:", "    raised = tuple(flags)", "    flags.clear()", "else:", "    raised = ()"]
    final, held, raised = ("None if held else level", "held", "raised") if dependencies else ("level", "()", "raised")
    if not raises_flags:
        raised = "()"
    lines.append(
        f"keep(new(result, (subject_id, cf, entries, points, total, score_level, {final}, level, applied, {raised}, {held})))"
    )
    return lines


# ---------------------------------------------------------------- the conditions, written out per score level


@cache
def _functions() -> dict[str, ast.FunctionDef]:
    """The functions of `conditions`, as syntax trees (read at the first compile)."""
    tree = ast.parse(inspect.getsource(conditions))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _written_checks(cf, level: Level, namespace: dict) -> str:
    """The source of `cf.checks` (a subject type's conditions) for subjects scored at `level`.

    The source is the same for every framework of the subject type with the same caps at that
    level (`_written`, worked out once); this framework's figures it reads are put in `namespace`:
    `cf_<figure>`, the caps `cap_<code>` of relative caps, and the hits that are all figures.
    """
    live = cf.live[level]
    signature = tuple(sorted((code, None if allowed is None else int(allowed)) for code, (_, allowed, _) in live.items()))
    source, figures, relative, constant_hits = _written(cf.checks.__name__, int(level), signature)
    namespace.update({f"cf_{figure}": getattr(cf, figure) for figure in figures})
    namespace.update({f"cap_{code}": live[code][0] for code in relative})
    for name, elements in constant_hits:
        namespace[name] = (tuple(namespace[e.id] if isinstance(e, ast.Name) else e.value for e in elements),)
    return source


@cache
def _written(name: str, level: int, live: tuple[tuple[str, int | None], ...]) -> tuple[str, frozenset, tuple, tuple]:
    """The checks `name` written out for a score level whose live caps are `live` ((code, level allowed or None)).

    Returns the source, the framework's figures it reads (`cf.x` is written `cf_x`), the codes
    of its relative caps (`cap_<code>`), and its hits made of constants and figures alone
    (`hits<level>_<n>`, each a one-hit tuple made once per framework).
    """
    live_name = f"live{level}"
    body = ast.parse(_decided(name, live_name, frozenset(code for code, _ in live))).body
    fold = _Fold()
    body = [fold.visit(statement) for statement in body]
    bind = _Bind(level, dict(live), live_name)
    body = bind.visit_block(body)
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Call) and any(isinstance(a, ast.Name) and a.id == live_name for a in node.args):
            raise ValueError(f"{name}: a check function left a call taking the live caps: {ast.unparse(node)}")
        if isinstance(node, ast.Name) and node.id == "hits":
            raise ValueError(f"{name}: hits used otherwise than appended to")
    source = ast.unparse(ast.fix_missing_locations(ast.Module(body=body, type_ignores=[])))
    return source, frozenset(fold.figures), tuple(bind.relative), tuple(bind.constant_hits)


@cache
def _decided(name: str, live_name: str, live: frozenset[str]) -> str:
    """The conditions of the check function `name`, inlined, with each `"code" in live` decided for the caps `live`
    (named `live_name` in the loop) and what can then never run dropped. The same for every framework with those
    caps at that level: worked out once (it is the slow part of writing a loop)."""
    names = {param: ast.Name(live_name if param == "live" else param, ast.Load()) for param in _CHECK_PARAMS}
    body = _inline(_functions()[name], names, "hits", itertools.count())
    body = _Decide(live, live_name).visit_block(body)
    body = _drop_dead_stores(_put_in_decided(body))
    return ast.unparse(ast.fix_missing_locations(ast.Module(body=body, type_ignores=[])))


def _inline(function: ast.FunctionDef, args: dict[str, ast.expr], result: str | None, counter) -> list[ast.stmt]:
    """The body of a check function with its arguments put in, its locals renamed, the checks it calls inlined.

    Its last statement may be `return name`: the name is stored in `result`. A check function
    returns nowhere else (the generator refuses one that does).
    """
    params = [a.arg for a in function.args.args]
    stored = {node.id for node in ast.walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    prefix = f"_{next(counter)}_"
    renames = {name: prefix + name for name in stored - {*params, "hits"}}  # one list of hits for all
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    returned = None
    if body and isinstance(body[-1], ast.Return):
        returned, body = body[-1].value, body[:-1]
    body = [_Rename(args, renames).visit(_copy(statement)) for statement in body]
    if any(isinstance(node, ast.Return) for statement in body for node in ast.walk(statement)):
        raise ValueError(f"{function.name}: a check function returns only at its end")
    out: list[ast.stmt] = []
    for statement in body:
        out += _inline_calls(statement, counter)
    if returned is not None and result is not None:
        value = _Rename(args, renames).visit(_copy(returned))
        if not (isinstance(value, ast.Name) and value.id == result):
            out.append(ast.Assign([ast.Name(result, ast.Store())], value))
    return out


def _inline_calls(statement: ast.stmt, counter) -> list[ast.stmt]:
    """A statement that calls another check function (alone, or stored in a name) becomes that function's body."""
    target, call = None, None
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
    elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) and len(statement.targets) == 1:
        target, call = statement.targets[0].id, statement.value
    if call is not None and isinstance(call.func, ast.Name) and call.func.id in _functions():
        callee = _functions()[call.func.id]
        params = [a.arg for a in callee.args.args]
        if "hits" in params or params == list(_CHECK_PARAMS):  # a helper of the checks, or a subject type's checks
            return _inline(callee, dict(zip(params, call.args, strict=True)), target, counter)
    for field in ("body", "orelse"):
        if isinstance(getattr(statement, field, None), list):
            setattr(statement, field, [s for inner in getattr(statement, field) for s in _inline_calls(inner, counter)])
    if isinstance(statement, ast.AnnAssign):
        return [ast.Assign([statement.target], statement.value)]
    return [statement]


class _Fold(ast.NodeTransformer):
    """Read the framework's figures from the loop's namespace (`cf.short_allowed` is `cf_short_allowed`: the
    framework is immutable) and write in the integer constants of `conditions` (`_GOOD_BAND` is 3)."""

    def __init__(self):
        self.figures: set[str] = set()

    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id == "cf" and isinstance(node.ctx, ast.Load):
            self.figures.add(node.attr)
            return ast.Name(f"cf_{node.attr}", ast.Load())
        return node

    def visit_Name(self, node: ast.Name) -> ast.expr:
        value = vars(conditions).get(node.id)
        if isinstance(node.ctx, ast.Load) and type(value) is int:
            return ast.Constant(value)
        return node


def _copy(node: ast.AST) -> ast.AST:
    return ast.parse(ast.unparse(node)).body[0] if isinstance(node, ast.stmt) else ast.parse(ast.unparse(node), mode="eval").body


class _Rename(ast.NodeTransformer):
    """Put the arguments in for the parameters and rename the locals."""

    def __init__(self, args: dict[str, ast.expr], renames: dict[str, str]):
        self.args, self.renames = args, renames

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in self.args and isinstance(node.ctx, ast.Load):
            return _copy(self.args[node.id])
        if node.id in self.renames:
            return ast.Name(self.renames[node.id], node.ctx)
        return node


class _Decide(ast.NodeTransformer):
    """Decide each `"code" in live` for one score level and drop what can then never run."""

    def __init__(self, live: Mapping, live_name: str):
        self.live, self.live_name = live, live_name

    def visit_block(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out = []
        for statement in body:
            result = self.visit(statement)
            out += result if isinstance(result, list) else [result] if result is not None else []
        return out

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        self.generic_visit(node)
        if (
            len(node.ops) == 1 and isinstance(node.ops[0], ast.In) and isinstance(node.left, ast.Constant)
            and isinstance(node.comparators[0], ast.Name) and node.comparators[0].id == self.live_name
        ):
            return ast.Constant(node.left.value in self.live)
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.expr:
        self.generic_visit(node)
        absorbing = isinstance(node.op, ast.Or)  # True absorbs an `or`, False an `and`
        values = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                if bool(value.value) is absorbing:
                    return ast.Constant(absorbing)
                continue
            values.append(value)
        if not values:
            return ast.Constant(not absorbing)
        return values[0] if len(values) == 1 else ast.BoolOp(node.op, values)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and isinstance(node.operand, ast.Constant):
            return ast.Constant(not node.operand.value)
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.test, ast.Constant):
            return node.body if node.test.value else node.orelse
        return node

    def visit_If(self, node: ast.If) -> list[ast.stmt]:
        node.test = self.visit(node.test)
        body, orelse = self.visit_block(node.body), self.visit_block(node.orelse)
        if isinstance(node.test, ast.Constant):
            return body if node.test.value else orelse
        if not body and not orelse:
            return []
        if not body:
            return [ast.If(ast.UnaryOp(ast.Not(), node.test), orelse, [])]
        return [ast.If(node.test, body, orelse)]


def _put_in_decided(body: list[ast.stmt]) -> list[ast.stmt]:
    """A local stored once, with a value decided here (`below_80 = False`), is read as that value."""
    module = ast.Module(body=body, type_ignores=[])
    stores: dict[str, int] = {}
    values: dict[str, ast.expr] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = node.value
    decided = {
        name: value.value for name, value in values.items()
        if name.startswith("_") and stores[name] == 1 and isinstance(value, ast.Constant)
    }
    if not decided:
        return body
    return _Decide({}, "").visit_block([_Known(decided).visit(statement) for statement in body])


class _Known(ast.NodeTransformer):
    def __init__(self, decided: dict):
        self.decided = decided

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if isinstance(node.ctx, ast.Load) and node.id in self.decided:
            return ast.Constant(self.decided[node.id])
        return node


def _drop_dead_stores(body: list[ast.stmt]) -> list[ast.stmt]:
    """Drop the locals stored and never read (their figures served a cap that cannot bind here)."""
    while True:
        module = ast.Module(body=body, type_ignores=[])
        read = {n.id for n in ast.walk(module) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        read |= {n.target.id for n in ast.walk(module) if isinstance(n, ast.AugAssign)}  # `code += …` reads it
        dropper = _DropStores(read)
        body = dropper.visit_block(body)
        if not dropper.dropped:
            return body


class _DropStores(_Decide):
    def __init__(self, read: set[str]):
        super().__init__({}, "")
        self.read, self.dropped = read, False

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        return node

    def visit_Assign(self, node: ast.Assign) -> list[ast.stmt]:
        names = [t for t in node.targets if isinstance(t, ast.Name)]
        if len(names) == len(node.targets) and all(t.id.startswith("_") and t.id not in self.read for t in names):
            self.dropped = True
            return []
        return [node]


class _Bind(_Decide):
    """Each `hits.append(hit)` adds the hit to `applied` (a tuple: no list per subject) and lowers the level at
    once: by the level its cap allows at this score level, known here for a fixed cap; a relative cap, read from
    the related subject's level, only when it binds. `hits = []` starts `applied` empty. A fixed cap's hit made
    of constants and figures alone is made once per framework (`hits<level>_<n>`)."""

    def __init__(self, level: int, allowed: dict[str, int | None], live_name: str):
        super().__init__(allowed, live_name)
        self.level, self.allowed = level, allowed
        self.relative: list[str] = []
        self.constant_hits: list[tuple[str, list[ast.expr]]] = []

    def visit_Assign(self, node: ast.Assign):
        if [ast.unparse(t) for t in node.targets] == ["hits"] and ast.unparse(node.value) == "[]":
            return ast.parse("applied = ()").body[0]
        return node

    def visit_If(self, node: ast.If) -> list[ast.stmt]:
        node.body, node.orelse = self.visit_block(node.body), self.visit_block(node.orelse)
        return [node]

    def visit_Expr(self, node: ast.Expr):
        call = node.value
        if not (
            isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "append"
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "hits"
        ):
            return node
        hit = call.args[0]
        code = hit.elts[0].value if isinstance(hit, ast.Tuple) and isinstance(hit.elts[0], ast.Constant) else None
        score = f"L{self.level}"
        if code is not None and self.allowed[code] is not None:
            lower = f"if level > L{self.allowed[code]}: level = L{self.allowed[code]}"
            if all(isinstance(e, ast.Constant) or (isinstance(e, ast.Name) and e.id.startswith("cf_")) for e in hit.elts):
                name = f"hits{self.level}_{len(self.constant_hits)}"
                self.constant_hits.append((name, hit.elts))
                return ast.parse(f"applied += {name}\n{lower}").body
            return ast.parse(f"applied += ({ast.unparse(hit)},)\n{lower}").body
        if code is not None:
            self.relative.append(code)
            lines = (
                f"_hit = {ast.unparse(hit)}\n"
                f"_allowed = cap_{code}.cap_for({score}, _hit[2])\n"
                f"if _allowed < {score}:\n"
                "    applied += (_hit,)\n"
                "    if _allowed < level: level = _allowed\n"
            )
        else:  # a code chosen by the facts: its cap is read from the live caps of this level
            lines = (
                f"_hit = {ast.unparse(hit)}\n"
                f"_cap, _allowed, _ = {self.live_name}[_hit[0]]\n"
                f"if _allowed is None: _allowed = _cap.cap_for({score}, _hit[2])\n"
                f"if _allowed < {score}:\n"
                "    applied += (_hit,)\n"
                "    if _allowed < level: level = _allowed\n"
            )
        return ast.parse(lines).body


# ---------------------------------------------------------------- entries out of order, holds


_MISSING = "Tiêu chí «{code}»: chưa chấm điểm."


def align(cf, entries: tuple) -> tuple[tuple[CriterionEntry, ...], list[str]]:
    """Put entries in framework order; a missing criterion becomes an entry that says so; unknown or repeated codes are problems."""
    by_code: dict[str, CriterionEntry] = {}
    problems = []
    for entry in entries:
        if entry.code in by_code:
            problems.append(f"Tiêu chí «{entry.code}» được chấm hai lần.")
        by_code.setdefault(entry.code, entry)
    known = set(cf.codes)
    problems += [f"Tiêu chí «{code}» không có trong khung tiêu chí." for code in sorted(by_code) if code not in known]
    aligned = tuple(by_code.get(code) or _Unscored(code, _MISSING.format(code=code)) for code in cf.codes)
    return aligned, problems


class _Unscored(NamedTuple):
    """Stands for a criterion nobody scored: it scores nothing and says so."""

    code: str
    problem: str
    exact_points: None = None
    ratio: None = None
    level: None = None
    points: None = None
    usual_points: None = None
    usual_numerator: None = None
    plain_points: None = None
    plain_numerator: None = None
    short: bool = False
    completed: bool = True


def holds(cf, level: Level, facts: Facts) -> tuple[Hold, ...]:
    """What the subject waits for: a level not known yet that a live cap would read [003 C.I.3, C.III.3.1, C.III.5]."""
    live = cf.live[level]
    waits = []
    for dependency in cf.dependencies:
        text = dependency.waiting(facts)
        if text and not dependency.caps.isdisjoint(live):
            waits.append(Hold(dependency.code, text, dependency.source))
    return tuple(waits)

