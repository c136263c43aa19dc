"""Shared pages: the deployment's audit trail."""
from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.audit, name="audit"),
]
