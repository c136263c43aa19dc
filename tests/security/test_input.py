"""Bad input gets a Vietnamese message, never a server error: ids, numbers, NUL bytes, files."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from members.workbook.writer import build_workbook
from orgs.models import Block

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


@pytest.fixture
def staff_client(scenario, client):
    client.force_login(scenario.users["staff"])
    return client


# --- ids and query strings -------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/to-chuc/99999999999999999999999/", "/dang-vien/99999999999999999999999/",
    "/to-chuc/don-vi/99999999999999999999999/", "/dang-vien/chuc-vu/99999999999999999999999/thoi-giu/",
    "/tai-khoan/99999999999999999999999/", "/danh-gia/khung-tieu-chi/99999999999999999999999/",
])
def test_an_id_too_large_for_the_database_is_404(url, staff_client):
    """An id beyond the database's integer range is simply not found."""
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize(("name", "query"), [
    ("orgs:create", {"cha": "abc"}), ("orgs:create", {"cha": HUGE}), ("members:create", {"chi_bo": "1.5"}),
    ("members:create", {"chi_bo": HUGE}), ("orgs:unit_create", {"khoi": "x'; --"}),
])
def test_a_malformed_id_in_the_query_string_is_not_a_server_error(name, query, staff_client):
    """?cha=, ?chi_bo=, ?khoi= that are not ids give 404 or the blank form, not 500."""
    assert staff_client.get(reverse(name), query).status_code in (200, 404)


@pytest.mark.parametrize(("name", "args"), [
    ("members:search", ()), ("orgs:detail", ("root",)), ("accounts:list", ()), ("core:audit", ()),
])
def test_nul_bytes_and_very_long_text_in_search_are_not_a_server_error(name, args, scenario, staff_client):
    """A search containing a NUL byte (PostgreSQL refuses them) or 10 000 characters still answers."""
    url = reverse(name, args=[scenario.tree[a].pk for a in args])
    for text in ("Ánh\x00", "\x00", "a" * 10000):
        response = staff_client.get(url, {"q": text, "actor": text})
        assert response.status_code == 200


