"""Framework editor pages: who may read and edit, frozen frameworks, forms, XLSX, query counts."""
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from appraisal.frameworks.selectors import criterion_rows
from appraisal.models import Criterion, Framework
from core.models import AuditEntry, Role
from tests.appraisal.test_frameworks import decide_rating_on, make_framework, rows_for
from tests.factories import user_with_role


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _criteria_post(framework, rows, version=None):
    data = {
        "version": framework.version if version is None else version,
        "c-TOTAL_FORMS": len(rows), "c-INITIAL_FORMS": len(criterion_rows(framework)),
        "c-MIN_NUM_FORMS": 0, "c-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update({
            f"c-{i}-code": row.code, f"c-{i}-parent_code": row.parent_code, f"c-{i}-title": row.title,
            f"c-{i}-guidance": row.guidance, f"c-{i}-max_points": str(row.max_points), f"c-{i}-kind": row.kind,
            f"c-{i}-axis": row.axis or "", f"c-{i}-axis_weight": row.axis_weight,
        })
        if row.is_key:
            data[f"c-{i}-is_key"] = "on"
    return data


def test_staff_see_the_list_and_the_tree(staff_client, framework):
    """Staff get the list and the detail page with the criteria and the edit buttons."""
    page = staff_client.get(reverse("appraisal:framework_list"))
    assert page.status_code == 200 and "Khung TEST" in page.content.decode()
    detail = staff_client.get(framework.get_absolute_url()).content.decode()
    assert "Tiêu chí chung 1" in detail and "Sửa cây tiêu chí" in detail


@pytest.mark.parametrize(("share", "shown"), [
    (Decimal("0.2"), "20%"), (Decimal("0.5"), "50%"), (Decimal("0.3"), "30%"),
    (Decimal("0.125"), "12,5%"), (Decimal("1"), "100%"), (Decimal("0"), "0%"), (None, ""),
])
def test_shares_read_as_percentages(share, shown):
    """Settings kept as fractions are shown as the committee writes them: "20%", "12,5%"."""
    from core.templatetags.vn import vn_percent

    assert vn_percent(share) == shown


def test_detail_page_shows_the_shares_in_percent(staff_client, framework):
    """The settings table says "20%" and "50%", not "0,200"."""
    detail = staff_client.get(framework.get_absolute_url()).content.decode()
    assert f"{int(framework.quota_share * 100)}% trên số xếp loại" in detail
    assert "0,200" not in detail and "0,500" not in detail


def test_staff_edit_the_tree_through_the_formset(staff_client, framework):
    """Posting a valid tree (one extra task) saves it and returns to the detail page."""
    response = staff_client.post(
        reverse("appraisal:framework_criteria", args=[framework.pk]), _criteria_post(framework, rows_for(5))
    )
    assert response.status_code == 302
    assert Criterion.objects.filter(framework=framework, parent__code="2").count() == 5
    assert AuditEntry.objects.filter(action="framework.save_criteria").count() == 1


def test_formset_with_wrong_total_shows_the_difference_and_saves_nothing(staff_client, framework):
    """A tree of 95 points is shown back with the message; the database is unchanged."""
    rows = rows_for(2, tasks=65)
    response = staff_client.post(
        reverse("appraisal:framework_criteria", args=[framework.pk]), _criteria_post(framework, rows)
    )
    assert response.status_code == 200
    assert "Tổng điểm tối đa là 95, thiếu 5 điểm so với 100." in response.content.decode()
    assert Criterion.objects.get(framework=framework, code="2").max_points == 70


def test_stale_page_is_refused_with_a_reload_message(staff_client, framework):
    """Saving from a page loaded before someone else's save is refused."""
    url = reverse("appraisal:framework_criteria", args=[framework.pk])
    staff_client.post(url, _criteria_post(framework, rows_for(5)))
    framework.refresh_from_db()
    stale = _criteria_post(framework, rows_for(7), version=1)
    response = staff_client.post(url, stale)
    assert response.status_code == 200 and "người khác sửa" in response.content.decode()
    assert Criterion.objects.filter(framework=framework, parent__code="2").count() == 5


def test_settings_form_saves_thresholds(staff_client, framework):
    """The settings form changes the thresholds and bumps the version."""
    url = reverse("appraisal:framework_edit", args=[framework.pk])
    form = staff_client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(threshold_excellent="92", version=framework.version, small_group_requires_all="on")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    framework.refresh_from_db()
    assert framework.threshold_excellent == 92 and framework.version == 2


def test_standing_committee_reads_but_cannot_edit(client, framework):
    """Ban Thường vụ sees the list and the detail; every edit page answers 403."""
    client.force_login(user_with_role(Role.STANDING))
    assert client.get(reverse("appraisal:framework_list")).status_code == 200
    detail = client.get(framework.get_absolute_url())
    assert detail.status_code == 200 and "Sửa cây tiêu chí" not in detail.content.decode()
    for name in ("framework_edit", "framework_criteria", "framework_caps", "framework_copy"):
        assert client.get(reverse(f"appraisal:{name}", args=[framework.pk])).status_code == 403
    post = client.post(reverse("appraisal:framework_criteria", args=[framework.pk]), _criteria_post(framework, rows_for(5)))
    assert post.status_code == 403
    assert client.get(reverse("appraisal:framework_create")).status_code == 403
    assert Criterion.objects.filter(framework=framework).count() == 7


