from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("v1/auth/logout-all/", views.LogoutAllView.as_view(), name="logout-all"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/units/", views.UnitListView.as_view(), name="unit-list"),
    path("v1/award-types/", views.AwardTypeListView.as_view(), name="award-type-list"),
    path("v1/movements/", views.MovementListView.as_view(), name="movement-list"),
    path("v1/nominations/", views.NominationListCreateView.as_view(), name="nomination-list"),
    path("v1/nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination-detail"),
    path(
        "v1/nominations/<int:pk>/attachments/", views.AttachmentView.as_view(), name="nomination-attachments"
    ),
    path("v1/nominations/<int:pk>/submit/", views.NominationSubmitView.as_view(), name="nomination-submit"),
    path("v1/nominations/<int:pk>/audit/", views.NominationAuditView.as_view(), name="nomination-audit"),
    path("v1/nomination-lists/", views.NominationListImportView.as_view(), name="nomination-list-import"),
    path("v1/nomination-lists/check/", views.NominationListCheckView.as_view(), name="nomination-list-check"),
    path("v1/tasks/", views.TaskListView.as_view(), name="task-list"),
    path("v1/tasks/<int:pk>/complete/", views.TaskCompleteView.as_view(), name="task-complete"),
    path("v1/tasks/batch/", views.TaskBatchView.as_view(), name="task-batch"),
    path("v1/decisions/", views.DecisionCreateView.as_view(), name="decision-create"),
    path("v1/decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path(
        "v1/decisions/<int:pk>/documents/<str:kind>/",
        views.DecisionDocumentView.as_view(),
        name="decision-document",
    ),
    path("v1/audit/verify/", views.AuditVerifyView.as_view(), name="audit-verify"),
    path("v1/honour-rounds/", views.HonourRoundListView.as_view(), name="honour-round-list"),
    path(
        "v1/honour-rounds/<int:year>/close/", views.HonourRoundCloseView.as_view(), name="honour-round-close"
    ),
    path("v1/registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("v1/registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration-detail"),
    path(
        "v1/registrations/<int:pk>/commitments/",
        views.CommitmentCreateView.as_view(),
        name="registration-commitments",
    ),
    path("v1/registrations/<int:pk>/results/", views.ResultCreateView.as_view(), name="registration-results"),
    path(
        "v1/registrations/<int:pk>/<str:action>/",
        views.RegistrationActionView.as_view(),
        name="registration-action",
    ),
    path("v1/meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("v1/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("v1/meetings/<int:pk>/totals/", views.MeetingTotalsView.as_view(), name="meeting-totals"),
    path("v1/meetings/<int:pk>/ballots/", views.MeetingBallotView.as_view(), name="meeting-ballots"),
    path("v1/meetings/<int:pk>/close/", views.MeetingCloseView.as_view(), name="meeting-close"),
    path("v1/people/", views.PersonListView.as_view(), name="person-list"),
    path("v1/people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("v1/people/<int:pk>/history/", views.PersonHistoryView.as_view(), name="person-history"),
    path("v1/collectives/", views.CollectiveListView.as_view(), name="collective-list"),
    path("v1/collectives/<int:pk>/", views.CollectiveDetailView.as_view(), name="collective-detail"),
    path(
        "v1/collectives/<int:pk>/history/", views.CollectiveHistoryView.as_view(), name="collective-history"
    ),
    path("v1/history/<int:pk>/revoke/", views.HistoryRevokeView.as_view(), name="history-revoke"),
    path("v1/history-imports/template/", views.HistoryTemplateView.as_view(), name="history-template"),
    path("v1/history-imports/check/", views.HistoryImportCheckView.as_view(), name="history-import-check"),
    path("v1/history-imports/", views.HistoryImportLoadView.as_view(), name="history-import-load"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Swagger UI's boot script is served by the split view as a file (no inline script, see CONTENT_SECURITY_POLICY);
    # drf-spectacular's Redoc page has an inline boot script and starts a blob: worker: relaxed for that page only.
    path(
        "redoc/",
        csp_update({"script-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
]
