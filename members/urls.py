"""Member pages: /dang-vien/…; and the pages of the tree with its people, under /to-chuc/."""
from django.urls import path

from . import org_views, views

app_name = "members"
urlpatterns = [
    path("", views.member_search, name="search"),
    path("them/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/sua/", views.member_edit, name="edit"),
    path("<int:pk>/chuyen-sinh-hoat/", views.member_transfer, name="transfer"),
    path("<int:pk>/mien-sinh-hoat/", views.period_start, {"kind": "exemption"}, name="exempt"),
    path("<int:pk>/dinh-chi/", views.period_start, {"kind": "suspension"}, name="suspend"),
    path("<int:pk>/mien-sinh-hoat/ket-thuc/", views.period_end, {"kind": "exemption"}, name="exemption_end"),
    path("<int:pk>/dinh-chi/ket-thuc/", views.period_end, {"kind": "suspension"}, name="suspension_end"),
    path("<int:pk>/sinh-hoat-tam-thoi/", views.period_start, {"kind": "temporary"}, name="temporary"),
    path("<int:pk>/sinh-hoat-tam-thoi/ket-thuc/", views.period_end, {"kind": "temporary"}, name="temporary_end"),
    path("<int:pk>/ky-luat/", views.member_discipline, name="discipline"),
    path("<int:pk>/chuc-vu/them/", views.position_add, name="position_add"),
    path("chuc-vu/<int:position_pk>/thoi-giu/", views.position_end, name="position_end"),
    path("<int:pk>/lich-su/", views.member_history, name="history"),
]

# Served under /to-chuc/ in the "orgs" namespace, beside orgs.urls (config/urls.py).
org_urlpatterns = [
    path("", org_views.tree, name="tree"),
    path("<int:pk>/cay/", org_views.tree_branch, name="tree_branch"),
    path("<int:pk>/", org_views.detail, name="detail"),
    path("don-vi/", org_views.units, name="units"),
    path("don-vi/<int:pk>/", org_views.unit, name="unit"),
    path("khoi/", org_views.blocks, name="blocks"),
    path("nhom-chuc-danh/them/", org_views.group_create, name="group_create"),
    path("nhom-chuc-danh/<int:pk>/sua/", org_views.group_edit, name="group_edit"),
]
