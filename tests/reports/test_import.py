"""Results decided outside the app, imported from XLSX: preview → confirm, all or nothing, row
errors in Vietnamese naming row and column, the command line, and bad files that never crash."""
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from appraisal.models import SubjectType
from core.models import AuditEntry, Role
from members.models import PositionGroup
from orgs.models import Block, OrgKind
from reports.compute import year_end_figures
from reports.data import report_scope
from reports.models import ImportedCount, ImportedResult
from reports.results_import import COUNT_COLUMNS, RESULT_COLUMNS, run_import
from tests.factories import user_with_role
from tests.reports.builders import Ratings, members, org, period

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in RESULT_COLUMNS]
COUNT_HEADERS = [c.header for c in COUNT_COLUMNS]


def xlsx(rows, headers=HEADERS, title_row=False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    if title_row:
        sheet.append(["KẾT QUẢ XẾP LOẠI CÁC NĂM TRƯỚC"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(**values):
    keys = [c.key for c in RESULT_COLUMNS]
    return [values.get(k) for k in keys]


@pytest.fixture
def place():
    root = org("BL-XA", "Đảng bộ xã Bình Lư", OrgKind.ROOT)
    cell = org("BL-THON1", "Chi bộ thôn Nà Bó", OrgKind.ROOT_CELL, root)
    PositionGroup.objects.create(code="TP", name="Trưởng các phòng, ban và tương đương")
    Block.objects.create(code="KHOI1", name="Khối cơ quan tham mưu")
    return root, cell


def test_a_good_file_is_previewed_without_writing_then_written_on_confirm(place):
    """The dry run lists each row and writes nothing; the same file confirmed is written, once, and counts."""
    root, cell = place
    content = xlsx([
        row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="Lò Văn Một", card="D001", level="HTXSNV"),
        row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="Lò Văn Hai", card="D002",
            level="Hoàn thành tốt nhiệm vụ", score="85,5"),
        row(year=2022, subject="đảng viên", org_code="BL-THON1", name="Lò Thị Ba", card="D003",
            not_rated="Miễn công tác và sinh hoạt đảng"),
        row(year=2022, subject="Tổ chức đảng", org_code="BL-THON1", level="HTTNV"),
        row(year=2022, quarter=2, subject="Cán bộ lãnh đạo, quản lý", org_code="BL-THON1", name="Lò Văn Một", card="D001",
            group="TP", tier="Diện Ban Thường vụ Đảng ủy quản lý", level="HTTNV"),
    ], title_row=True)
    preview = run_import(content=content, kind="subjects", file_name="ket-qua-2022.xlsx", commit=False)
    assert preview.ok and [r.line for r in preview.rows] == [3, 4, 5, 6, 7]
    assert not ImportedResult.objects.exists()
    done = run_import(content=content, kind="subjects", file_name="ket-qua-2022.xlsx", commit=True)
    assert done.ok and done.created == 5
    f = year_end_figures(report_scope(root), 2022, "2/2022")
    assert (f.members.excellent, f.members.good, f.members.not_rated_total) == (1, 1, 1)
    assert f.organisations.tally.good == 1
    assert f.quarters[0].tiers[0].tally.good == 1
    assert AuditEntry.objects.filter(action="results.import").count() == 1
    again = run_import(content=content, kind="subjects", file_name="ket-qua-2022.xlsx", commit=True)
    assert again.ok and (again.created, again.updated) == (0, 5)
    assert ImportedResult.objects.count() == 5


def test_one_bad_row_and_nothing_is_written_each_error_named_by_row_and_column(place):
    """All or nothing: a file with bad rows writes none of its good rows; every error names row and column."""
    content = xlsx([
        row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="Lò Văn Một", card="D001", level="HTTNV"),
        row(year=2022, subject="Đảng viên", org_code="KHONGCO", name="Lò Văn Hai", card="D002", level="HTX", score="101"),
        row(year=1800, subject="Ai đó", org_code="BL-THON1", level="HTTNV"),
        row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="Lò Văn Một", card="D001", level="HTNV"),
        row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="Lò Văn Bốn", card="D004"),
    ])
    outcome = run_import(content=content, kind="subjects", file_name="loi.xlsx", commit=True)
    assert not outcome.ok and not ImportedResult.objects.exists()
    text = "\n".join(outcome.problems)
    assert "dòng 3, cột D (Mã tổ chức đảng): không có tổ chức đảng mã «KHONGCO»" in text
    assert "dòng 3, cột K (Mức xếp loại): «HTX» không phải mức xếp loại" in text
    assert "dòng 3, cột M (Điểm): điểm 101 phải từ 0 đến 100" in text
    assert "dòng 4, cột A (Năm): năm 1800 không hợp lệ" in text
    assert "dòng 4, cột C (Đối tượng): «Ai đó» không phải đối tượng" in text
    assert "dòng 5, cột C (Đối tượng): trùng với dòng 2" in text
    assert "dòng 6, cột K (Mức xếp loại): nhập mức xếp loại, hoặc lý do không xếp loại" in text


