"""Member services: permission, validation with Vietnamese messages, atomicity, audit."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEntry
from core.scope import scope_for
from members import services
from members.models import (
    Discipline,
    DisciplineForm,
    Exemption,
    LeaderPosition,
    LeadershipRole,
    Member,
    MemberStatus,
    Suspension,
    Transfer,
)
from orgs.models import OrgKind

pytestmark = pytest.mark.django_db


# A date safely in the future even when the run crosses midnight in Hà Nội
# (collection and execution can fall on either side of it).
FUTURE = timezone.localdate() + dt.timedelta(days=30)


def _ctx(scenario, role):
    user = scenario.users[role]
    return {"actor": user, "scope": scope_for(user)}


def _new_member(**overrides):
    data = {
        "full_name": "  Phạm  Thị Dung ", "gender": "female", "card_number": "N0000009",
        "admitted_on": dt.date(2020, 3, 1), "status": MemberStatus.OFFICIAL,
        "official_on": dt.date(2021, 3, 1), "date_of_birth": dt.date(1990, 1, 2),
    }
    return data | overrides


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


# member_create


def test_secretary_creates_member_in_own_cell_and_it_is_audited(scenario):
    """A secretary adds a member to their cell; the name is normalised and the audit trail has it."""
    member = services.member_create(**_ctx(scenario, "secretary"), cell=scenario.tree["cell_a"], **_new_member())
    assert member.full_name == "Phạm Thị Dung"
    assert member.cell == scenario.tree["cell_a"]
    entry = AuditEntry.objects.get(action="member.create")
    assert entry.object_id == str(member.pk)
    assert entry.actor == scenario.users["secretary"]
    assert entry.changes["card_number"] == "N0000009"


def test_secretary_cannot_create_member_in_another_cell(scenario):
    """Outside the secretary's cell the service refuses, whatever the view did."""
    with pytest.raises(PermissionDenied):
        services.member_create(**_ctx(scenario, "secretary"), cell=scenario.tree["cell_b"], **_new_member())
    assert not Member.objects.filter(card_number="N0000009").exists()


def test_staff_may_create_member_anywhere(scenario):
    member = services.member_create(**_ctx(scenario, "staff"), cell=scenario.tree["cell_b"], **_new_member())
    assert member.cell == scenario.tree["cell_b"]


@pytest.mark.parametrize("role", ["standing", "viewer", "unit_leadership"])
def test_read_only_roles_cannot_create(scenario, role):
    """Standing committee, viewers and unit leadership read only."""
    with pytest.raises(PermissionDenied):
        services.member_create(**_ctx(scenario, role), cell=scenario.tree["village"], **_new_member())


def test_member_must_join_a_cell_not_a_party_committee(scenario):
    """A đảng bộ cơ sở is not a cell: the message names the organisation."""
    with pytest.raises(ValidationError) as exc:
        services.member_create(**_ctx(scenario, "staff"), cell=scenario.tree["base"], **_new_member())
    assert "không phải chi bộ" in _errors(exc)["cell"][0]
    assert scenario.tree["base"].kind == OrgKind.BASE_PARTY


def test_duplicate_card_number_gives_a_clear_message(scenario):
    """A card number already issued is refused on the card field, nothing created."""
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            **_ctx(scenario, "secretary"), cell=scenario.tree["cell_a"], **_new_member(card_number="B0000001")
        )
    assert "Số thẻ đảng viên B0000001 đã có trong hệ thống" in _errors(exc)["card_number"][0]
    assert Member.objects.filter(card_number="B0000001").count() == 1
    assert not AuditEntry.objects.filter(action="member.create").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"official_on": dt.date(2019, 1, 1)}, "official_on", "không được trước ngày vào Đảng"),
        ({"date_of_birth": dt.date(2021, 1, 1)}, "date_of_birth", "phải trước ngày vào Đảng"),
        ({"admitted_on": FUTURE, "official_on": None,
          "status": MemberStatus.PROBATIONARY}, "admitted_on", "không được sau ngày hôm nay"),
        ({"official_on": None}, "official_on", "phải có ngày chính thức"),
        ({"status": MemberStatus.PROBATIONARY}, "status", "tình trạng phải là “Chính thức”"),
        ({"full_name": "   "}, "full_name", "Chưa nhập họ và tên"),
    ],
)
def test_incoherent_member_fields_are_refused_by_field(scenario, overrides, field, fragment):
    """Each incoherent date or status is named on its own field, in Vietnamese."""
    with pytest.raises(ValidationError) as exc:
        services.member_create(**_ctx(scenario, "staff"), cell=scenario.tree["cell_a"], **_new_member(**overrides))
    assert any(fragment in message for message in _errors(exc)[field])
    assert not Member.objects.filter(card_number="N0000009").exists()


