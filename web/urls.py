"""Every server-rendered page, grouped by the URL namespaces the templates use (unchanged by the move to web/)."""

from django.urls import path

from web import (
    council,
    decisions,
    documents,
    filing,
    home,
    honours,
    inspect,
    movement,
    notifications,
    public,
    registry,
    reports,
    review,
    revocations,
)

nominations_patterns = (
    [
        path("", home.home, name="home"),
        path("de-nghi/", home.nomination_list, name="list"),
        path("de-nghi/moi/", filing.nomination_create, name="create"),
        path("de-nghi/trinh/", filing.submit_selected, name="submit_selected"),
        path("de-nghi/nhap-danh-sach/", filing.list_import, name="list_import"),
        path("de-nghi/nhap-danh-sach/xac-nhan/", filing.list_import_confirm, name="list_import_confirm"),
        path("de-nghi/nhap-danh-sach/mau.xlsx", filing.list_template, name="list_template"),
        path("de-nghi/chep-nam-truoc/", filing.nomination_copy_last_year, name="copy_last_year"),
        path("de-nghi/xu-ly-hang-loat/", review.bulk_review, name="bulk_review"),
        path("de-nghi/<int:pk>/", review.nomination_detail, name="detail"),
        path("de-nghi/<int:pk>/sua/", filing.nomination_edit, name="edit"),
        path("de-nghi/<int:pk>/xu-ly/", review.nomination_act, name="act"),
        path("de-nghi/<int:pk>/ho-so/", filing.dossier_upload, name="upload"),
        path("de-nghi/<int:pk>/ho-so/<int:file_pk>/", filing.dossier_download, name="download"),
        path("to-trinh/<int:pk>/ban-ky/", filing.submission_scan_upload, name="submission_scan"),
        path(
            "to-trinh/<int:pk>/<str:kind>/",
            filing.submission_document,
            name="submission_document",
        ),
        path("thong-ke/", home.dashboard, name="dashboard"),
    ],
    "nominations",
)

public_patterns = (
    [
        path("", public.posted_list, name="posted"),
        path("gop-y/<int:posting_pk>/", public.feedback_send, name="feedback"),
        path("so-vang/", public.honour_roll, name="honour_roll"),
        path("dien-hinh/", movement.exemplary_public, name="exemplary"),
        path("xac-minh/", public.verify_lookup, name="verify_lookup"),
        path("xac-minh/<str:code>/", public.verify, name="verify"),
    ],
    "public",
)

registry_patterns = (
    [
        path("ca-nhan/<int:pk>/", registry.person_detail, name="person"),
        path("lich-su/nhap/", registry.history_import, name="history_import"),
        path("lich-su/nhap/xac-nhan/", registry.history_import_confirm, name="history_import_confirm"),
        path("lich-su/mau.xlsx", registry.history_template, name="history_template"),
        path("nghi-trung/", registry.duplicate_list, name="duplicates"),
        path("nghi-trung/<int:pk>/", registry.duplicate_resolve, name="duplicate_resolve"),
    ],
    "registry",
)

movement_patterns = (
    [
        path("", movement.movement_list, name="list"),
        path("phat-dong/", movement.movement_launch, name="launch"),
        path("<int:pk>/", movement.movement_detail, name="detail"),
        path("<int:pk>/chi-tieu/", movement.target_add, name="target_add"),
        path("<int:pk>/thong-ke/", movement.dashboard, name="dashboard"),
        path("<int:pk>/cum/<int:cluster_pk>/<int:year>/", movement.cluster_page, name="cluster"),
        path("<int:pk>/cum/<int:cluster_pk>/<int:year>/xu-ly/", movement.cluster_act, name="cluster_act"),
        path("<int:pk>/so-ket/", movement.review_list, name="reviews"),
        path("<int:pk>/so-ket/mo/", movement.review_open, name="review_open"),
        path("so-ket/<int:pk>/", movement.review_detail, name="review"),
        path("so-ket/<int:pk>/ket-thuc/", movement.review_close, name="review_close"),
        path("so-ket/<int:pk>/bao-cao.<str:kind>", movement.review_report, name="review_report"),
        path("dang-ky/", movement.registration_list, name="registrations"),
        path("dang-ky/moi/", movement.registration_create, name="register"),
        path("dang-ky/<int:pk>/", movement.registration_detail, name="registration"),
        path("dang-ky/<int:pk>/xu-ly/", movement.registration_act, name="registration_act"),
        path("dang-ky/<int:pk>/ket-qua/", movement.result_add, name="result_add"),
        path("minh-chung/<int:pk>/", movement.evidence_download, name="evidence"),
    ],
    "movement",
)