def test_a_subject_already_decided_in_the_app_is_not_imported_twice(place):
    """A member whose 2025 rating is decided in the app cannot also come from a file for 2025."""
    root, cell = place
    (m,) = members([cell], 1, "APP")
    r = Ratings()
    r.add(period(2025), SubjectType.MEMBER_YEARLY, "HTTNV", member=m)
    r.save()
    content = xlsx([row(year=2025, subject="Đảng viên", org_code="BL-THON1", name=m.full_name, card=m.card_number,
                        level="HTXSNV")])
    outcome = run_import(content=content, kind="subjects", file_name="trung.xlsx", commit=True)
    assert not outcome.ok and "đã có kết quả xếp loại được quyết định trong phần mềm" in outcome.problems[0]


def test_counts_per_level_are_imported_for_the_multi_year_tables(place):
    """A counts file (seed 001's table for 2018) is imported and appears in the multi-year table."""
    from reports.companions import multi_year_context

    root, _ = place
    content = xlsx([[2018, None, "BL-XA", "Đảng viên", None, None, 376, 2208, 202, 9, 0]], headers=COUNT_HEADERS)
    assert run_import(content=content, kind="counts", file_name="2018.xlsx", commit=True).ok
    assert ImportedCount.objects.get().good == 2208
    context = multi_year_context(report_scope(root), 2022, 5)
    members_by_year = dict(next(t for label, t, _ in context["tables"] if label == "Đảng viên"))
    assert (members_by_year[2018].excellent, members_by_year[2018].rated) == (376, 2795)


def test_unreadable_files_get_a_vietnamese_message_and_change_nothing(place):
    """Not a workbook, a truncated workbook, a workbook without the headers: a message, no exception."""
    good = xlsx([row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="A", card="1", level="HTTNV")])
    for content, expected in ((b"not a zip", "không đọc được như bảng tính Excel"),
                              (good[: len(good) // 2], "không đọc được như bảng tính Excel"),
                              (xlsx([[1, 2, 3]], headers=["a", "b", "c"]), "không có sheet nào có dòng tiêu đề")):
        outcome = run_import(content=content, kind="subjects", file_name="x.xlsx", commit=True)
        assert not outcome.ok and expected in outcome.problems[0]
    assert not ImportedResult.objects.exists()


cells = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12), st.integers(-10**6, 10**12), st.floats(allow_nan=True),
                  st.sampled_from(["HTTNV", "Đảng viên", "BL-THON1", "=1+1", "#REF!", "0000-00-00", "1e309"]))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cells, min_size=len(HEADERS), max_size=len(HEADERS)), min_size=1, max_size=6))
def test_any_cells_give_rows_or_located_problems_never_an_exception(place, rows):
    """Whatever the cells hold, the import answers with rows or with problems; a refused file writes nothing."""
    before = ImportedResult.objects.count()
    outcome = run_import(content=xlsx(rows), kind="subjects", file_name="x.xlsx", commit=True)
    assert outcome.ok or outcome.problems
    if not outcome.ok:
        assert ImportedResult.objects.count() == before
        assert all("dòng" in p or "Tệp" in p or "Sheet" in p for p in outcome.problems)


