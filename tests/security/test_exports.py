"""Exports write what users typed as text: a name starting with = + - @ is never a formula."""
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from appraisal.frameworks.xlsx import export_framework
from appraisal.models import Criterion, CriterionKind
from core.scope import scope_for
from members.workbook.export import export_workbook
from members.workbook.services import import_workbook
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
NASTY = ['=HYPERLINK("http://evil.example","Bấm vào")', "+1+2", "-3+4", "@SUM(1,2)"]


def _formulas(content: bytes) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    return [name for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)]


def test_member_workbook_export_writes_formula_like_names_as_text(scenario):
    """A member named “=HYPERLINK(…)” is exported as that text, never as a formula."""
    for index, name in enumerate(NASTY):
        MemberFactory(full_name=name, card_number=f"F{index}", cell=scenario.tree["cell_a"])
    content = export_workbook(scope_for(scenario.users["staff"]))
    assert _formulas(content) == []
    cells = [c for row in load_workbook(io.BytesIO(content))["Đảng viên"].iter_rows() for c in row]
    exported = {c.value: c for c in cells if c.value in NASTY}
    assert set(exported) == set(NASTY)
    assert all(c.data_type == "s" and c.quotePrefix for c in exported.values())


def test_member_workbook_export_with_formula_like_names_reads_back_unchanged(scenario):
    """The export imports back as “nothing to change”: the text survives the round trip."""
    MemberFactory(full_name=NASTY[0], card_number="F0", cell=scenario.tree["cell_a"])
    content = export_workbook(scope_for(scenario.users["staff"]))
    result = import_workbook(actor=scenario.users["staff"], content=content, dry_run=True)
    assert result.ok, [str(p) for p in result.problems]
    assert result.changed == 0


def test_framework_export_writes_formula_like_titles_as_text(scenario):
    """A criterion whose title starts with “=” is exported as text."""
    Criterion.objects.create(
        framework=scenario.framework, code="1", title=NASTY[0], guidance="-hướng dẫn",
        max_points=Decimal(100), kind=CriterionKind.values[0],
    )
    content = export_framework(scenario.framework)
    assert _formulas(content) == []
    sheet = load_workbook(io.BytesIO(content)).worksheets[1]
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert NASTY[0] in values and "-hướng dẫn" in values
