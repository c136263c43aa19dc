"""Official documents: /bao-cao/…"""
from django.urls import path

from . import form_views, import_views, table_views, year_end_views

app_name = "reports"
urlpatterns = [
    path("", year_end_views.report_list, name="index"),
    path("nam/<int:year>/", year_end_views.year_end, name="year_end"),
    path("nam/<int:year>/sua/", year_end_views.year_end_edit, name="year_end_edit"),
    path("nam/<int:year>/ban-hanh/", year_end_views.year_end_finalize, name="year_end_finalize"),
    path("nam/<int:year>/tai-ve/", year_end_views.year_end_file, name="year_end_file"),
    path("qua-cac-nam/", table_views.multi_year, name="multi_year"),
    path("tong-hop/<int:year>/", table_views.summary, name="summary"),
    path("tong-hop/ban-hanh/", table_views.summary_issue, name="summary_issue"),
    path("quyet-dinh/<int:year>/", table_views.decision, name="decision"),
    path("xep-loai-lai/<int:year>/", table_views.rerating_decision, name="rerating_decision"),
    path("quyet-dinh/<int:year>/<int:pk>/ban-hanh/", table_views.decision_issue, name="decision_issue"),
    path("quyet-dinh/<int:year>/<int:pk>/tep/", table_views.decision_file, name="decision_file"),
    path("tu-kiem-diem/<int:member_pk>/<int:year>/", form_views.self_assessment, name="self_assessment"),
    path("phieu/<int:org_pk>/<int:year>/", form_views.ballot, name="ballot"),
    path("bien-ban-kiem-phieu/<int:org_pk>/<int:year>/", form_views.tally, name="tally"),
    path("nhap-ket-qua/", import_views.results_import, name="import"),
    path("nhap-ket-qua/xac-nhan/", import_views.results_import_confirm, name="import_confirm"),
]
