from django.urls import path

from nominations import views

app_name = "nominations"

urlpatterns = [
    path("", views.home, name="home"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="detail"),
]
