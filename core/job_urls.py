"""Background jobs (công việc nền)."""
from django.urls import path

from . import job_views as views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/tep/", views.job_download, name="download"),
    path("<int:pk>/chay-lai/", views.job_retry, name="retry"),
]
