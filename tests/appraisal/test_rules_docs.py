"""The examples in docs/rules.md run and print what they claim. No database."""

import doctest
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_docs_rules_examples_run():
    """Every ```python block of docs/rules.md passes as a doctest."""
    source = "\n".join(re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S))
    test = doctest.DocTestParser().get_doctest(source, {}, "rules.md", str(DOC), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize().failed == 0
    assert runner.summarize().attempted > 20


def test_docs_list_every_default_condition_with_its_cap_and_source():
    """docs/rules.md has a row for each default condition of each subject type, cap and source included."""
    from appraisal.rules import SubjectType
    from appraisal.rules.defaults import default_caps

    text = DOC.read_text()
    for subject_type in SubjectType:
        section = text.split(f"(`{subject_type.value}`)", 1)[1].split("\n### ", 1)[0]
        for cap in default_caps(subject_type):
            row = next((line for line in section.splitlines() if line.startswith(f"| `{cap.code}` |")), None)
            assert row is not None, f"{subject_type.value}: {cap.code} missing from docs/rules.md"
            assert (cap.level.code if cap.level else "—") in row
            assert cap.source in row


def test_the_engine_imports_nothing_from_django():
    """appraisal/rules is pure: no module of it imports Django (so no ORM inside the rules)."""
    import ast

    rules_dir = DOC.parents[1] / "appraisal" / "rules"
    for path in sorted(rules_dir.glob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), f"{path.name} imports {names}"
