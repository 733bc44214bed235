from django.urls import path

from audit import revocation_views, views

app_name = "audit"

urlpatterns = [
    path("", views.event_search, name="search"),
    path("export.csv", views.event_export_csv, name="export_csv"),
    path("export.xlsx", views.event_export_xlsx, name="export_xlsx"),
    path("nominations/<int:pk>/", views.nomination_timeline, name="timeline"),
    path("decisions/", views.decision_trace, name="decision_trace"),
    path("verify/", views.verify_status, name="verify"),
    path("revocations/", revocation_views.revocation_list, name="revocations"),
    path("revocations/open/", revocation_views.revocation_open_view, name="revocation_open"),
    path("revocations/<int:pk>/", revocation_views.revocation_detail, name="revocation_detail"),
]
