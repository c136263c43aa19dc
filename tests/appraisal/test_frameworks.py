"""Framework services, default frameworks and XLSX: totals, freezing, copies, audit, round trip."""
from dataclasses import replace
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from appraisal.frameworks import selectors as queries
from appraisal.frameworks import services
from appraisal.frameworks.defaults import DEFAULT_FRAMEWORKS, default_cap_rows
from appraisal.frameworks.selectors import CriterionRow
from appraisal.frameworks.xlsx import export_framework, read_framework
from appraisal.models import (
    Criterion,
    Framework,
    FrameworkStatus,
    Period,
    PeriodKind,
    Rating,
    RatingStatus,
    SubjectType,
)
from appraisal.rules import framework_problems
from core.models import AuditEntry, Role
from tests.factories import MemberFactory, user_with_role

D = Decimal


def rows_for(n_tasks: int = 2, common: int = 30, tasks: int = 70) -> list[CriterionRow]:
    """A two-group tree: group 1 with three criteria, group 2 with `n_tasks` equal criteria."""
    rows = [CriterionRow("1", "", "Chính trị tư tưởng, đạo đức, lối sống", "", D(common), "group")]
    rows += [
        CriterionRow(f"1.{i}", "1", f"Tiêu chí chung {i}", "", D(common) / 3, "qualitative")
        for i in range(1, 4)
    ]
    rows.append(CriterionRow("2", "", "Kết quả thực hiện nhiệm vụ", "", D(tasks), "group", is_key=True))
    rows += [
        CriterionRow(f"2.{i}", "2", f"Nhiệm vụ {i}", "Hướng dẫn", D(tasks) / n_tasks, "quantitative", is_key=True)
        for i in range(1, n_tasks + 1)
    ]
    return rows


def settings_for(code: str = "TEST", subject_type: str = SubjectType.MEMBER_YEARLY):
    default = next(d for d in DEFAULT_FRAMEWORKS if d.subject_type == subject_type)
    return replace(default.settings(), code=code, name=f"Khung {code}")


def make_framework(staff, *, code="TEST", n_tasks=2) -> Framework:
    """A valid draft framework created through the import service."""
    settings = settings_for(code)
    return services.framework_import(
        actor=staff, settings=settings, rows=rows_for(n_tasks), caps=default_cap_rows(settings.subject_type)
    )


def decide_rating_on(framework: Framework, staff) -> Rating:
    """A decided rating of a member using the framework (which freezes the framework)."""
    period = Period.objects.create(kind=PeriodKind.YEAR, year=2026, evaluation_date="2026-12-15")
    return Rating.objects.create(
        period=period, framework=framework, member=MemberFactory(), subject_type=SubjectType.MEMBER_YEARLY,
        status=RatingStatus.DECIDED, approved_level="HTTNV", decision_number="15-QĐ/ĐU",
        decision_date="2026-12-25",
    )




def test_total_not_100_is_refused_with_the_difference(staff, framework):
    """A tree adding up to 95 is refused, the message shows the 5 points missing, nothing changes."""
    rows = rows_for(common=25)
    rows[1:4] = [replace(r, max_points=D(points)) for r, points in zip(rows[1:4], (8, 8, 9), strict=True)]
    with pytest.raises(ValidationError) as exc:
        services.framework_save_criteria(actor=staff, framework=framework, expected_version=framework.version, rows=rows)
    assert "Tổng điểm tối đa là 95, thiếu 5 điểm so với 100." in exc.value.messages
    framework.refresh_from_db()
    assert framework.version == 1
    assert Criterion.objects.get(framework=framework, code="1").max_points == D(30)


def test_group_children_not_matching_the_group_is_refused_naming_the_group(staff, framework):
    """Children of group 2 adding up to 65 of its 70 points are refused, naming group «2»."""
    rows = rows_for()
    rows[-1] = replace(rows[-1], max_points=D(30))
    with pytest.raises(ValidationError) as exc:
        services.framework_save_criteria(actor=staff, framework=framework, expected_version=framework.version, rows=rows)
    assert any("Nhóm «2»" in m and "thiếu 5 điểm so với 70" in m for m in exc.value.messages)


