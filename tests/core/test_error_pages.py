"""What a user sees when something is wrong [issue 14]: the product's own Vietnamese 403, 404 and
500 pages (never Django's English debug page), and one Vietnamese line, not a traceback, from a
command run before the database is set up."""
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from appraisal.models import Rating

ROOT = Path(__file__).resolve().parents[2]


def test_a_rating_outside_the_members_scope_is_the_vietnamese_404(commune, client):
    """A member opening another member's rating (the demo's /danh-gia/phieu/1519/)."""
    other = Rating.objects.exclude(member__full_name="Lê Văn Cường").filter(member__isnull=False).first()
    client.force_login(commune.users["member"])
    response = client.get(reverse("appraisal:rating_detail", args=[other.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and 'lang="vi"' in html and "Page not found" not in html


def test_a_page_not_of_the_role_is_the_vietnamese_403(commune, client):
    client.force_login(commune.users["member"])
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_a_server_error_is_the_vietnamese_500_without_a_request(db):
    """Django renders 500.html with no context: the page stands alone."""
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi trên máy chủ" in html and "Server Error" not in html


@pytest.mark.slow
def test_a_command_before_migrate_says_so_in_one_vietnamese_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "config.settings.local", "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "manage.py", "render_report", "year_end", "--year", "2025", "--out", str(tmp_path / "x.pdf")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines == ["Cơ sở dữ liệu chưa được tạo: chạy «python manage.py migrate» (scripts/run cũng làm việc này) rồi chạy lại lệnh."]