# member_update


def test_update_bumps_version_and_audits_only_changed_fields(scenario):
    member = scenario.member_a
    services.member_update(
        **_ctx(scenario, "secretary"), member=member, version=member.version,
        full_name="Nguyễn Văn Ánh", card_number="A0000002",
    )
    member.refresh_from_db()
    assert member.card_number == "A0000002"
    assert member.version == 2
    entry = AuditEntry.objects.get(action="member.update")
    assert entry.changes == {"card_number": ["A0000001", "A0000002"]}


def test_stale_update_is_refused_and_overwrites_nothing(scenario):
    """Two forms opened on version 1: the second save is refused with a Vietnamese message."""
    ctx = _ctx(scenario, "secretary")
    first = Member.objects.get(pk=scenario.member_a.pk)
    second = Member.objects.get(pk=scenario.member_a.pk)
    services.member_update(**ctx, member=first, version=1, card_number="A0000002")
    with pytest.raises(services.StaleEditError) as exc:
        services.member_update(**ctx, member=second, version=1, card_number="A0000003", full_name="Tên Khác")
    assert "vừa được người khác sửa" in exc.value.messages[0]
    fresh = Member.objects.get(pk=scenario.member_a.pk)
    assert (fresh.card_number, fresh.full_name, fresh.version) == ("A0000002", "Nguyễn Văn Ánh", 2)
    assert AuditEntry.objects.filter(action="member.update").count() == 1


def test_secretary_cannot_update_another_cells_member(scenario):
    with pytest.raises(PermissionDenied):
        services.member_update(
            **_ctx(scenario, "secretary"), member=scenario.member_b, version=1, full_name="X Y"
        )
    scenario.member_b.refresh_from_db()
    assert scenario.member_b.full_name == "Trần Thị Bình"


def test_update_to_duplicate_card_is_refused(scenario):
    with pytest.raises(ValidationError) as exc:
        services.member_update(
            **_ctx(scenario, "staff"), member=scenario.member_a, version=1, card_number="B0000001"
        )
    assert "đã có trong hệ thống" in _errors(exc)["card_number"][0]
    scenario.member_a.refresh_from_db()
    assert scenario.member_a.version == 1


# member_transfer


def test_secretary_transfers_out_of_own_cell(scenario):
    """The move writes a Transfer row, changes the cell, bumps the version and is audited."""
    member = scenario.member_a
    transfer = services.member_transfer(
        **_ctx(scenario, "secretary"), member=member, to_cell=scenario.tree["village"],
        moved_on=dt.date(2024, 6, 1), note="Chuyển nơi cư trú",
    )
    member.refresh_from_db()
    assert member.cell == scenario.tree["village"]
    assert member.version == 2
    assert (transfer.from_cell, transfer.to_cell) == (scenario.tree["cell_a"], scenario.tree["village"])
    entry = AuditEntry.objects.get(action="member.transfer")
    assert entry.changes["cell"] == [{"ref": "orgs.PartyOrganization", "id": scenario.tree[k].pk} for k in ("cell_a", "village")]