def test_structure_errors_name_the_row(staff, framework):
    """An unknown parent and a duplicate code are reported with their row labels."""
    rows = [replace(r, where=f"Dòng {i}") for i, r in enumerate(rows_for(), start=1)]
    rows.append(replace(rows[-1], where="Dòng 9"))
    rows.append(CriterionRow("3.1", "3", "Mồ côi", "", D(1), "qualitative", where="Dòng 10"))
    settings, caps = settings_for(), default_cap_rows(SubjectType.MEMBER_YEARLY)
    errors = framework_problems(settings, rows, caps)
    assert any(e.startswith("Dòng 9: mã «2.2» bị trùng") for e in errors)
    rows.pop(-2)
    errors = framework_problems(settings, rows, caps)
    assert errors == ["Dòng 10: tiêu chí «3.1»: không có nhóm mã «3»."]


def test_valid_save_changes_the_tree_bumps_the_version_and_is_audited(staff, framework):
    """A valid tree is written all at once, with one audit entry naming what changed."""
    rows = rows_for(n_tasks=5)
    services.framework_save_criteria(actor=staff, framework=framework, expected_version=1, rows=rows)
    framework.refresh_from_db()
    assert framework.version == 2
    assert Criterion.objects.filter(framework=framework, parent__code="2").count() == 5
    entry = AuditEntry.objects.filter(action="framework.save_criteria").get()
    assert entry.actor == staff
    assert entry.changes == {"added": "2.3, 2.4, 2.5", "changed": "2.1, 2.2"}


def test_concurrent_edit_is_detected(staff, framework):
    """A save made from a stale page (old version) is refused and changes nothing."""
    services.framework_save_criteria(actor=staff, framework=framework, expected_version=1, rows=rows_for(5))
    stale = Framework.objects.get(pk=framework.pk)
    with pytest.raises(ValidationError) as exc:
        services.framework_save_criteria(actor=staff, framework=stale, expected_version=1, rows=rows_for(7))
    assert "người khác sửa" in exc.value.messages[0]
    assert Criterion.objects.filter(framework=framework, parent__code="2").count() == 5


def test_only_staff_may_change_frameworks(framework):
    """The standing committee reads frameworks but the service refuses its edits."""
    standing = user_with_role(Role.STANDING)
    with pytest.raises(PermissionDenied):
        services.framework_save_criteria(actor=standing, framework=framework, expected_version=1, rows=rows_for())


def test_framework_used_by_a_decided_rating_is_frozen(staff, framework):
    """Settings, criteria and caps of a frozen framework cannot change; the message says to copy."""
    decide_rating_on(framework, staff)
    assert Framework.objects.with_frozen().get(pk=framework.pk).frozen
    with pytest.raises(ValidationError, match="Sao chép để sửa"):
        services.framework_save_criteria(actor=staff, framework=framework, expected_version=1, rows=rows_for(5))
    with pytest.raises(ValidationError, match="Sao chép để sửa"):
        services.framework_update_settings(
            actor=staff, framework=framework, expected_version=1,
            settings=replace(queries.settings_of(framework), name="Đổi tên"),
        )
    with pytest.raises(ValidationError, match="Sao chép để sửa"):
        services.framework_save_caps(actor=staff, framework=framework, expected_version=1, caps=[])
    assert Criterion.objects.filter(framework=framework).count() == 7


def test_copy_is_identical_and_editable(staff, framework):
    """A copy of a frozen framework has the same tree and caps, is a draft and can be edited."""
    decide_rating_on(framework, staff)
    copy = services.framework_copy(actor=staff, framework=framework, code="TEST-2027", name="Khung 2027", year=2027)
    assert copy.copied_from == framework and copy.status == FrameworkStatus.DRAFT
    assert queries.criterion_rows(copy) == queries.criterion_rows(framework)
    assert queries.cap_rows(copy) == queries.cap_rows(framework)
    services.framework_save_criteria(actor=staff, framework=copy, expected_version=copy.version, rows=rows_for(5))
    assert Criterion.objects.filter(framework=copy, parent__code="2").count() == 5
    assert AuditEntry.objects.filter(action="framework.copy", object_id=str(copy.pk)).exists()


def test_copy_refuses_a_code_in_use(staff, framework):
    """Copying onto an existing code is refused with the code named."""
    with pytest.raises(ValidationError, match="«TEST» đã được dùng"):
        services.framework_copy(actor=staff, framework=framework, code="TEST", name="x", year=2027)


