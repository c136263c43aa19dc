"""URL map: every page of the product, by area."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from orgs import views as org_views
from orgs.login import ThrottledAuthenticationForm

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("to-chuc/", include("orgs.urls")),
    path("tai-khoan/", include("orgs.account_urls")),
    path("dang-vien/", include("members.urls")),
    path("nhap-xuat/", include("members.workbook_urls")),
    path("danh-gia/", include("appraisal.urls")),
    path("bao-cao/", include("reports.urls")),
    path("quan-tri/", admin.site.urls),
]
