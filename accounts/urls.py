"""User accounts, managed by party-building staff; every user's own password: /tai-khoan/…"""
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("them/", views.account_create, name="create"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/sua/", views.account_edit, name="edit"),
    path("<int:pk>/vai-tro/them/", views.role_add, name="role_add"),
    path("vai-tro/<int:assignment_pk>/bo/", views.role_remove, name="role_remove"),
    path("<int:pk>/mat-khau-tam/", views.account_password_reset, name="temporary_password"),
    path("<int:pk>/mo-lai-dang-nhap/", views.signin_resume, name="signin_resume"),
    path("<int:pk>/khoa/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/mo-lai/", views.account_activate, name="activate"),
]