def test_activate_requires_a_valid_framework_and_replaces_the_active_one(staff, framework):
    """An empty draft cannot be activated; a valid one becomes the only active one of its kind and year."""
    empty = services.framework_create(actor=staff, settings=settings_for("EMPTY"))
    with pytest.raises(ValidationError, match="thiếu 100 điểm"):
        services.framework_activate(actor=staff, framework=empty, expected_version=empty.version)
    other = make_framework(staff, code="OTHER")
    services.framework_activate(actor=staff, framework=other, expected_version=other.version)
    services.framework_activate(actor=staff, framework=framework, expected_version=framework.version)
    statuses = dict(Framework.objects.values_list("code", "status"))
    assert statuses["TEST"] == "active" and statuses["OTHER"] == "draft"


# ---------------------------------------------------------------- load_frameworks


def test_load_frameworks_installs_six_valid_frameworks_and_is_idempotent(db):
    """All six subject types get a framework; a second run changes nothing."""
    call_command("load_frameworks", stdout=StringIO())
    assert set(Framework.objects.values_list("subject_type", flat=True)) == set(SubjectType.values)
    before = list(Framework.objects.values_list("code", "version", "updated_at"))
    criteria = Criterion.objects.count()
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert list(Framework.objects.values_list("code", "version", "updated_at")) == before
    assert Criterion.objects.count() == criteria
    assert out.getvalue().count("không đổi") == 6
    for framework in Framework.objects.all():
        assert queries.framework_problems_of(framework) == [], framework.code


def test_load_frameworks_keeps_frameworks_staff_edited_or_frozen(staff):
    """A default staff have edited, or one a decided rating uses, is kept and reported."""
    call_command("load_frameworks", stdout=StringIO())
    member = Framework.objects.get(code="DV-NAM")
    services.framework_update_settings(
        actor=staff, framework=member, expected_version=member.version,
        settings=replace(queries.settings_of(member), name="Khung đảng viên của xã"),
    )
    leader = Framework.objects.get(code="TCCSD-NAM")
    Framework.objects.filter(code__in=["DV-NAM", "TCCSD-NAM"]).update(defaults_digest="old")
    period = Period.objects.create(kind=PeriodKind.YEAR, year=2026, evaluation_date="2026-12-15")
    Rating.objects.create(
        period=period, framework=leader, subject_type=SubjectType.BASE_ORG_YEARLY,
        organization=MemberFactory().cell, status=RatingStatus.DECIDED, approved_level="HTTNV",
        decision_date="2026-12-20",
    )
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "DV-NAM: đã được Ban Xây dựng Đảng sửa" in out.getvalue()
    assert "TCCSD-NAM: đã dùng cho kết quả đã quyết định" in out.getvalue()
    assert Framework.objects.get(code="DV-NAM").name == "Khung đảng viên của xã"


def test_load_frameworks_refreshes_an_untouched_default(db):
    """A default nobody edited is brought up to date when the shipped definition changes."""
    call_command("load_frameworks", stdout=StringIO())
    Framework.objects.filter(code="CB-QUY").update(defaults_digest="old", name="Tên cũ")
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "CB-QUY: đã cập nhật theo mặc định mới" in out.getvalue()
    assert Framework.objects.get(code="CB-QUY").name.startswith("Khung tiêu chí đánh giá cán bộ")


# ---------------------------------------------------------------- XLSX


def test_xlsx_round_trip_gives_an_identical_framework(staff):
    """Export then import (under a new code) reproduces settings, criteria and caps exactly."""
    call_command("load_frameworks", stdout=StringIO())
    for original in Framework.objects.all():
        parsed = read_framework(export_framework(original))
        assert parsed.errors == []
        imported = services.framework_import(
            actor=staff, settings=replace(parsed.settings, code=original.code + "-X"),
            rows=parsed.rows, caps=parsed.caps,
        )
        assert replace(queries.settings_of(imported), code=original.code) == queries.settings_of(original)
        assert queries.criterion_rows(imported) == queries.criterion_rows(original)
        assert queries.cap_rows(imported) == queries.cap_rows(original)


