"""Services for the tree, units, blocks and position groups: rules, messages, audit, refusals."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import services as core_services
from core.models import AuditEntry, Role
from core.scope import scope_for
from members.models import LeaderPosition, LeadershipRole, PositionGroup
from orgs import services
from orgs.models import Block, OrgKind, PartyOrganization
from tests.factories import BlockFactory, MemberFactory, OrgFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    user = user_with_role(Role.STAFF, username="bxd")
    return user, scope_for(user)




def _messages(exc_info) -> dict:
    return exc_info.value.message_dict


def _entries(action):
    return list(AuditEntry.objects.filter(action=action))


# --- create ----------------------------------------------------------------------------------


def test_org_create_under_a_fitting_parent_is_saved_with_its_path_and_audited(tree, staff):
    user, scope = staff
    org = services.org_create(
        actor=user, scope=scope, parent=tree["base"], kind=OrgKind.SUB_CELL,
        code="CB3", name="Chi bộ  Tổ Anh", established_on=dt.date(2020, 9, 1),
    )
    org.refresh_from_db()
    assert org.path == tree["base"].path + f"{org.pk:06d}."
    assert org.depth == 2
    assert org.name == "Chi bộ Tổ Anh"
    [entry] = _entries("org.create")
    assert entry.actor == user and entry.object_id == str(org.pk)
    assert entry.changes["parent"] == {"ref": "orgs.PartyOrganization", "id": tree["base"].pk}
    assert entry.changes["kind"] == OrgKind.SUB_CELL


def test_org_create_refuses_a_kind_that_does_not_fit_the_parent(tree, staff):
    """A chi bộ trực thuộc đảng ủy cơ sở only under a đảng bộ cơ sở: nothing is created."""
    user, scope = staff
    before = PartyOrganization.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.org_create(actor=user, scope=scope, parent=tree["root"], kind=OrgKind.SUB_CELL,
                            code="CB9", name="Chi bộ 9")
    assert "chỉ trực thuộc “Đảng bộ cơ sở”" in _messages(exc)["kind"][0]
    assert PartyOrganization.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_org_create_refuses_a_tổ_đảng_under_a_party_committee(tree, staff):
    user, scope = staff
    with pytest.raises(ValidationError) as exc:
        services.org_create(actor=user, scope=scope, parent=tree["base"], kind=OrgKind.GROUP,
                            code="TD1", name="Tổ đảng 1")
    assert "Tổ đảng" in _messages(exc)["kind"][0]


def test_org_create_refuses_a_second_root_and_a_duplicate_code_and_a_future_date(tree, staff):
    user, scope = staff
    tomorrow = timezone.localdate() + dt.timedelta(days=30)  # clear of midnight
    with pytest.raises(ValidationError) as exc:
        services.org_create(actor=user, scope=scope, parent=None, kind=OrgKind.ROOT,
                            code="CB1", name="", established_on=tomorrow)
    errors = _messages(exc)
    assert "đã có tổ chức cấp cao nhất" in errors["kind"][0]
    assert errors["code"] == ["Mã “CB1” đã được dùng cho một tổ chức đảng khác."]
    assert errors["name"] == ["Chưa nhập tên tổ chức đảng."]
    assert "không được sau ngày hôm nay" in errors["established_on"][0]


def test_org_create_refuses_an_inactive_parent(tree, staff):
    user, scope = staff
    PartyOrganization.objects.filter(pk=tree["village"].pk).update(is_active=False)
    tree["village"].refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.org_create(actor=user, scope=scope, parent=tree["village"], kind=OrgKind.GROUP,
                            code="TD1", name="Tổ đảng 1")
    assert "đã ngừng hoạt động" in _messages(exc)["parent"][0]


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.STANDING, Role.VIEWER])
def test_only_staff_may_change_the_tree(tree, role):
    """The services refuse a non-staff user even if a view forgot to."""
    user = user_with_role(role, organization=tree["cell_a"] if role == Role.SECRETARY else None)
    scope = scope_for(user)
    with pytest.raises(PermissionDenied):
        services.org_create(actor=user, scope=scope, parent=tree["base"], kind=OrgKind.SUB_CELL,
                            code="X", name="X")
    with pytest.raises(PermissionDenied):
        services.org_update(actor=user, scope=scope, org=tree["cell_a"], version=tree["cell_a"].version,
                            name="X", code="CB1", established_on=None)
    with pytest.raises(PermissionDenied):
        services.coded_list_create(actor=user, scope=scope, model=Block, code="K9", name="Khối 9")
    assert not AuditEntry.objects.exists()


# --- update ----------------------------------------------------------------------------------


def test_org_update_records_only_what_changed(tree, staff):
    user, scope = staff
    org = tree["cell_a"]
    services.org_update(actor=user, scope=scope, org=org, version=org.version,
                        name="Chi bộ Tổ Toán - Tin", code="CB1", established_on=dt.date(2000, 1, 1))
    org.refresh_from_db()
    assert org.name == "Chi bộ Tổ Toán - Tin"
    [entry] = _entries("org.update")
    assert entry.changes == {"name": ["Chi bộ Tổ Toán", "Chi bộ Tổ Toán - Tin"]}


def test_org_update_over_someone_elses_change_is_refused_and_changes_nothing(tree, staff):
    """Two staff open the same form; the second save is refused, the first one stays."""
    user, scope = staff
    org = tree["cell_a"]
    opened = org.version
    services.org_update(actor=user, scope=scope, org=org, version=opened,
                        name="Tên thứ nhất", code="CB1", established_on=org.established_on)
    with pytest.raises(core_services.StaleEditError) as exc:
        services.org_update(actor=user, scope=scope, org=org, version=opened,
                            name="Tên thứ hai", code="CB1", established_on=org.established_on)
    assert "vừa được người khác sửa" in exc.value.messages[0]
    org.refresh_from_db()
    assert org.name == "Tên thứ nhất"
    assert len(_entries("org.update")) == 1


# --- move ------------------------------------------------------------------------------------


def test_org_move_carries_the_whole_subtree_and_its_paths(tree, staff):
    """A đảng bộ cơ sở moved under another root: every descendant's path follows."""
    user, scope = staff
    other_root_child = OrgFactory(code="DBCS2", name="Đảng bộ Trường THPT", kind=OrgKind.BASE_PARTY,
                                  parent=tree["root"])
    group = OrgFactory(code="TD1", name="Tổ đảng 1", kind=OrgKind.GROUP, parent=tree["cell_a"])
    cell = tree["cell_a"]
    services.org_move(actor=user, scope=scope, org=cell, parent=other_root_child, version=cell.version)
    cell.refresh_from_db()
    group.refresh_from_db()
    assert cell.parent == other_root_child
    assert cell.path == other_root_child.path + f"{cell.pk:06d}."
    assert group.path == cell.path + f"{group.pk:06d}."
    assert (cell.depth, group.depth) == (2, 3)
    assert set(PartyOrganization.objects.subtree(other_root_child)) == {other_root_child, cell, group}
    [entry] = _entries("org.move")
    assert entry.changes == {"parent": [{"ref": "orgs.PartyOrganization", "id": tree["base"].pk}, {"ref": "orgs.PartyOrganization", "id": other_root_child.pk}]}


