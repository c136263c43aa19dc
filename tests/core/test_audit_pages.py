"""Audit trail pages: the global list (filters, paging, readable changes, constant queries) and
each organisation's, unit's and member's history."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from core.audit import audit_rows, record_change
from core.models import AuditEntry, Role
from core.scope import scope_for
from members import services as member_services
from orgs import services
from orgs.models import Block, OrgKind
from tests.factories import MemberFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db



def _staff(scenario):
    user = scenario.users["staff"]
    return user, scope_for(user)


def test_changes_are_rendered_readably_in_vietnamese(scenario):
    """Field names become labels; ids become names; dates, booleans and choices are spelt out."""
    user, scope = _staff(scenario)
    cell = scenario.tree["cell_a"]
    services.org_update(actor=user, scope=scope, org=cell, version=cell.version,
                        name="Chi bộ Tổ Toán - Tin", code="CB1", established_on=dt.date(2019, 3, 8))
    cell.refresh_from_db()
    services.org_move(actor=user, scope=scope, org=cell,
                      parent=services.org_create(actor=user, scope=scope, parent=scenario.tree["root"],
                                                 kind=OrgKind.BASE_PARTY, code="DB2", name="Đảng bộ Trường Tiểu học"),
                      version=cell.version)
    rows = {r.entry.action: r for r in audit_rows(AuditEntry.objects.all())}
    update = {line.label: (line.old, line.new) for line in rows["org.update"].lines}
    assert update == {
        "Tên": ("Chi bộ Tổ Toán", "Chi bộ Tổ Toán - Tin"),
        "Ngày thành lập": ("01/01/2000", "08/3/2019"),
    }
    assert rows["org.update"].action == "Sửa tổ chức đảng"
    assert rows["org.update"].object_type == "Tổ chức đảng"
    [move] = rows["org.move"].lines
    assert (move.label, move.old, move.new) == ("Trực thuộc", "Đảng bộ Trường THCS", "Đảng bộ Trường Tiểu học")
    create = {line.label: line.new for line in rows["org.create"].lines}
    assert create["Loại"] == "Đảng bộ cơ sở"


def test_role_and_deactivation_entries_are_readable(scenario):
    user, scope = _staff(scenario)
    target = scenario.users["norole"]
    account_services.role_assign(actor=user, scope=scope, user=target, role=Role.VIEWER, organization=scenario.tree["base"])
    account_services.user_set_active(actor=user, scope=scope, user=target, active=False)
    rows = audit_rows(AuditEntry.objects.order_by("id"))
    # PostgreSQL's jsonb does not keep the order of keys: compare as a set.
    assert {(line.label, line.new) for line in rows[0].lines} == {
        ("Vai trò", "Chỉ xem"), ("Tổ chức đảng", "Đảng bộ Trường THCS"), ("Cơ quan, đơn vị", "—"),
    }
    assert [(line.label, line.old, line.new) for line in rows[1].lines] == [("Đang hoạt động", "Có", "Không")]
    assert rows[1].action == "Khóa tài khoản"


def test_global_list_filters_by_type_actor_and_dates(scenario, client):
    user, scope = _staff(scenario)
    other = user_with_role(Role.STAFF, username="bxd2")
    services.coded_list_create(actor=user, scope=scope, model=Block, code="K9", name="Khối 9")
    services.coded_list_create(actor=other, scope=scope_for(other), model=Block, code="K8", name="Khối 8")
    record_change(actor=user, action="member.update", obj=scenario.member_a, changes={"full_name": ("A", "B")})
    old = record_change(actor=user, action="org.update", obj=scenario.tree["cell_a"], changes={})
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    client.force_login(user)
    url = reverse("core:audit")

    def actions(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return sorted(r.entry.action + ":" + r.entry.object_repr for r in response.context["rows"])

    assert len(actions()) == 4
    assert actions(object_type="orgs.Block") == ["block.create:Khối 8", "block.create:Khối 9"]
    assert actions(object_type="orgs.Block", actor="bxd2") == ["block.create:Khối 8"]
    today = timezone.localdate()
    recent = actions(date_from=(today - dt.timedelta(days=7)).isoformat(), date_to=today.isoformat())
    assert len(recent) == 3 and not any(a.startswith("org.update") for a in recent)
    assert actions(date_to=(today - dt.timedelta(days=30)).isoformat()) == ["org.update:Chi bộ Tổ Toán"]


def test_global_list_reports_a_bad_date_range(scenario, client):
    client.force_login(scenario.users["staff"])
    response = client.get(reverse("core:audit"), {"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "Đến ngày không được trước Từ ngày." in response.content.decode()


@pytest.mark.parametrize("role", ["secretary", "unit_leadership", "viewer"])
def test_global_list_is_for_staff_and_standing_only(scenario, client, role):
    client.force_login(scenario.users[role])
    assert client.get(reverse("core:audit")).status_code == 403
    client.force_login(scenario.users["standing"])
    assert client.get(reverse("core:audit")).status_code == 200


def _fill(scenario, n):
    """n entries of several kinds, pointing to organisations, units, members and blocks."""
    user, scope = _staff(scenario)
    for i in range(n):
        member = MemberFactory(cell=scenario.tree["cell_a"])
        record_change(actor=user, action="member.transfer", obj=member,
                      changes={"cell": (scenario.tree["cell_a"], scenario.tree["cell_b"]), "moved_on": dt.date(2026, 1, i % 28 + 1)})
        unit = UnitFactory(block=scenario.block)
        record_change(actor=user, action="unit.update", obj=unit,
                      changes={"block": (scenario.block, scenario.block), "party_organization": (None, scenario.tree["village"])})


def test_global_list_query_count_does_not_grow_with_rows(scenario, client):
    client.force_login(scenario.users["staff"])
    url = reverse("core:audit")
    _fill(scenario, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(scenario, 20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["rows"]) == 44
    assert len(large.captured_queries) == len(small.captured_queries)


def test_member_history_shows_their_entries_and_their_posts(scenario, client):
    user, scope = _staff(scenario)
    member = scenario.member_a
    member_services.member_update(actor=user, scope=scope, member=member, version=member.version,
                                  full_name="Nguyễn Văn Ánh Dương")
    record_change(actor=user, action="position.add", obj=scenario.position_a, changes={"member": member})
    record_change(actor=user, action="member.update", obj=scenario.member_b, changes={})
    client.force_login(scenario.users["secretary"])
    response = client.get(reverse("members:history", args=[member.pk]))
    assert response.status_code == 200
    assert [r.entry.action for r in response.context["rows"]] == ["position.add", "member.update"]
    html = response.content.decode()
    assert "Nguyễn Văn Ánh → Nguyễn Văn Ánh Dương" in html
    assert "Sửa hồ sơ đảng viên" in html
    assert client.get(reverse("members:history", args=[scenario.member_b.pk])).status_code == 404


def test_member_page_links_to_its_history(scenario, client):
    client.force_login(scenario.users["secretary"])
    html = client.get(reverse("members:detail", args=[scenario.member_a.pk])).content.decode()
    assert reverse("members:history", args=[scenario.member_a.pk]) in html


def test_org_and_unit_history_pages(scenario, client):
    user, scope = _staff(scenario)
    cell = scenario.tree["cell_a"]
    services.org_update(actor=user, scope=scope, org=cell, version=cell.version,
                        name="Chi bộ Tổ Toán mới", code="CB1", established_on=cell.established_on)
    unit = scenario.unit_a
    services.unit_update(actor=user, scope=scope, unit=unit,
                         version=unit.version, code=unit.code,
                         name="Tổ Toán - Tin", block=unit.block, party_organization=unit.party_organization,
                         has_leadership_collective=False)
    client.force_login(scenario.users["secretary"])
    org_page = client.get(reverse("orgs:history", args=[cell.pk]))
    assert [r.entry.action for r in org_page.context["rows"]] == ["org.update"]
    assert reverse("orgs:history", args=[cell.pk]) in client.get(cell.get_absolute_url()).content.decode()
    unit_page = client.get(reverse("orgs:unit_history", args=[unit.pk]))
    [row] = unit_page.context["rows"]
    assert {(line.label, line.old, line.new) for line in row.lines} == {
        ("Tên cơ quan, đơn vị", "Tổ Toán", "Tổ Toán - Tin"),
        ("Có tập thể lãnh đạo được đánh giá", "Có", "Không"),
    }
    assert "Tổ Toán → Tổ Toán - Tin" in unit_page.content.decode()
    assert client.get(reverse("orgs:history", args=[scenario.tree["cell_b"].pk])).status_code == 404


def test_keys_named_like_reverse_relations_or_unknown_are_shown_as_they_are(scenario):
    """seed_demo records counts under "members" and "units" (names of reverse relations)."""
    entry = record_change(actor=None, action="demo.seed", obj=scenario.tree["root"],
                          changes={"members": 896, "units": 24, "ghi_chu": ["a", "b", "c"]})
    [row] = audit_rows([entry])
    assert {(line.label, line.old, line.new) for line in row.lines} == {
        ("Số đảng viên", None, "896"), ("Số cơ quan, đơn vị", None, "24"), ("ghi_chu", None, "a, b, c"),
    }
    assert row.action == "Tạo dữ liệu mẫu"


# --- typed values and the enumeration (issue 6) ----------------------------------------------


def test_a_member_named_like_a_date_does_not_break_the_audit_pages(scenario, client):
    """A name saved as "0000-00-00" once made the audit page and the member's history a 500."""
    user, _ = _staff(scenario)
    member = scenario.member_a
    record_change(actor=user, action="member.update", obj=member, changes={"full_name": ("Nguyễn Văn Ánh", "0000-00-00")})
    client.force_login(user)
    for url in (reverse("core:audit"), reverse("members:history", args=[member.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "0000-00-00" in response.content.decode()


@pytest.mark.parametrize("query", [
    {"date_to": "31/12/9999"}, {"date_from": "01/01/0001"}, {"date_from": "01/01/0001", "date_to": "31/12/9999"},
])
def test_extreme_filter_dates_answer_the_page(scenario, client, query):
    """`?date_to=31/12/9999` was a 500 (one day past the last date Python knows)."""
    user, _ = _staff(scenario)
    record_change(actor=user, action="org.update", obj=scenario.tree["cell_a"], changes={})
    client.force_login(user)
    response = client.get(reverse("core:audit"), query)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


def test_values_are_stored_with_their_type_and_shown_by_it(scenario):
    """A date is a date because it was stored as one, text stays text whatever it looks like."""
    entry = record_change(actor=None, action="member.update", obj=scenario.member_a, changes={
        "admitted_on": (dt.date(2020, 9, 1), dt.date(2020, 9, 2)), "full_name": ("2020-09-01", "An"),
        "cell": scenario.tree["cell_b"],
    })
    assert entry.changes["admitted_on"] == [{"date": "2020-09-01"}, {"date": "2020-09-02"}]
    assert entry.changes["cell"] == {"ref": "orgs.PartyOrganization", "id": scenario.tree["cell_b"].pk}
    [row] = audit_rows([entry])
    lines = {line.label: (line.old, line.new) for line in row.lines}
    assert lines["Ngày vào Đảng"] == ("01/9/2020", "02/9/2020")
    assert lines["Họ và tên"] == ("2020-09-01", "An")
    assert lines["Chi bộ sinh hoạt"] == (None, "Chi bộ Tổ Văn")


def test_a_reference_given_by_id_is_named_and_a_deleted_one_says_so(scenario):
    """What the workbook import records: ref(Model, pk) → the row's name on the page."""
    from core.audit import ref
    from orgs.models import PartyOrganization

    entry = record_change(actor=None, action="workbook.create", obj=scenario.member_a, changes={
        "cell": ref(PartyOrganization, scenario.tree["cell_a"].pk), "to_cell": ref("orgs.PartyOrganization", 987654),
    })
    [row] = audit_rows([entry])
    lines = {line.label: line.new for line in row.lines}
    assert lines["Chi bộ sinh hoạt"] == "Chi bộ Tổ Toán"
    assert lines["Đến chi bộ"] == "(đã xóa, mã 987654)"


def test_an_action_outside_the_enumeration_is_refused(scenario):
    with pytest.raises(ValueError):
        record_change(actor=None, action="org_create", obj=scenario.tree["root"])


def test_every_action_is_dotted_and_labelled_in_vietnamese():
    from core.audit import AuditAction

    for action in AuditAction:
        noun, _, verb = action.value.partition(".")
        assert noun and verb and action.value == action.value.lower(), action
        assert action.label and action.label != action.value


def test_the_migration_renames_old_actions_and_types_old_values(scenario):
    """Rows written before: "org_create" becomes "org.create"; an id string becomes a reference,
    an ISO day on a date field becomes a date, a workbook code becomes the row's id."""
    import importlib

    from django.apps import apps as live_apps

    migration = importlib.import_module("core.migrations.0003_audit_actions_dotted_and_values_typed")
    cell = scenario.tree["cell_a"]
    old = AuditEntry.objects.create(action="org_create", object_type="orgs.PartyOrganization", object_id=str(cell.pk),
                                    object_repr="x", changes={"parent": str(scenario.tree["base"].pk),
                                                              "established_on": "2019-03-08", "name": "2019-03-08"})
    workbook = AuditEntry.objects.create(action="workbook.create", object_type="members.Member",
                                         object_id=str(scenario.member_a.pk), object_repr="y",
                                         changes={"cell": cell.code, "admitted_on": "2010-05-19"})
    migration.forwards(live_apps, None)
    old.refresh_from_db()
    workbook.refresh_from_db()
    assert old.action == "org.create"
    assert old.changes == {"parent": {"ref": "orgs.PartyOrganization", "id": scenario.tree["base"].pk},
                           "established_on": {"date": "2019-03-08"}, "name": "2019-03-08"}
    assert workbook.changes == {"cell": {"ref": "orgs.PartyOrganization", "id": cell.pk},
                                "admitted_on": {"date": "2010-05-19"}}