def _edited_export(framework, edits: dict[tuple[str, str], object]) -> bytes:
    wb = load_workbook(BytesIO(export_framework(framework)))
    for (sheet, cell), value in edits.items():
        wb[sheet][cell] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_bad_xlsx_cells_are_listed_with_sheet_row_and_column(staff, framework):
    """Each bad cell is reported with its sheet, row, column letter and header; nothing is created."""
    data = _edited_export(framework, {
        ("Tiêu chí", "E3"): "mười",
        ("Tiêu chí", "F4"): "Lạ",
        ("Tiêu chí", "H5"): 9,
        ("Thông tin", "C7"): "cao",
        ("Điều kiện", "B2"): "GIOI",
    })
    parsed = read_framework(data)
    assert "Trang «Tiêu chí», dòng 3, cột E (Điểm tối đa): «mười» không phải là số." in parsed.errors
    assert any(e.startswith("Trang «Tiêu chí», dòng 4, cột F (Loại): «Lạ» không hợp lệ") for e in parsed.errors)
    assert "Trang «Tiêu chí», dòng 5, cột H (Trục kết quả): «9» phải là số từ 1 đến 6." in parsed.errors
    assert "Trang «Thông tin», dòng 7, cột C (Giá trị): «cao» không phải là số." in parsed.errors
    assert any(e.startswith("Trang «Điều kiện», dòng 2, cột B (Mức cao nhất)") for e in parsed.errors)


def test_xlsx_text_longer_than_its_field_is_a_cell_error(staff, framework):
    """A code, title or source too long for the database is named by cell, not a database error."""
    data = _edited_export(framework, {
        ("Thông tin", "C2"): "K" * 41,
        ("Tiêu chí", "A4"): "1." + "9" * 15,
        ("Tiêu chí", "C3"): "T" * 501,
        ("Điều kiện", "E2"): "S" * 256,
    })
    errors = read_framework(data).errors
    assert "Trang «Thông tin», dòng 2, cột C (Giá trị): dài 41 ký tự, tối đa 40 ký tự." in errors
    assert "Trang «Tiêu chí», dòng 4, cột A (Mã): dài 17 ký tự, tối đa 16 ký tự." in errors
    assert "Trang «Tiêu chí», dòng 3, cột C (Nội dung): dài 501 ký tự, tối đa 500 ký tự." in errors
    assert "Trang «Điều kiện», dòng 2, cột E (Căn cứ): dài 256 ký tự, tối đa 255 ký tự." in errors


def test_xlsx_with_wrong_totals_is_refused_naming_the_row(staff, framework):
    """Cells that parse but break the totals are refused by the service; no framework is created."""
    data = _edited_export(framework, {("Tiêu chí", "E3"): 5, ("Thông tin", "C2"): "NEW"})
    parsed = read_framework(data)
    assert parsed.errors == []
    count = Framework.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.framework_import(actor=staff, settings=parsed.settings, rows=parsed.rows, caps=parsed.caps)
    assert "Nhóm «1»: tổng điểm các tiêu chí con là 25, thiếu 5 điểm so với 30 điểm của nhóm." in exc.value.messages
    assert Framework.objects.count() == count


def test_not_an_xlsx_file_is_refused(db):
    """A file that is not a workbook gets one clear message."""
    assert read_framework(b"not a workbook").errors == [
        "Tệp không đọc được như bảng tính Excel (.xlsx): tệp nén bị hỏng, không giải nén được. "
        "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx."
    ]