@pytest.mark.parametrize(("org", "parent", "message"), [
    ("base", "cell_a", "vào chính nó hoặc một tổ chức trực thuộc nó"),
    ("base", "base", ""),
    ("cell_a", "root", "chỉ trực thuộc “Đảng bộ cơ sở”"),
    ("cell_a", "base", "đang trực thuộc"),
], ids=["under-a-descendant", "under-itself", "wrong-kind", "same-parent"])
def test_org_move_refuses_a_cycle_a_parent_of_the_wrong_kind_and_the_same_parent(tree, staff, org, parent, message):
    """An organisation cannot go under itself or one of its descendants, under a kind of parent its
    own kind may not have, or under the parent it already has; the refusal moves and records nothing."""
    user, scope = staff
    moved = tree[org]
    parent_before = moved.parent
    with pytest.raises(ValidationError) as exc:
        services.org_move(actor=user, scope=scope, org=moved, parent=tree[parent], version=moved.version)
    assert message in _messages(exc)["parent"][0]
    moved.refresh_from_db()
    assert moved.parent == parent_before
    assert not _entries("org.move")


# --- deactivate ------------------------------------------------------------------------------


def test_org_deactivate_is_refused_while_members_and_children_are_active(tree, staff):
    """The refusal says how many members and sub-organisations remain, in Vietnamese."""
    user, scope = staff
    base = tree["base"]
    MemberFactory(cell=base)
    MemberFactory(cell=base)
    MemberFactory(cell=base, is_active=False)
    with pytest.raises(ValidationError) as exc:
        services.org_deactivate(actor=user, scope=scope, org=base, version=base.version)
    message = exc.value.messages[0]
    assert "còn 02 đảng viên đang sinh hoạt và 02 tổ chức trực thuộc đang hoạt động" in message
    assert "Hãy chuyển sinh hoạt các đảng viên và ngừng hoạt động (hoặc chuyển) các tổ chức trực thuộc trước." in message
    base.refresh_from_db()
    assert base.is_active


