"""Django admin: every registered model (ours and colleagues') on the seeded demo data."""
import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry, Role, RoleAssignment
from demo.builder import seed_demo
from members.admin import MemberAdminForm
from members.models import Member
from orgs.models import PartyOrganization, Unit
from tests.factories import MemberFactory, OrgFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

# Foreign keys to these tables must never render as a <select> of every row.
BIG_TABLES = {Member, PartyOrganization, Unit, get_user_model()}


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="quantri-test", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def demo(db):
    return seed_demo(seed=0)


def test_every_changelist_opens_for_a_superuser(demo, superuser_client):
    """Each registered model's list, search and add pages answer 200 on ~900 members."""
    failures = []
    for model, model_admin in admin.site._registry.items():
        url = _changelist(model)
        for suffix in ("", "?q=nguyen+van", "?q=Nguyễn"):
            status = superuser_client.get(url + suffix).status_code
            if status != 200:
                failures.append(f"{url}{suffix}: {status}")
        request = superuser_client.get(url).wsgi_request
        if model_admin.has_add_permission(request):
            add_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
            status = superuser_client.get(add_url).status_code
            if status != 200:
                failures.append(f"{add_url}: {status}")
    assert not failures


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def test_changelist_queries_do_not_grow_with_rows_shown(demo, superuser_client, monkeypatch):
    """Showing 20 rows costs the same queries as showing 2, for every registered model."""
    grows = []
    for model, model_admin in admin.site._registry.items():
        url = _changelist(model)
        monkeypatch.setattr(model_admin, "list_per_page", 2)
        superuser_client.get(url)  # warm caches (content types, sessions)
        few = _queries(superuser_client, url)
        monkeypatch.setattr(model_admin, "list_per_page", 20)
        many = _queries(superuser_client, url)
        if many != few:
            grows.append(f"{model._meta.label}: {few} → {many} ({model.objects.count()} rows)")
    assert not grows
    # The test means something: our tables are filled beyond 20 rows.
    assert Member.objects.count() > 20 and PartyOrganization.objects.count() > 20


def _forms(model_admin, request):
    """The admin's form and each inline's form, with the inline's link to its parent."""
    yield model_admin, model_admin.get_form(request), None
    for inline in model_admin.get_inline_instances(request):
        formset = inline.get_formset(request)
        yield inline, formset.form, formset.fk.name


def test_big_foreign_keys_are_not_select_boxes(demo, superuser_client):
    """Forms pick members, organisations, units and users by autocomplete or id, never a 900-row list."""
    request = superuser_client.get(reverse("admin:index")).wsgi_request
    offenders = []
    for model_admin in admin.site._registry.values():
        for owner, form, parent_fk in _forms(model_admin, request):
            for field in owner.model._meta.get_fields():
                if not isinstance(field, (models.ForeignKey, models.ManyToManyField)) or not field.editable:
                    continue
                if field.related_model not in BIG_TABLES or field.name not in form.base_fields:
                    continue
                if field.name == parent_fk:
                    continue
                if field.name not in (*owner.raw_id_fields, *owner.autocomplete_fields):
                    offenders.append(f"{type(owner).__name__}.{field.name}")
    assert not offenders