def test_the_pages_preview_then_confirm_and_refuse_a_file_not_previewed(place, client):
    """Upload shows the preview; confirming writes; a token this user did not preview is refused."""
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    content = xlsx([row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="Lò Văn Một", card="D001",
                        level="HTTNV")])
    upload = io.BytesIO(content)
    upload.name = "ket-qua.xlsx"
    page = client.post(reverse("reports:import"), {"kind": "subjects", "file": upload})
    assert page.status_code == 200 and page.context["outcome"].ok
    assert not ImportedResult.objects.exists()
    token = page.context["confirm"].initial["token"]
    refused = client.post(reverse("reports:import_confirm"), {"kind": "subjects", "token": "0" * 32, "file_name": "x"})
    assert refused.status_code == 302 and not ImportedResult.objects.exists()
    done = client.post(reverse("reports:import_confirm"), {"kind": "subjects", "token": token, "file_name": "ket-qua.xlsx"})
    assert done.status_code == 302 and ImportedResult.objects.count() == 1


def test_the_command_checks_with_dry_run_and_imports_without(place, tmp_path):
    """`import_results FILE --dry-run` writes nothing; without it the rows are written; errors fail the command."""
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(xlsx([row(year=2022, subject="Đảng viên", org_code="BL-THON1", name="A", card="1", level="HTTNV")]))
    call_command("import_results", str(path), "--dry-run", stdout=io.StringIO())
    assert not ImportedResult.objects.exists()
    call_command("import_results", str(path), stdout=io.StringIO())
    assert ImportedResult.objects.count() == 1
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(xlsx([row(year=2022, subject="Đảng viên", org_code="X", name="A", card="2", level="HTTNV")]))
    with pytest.raises(CommandError, match="không ghi gì"):
        call_command("import_results", str(bad), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize(("role", "imports"), [(Role.STAFF, True), (Role.STANDING, False), (Role.VIEWER, False)])
def test_who_imports_results_is_one_answer_for_the_page_its_link_and_the_import(role, imports, place, client):
    """`authority.may_import_results` decides for the import page, its link and `run_import` itself:
    the standing committee writes reports but does not import results [issue 13]."""
    from django.core.exceptions import PermissionDenied

    from core.scope import scope_for
    from core.templatetags.access import may_open

    user = user_with_role(role, username=f"nhap-{role}")
    content = xlsx([row(year=2022, subject="Tổ chức đảng", org_code="BL-THON1", level="HTTNV")], title_row=True)
    assert may_open(scope_for(user), "reports:import") is imports
    client.force_login(user)
    assert (client.get(reverse("reports:import")).status_code == 200) is imports
    if imports:
        assert run_import(content=content, kind="subjects", file_name="x.xlsx", actor=user, commit=True).ok
    else:
        with pytest.raises(PermissionDenied):
            run_import(content=content, kind="subjects", file_name="x.xlsx", actor=user, commit=True)
        assert not ImportedResult.objects.exists()


def test_the_queries_of_an_import_do_not_grow_with_its_rows(place):
    """Rows in bulk: the subjects already stored are read once and every row is written together,
    so 60 rows (half updating earlier ones) take the queries 6 rows take."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rows(n, first=0):
        return [row(year=2022, subject="Đảng viên", org_code="BL-THON1", name=f"Người {i}", card=f"C{i:04d}",
                    level="HTTNV", score="80,5") for i in range(first, first + n)]

    counts = []
    for n in (6, 60):
        run_import(content=xlsx(rows(n // 2)), kind="subjects", file_name="truoc.xlsx", commit=True)
        with CaptureQueriesContext(connection) as queries:
            outcome = run_import(content=xlsx(rows(n)), kind="subjects", file_name="sau.xlsx", commit=True)
        assert outcome.ok and (outcome.created, outcome.updated) == (n - n // 2, n // 2)
        counts.append(len(queries))
        stored = ImportedResult.objects.values_list("batch_id", "score", "level")
        assert sorted(set(stored)) == [(outcome.batch.pk, Decimal("80.50"), "HTTNV")] and len(stored) == n
        ImportedResult.objects.all().delete()
    assert counts[0] == counts[1]
