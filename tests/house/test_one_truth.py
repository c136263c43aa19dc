"""Guards of "one truth by construction" [issue 13]: screens read the stored outcome and never
call the engine; templates never format a date or a number by themselves."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "appraisal", "core", "demo", "members", "orgs", "reports")
# What decides a level, a quota or a ballot: a page never calls it (it reads the stored outcome).
ENGINE_CALLS = re.compile(
    r"\b(rate|rate_many|apply_quota|count_ballots|ballot_level|partial_total|quota_arithmetic|excellent_quota|"
    r"subject_eligibility|group_quotas|decide|decide_loaded|refresh|refresh_changed)\s*\("
)


def _view_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            name = path.name
            if "migrations" in path.parts or "/trial/" in str(path):
                continue  # the trial pages exist to try the engine on made-up figures (trial/run.py)
            if name == "views.py" or name.endswith("_views.py") or name == "web.py":
                yield path


def test_no_page_calls_the_engine():
    found = []
    for path in _view_modules():
        text = path.read_text()
        for match in ENGINE_CALLS.finditer(text):
            line = text[: match.start()].count("\n") + 1
            source = text.splitlines()[line - 1].strip()
            if source.startswith(("def ", "#", '"""')) or ".services." in source or "_services." in source:
                continue  # a service named like the engine is the service's business
            found.append(f"{path.relative_to(ROOT)}:{line}: {source}")
    assert found == []


def test_no_template_formats_a_date_or_a_number_by_itself():
    pattern = re.compile(r"\|\s*(date|time|intcomma|intword|floatformat|stringformat:\"[^\"]*[dfe]\")\b")
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for text in [path.read_text()]
        for m in pattern.finditer(text)
    ]
    assert found == []


def test_the_engine_has_no_formatting_of_its_own():
    """Numbers and dates the engine prints come from vnformat, as everywhere else."""
    defs = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in (ROOT / "appraisal" / "rules").glob("*.py")
        for m in re.finditer(r"def (fmt_\w+|format_\w+)\(", path.read_text())
    ]
    assert defs == []


def _python_sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def _where(path, text, match) -> str:
    line = text[: match.start()].count("\n") + 1
    return f"{path.relative_to(ROOT)}:{line}: {text.splitlines()[line - 1].strip()}"


def _written_outside(pattern: re.Pattern, home: str | None = None) -> list[str]:
    """Every place of our Python (migrations aside) matching `pattern`, except in its one `home`."""
    return [
        _where(path, text, m)
        for path, text in _python_sources()
        if home is None or path != ROOT / home
        for m in pattern.finditer(text)
    ]


def test_a_refusal_reaches_a_form_through_one_helper():
    """`core.forms.form_errors` puts a service's ValidationError on a form (field messages beside the
    field, the rest on top); no view pastes its own `except ValidationError … form.add_error`."""
    pasted = re.compile(r"except ValidationError as (\w+):\n(?:[^\n]*\n){0,2}?[^\n]*\.add_error\(")
    assert _written_outside(pasted, "core/forms.py") == []


def test_no_view_parses_a_number_from_the_request_by_itself():
    """Numbers posted or put in a query string are read by forms (`core.forms.posted_int`,
    `query_int`, the pages' forms), never by `int(request.POST…)` in a view."""
    assert _written_outside(re.compile(r"\bint\w*\(\s*request\.(POST|GET)\b")) == []


def test_current_on_a_date_is_written_once():
    """Whether a post, a seat or an exemption holds on a day is `DatedQuerySet.current_on` (and its
    `overlapping`, `not_over_on`, `Dated.covers`) in core/models.py; nobody filters on the end date by
    hand (the check constraints "end not before start" aside)."""
    by_hand = re.compile(r"end_on__gte=(?!models\.F\(\"start_on\"\))|start_on\s*<=\s*\w+\s+and")
    assert _written_outside(by_hand, "core/models.py") == []


def test_framework_settings_have_no_default_of_their_own():
    """The rating settings' defaults are the rules' (rules/defaults.py, per subject type): the model's
    fields hold none (they used to say 90/70/50 for every subject type)."""
    from appraisal.models import FRAMEWORK_DEFAULTED, Framework

    assert [name for name in FRAMEWORK_DEFAULTED if Framework._meta.get_field(name).has_default()] == []


def test_who_may_change_a_ratings_scores_is_asked_in_one_word():
    """`authority.may_edit_scores` (the proposer or staff, or the subject in their draft): no page
    writes `may_score(…) or may_self_assess(…)` again."""
    spelled = re.compile(r"may_score\([^)]*\)\s+or\s+(authority\.)?may_self_assess\(")
    assert _written_outside(spelled, "appraisal/authority.py") == []
