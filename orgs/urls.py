"""Organisation tree, units, blocks, position groups and the audit trail: /to-chuc/…"""
from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("them/", views.org_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.org_edit, name="edit"),
    path("<int:pk>/chuyen/", views.org_move, name="move"),
    path("<int:pk>/ngung-hoat-dong/", views.org_deactivate, name="deactivate"),
    path("<int:pk>/lich-su/", views.org_history, name="history"),
    path("don-vi/", views.units, name="units"),
    path("don-vi/them/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/", views.unit, name="unit"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/ngung-hoat-dong/", views.unit_deactivate, name="unit_deactivate"),
    path("don-vi/<int:pk>/lich-su/", views.unit_history, name="unit_history"),
    path("khoi/", views.blocks, name="blocks"),
    path("khoi/them/", views.block_create, name="block_create"),
    path("khoi/<int:pk>/sua/", views.block_edit, name="block_edit"),
    path("nhom-chuc-danh/them/", views.group_create, name="group_create"),
    path("nhom-chuc-danh/<int:pk>/sua/", views.group_edit, name="group_edit"),
    path("dang-vien/<int:member_pk>/lich-su/", views.member_history, name="member_history"),
    path("nhat-ky/", views.audit, name="audit"),
]
