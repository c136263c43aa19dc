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

# ---- The rating process (periods, grid, ratings, meetings, verification, quota, decisions).
from . import views_grid, views_periods, views_process, views_ratings  # noqa: E402

urlpatterns += [
    path("ky/", views_periods.period_list, name="period_list"),
    path("ky/them/", views_periods.period_create, name="period_create"),
    path("ky/<int:pk>/", views_periods.period_detail, name="period_detail"),
    path("ky/<int:pk>/sua/", views_periods.period_edit, name="period_edit"),
    path("ky/<int:pk>/mo/", views_periods.period_open, name="period_open"),
    path("ky/<int:pk>/ket-thuc/", views_periods.period_close, name="period_close"),
    path("ky/<int:pk>/to-chuc/<int:org_pk>/", views_periods.period_org, name="period_org"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/", views_grid.grid_page, name="grid"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/dong/<int:rating_pk>/", views_grid.grid_row, name="grid_row"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/excel/", views_grid.grid_download, name="grid_download"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/nhap-excel/", views_grid.grid_upload, name="grid_upload"),
    path("ky/<int:pk>/phieu-bau/<int:org_pk>/", views_process.ballot_form, name="ballot_form"),
    path("ky/<int:pk>/hoi-nghi/", views_process.meeting_list, name="meeting_list"),
    path("ky/<int:pk>/hoi-nghi/them/", views_process.meeting_create, name="meeting_create"),
    path("ky/<int:pk>/tham-dinh/", views_process.verify_queue, name="verify_queue"),
    path("ky/<int:pk>/tham-dinh/ca-nhom/", views_process.verify_group, name="verify_group"),
    path("ky/<int:pk>/ty-le/", views_process.quota, name="quota"),
    path("ky/<int:pk>/quyet-dinh/", views_process.decide, name="decide"),
    path("hoi-nghi/<int:pk>/", views_process.meeting_detail, name="meeting_detail"),
    path("quyet-dinh/<int:pk>/", views_process.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/thong-bao/", views_process.decision_announce, name="decision_announce"),
    path("phieu/<int:pk>/", views_ratings.rating_detail, name="rating_detail"),
    path("phieu/<int:pk>/cham-diem/", views_ratings.rating_scores, name="rating_scores"),
    path("phieu/<int:pk>/tu-kiem-diem/", views_ratings.rating_review, name="rating_review"),
    path("phieu/<int:pk>/gui/", views_ratings.rating_submit, name="rating_submit"),
    path("phieu/<int:pk>/mo-lai/", views_ratings.rating_reopen, name="rating_reopen"),
    path("phieu/<int:pk>/san-pham/", views_ratings.rating_products, name="rating_products"),
    path("phieu/<int:pk>/san-pham/duyet/", views_ratings.products_approve, name="products_approve"),
    path("phieu/<int:pk>/de-xuat/", views_ratings.rating_propose, name="rating_propose"),
    path("phieu/<int:pk>/tham-dinh/", views_ratings.rating_verify, name="rating_verify"),
    path("phieu/<int:pk>/dieu-chinh/", views_ratings.rating_adjust, name="rating_adjust"),
    path("phieu/<int:pk>/tra-lai/", views_ratings.rating_return, name="rating_return"),
    path("phieu/<int:pk>/xep-loai-lai/", views_ratings.rating_rerate, name="rating_rerate"),
    path("phieu/<int:pk>/khieu-nai/", views_ratings.rating_complaint, name="rating_complaint"),
    path("khieu-nai/", views_process.complaints, name="complaints"),
    path("khieu-nai/<int:pk>/", views_process.complaint_resolve, name="complaint_resolve"),
    path("cua-toi/", views_ratings.my_ratings, name="my_ratings"),
    path("dang-vien/<int:member_pk>/lich-su/", views_ratings.member_history, name="member_history"),
]
