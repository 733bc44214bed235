from django.urls import path

from approvals import document_views

app_name = "documents"

# Mounted at documents/ in config/urls.py.
urlpatterns = [
    path("decisions/<int:pk>/pdf/", document_views.decision_pdf, name="decision_pdf"),
    path("decisions/<int:pk>/docx/", document_views.decision_docx, name="decision_docx"),
    path("certificates/<int:pk>/pdf/", document_views.certificate_pdf, name="certificate_pdf"),
]