def test_org_deactivate_an_empty_organisation(tree, staff):
    user, scope = staff
    village = tree["village"]
    services.org_deactivate(actor=user, scope=scope, org=village, version=village.version)
    village.refresh_from_db()
    assert not village.is_active
    [entry] = _entries("org.deactivate")
    assert entry.changes == {"is_active": [True, False]}
    with pytest.raises(ValidationError, match="từ trước"):
        services.org_deactivate(actor=user, scope=scope, org=village, version=village.version)


# --- units, blocks, position groups ----------------------------------------------------------


def test_unit_create_update_and_audit(tree, staff):
    user, scope = staff
    block = BlockFactory(code="K1", name="Khối MTTQ")
    other = BlockFactory(code="K2", name="Khối sự nghiệp")
    unit = services.unit_create(actor=user, scope=scope, code="MTTQ", name="Ủy ban MTTQ xã", block=block,
                                party_organization=tree["village"])
    assert unit.block == block
    fp = unit.version
    services.unit_update(actor=user, scope=scope, unit=unit, version=fp, code="MTTQ", name="Ủy ban MTTQ xã",
                         block=other, party_organization=None, has_leadership_collective=False)
    unit.refresh_from_db()
    assert (unit.block, unit.party_organization, unit.has_leadership_collective) == (other, None, False)
    [entry] = _entries("unit.update")
    assert entry.changes == {
        "block": [{"ref": "orgs.Block", "id": block.pk}, {"ref": "orgs.Block", "id": other.pk}],
        "party_organization": [{"ref": "orgs.PartyOrganization", "id": tree["village"].pk}, None],
        "has_leadership_collective": [True, False],
    }
    with pytest.raises(core_services.StaleEditError):
        services.unit_update(actor=user, scope=scope, unit=unit, version=fp, code="MTTQ", name="X",
                             block=other, party_organization=None, has_leadership_collective=False)


def test_unit_create_refuses_a_duplicate_code(staff):
    user, scope = staff
    UnitFactory(code="UBND")
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=user, scope=scope, code="UBND", name="UBND", block=BlockFactory())
    assert _messages(exc)["code"] == ["Mã “UBND” đã được dùng cho một cơ quan, đơn vị khác."]


def test_unit_deactivate_refused_while_someone_holds_a_post(tree, staff):
    user, scope = staff
    unit = UnitFactory(code="UBND")
    position = LeaderPosition.objects.create(
        member=MemberFactory(cell=tree["village"]), title="Chủ tịch", unit=unit,
        leadership_role=LeadershipRole.HEAD, group=PositionGroup.objects.create(code="G", name="G"),
        start_on=dt.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.unit_deactivate(actor=user, scope=scope, unit=unit,
                                 version=unit.version)
    assert "còn 01 người đang giữ chức vụ" in exc.value.messages[0]
    position.end_on = dt.date(2024, 1, 1)
    position.save()
    services.unit_deactivate(actor=user, scope=scope, unit=unit,
                             version=unit.version)
    unit.refresh_from_db()
    assert not unit.is_active
    assert _entries("unit.deactivate")


def test_block_and_position_group_create_and_update(staff):
    user, scope = staff
    block = services.coded_list_create(actor=user, scope=scope, model=Block, code="K5", name="Khối  giáo dục",
                                       sort_order=5)
    assert block.name == "Khối giáo dục"
    services.coded_list_update(actor=user, scope=scope, row=block, version=block.version,
                               code="K5", name="Khối đơn vị sự nghiệp giáo dục", sort_order=5)
    assert Block.objects.get(pk=block.pk).name == "Khối đơn vị sự nghiệp giáo dục"
    group = services.coded_list_create(actor=user, scope=scope, model=PositionGroup, code="HT", name="Hiệu trưởng")
    with pytest.raises(ValidationError) as exc:
        services.coded_list_create(actor=user, scope=scope, model=PositionGroup, code="HT", name="Khác")
    assert "đã được dùng cho một nhóm chức danh khác" in _messages(exc)["code"][0]
    with pytest.raises(ValidationError) as exc:
        services.coded_list_create(actor=user, scope=scope, model=PositionGroup, code="HP", name=" ")
    assert "tên nhóm chức danh" in _messages(exc)["name"][0].lower()
    services.coded_list_update(actor=user, scope=scope, row=group, version=group.version,
                               code="HT", name="Hiệu trưởng, phó hiệu trưởng")
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "block.create", "block.update", "position_group.create", "position_group.update",
    ]