def test_secretary_cannot_see_frameworks(client, tree):
    """A cell secretary gets 403 on the framework list."""
    client.force_login(user_with_role(Role.SECRETARY, organization=tree["village"]))
    assert client.get(reverse("appraisal:framework_list")).status_code == 403


def test_unknown_framework_is_404(staff_client, db):
    assert staff_client.get(reverse("appraisal:framework_detail", args=[999999])).status_code == 404


def test_frozen_framework_explains_why_and_offers_a_copy(staff_client, staff, framework):
    """A framework used by a decided rating shows why it is frozen; its edit pages send back with the reason."""
    decide_rating_on(framework, staff)
    page = staff_client.get(framework.get_absolute_url()).content.decode()
    assert "Sao chép để sửa" in page and "không được sửa" in page
    assert "Sửa cây tiêu chí" not in page
    response = staff_client.get(reverse("appraisal:framework_criteria", args=[framework.pk]), follow=True)
    assert "Hãy bấm «Sao chép để sửa»" in response.content.decode()
    copied = staff_client.post(
        reverse("appraisal:framework_copy", args=[framework.pk]),
        {"code": "TEST-BS", "name": "Khung sửa", "year": 2027},
    )
    copy = Framework.objects.get(code="TEST-BS")
    assert copied.url == copy.get_absolute_url()
    assert "Sửa cây tiêu chí" in staff_client.get(copy.get_absolute_url()).content.decode()


def test_activate_button_puts_the_framework_into_use(staff_client, framework):
    response = staff_client.post(
        reverse("appraisal:framework_activate", args=[framework.pk]), {"version": framework.version}
    )
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.status == "active"


def test_export_and_import_buttons(staff_client, framework):
    """Export downloads an XLSX; importing it under a new code creates a draft copy."""
    exported = staff_client.get(reverse("appraisal:framework_export", args=[framework.pk]))
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = SimpleUploadedFile("khung.xlsx", exported.content)
    response = staff_client.post(
        reverse("appraisal:framework_import"), {"file": upload, "code": "NHAP", "name": "Khung nhập"}
    )
    imported = Framework.objects.get(code="NHAP")
    assert response.url == imported.get_absolute_url()
    assert criterion_rows(imported) == criterion_rows(framework)


def test_import_with_bad_cells_lists_them_and_creates_nothing(staff_client, framework):
    wb = load_workbook(BytesIO(staff_client.get(reverse("appraisal:framework_export", args=[framework.pk])).content))
    wb["Tiêu chí"]["E3"] = "mười"
    out = BytesIO()
    wb.save(out)
    response = staff_client.post(
        reverse("appraisal:framework_import"),
        {"file": SimpleUploadedFile("khung.xlsx", out.getvalue()), "code": "NHAP"},
    )
    assert response.status_code == 200
    assert "Trang «Tiêu chí», dòng 3, cột E (Điểm tối đa)" in response.content.decode()
    assert not Framework.objects.filter(code="NHAP").exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_detail_page_queries_do_not_grow_with_the_criteria(staff_client, staff):
    """The detail page of a framework with 14 task criteria takes as many queries as one with 2."""
    small = make_framework(staff, code="NHO", n_tasks=2)
    large = make_framework(staff, code="LON", n_tasks=14)
    assert _count(staff_client, small.get_absolute_url()) == _count(staff_client, large.get_absolute_url())
    assert _count(staff_client, reverse("appraisal:framework_criteria", args=[small.pk])) == _count(
        staff_client, reverse("appraisal:framework_criteria", args=[large.pk])
    )


def test_list_page_queries_do_not_grow_with_the_frameworks(staff_client, staff):
    make_framework(staff, code="A1")
    few = _count(staff_client, reverse("appraisal:framework_list"))
    for code in ("A2", "A3", "A4"):
        make_framework(staff, code=code)
    assert _count(staff_client, reverse("appraisal:framework_list")) == few


@pytest.mark.django_db
def test_create_form_fills_the_subject_types_defaults(client):
    """Choosing "tổ chức cơ sở đảng" fills 85/70/50 and the yearly small-group rule; leaders quarterly 90 and 100 %."""
    from core.models import Role
    from tests.factories import user_with_role

    client.force_login(user_with_role(Role.STAFF))
    url = reverse("appraisal:framework_create")
    base_org = client.get(url, {"doi_tuong": "base_org_yearly"}).context["form"]
    leader = client.get(url, {"doi_tuong": "leader_quarterly"}).context["form"]
    assert base_org["threshold_excellent"].value() == Decimal(85)
    assert base_org["subject_type"].value() == "base_org_yearly"
    assert base_org["small_group_requires_all"].value() is False
    assert leader["threshold_excellent"].value() == Decimal(90)
    assert leader["small_group_requires_all"].value() is True
    assert client.get(url, {"doi_tuong": "khong-co"}).status_code == 200


