"""Corrupt archives in every import of workbooks: one Vietnamese message naming the file, nothing
written, never a 500 (issue 15: a flipped bit announcing another compression method, or zip
version 8.4, raised NotImplementedError in each of them)."""
import html
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from appraisal.frameworks.xlsx import read_framework
from appraisal.models import CriterionScore, Framework
from appraisal.process.grid.xlsx import read as grid_read
from appraisal.trial import run as trial
from core.models import AuditEntry, Role
from core.xlsx import UnreadableWorkbook, open_workbook, xlsx_problem
from members.models import Member
from members.workbook.reader import read_workbook
from members.workbook.writer import build_workbook
from reports.models import ImportedResult
from reports.results_import import read_sheet
from tests.factories import user_with_role
from tests.members.test_workbook_samples import sample_data, workbook_bytes

CENTRAL = b"PK\x01\x02"  # a central directory header: version needed at +6, method at +10
NAME = "hong.xlsx"


def _small_book() -> bytes:
    book = Workbook()
    book.active.append(["Họ và tên", "Số thẻ"])
    book.active.append(["Nguyễn Văn An", "00012345"])
    return workbook_bytes(book)


def _names_the_file(message: str) -> bool:
    """The message of a damaged archive: it names the file and says the archive is not supported."""
    return f"Tệp '{NAME}'" in message and "không hỗ trợ" in message


def _entries(content: bytes) -> list[int]:
    """Where each central directory header starts."""
    starts, at = [], content.find(CENTRAL)
    while at >= 0:
        starts.append(at)
        at = content.find(CENTRAL, at + 4)
    return starts


def flipped_method(content: bytes) -> bytes:
    """The archive with the lowest bit of every part's compression method flipped (deflate 8 → 9)."""
    data = bytearray(content)
    for at in _entries(content):
        data[at + 10] ^= 1
    return bytes(data)


def version_84(content: bytes) -> bytes:
    """The archive whose first part says it needs zip version 8.4 to be unpacked."""
    data = bytearray(content)
    at = _entries(content)[0]
    data[at + 6:at + 8] = struct.pack("<H", 84)
    return bytes(data)


CORRUPTIONS = [flipped_method, version_84]


@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_the_corruptions_are_the_ones_python_cannot_unpack(corrupt):
    """The damaged files are the issue's: zipfile raises NotImplementedError on them."""
    with pytest.raises(NotImplementedError):
        with zipfile.ZipFile(io.BytesIO(corrupt(_small_book()))) as archive:
            for entry in archive.infolist():
                archive.read(entry)


@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_the_one_reader_turns_them_into_a_message_naming_the_file(corrupt):
    with pytest.raises(UnreadableWorkbook) as caught:
        with open_workbook(corrupt(_small_book()), name=NAME):
            pass
    assert _names_the_file(caught.value.message)


@pytest.fixture
def staff_client(db, client):
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    return client


def _upload(client, url_name: str, content: bytes, **data):
    """Post the file as the page's form does; the page answers with the form again, not an error."""
    response = client.post(reverse(url_name), {"file": SimpleUploadedFile(NAME, content), **data})
    assert response.status_code == 200
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_members_workbook_upload(staff_client, corrupt):
    """/nhap-xuat/: the preview lists the message; no member, no audit entry."""
    audit = AuditEntry.objects.count()
    response = _upload(staff_client, "workbook:import", corrupt(build_workbook(sample_data())))
    (problem,) = [str(p) for p in response.context["result"].problems]
    assert _names_the_file(problem)
    assert not Member.objects.exists() and AuditEntry.objects.count() == audit


@pytest.mark.django_db
@pytest.mark.parametrize("corrupt", CORRUPTIONS)
@pytest.mark.parametrize(("command", "book", "refusal", "model"), [
    ("import_workbook", lambda: build_workbook(sample_data()), "không dữ liệu nào được ghi", Member),
    ("import_results", _small_book, "không ghi gì", ImportedResult),
], ids=["members-workbook", "results"])
def test_import_commands(tmp_path, corrupt, command, book, refusal, model):
    """manage.py import_workbook and import_results say what the pages say: the message naming the
    file, a CommandError, no traceback; nothing imported."""
    path = tmp_path / NAME
    path.write_bytes(corrupt(book()))
    err = io.StringIO()
    with pytest.raises(CommandError, match=refusal):
        call_command(command, str(path), stderr=err)
    assert _names_the_file(err.getvalue())
    assert not model.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_results_import_upload(staff_client, corrupt):
    """/bao-cao/nhap-ket-qua/: the page shows the message; nothing imported."""
    outcome = _upload(staff_client, "reports:import", corrupt(_small_book()), kind="subjects").context["outcome"]
    assert not outcome.ok and _names_the_file(outcome.problems[0])
    assert not ImportedResult.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_framework_import_upload(staff_client, corrupt):
    """/danh-gia/khung-tieu-chi/nhap-excel/: the form shows the message; no framework made."""
    response = _upload(staff_client, "appraisal:framework_import", corrupt(_small_book()), code="NHAP", name="Khung")
    assert _names_the_file(html.unescape(response.content.decode()))
    assert not Framework.objects.filter(code="NHAP").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_grid_upload_open_to_secretaries(commune, client, corrupt):
    """The grid's «Nhập từ Excel», as a cell secretary: a 400 with the message; no score saved."""
    client.force_login(commune.users["secretary"])
    upload = SimpleUploadedFile(NAME, corrupt(_small_book()))
    response = client.post(reverse("appraisal:grid_upload", args=[commune.period.pk, commune.village.pk]),
                           {"tep": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert NAME in html and "không hỗ trợ" in html
    assert not CriterionScore.objects.exists()


@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_trial_run_table(corrupt):
    with pytest.raises(trial.TableError) as caught:
        trial.xlsx_rows(corrupt(_small_book()), name=NAME)
    assert _names_the_file(" ".join(caught.value.messages))


def _every_reader(content: bytes) -> list[str]:
    """Each import's reader on `content`: the messages they give (an exception fails the test)."""
    messages = [str(p) for p in read_workbook(content, filename=NAME).problems]
    messages += read_sheet(content, "subjects", file_name=NAME).problems
    messages += read_framework(content).errors
    messages += grid_read(SimpleUploadedFile(NAME, content), []).problems
    try:
        trial.xlsx_rows(content)
    except trial.TableError as exc:
        messages += exc.messages
    return messages


SAMPLE = _small_book()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 7)), min_size=1, max_size=4))
def test_random_bit_flips_never_raise(flips):
    """Whatever bits are flipped, every reader answers with rows or messages, never an exception."""
    data = bytearray(SAMPLE)
    for at, bit in flips:
        data[at] ^= 1 << bit
    content = bytes(data)
    xlsx_problem(content, name=NAME)
    _every_reader(content)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_entries(SAMPLE)), st.sampled_from([6, 7, 10, 11]), st.integers(0, 255))
def test_any_version_or_method_in_the_headers_never_raises(at, offset, value):
    """The two fields the issue's files damaged, set to any byte, in every part: a message at worst."""
    data = bytearray(SAMPLE)
    data[at + offset] = value
    _every_reader(bytes(data))
