"""Excel in and out (nhập / xuất)."""
from django.urls import path

from . import workbook_views as views

app_name = "workbook"
urlpatterns = [
    path("", views.import_view, name="import"),
    path("mau.xlsx", views.template_view, name="template"),
    path("xuat/", views.export_view, name="export"),
]
