"""URLs of the appraisal area: criteria frameworks, the trial pages and the rating process."""
from django.urls import path

from appraisal.frameworks import views as framework_views
from appraisal.process.complaints import views as complaint_views
from appraisal.process.decisions import views as decision_views
from appraisal.process.grid import views as grid_views
from appraisal.process.meetings import views as meeting_views
from appraisal.process.periods import views as period_views
from appraisal.process.quota import views as quota_views
from appraisal.process.ratings import views as rating_views
from appraisal.process.rerating import views as rerating_views
from appraisal.process.verification import views as verification_views
from appraisal.trial import views as trial_views

app_name = "appraisal"

urlpatterns = [
    path("khung-tieu-chi/", framework_views.framework_list, name="framework_list"),
    path("khung-tieu-chi/them/", framework_views.framework_create, name="framework_create"),
    path("khung-tieu-chi/nhap-excel/", framework_views.framework_import, name="framework_import"),
    path("khung-tieu-chi/<int:pk>/", framework_views.framework_detail, name="framework_detail"),
    path("khung-tieu-chi/<int:pk>/sua/", framework_views.framework_edit, name="framework_edit"),
    path("khung-tieu-chi/<int:pk>/tieu-chi/", framework_views.framework_criteria, name="framework_criteria"),
    path("khung-tieu-chi/<int:pk>/dieu-kien/", framework_views.framework_caps, name="framework_caps"),
    path("khung-tieu-chi/<int:pk>/sao-chep/", framework_views.framework_copy, name="framework_copy"),
    path("khung-tieu-chi/<int:pk>/ap-dung/", framework_views.framework_activate, name="framework_activate"),
    path("khung-tieu-chi/<int:pk>/xuat-excel/", framework_views.framework_export, name="framework_export"),
    path("khung-tieu-chi/<int:pk>/cham-thu/", trial_views.framework_trial, name="framework_trial"),
    path("khung-tieu-chi/<int:pk>/thu-ty-le/", trial_views.quota_trial, name="quota_trial"),
    path("khung-tieu-chi/<int:pk>/kiem-phieu/", trial_views.ballot_trial, name="ballot_trial"),
]

# ---- The rating process (periods, grid, ratings, meetings, verification, quota, decisions).
urlpatterns += [
    path("ky/", period_views.period_list, name="period_list"),
    path("ky/them/", period_views.period_create, name="period_create"),
    path("ky/<int:pk>/", period_views.period_detail, name="period_detail"),
    path("ky/<int:pk>/sua/", period_views.period_edit, name="period_edit"),
    path("ky/<int:pk>/mo/", period_views.period_open, name="period_open"),
    path("ky/<int:pk>/ket-thuc/", period_views.period_close, name="period_close"),
    path("ky/<int:pk>/to-chuc/<int:org_pk>/", period_views.period_org, name="period_org"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/", grid_views.grid_page, name="grid"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/dong/<int:rating_pk>/", grid_views.grid_row, name="grid_row"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/excel/", grid_views.grid_download, name="grid_download"),
    path("ky/<int:pk>/cham-diem/<int:org_pk>/nhap-excel/", grid_views.grid_upload, name="grid_upload"),
    path("ky/<int:pk>/phieu-bau/<int:org_pk>/", meeting_views.ballot_form, name="ballot_form"),
    path("ky/<int:pk>/hoi-nghi/", meeting_views.meeting_list, name="meeting_list"),
    path("ky/<int:pk>/hoi-nghi/them/", meeting_views.meeting_create, name="meeting_create"),
    path("ky/<int:pk>/tham-dinh/", verification_views.verify_queue, name="verify_queue"),
    path("ky/<int:pk>/tham-dinh/ca-nhom/", verification_views.verify_group, name="verify_group"),
    path("ky/<int:pk>/ty-le/", quota_views.quota, name="quota"),
    path("ky/<int:pk>/quyet-dinh/", decision_views.decide, name="decide"),
    path("hoi-nghi/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("quyet-dinh/<int:pk>/", decision_views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/thong-bao/", decision_views.decision_announce, name="decision_announce"),
    path("phieu/<int:pk>/", rating_views.rating_detail, name="rating_detail"),
    path("phieu/<int:pk>/cham-diem/", rating_views.rating_scores, name="rating_scores"),
    path("phieu/<int:pk>/cham-diem/xem-truoc/", rating_views.rating_preview, name="rating_preview"),
    path("phieu/<int:pk>/tu-kiem-diem/", rating_views.rating_review, name="rating_review"),
    path("phieu/<int:pk>/gui/", rating_views.rating_submit, name="rating_submit"),
    path("phieu/<int:pk>/mo-lai/", rating_views.rating_reopen, name="rating_reopen"),
    path("phieu/<int:pk>/san-pham/", rating_views.rating_products, name="rating_products"),
    path("phieu/<int:pk>/san-pham/duyet/", rating_views.products_approve, name="products_approve"),
    path("phieu/<int:pk>/truc-ket-qua/", rating_views.rating_axes, name="rating_axes"),
    path("phieu/<int:pk>/de-xuat/", meeting_views.rating_propose, name="rating_propose"),
    path("phieu/<int:pk>/tham-dinh/", verification_views.rating_verify, name="rating_verify"),
    path("phieu/<int:pk>/dieu-chinh/", verification_views.rating_adjust, name="rating_adjust"),
    path("phieu/<int:pk>/tra-lai/", verification_views.rating_return, name="rating_return"),
    path("phieu/<int:pk>/xep-loai-lai/", rerating_views.rating_rerate, name="rating_rerate"),
    path("phieu/<int:pk>/khieu-nai/", complaint_views.rating_complaint, name="rating_complaint"),
    path("khieu-nai/", complaint_views.complaints, name="complaints"),
    path("khieu-nai/<int:pk>/", complaint_views.complaint_resolve, name="complaint_resolve"),
    path("cua-toi/", rating_views.my_ratings, name="my_ratings"),
    path("dang-vien/<int:member_pk>/lich-su/", rating_views.member_history, name="member_history"),
]
