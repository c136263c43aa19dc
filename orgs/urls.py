"""Changes to the organisation tree, units and blocks: /to-chuc/… (the pages showing the tree
with its members are members.org_views, served under the same prefix: see config/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("them/", views.org_create, name="create"),
    path("<int:pk>/sua/", views.org_edit, name="edit"),
    path("<int:pk>/chuyen/", views.org_move, name="move"),
    path("<int:pk>/ngung-hoat-dong/", views.org_deactivate, name="deactivate"),
    path("<int:pk>/lich-su/", views.org_history, name="history"),
    path("don-vi/them/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/ngung-hoat-dong/", views.unit_deactivate, name="unit_deactivate"),
    path("don-vi/<int:pk>/lich-su/", views.unit_history, name="unit_history"),
    path("quy-tac-truc-thuoc/", views.placement_rules_page, name="placement_rules"),
    path("quy-tac-truc-thuoc/<str:kind>/sua/", views.placement_rule_edit, name="placement_rule_edit"),
    path("khoi/them/", views.block_create, name="block_create"),
    path("khoi/<int:pk>/sua/", views.block_edit, name="block_edit"),
]
