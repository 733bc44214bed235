from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("ky/", views.decision_sign, name="sign"),
    path("<int:pk>/", views.decision_detail, name="decision"),
    path("gop-y/<int:pk>/tra-loi/", views.feedback_answer, name="feedback_answer"),
]
