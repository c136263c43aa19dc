"""What a new user meets first: role names, the home page, preselected forms, the admin's language, scripts/run."""
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from core.audit import audit_rows, record_change
from core.models import Role, RoleAssignment
from tests.factories import UserFactory, user_with_role

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_a_secretary_of_a_party_committee_is_not_called_a_cell_secretary(tree, client):
    """The role is labelled by the organisation's kind: "Bí thư đảng ủy cơ sở", not "Bí thư chi bộ"."""
    user_with_role(Role.SECRETARY, organization=tree["base"], username="bithucs")
    user_with_role(Role.SECRETARY, organization=tree["cell_a"], username="bithu")
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    page = client.get(reverse("accounts:list")).content.decode()
    assert "Bí thư đảng ủy cơ sở" in page and "Bí thư chi bộ" in page
    detail = client.get(reverse("accounts:detail", args=[RoleAssignment.objects.get(organization=tree["base"]).user_id]))
    assert "Bí thư đảng ủy cơ sở" in detail.content.decode()


@pytest.mark.django_db
def test_the_home_page_says_thuoc_dien_xep_loai(tree, client):
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    page = client.get(reverse("home")).content.decode()
    assert "Thuộc diện xếp loại" in page and "Được xếp loại" not in page


@pytest.mark.django_db
def test_the_add_member_form_preselects_a_secretarys_only_cell(tree, client):
    client.force_login(user_with_role(Role.SECRETARY, organization=tree["cell_a"], username="bithu"))
    form = client.get(reverse("members:create")).context["form"]
    assert form["cell"].value() == tree["cell_a"].pk
    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    assert client.get(reverse("members:create")).context["form"]["cell"].value() is None


@pytest.mark.django_db
def test_a_demo_superuser_is_not_shown_as_role_superuser(tree):
    """The audit row of a demo administrator said "Vai trò: superuser"."""
    entry = record_change(actor=None, action="demo.account_create", obj=UserFactory(username="quantri"),
                          changes={"role": None, "is_superuser": True, "scope": "toàn Đảng bộ"})
    lines = {line.label: line.new for line in audit_rows([entry])[0].lines}
    assert "superuser" not in str(lines) and lines["Quản trị hệ thống"] == "Có"


@pytest.mark.django_db
@pytest.mark.parametrize("english", [
    "Skip to main content", "Toggle theme (current theme: auto)", "Show counts", "Breadcrumbs", "Toggle navigation",
])
def test_the_admin_speaks_vietnamese(client, english):
    """Strings Django's Vietnamese catalogue lacks come from the project's own locale/."""
    client.force_login(UserFactory(username="qt", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:orgs_partyorganization_changelist")).content.decode()
    assert english not in page
    with translation.override("vi"):
        assert translation.gettext(english) != english


def test_the_compiled_catalogue_is_in_the_repository():
    """A fresh clone needs no gettext tools: the .mo is committed beside the .po."""
    mo = ROOT / "locale/vi/LC_MESSAGES/django.mo"
    assert mo.exists() and mo.stat().st_mtime >= (ROOT / "locale/vi/LC_MESSAGES/django.po").stat().st_mtime - 1


def test_scripts_run_takes_the_port_and_refuses_a_bad_one():
    """`PORT=8080 scripts/run` serves on 8080; a port that is not a number stops at once, saying why."""
    script = (ROOT / "scripts/run").read_text()
    assert re.search(r'runserver "127\.0\.0\.1:\$\{?PORT\}?"', script) and "PORT=${PORT:-8000}" in script
    result = subprocess.run(["bash", str(ROOT / "scripts/run")], env={**os.environ, "PORT": "tám"},
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "PORT phải là một số" in result.stderr


def test_the_favicon_is_a_local_file():
    assert (ROOT / "static/favicon.svg").read_text().startswith("<svg")