def test_the_admin_shows_frameworks_criteria_and_caps_but_changes_nothing(framework, client):
    """Even a superuser cannot add, change or delete a framework, a criterion or a cap in the admin:
    the editor's services (validator, freeze, version, audit) are the only way [issue 13]."""
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    criterion = framework.criteria.get(code="2.1")
    cap = framework.caps.first()
    before = (framework.version, framework.threshold_excellent, criterion.max_points, cap.max_level)
    audited = AuditEntry.objects.count()
    assert client.get(reverse("admin:appraisal_framework_change", args=[framework.pk])).status_code == 200
    refused = [
        client.post(reverse("admin:appraisal_framework_change", args=[framework.pk]),
                    {"code": framework.code, "name": framework.name, "year": 2026, "threshold_excellent": "60"}),
        client.post(reverse("admin:appraisal_criterion_change", args=[criterion.pk]), {"max_points": "99"}),
        client.post(reverse("admin:appraisal_conditioncap_change", args=[cap.pk]), {"max_level": "HTXSNV"}),
        client.post(reverse("admin:appraisal_framework_add"), {"code": "MOI", "name": "Mới"}),
        client.post(reverse("admin:appraisal_criterion_delete", args=[criterion.pk]), {"post": "yes"}),
        client.post(reverse("admin:appraisal_framework_delete", args=[framework.pk]), {"post": "yes"}),
    ]
    assert [r.status_code for r in refused] == [403] * 6
    framework.refresh_from_db()
    criterion.refresh_from_db()
    cap.refresh_from_db()
    assert (framework.version, framework.threshold_excellent, criterion.max_points, cap.max_level) == before
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize(("subject_type", "excellent", "source"), [
    (SubjectType.BASE_ORG_YEARLY, D(85), "[003 C.I.2]"),
    (SubjectType.MEMBER_YEARLY, D(90), "[002 §4.1]"),
    (SubjectType.LEADER_QUARTERLY, D(90), "[002 §4.1]"),
])
def test_a_framework_created_without_its_settings_takes_its_subject_types_defaults(
    subject_type, excellent, source, staff, client
):
    """Created on the editor's page without `?doi_tuong=` and with the settings left blank, or
    created in code naming only its subject type, a framework gets the seeds' thresholds for that
    subject type (85 for a base organisation), never a value of the model's own."""
    from django.urls import reverse

    from appraisal.frameworks.defaults import rating_defaults

    bare = Framework.objects.create(code=f"B-{subject_type}", name="Khung", year=2026, subject_type=subject_type)
    assert (bare.threshold_excellent, bare.threshold_good, bare.threshold_pass) == (excellent, D(70), D(50)), source
    bare.refresh_from_db()
    assert {name: getattr(bare, name) for name in rating_defaults(subject_type)} == rating_defaults(subject_type)
    client.force_login(staff)
    page = client.get(reverse("appraisal:framework_create")).content.decode()
    assert 'name="threshold_excellent"' in page and 'value="90"' not in page
    response = client.post(reverse("appraisal:framework_create"), {
        "code": f"M-{subject_type}", "name": "Khung mới", "year": 2026, "subject_type": subject_type, "description": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Framework.objects.get(code=f"M-{subject_type}")
    assert made.threshold_excellent == excellent
    stored = {name: getattr(made, name) for name in rating_defaults(subject_type)}
    assert stored == rating_defaults(subject_type)


def test_settings_typed_on_the_page_win_over_the_defaults(staff, client):
    """A threshold typed when creating is kept; only the blank ones take the defaults."""
    from django.urls import reverse

    client.force_login(staff)
    response = client.post(reverse("appraisal:framework_create"), {
        "code": "M-GO", "name": "Khung", "year": 2026, "subject_type": SubjectType.BASE_ORG_YEARLY,
        "description": "", "threshold_excellent": "88", "small_group_requires_all": "False",
    })
    assert response.status_code == 302
    made = Framework.objects.get(code="M-GO")
    assert (made.threshold_excellent, made.threshold_good, made.small_group_requires_all) == (D(88), D(70), False)


def test_a_workbook_unpacking_beyond_the_frameworks_limit_is_refused_unread(staff):
    """Frameworks are read whole (openpyxl ~50× the XML in memory): over 8 MB unpacked is refused, naming
    the size, while a real export of 14 task criteria is far below it."""
    from zipfile import ZipFile

    from appraisal.frameworks.xlsx import MAX_UNPACKED_BYTES

    exported = export_framework(make_framework(staff, code="LON", n_tasks=14))
    assert sum(i.file_size for i in ZipFile(BytesIO(exported)).infolist()) < MAX_UNPACKED_BYTES // 8
    wb = load_workbook(BytesIO(exported))
    for row in range(200):  # real rows, so no padding check refuses it first
        wb["Tiêu chí"].cell(row=100 + row, column=8).value = "Ghi chú dài " * 4000
    out = BytesIO()
    wb.save(out)
    unpacked = sum(i.file_size for i in ZipFile(BytesIO(out.getvalue())).infolist())
    assert 11 * 2**20 < unpacked <= 12 * 2**20  # 200 × 4000 × "Ghi chú dài " (14 bytes) and the rest
    assert read_framework(out.getvalue()).errors == [
        "Tệp bị từ chối: khi giải nén lớn tới 12 MB (tối đa 8 MB). Hãy kiểm tra lại tệp hoặc chia nhỏ tệp."
    ]
