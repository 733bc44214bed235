from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_search, name="search"),
    path("export.csv", views.event_export_csv, name="export_csv"),
    path("export.xlsx", views.event_export_xlsx, name="export_xlsx"),
    path("nominations/<int:pk>/", views.nomination_timeline, name="timeline"),
    path("decisions/", views.decision_trace, name="decision_trace"),
    path("verify/", views.verify_status, name="verify"),
]