def test_nul_byte_in_a_form_field_is_refused_in_vietnamese(scenario, staff_client):
    """A NUL byte typed into a name is a form error, and nothing is saved."""
    response = staff_client.post(reverse("orgs:block_create"), {"code": "K\x009", "name": "Khối\x00"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["orgs:block_create", "orgs:group_create"])
def test_an_order_number_beyond_the_database_range_is_a_form_error(name, staff_client):
    """“Thứ tự” of 30 digits is refused by the form, in Vietnamese, instead of crashing the save."""
    response = staff_client.post(reverse(name), {"code": "K9", "name": "Khối", "sort_order": HUGE})
    assert response.status_code == 200
    assert "sort_order" in response.context["form"].errors
    assert not Block.objects.filter(code="K9").exists()


def test_an_order_number_too_large_on_org_and_unit_forms_is_a_form_error(scenario, staff_client):
    """The same for organisations and units."""
    response = staff_client.post(reverse("orgs:create"), {
        "parent": scenario.tree["root"].pk, "kind": "root_cell", "code": "M1", "name": "Mới", "sort_order": HUGE,
    })
    assert "sort_order" in response.context["form"].errors
    response = staff_client.post(reverse("orgs:unit_create"), {
        "code": "U9", "name": "Đơn vị", "block": scenario.block.pk, "sort_order": HUGE,
    })
    assert "sort_order" in response.context["form"].errors


def test_a_member_version_beyond_the_database_range_is_a_stale_form_not_a_crash(scenario, client):
    """A tampered hidden version is treated as a form opened before someone else's save."""
    client.force_login(scenario.users["secretary"])
    member = scenario.member_a
    response = client.post(reverse("members:edit", args=[member.pk]), {
        "full_name": "Tên Mới", "gender": member.gender, "card_number": member.card_number,
        "admitted_on": "19/05/2010", "official_on": "19/05/2011", "status": member.status,
        "is_active": "on", "version": HUGE,
    })
    assert response.status_code == 200
    assert response.context["form"].errors
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn Ánh"


@pytest.mark.parametrize("value", ["31/02/2024", "01/01/99999", "0/0/0", "2024-13-01", "\x00"])
def test_impossible_dates_are_refused_in_vietnamese(value, scenario, client):
    """A date that does not exist is named as invalid in the form, not a crash."""
    client.force_login(scenario.users["secretary"])
    response = client.post(reverse("members:exempt", args=[scenario.member_a.pk]), {"start_on": value})
    assert response.status_code == 200
    assert "không hợp lệ" in str(response.context["form"].errors["start_on"]) or "Null" in str(
        response.context["form"].errors["start_on"])


# --- uploaded files --------------------------------------------------------------------------


def _bomb(uncompressed_mb: int) -> bytes:
    """A real workbook whose first data sheet is padded with blanks to `uncompressed_mb` MB."""
    source = zipfile.ZipFile(io.BytesIO(build_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                head, tail = data.rsplit(b"</worksheet>", 1)
                with target.open(info.filename, "w", force_zip64=True) as f:
                    f.write(head)
                    chunk = b" " * (1024 * 1024)
                    for _ in range(uncompressed_mb):
                        f.write(chunk)
                    f.write(b"</worksheet>" + tail)
            else:
                target.writestr(info, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb(120)


NOT_XLSX = {
    "latin1.xlsx": "Họ và tên;Mức\nNguyễn Văn A;HTT\n".encode("cp1258", errors="replace"),
    "random.xlsx": bytes(range(256)) * 8,
    "empty.xlsx": b"",
    "not-a-workbook.xlsx": b"PK\x03\x04" + b"\x00" * 100,
}


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("name", sorted(NOT_XLSX))
def test_workbook_import_of_a_file_that_is_not_xlsx_says_so(name, staff_client):
    """Any bytes named .xlsx give a Vietnamese message on the preview, and nothing is saved."""
    response = staff_client.post(reverse("workbook:import"), {"file": _upload(name, NOT_XLSX[name])})
    assert response.status_code == 200
    assert "Excel" in response.content.decode()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", sorted(NOT_XLSX))
def test_framework_import_of_a_file_that_is_not_xlsx_says_so(name, staff_client):
    response = staff_client.post(reverse("appraisal:framework_import"), {"file": _upload(name, NOT_XLSX[name])})
    assert response.status_code == 200
    assert "Excel" in response.content.decode()


@pytest.mark.parametrize("name", sorted(NOT_XLSX))
def test_quota_trial_with_a_file_that_is_not_xlsx_says_so(name, scenario, staff_client):
    url = reverse("appraisal:quota_trial", args=[scenario.framework.pk])
    response = staff_client.post(url, {"file": _upload(name, NOT_XLSX[name])})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_workbook_import_refuses_a_zip_bomb(staff_client):
    """A small file whose sheet would unpack past the import's limit is refused unread, with a message.

    The workbook import streams and takes a province's export, so its limit is larger than
    the other imports': the bomb is built past it.
    """
    from members.workbook.spec import MAX_PART_BYTES

    bomb = _bomb(MAX_PART_BYTES // (1024 * 1024) + 1)
    assert len(bomb) < 2 * 1024 * 1024
    response = staff_client.post(reverse("workbook:import"), {"file": _upload("bom.xlsx", bomb)})
    assert response.status_code == 200
    assert "giải nén" in response.content.decode()


def test_framework_import_refuses_a_zip_bomb(bomb, staff_client):
    response = staff_client.post(reverse("appraisal:framework_import"), {"file": _upload("bom.xlsx", bomb)})
    assert response.status_code == 200
    assert "giải nén" in response.content.decode()


def test_trial_pages_refuse_a_zip_bomb(bomb, scenario, staff_client):
    for name in ("quota_trial", "ballot_trial"):
        url = reverse(f"appraisal:{name}", args=[scenario.framework.pk])
        response = staff_client.post(url, {"file": _upload("bom.xlsx", bomb)})
        assert response.status_code == 200
        assert "giải nén" in str(response.context["form"].errors)


def test_the_exported_workbook_passes_the_size_check(scenario):
    """The guard does not refuse a real workbook: the export reads back."""
    from core.xlsx import xlsx_problem

    assert xlsx_problem(build_workbook()) is None
