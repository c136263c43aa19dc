"""Property tests: whatever a workbook's bytes, parts or cells, the import never raises, and a file it
refuses changes nothing."""
import datetime as dt
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.models import AuditEntry
from members.models import Member
from members.workbook.services import import_workbook
from members.workbook.spec import SHEETS
from members.workbook.writer import build_workbook
from orgs.models import PartyOrganization
from tests.members.test_workbook_samples import sample_data, workbook_bytes

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
SAMPLE = build_workbook(sample_data())
PARTS = [info.filename for info in zipfile.ZipFile(io.BytesIO(SAMPLE)).infolist()]
EXAMPLES = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _state() -> tuple:
    return (
        sorted(PartyOrganization.objects.values_list("code", "name", "parent_id", "path")),
        sorted(Member.objects.values_list("card_number", "full_name", "cell_id", "version")),
        AuditEntry.objects.count(),
    )


def _import_checked(content: bytes) -> None:
    """Import; whatever happens, no exception escapes and a refusal leaves the database as it was."""
    before = _state()
    result = import_workbook(actor=None, content=content, filename="dot-bien.xlsx")
    assert result.applied or _state() == before
    for problem in result.problems:
        assert str(problem)


@EXAMPLES
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(1, 255)), min_size=1, max_size=6))
def test_flipped_bytes_never_raise(flips):
    content = bytearray(SAMPLE)
    for position, mask in flips:
        content[position] ^= mask
    _import_checked(bytes(content))


@EXAMPLES
@given(st.integers(0, len(SAMPLE)))
def test_truncated_files_never_raise(length):
    _import_checked(SAMPLE[:length])


def _rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


@st.composite
def damaged_parts(draw) -> bytes:
    """The sample with its zip parts dropped, swapped, cut short or spliced with junk."""
    archive = zipfile.ZipFile(io.BytesIO(SAMPLE))
    parts = {name: archive.read(name) for name in PARTS}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(parts)))
        action = draw(st.sampled_from(["drop", "cut", "splice", "swap", "empty"]))
        data = parts[name]
        if action == "drop":
            del parts[name]
            if not parts:
                break
        elif action == "cut":
            parts[name] = data[: draw(st.integers(0, len(data)))]
        elif action == "splice":
            at = draw(st.integers(0, len(data)))
            junk = draw(st.sampled_from([b"<", b">", b"&amp", b"\x00", b"<row r=\"0\">", b'<c r="ZZZZ9"/>', b"]]>"]))
            parts[name] = data[:at] + junk + data[at:]
        elif action == "swap":
            other = draw(st.sampled_from(sorted(parts)))
            parts[name], parts[other] = parts[other], data
        else:
            parts[name] = b""
    return _rezip(parts)


@EXAMPLES
@given(damaged_parts())
def test_damaged_parts_never_raise(content):
    _import_checked(content)


CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    st.sampled_from(["#REF!", "=1+1", "0000-00-00", "NaN", "1e309", "-1", "31/02/2020", "Nũ", "Có", "Khác", "  "]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)


@st.composite
def edited_cells(draw) -> bytes:
    """The sample with random cells of its data sheets (header row included) overwritten."""
    wb = load_workbook(io.BytesIO(SAMPLE))
    for _ in range(draw(st.integers(1, 8))):
        sheet = draw(st.sampled_from(SHEETS))
        ws = wb[sheet.title]
        row = draw(st.integers(1, 8))
        column = draw(st.integers(1, len(sheet.columns) + 2))
        ws.cell(row=row, column=column, value=draw(CELL_VALUES))
    return workbook_bytes(wb)


@EXAMPLES
@given(edited_cells())
def test_edited_cells_never_raise_and_refusals_change_nothing(content):
    _import_checked(content)


@st.composite
def reshaped_sheets(draw) -> bytes:
    """The sample with sheets renamed, removed, duplicated, or rows and columns inserted and deleted."""
    wb = load_workbook(io.BytesIO(SAMPLE))
    for _ in range(draw(st.integers(1, 4))):
        ws = wb[draw(st.sampled_from(wb.sheetnames))]
        action = draw(st.sampled_from(["rename", "remove", "copy", "insert_rows", "delete_rows", "insert_cols", "delete_cols"]))
        if action == "rename":
            ws.title = draw(st.sampled_from(["Đảng Viên", "dang vien", "Tổ chức", "Sheet1", "Kỷ luật 2"]))
        elif action == "remove" and len(wb.sheetnames) > 1:
            wb.remove(ws)
        elif action == "copy":
            wb.copy_worksheet(ws)
        elif action == "insert_rows":
            ws.insert_rows(draw(st.integers(1, 6)), draw(st.integers(1, 3)))
        elif action == "delete_rows":
            ws.delete_rows(draw(st.integers(1, 6)), draw(st.integers(1, 3)))
        elif action == "insert_cols":
            ws.insert_cols(draw(st.integers(1, 10)))
        elif action == "delete_cols":
            ws.delete_cols(draw(st.integers(1, 10)))
    return workbook_bytes(wb)


@EXAMPLES
@given(reshaped_sheets())
def test_reshaped_sheets_never_raise_and_refusals_change_nothing(content):
    _import_checked(content)
