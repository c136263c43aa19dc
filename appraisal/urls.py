"""URLs of the appraisal area: criteria frameworks (khung tiêu chí) and the trial pages."""
from django.urls import path

from . import views

app_name = "appraisal"

urlpatterns = [
    path("khung-tieu-chi/", views.framework_list, name="framework_list"),
    path("khung-tieu-chi/them/", views.framework_create, name="framework_create"),
    path("khung-tieu-chi/nhap-excel/", views.framework_import, name="framework_import"),
    path("khung-tieu-chi/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("khung-tieu-chi/<int:pk>/sua/", views.framework_edit, name="framework_edit"),
    path("khung-tieu-chi/<int:pk>/tieu-chi/", views.framework_criteria, name="framework_criteria"),
    path("khung-tieu-chi/<int:pk>/dieu-kien/", views.framework_caps, name="framework_caps"),
    path("khung-tieu-chi/<int:pk>/sao-chep/", views.framework_copy, name="framework_copy"),
    path("khung-tieu-chi/<int:pk>/ap-dung/", views.framework_activate, name="framework_activate"),
    path("khung-tieu-chi/<int:pk>/xuat-excel/", views.framework_export, name="framework_export"),
    path("khung-tieu-chi/<int:pk>/cham-thu/", views.framework_trial, name="framework_trial"),
    path("khung-tieu-chi/<int:pk>/thu-ty-le/", views.quota_trial, name="quota_trial"),
    path("khung-tieu-chi/<int:pk>/kiem-phieu/", views.ballot_trial, name="ballot_trial"),
]