def test_member_change_page_stays_small(demo, superuser_client):
    """A member's page with its posts and history loads without listing every organisation."""
    member = Member.objects.filter(positions__isnull=False).first()
    response = superuser_client.get(reverse("admin:members_member_change", args=[member.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<option") < 60


def test_search_ignores_tones_and_case(superuser_client):
    """"nguyen van anh" and a decomposed "ÁNH" find "Nguyễn Văn Ánh"; another name is not found."""
    wanted = MemberFactory(full_name="Nguyễn Văn Ánh")
    MemberFactory(full_name="Trần Thị Bích")
    url = _changelist(Member)
    for query in ("nguyen van anh", "NGUYEN anh", "Nguye\u0302\u0303n A\u0301NH"):
        results = list(superuser_client.get(url, {"q": query}).context["cl"].result_list)
        assert results == [wanted], query
    village = OrgFactory(name="Chi bộ bản Nà Bó")
    results = list(superuser_client.get(_changelist(PartyOrganization), {"q": "na bo"}).context["cl"].result_list)
    assert results == [village]


def test_autocomplete_searches_without_tones(superuser_client):
    """The autocomplete behind member pickers uses the same tone-insensitive search."""
    wanted = MemberFactory(full_name="Đặng Thị Hường")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": "dang huong", "app_label": "members", "model_name": "leaderposition", "field_name": "member"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(wanted.pk)]


def test_admin_is_for_superusers_only(client, tree):
    """A staff-flagged user with a wide role still cannot open the admin's models."""
    user = user_with_role(Role.STAFF)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(_changelist(Member)).status_code == 403
    assert client.get(_changelist(PartyOrganization)).status_code == 403


def test_admin_change_is_audited(superuser_client, tree):
    """Saving an organisation in the admin writes who changed what to the audit trail."""
    org = tree["village"]
    url = reverse("admin:orgs_partyorganization_change", args=[org.pk])
    response = superuser_client.post(url, {
        "code": org.code, "name": "Chi bộ bản Nà Bó Mới", "kind": org.kind, "parent": tree["root"].pk,
        "established_on": "2000-01-01", "is_active": "on", "sort_order": 0,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(org.pk))
    assert entry.actor.username == "quantri-test"
    assert entry.changes["name"] == ["Chi bộ thôn Nà Bó", "Chi bộ bản Nà Bó Mới"]


def test_audit_trail_cannot_be_edited(superuser_client, tree):
    """The audit trail is read-only, even for an administrator."""
    entry = AuditEntry.objects.create(action="x", object_type="orgs.PartyOrganization", object_id="1", object_repr="x")
    assert superuser_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    response = superuser_client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def _member_data(member, **changes):
    data = {
        "full_name": member.full_name, "date_of_birth": "", "gender": member.gender,
        "card_number": member.card_number, "admitted_on": member.admitted_on.isoformat(),
        "official_on": member.official_on.isoformat() if member.official_on else "",
        "status": member.status, "cell": member.cell_id, "is_active": "on", "user": "",
        "loaded_version": member.version,
    }
    return data | changes


def test_stale_member_edit_is_refused(tree):
    """A member form opened before someone else's save is refused with a Vietnamese message."""
    member = MemberFactory(cell=tree["village"])
    opened_with = member.version
    Member.objects.filter(pk=member.pk).update(version=opened_with + 1)  # someone else saved
    form = MemberAdminForm(data=_member_data(member, full_name="Tên Khác", loaded_version=opened_with), instance=member)
    assert not form.is_valid()
    assert "vừa được người khác sửa" in str(form.non_field_errors())


def test_member_admin_save_bumps_version_and_audits(superuser_client, tree):
    """Saving a member in the admin claims the next version and lands in the audit trail."""
    member = MemberFactory(cell=tree["village"], full_name="Lò Văn Dũng")
    url = reverse("admin:members_member_change", args=[member.pk])
    data = _member_data(member, full_name="Lò Văn Dũng Mới")
    for prefix in ("positions", "exemptions", "suspensions", "disciplines", "transfers", "temporary_activities"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert (member.full_name, member.version) == ("Lò Văn Dũng Mới", 2)
    assert member.search_name == "lo van dung moi"
    assert AuditEntry.objects.filter(action="admin.change", object_type="members.Member", object_id=str(member.pk)).exists()


def test_role_assignment_form_explains_the_scope(superuser_client, tree):
    """A secretary role without an organisation is refused in Vietnamese, and nothing is saved."""
    user = UserFactory()
    response = superuser_client.post(reverse("admin:core_roleassignment_add"), {"user": user.pk, "role": Role.SECRETARY})
    assert response.status_code == 200
    assert "cần chọn tổ chức đảng" in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_exemption_admin_bumps_member_version(superuser_client, tree):
    """A change to a member's history through the admin counts as a change to the member."""
    member = MemberFactory(cell=tree["village"])
    response = superuser_client.post(reverse("admin:members_exemption_add"), {
        "member": member.pk, "start_on": dt.date(2025, 3, 1).isoformat(), "end_on": "", "reason": "Tuổi cao",
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.version == 2