honours_patterns = (
    [
        path("", honours.golden_book, name="golden_book"),
        path("dot-xet/", honours.round_list, name="rounds"),
        path("dot-xet/mo/", honours.round_open, name="round_open"),
        path("dot-xet/<int:year>/ket-thuc/", honours.round_close, name="round_close"),
        path("dot-xet/<int:year>/de-nghi/", honours.round_nominate, name="round_nominate"),
    ],
    "honours",
)

decisions_patterns = (
    [
        path("ky/", decisions.decision_sign, name="sign"),
        path("ky/xac-nhan/", decisions.decision_confirm, name="sign_confirm"),
        path("ky/du-thao.pdf", decisions.decision_draft, name="sign_draft"),
        path("<int:pk>/", decisions.decision_detail, name="decision"),
        path("gop-y/<int:pk>/tra-loi/", decisions.feedback_answer, name="feedback_answer"),
        path("gop-y/<int:pk>/rac/", decisions.feedback_spam, name="feedback_spam"),
    ],
    "approvals",
)

documents_patterns = (
    [
        path("decisions/<int:pk>/pdf/", documents.decision_pdf, name="decision_pdf"),
        path("decisions/<int:pk>/docx/", documents.decision_docx, name="decision_docx"),
        path("certificates/<int:pk>/pdf/", documents.certificate_pdf, name="certificate_pdf"),
        path("certificates/<int:pk>/in-phoi/", documents.certificate_print, name="certificate_print"),
    ],
    "documents",
)

reports_patterns = (
    [
        path("tien-thuong/", reports.fund, name="fund"),
        path("tien-thuong.xlsx", reports.fund_xlsx, name="fund_xlsx"),
        path("phan-tich/", reports.analytics_page, name="analytics"),
        path("phan-tich.xlsx", reports.analytics_xlsx, name="analytics_xlsx"),
        path("bieu/<str:number>/", reports.statistics, name="statistics"),
        path("bieu/<str:number>/nhap/", reports.statistics_entry, name="statistics_entry"),
        path("bieu/<str:number>.xlsx", reports.statistics_xlsx, name="statistics_xlsx"),
        path("bieu/<str:number>.pdf", reports.statistics_pdf, name="statistics_pdf"),
    ],
    "reports",
)

inspect_patterns = (
    [
        path("", inspect.event_search, name="search"),
        path("export.csv", inspect.event_export_csv, name="export_csv"),
        path("export.xlsx", inspect.event_export_xlsx, name="export_xlsx"),
        path("nominations/<int:pk>/", inspect.nomination_timeline, name="timeline"),
        path("decisions/", inspect.decision_trace, name="decision_trace"),
        path("decisions/list/", inspect.decision_list, name="decisions"),
        path("verify/", inspect.verify_status, name="verify"),
        path("revocations/", revocations.revocation_list, name="revocations"),
        path("revocations/open/", revocations.revocation_open_view, name="revocation_open"),
        path("revocations/<int:pk>/", revocations.revocation_detail, name="revocation_detail"),
    ],
    "audit",
)

notifications_patterns = (
    [
        path("", notifications.notification_list, name="notifications"),
        path("<int:pk>/read/", notifications.notification_read, name="notification_read"),
        path("read-all/", notifications.notifications_read_all, name="notifications_read_all"),
        path("preference/", notifications.notification_preference, name="notification_preference"),
    ],
    "workflows",
)

council_patterns = (
    [
        path("", council.meeting_list, name="meetings"),
        path("mo-cuoc-hop/", council.meeting_open, name="meeting_open"),
        path("<int:pk>/", council.meeting_detail, name="meeting"),
        path("<int:pk>/diem-danh/", council.meeting_attendance, name="attendance"),
        path("<int:pk>/ket-qua/", council.meeting_totals, name="totals"),
        path("<int:pk>/bo-phieu/", council.meeting_vote, name="vote"),
        path("<int:pk>/ket-thuc/", council.meeting_close, name="close"),
        path("<int:pk>/bien-ban-da-ky/", council.minutes_signed, name="minutes_signed"),
        path("<int:pk>/bien-ban.<str:kind>", council.minutes_file, name="minutes"),
        path("<int:pk>/de-nghi/<int:item_pk>/", council.meeting_item, name="item"),
    ],
    "council",
)
