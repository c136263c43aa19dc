"""URL map: every page of the product, by area."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.login import ThrottledAuthenticationForm
from core import verify_views
from core.health import health
from members import urls as member_urls
from orgs import urls as org_urls
from reports import views as report_views

urlpatterns = [
    path("", report_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-minh/", verify_views.verify_page, name="verify_document"),  # public: no sign-in
    # The tree: changes (orgs) and the pages showing it with its people (members), one namespace.
    path("to-chuc/", include((org_urls.urlpatterns + member_urls.org_urlpatterns, "orgs"))),
    path("tai-khoan/", include("accounts.urls")),
    path("dang-vien/", include("members.urls")),
    path("nhap-xuat/", include("members.workbook_urls")),
    path("danh-gia/", include("appraisal.urls")),
    path("bao-cao/", include("reports.urls")),
    path("nhat-ky/", include("core.urls")),
    path("cong-viec/", include("core.job_urls")),
    path("quan-tri/", admin.site.urls),
    path("suc-khoe/", health, name="health"),  # for a load balancer: no sign-in (core/health.py)
]

handler400 = "core.views.bad_request"  # a tampered hidden field names itself (core.forms.TamperedPost)