def test_secretary_cannot_transfer_a_member_of_another_cell(scenario):
    with pytest.raises(PermissionDenied):
        services.member_transfer(
            **_ctx(scenario, "secretary"), member=scenario.member_b, to_cell=scenario.tree["cell_a"],
            moved_on=dt.date(2024, 6, 1),
        )
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("target", "moved_on", "field", "fragment"),
    [
        ("cell_a", dt.date(2024, 6, 1), "to_cell", "đang sinh hoạt tại"),
        ("base", dt.date(2024, 6, 1), "to_cell", "không phải chi bộ"),
        ("village", dt.date(2009, 1, 1), "moved_on", "trước ngày vào Đảng"),
        ("village", FUTURE, "moved_on", "sau ngày hôm nay"),
    ],
)
def test_incoherent_transfer_changes_nothing(scenario, target, moved_on, field, fragment):
    with pytest.raises(ValidationError) as exc:
        services.member_transfer(
            **_ctx(scenario, "staff"), member=scenario.member_a, to_cell=scenario.tree[target], moved_on=moved_on
        )
    assert fragment in _errors(exc)[field][0]
    scenario.member_a.refresh_from_db()
    assert scenario.member_a.cell == scenario.tree["cell_a"]
    assert not Transfer.objects.exists()


def test_transfer_before_the_previous_one_is_refused(scenario):
    ctx = _ctx(scenario, "staff")
    services.member_transfer(**ctx, member=scenario.member_a, to_cell=scenario.tree["village"], moved_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.member_transfer(**ctx, member=scenario.member_a, to_cell=scenario.tree["cell_b"], moved_on=dt.date(2024, 1, 1))
    assert "lần chuyển gần nhất (01/6/2024)" in _errors(exc)["moved_on"][0]


def test_stale_transfer_is_refused(scenario):
    """A transfer form opened before an edit does not move the member."""
    ctx = _ctx(scenario, "staff")
    services.member_update(**ctx, member=Member.objects.get(pk=scenario.member_a.pk), version=1, full_name="Nguyễn Văn Anh")
    with pytest.raises(services.StaleEditError):
        services.member_transfer(
            **ctx, member=scenario.member_a, to_cell=scenario.tree["village"], moved_on=dt.date(2024, 6, 1), version=1
        )
    assert not Transfer.objects.exists()
    assert Member.objects.get(pk=scenario.member_a.pk).cell == scenario.tree["cell_a"]


# exemption, suspension, discipline


@pytest.mark.parametrize(("kind", "model", "action"), [
    ("exemption", Exemption, "member.exempt"),
    ("suspension", Suspension, "member.suspend"),
])
def test_period_from_a_date_is_recorded_and_audited(scenario, kind, model, action):
    services.period_start(
        **_ctx(scenario, "secretary"), member=scenario.member_a, kind=kind, start_on=dt.date(2025, 1, 1), reason="Tuổi cao",
    )
    period = model.objects.get(member=scenario.member_a)
    assert (period.start_on, period.end_on) == (dt.date(2025, 1, 1), None)
    assert AuditEntry.objects.filter(action=action, object_id=str(scenario.member_a.pk)).exists()


@pytest.mark.parametrize("kind", ["exemption", "suspension"])
def test_overlapping_period_is_refused(scenario, kind):
    ctx = _ctx(scenario, "secretary")
    services.period_start(**ctx, member=scenario.member_a, kind=kind, start_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.period_start(
            **ctx, member=scenario.member_a, kind=kind, start_on=dt.date(2025, 6, 1), end_on=dt.date(2025, 7, 1),
        )
    assert f"Trùng với thời gian {services.PERIOD_KINDS[kind].label} đã có" in _errors(exc)["start_on"][0]


@pytest.mark.parametrize("kind", ["exemption", "suspension"])
def test_period_dates_must_be_ordered(scenario, kind):
    with pytest.raises(ValidationError) as exc:
        services.period_start(
            **_ctx(scenario, "staff"), member=scenario.member_a, kind=kind,
            start_on=dt.date(2025, 6, 1), end_on=dt.date(2025, 1, 1),
        )
    assert "không được trước ngày bắt đầu" in _errors(exc)["end_on"][0]


@pytest.mark.parametrize(("service", "kwargs"), [
    (services.period_start, {"kind": "exemption", "start_on": dt.date(2025, 1, 1)}),
    (services.period_start, {"kind": "suspension", "start_on": dt.date(2025, 1, 1)}),
    (services.discipline_record,
     {"form": DisciplineForm.REPRIMAND, "violation_on": dt.date(2024, 1, 1), "decided_on": dt.date(2024, 2, 1)}),
])
def test_secretary_cannot_touch_another_cells_member_history(scenario, service, kwargs):
    with pytest.raises(PermissionDenied):
        service(**_ctx(scenario, "secretary"), member=scenario.member_b, **kwargs)
    assert not AuditEntry.objects.exists()


def test_discipline_is_recorded(scenario):
    d = services.discipline_record(
        **_ctx(scenario, "staff"), member=scenario.member_b, form=DisciplineForm.WARNING,
        violation_on=dt.date(2024, 1, 1), decided_on=dt.date(2024, 3, 1), decision_number="12-QĐ/UBKT",
    )
    assert Discipline.objects.get() == d
    assert AuditEntry.objects.get(action="discipline.record").changes["form"] == "warning"


def test_discipline_decided_before_violation_is_refused(scenario):
    with pytest.raises(ValidationError) as exc:
        services.discipline_record(
            **_ctx(scenario, "staff"), member=scenario.member_b, form=DisciplineForm.WARNING,
            violation_on=dt.date(2024, 3, 1), decided_on=dt.date(2024, 1, 1),
        )
    assert "Ngày quyết định (01/01/2024) không được trước ngày vi phạm (01/3/2024)." in _errors(exc)["decided_on"]
    assert not Discipline.objects.exists()


# positions


def test_position_added_and_ended(scenario):
    ctx = _ctx(scenario, "secretary")
    position = services.position_add(
        **ctx, member=scenario.member_a, title="Tổ trưởng chuyên môn", unit=scenario.unit_a,
        leadership_role=LeadershipRole.DEPUTY, group=scenario.group, start_on=dt.date(2025, 1, 1),
    )
    services.position_end(**ctx, position=position, end_on=dt.date(2025, 12, 31))
    position.refresh_from_db()
    assert position.end_on == dt.date(2025, 12, 31)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"position.add", "position.end"}


def test_position_needs_a_place_and_ordered_dates(scenario):
    with pytest.raises(ValidationError) as exc:
        services.position_add(
            **_ctx(scenario, "staff"), member=scenario.member_a, title="Trưởng ban",
            leadership_role=LeadershipRole.HEAD, group=scenario.group,
            start_on=dt.date(2025, 1, 1), end_on=dt.date(2024, 1, 1),
        )
    errors = _errors(exc)
    assert "unit" in errors and "end_on" in errors
    assert LeaderPosition.objects.count() == 3


def test_secretary_cannot_add_a_post_in_a_unit_outside_their_scope(scenario):
    """Unit U2 belongs to cell B: the secretary of cell A is told so, nothing is created."""
    with pytest.raises(ValidationError) as exc:
        services.position_add(
            **_ctx(scenario, "secretary"), member=scenario.member_a, title="Phó Hiệu trưởng",
            unit=scenario.unit_u2, leadership_role=LeadershipRole.DEPUTY, group=scenario.group,
            start_on=dt.date(2025, 1, 1),
        )
    assert "nằm ngoài phạm vi" in _errors(exc)["unit"][0]
    assert not LeaderPosition.objects.filter(title="Phó Hiệu trưởng").exists()


def test_position_cannot_end_twice_or_before_start(scenario):
    ctx = _ctx(scenario, "staff")
    with pytest.raises(ValidationError) as exc:
        services.position_end(**ctx, position=scenario.position_a, end_on=dt.date(2020, 1, 1))
    assert "không được trước ngày bắt đầu" in _errors(exc)["end_on"][0]
    services.position_end(**ctx, position=scenario.position_a, end_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.position_end(**ctx, position=scenario.position_a, end_on=dt.date(2025, 2, 1))
    assert "đã kết thúc ngày 01/01/2025" in _errors(exc)["end_on"][0]


def test_secretary_cannot_end_another_cells_position(scenario):
    with pytest.raises(PermissionDenied):
        services.position_end(**_ctx(scenario, "secretary"), position=scenario.position_b, end_on=dt.date(2025, 1, 1))