@pytest.mark.django_db
def test_settings_form_shows_and_accepts_decimal_commas():
    """Shares and thresholds read "0,5" and "90" and "0,3" is accepted as 0.3."""
    from appraisal.frameworks.defaults import rating_defaults
    from appraisal.frameworks.forms import FrameworkSettingsForm

    initial = {"subject_type": "member_yearly", **rating_defaults("member_yearly")}
    html = str(FrameworkSettingsForm(initial=initial)["exceeded_share"])
    assert 'value="0,5' in html and 'type="text"' in html
    data = {k: v for k, v in initial.items()}
    data.update(code="DV-2027", name="Khung 2027", year=2027, exceeded_share="0,3", threshold_excellent="90",
                quota_share="0,2", short_share_max="0,2", threshold_good="70", threshold_pass="50")
    form = FrameworkSettingsForm(data=data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["exceeded_share"] == Decimal("0.3")


def test_conditions_are_shown_in_vietnamese_with_the_frameworks_values(staff_client, framework):
    """The conditions table names each condition in Vietnamese and words its reason with the framework's
    own share; no code (`not_outstanding`) and no placeholder (`{codes}`, `{exceeded}/{required}`) shows."""
    page = staff_client.get(framework.get_absolute_url()).content.decode()
    conditions = page.split("<h2>Điều kiện hạ mức</h2>", 1)[1]
    assert "Chưa có kết quả nổi trội, vượt mức yêu cầu" in conditions
    assert "Có tiêu chí chưa đạt mức Tốt (dưới 70% số điểm)" in conditions
    assert "chỉ …/… chỉ tiêu, nhiệm vụ hoàn thành vượt mức, cần ít nhất 50%" in conditions
    assert "tiêu chí … chưa đạt mức Tốt" in conditions
    for raw in ("{", "}", "not_outstanding", "criteria_below_good", "exceeded_below_share", "low_confidence"):
        assert raw not in conditions, raw


def test_the_caps_editor_names_conditions_and_figures_in_words_and_saves_placeholders(staff_client, framework):
    """The editor shows "[số vượt mức]" for {exceeded}; saving turns the words back into the engine's placeholders."""
    url = reverse("appraisal:framework_caps", args=[framework.pk])
    page = staff_client.get(url)
    html = page.content.decode()
    assert "[số vượt mức]/[số phải hoàn thành]" in html and "{exceeded}" not in html
    assert "Nhiệm vụ hoàn thành vượt mức chưa đủ tỷ lệ" in html
    formset = page.context["formset"]
    data = {"version": framework.version, **{
        f"k-{key}": value for key, value in formset.management_form.initial.items()
    }}
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if isinstance(value, bool):
                if value:
                    data[f"k-{i}-{name}"] = "on"
            else:
                data[f"k-{i}-{name}"] = "" if value is None else value
    assert staff_client.post(url, data).status_code == 302
    cap = framework.caps.get(condition="exceeded_below_share")
    assert cap.reason == "chỉ {exceeded}/{required} chỉ tiêu, nhiệm vụ hoàn thành vượt mức, cần ít nhất {share}"


def test_the_workbook_names_conditions_and_settings_in_vietnamese(staff_client, framework):
    """The «Điều kiện» sheet lists condition names and reasons with words, the «Thông tin» sheet setting names."""
    data = staff_client.get(reverse("appraisal:framework_export", args=[framework.pk])).content
    workbook = load_workbook(BytesIO(data))
    conditions = [row for row in workbook["Điều kiện"].iter_rows(min_row=2, values_only=True)]
    names = {row[0] for row in conditions}
    assert "Chưa có kết quả nổi trội, vượt mức yêu cầu" in names and "not_outstanding" not in names
    assert all("{" not in (row[3] or "") for row in conditions)
    settings = [row[0] for row in workbook["Thông tin"].iter_rows(min_row=2, values_only=True)]
    assert "Điểm tối thiểu HTXSNV" in settings and "threshold_excellent" not in settings
    values = {row[0]: row[2] for row in workbook["Thông tin"].iter_rows(min_row=2, values_only=True)}
    assert values["Đối tượng"] == "Đảng viên (hằng năm)" and values["Cách làm tròn"] == "Làm tròn 0,5 lên"


def test_settings_form_refuses_what_the_engine_refuses(db):
    """The settings form calls the engine's validator: thresholds out of order are named in its words."""
    from appraisal.frameworks.defaults import rating_defaults
    from appraisal.frameworks.forms import FrameworkSettingsForm

    data = {"subject_type": "member_yearly", **rating_defaults("member_yearly")}
    data.update(code="DV-X", name="Khung X", year=2027, threshold_excellent="60", threshold_good="70",
                threshold_pass="50", small_group_requires_all="True")
    form = FrameworkSettingsForm(data=data)
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Ngưỡng điểm phải tăng dần và không vượt 100: HTNV 50, HTTNV 70, HTXSNV 60."
    ]
