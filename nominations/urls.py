from django.urls import path

from nominations import views

app_name = "nominations"

urlpatterns = [
    path("", views.home, name="home"),
    path("de-nghi/", views.nomination_list, name="list"),
    path("de-nghi/moi/", views.nomination_create, name="create"),
    path("de-nghi/trinh/", views.submit_selected, name="submit_selected"),
    path("de-nghi/xu-ly-hang-loat/", views.bulk_review, name="bulk_review"),
    path("de-nghi/<int:pk>/", views.nomination_detail, name="detail"),
    path("de-nghi/<int:pk>/sua/", views.nomination_edit, name="edit"),
    path("de-nghi/<int:pk>/xu-ly/", views.nomination_act, name="act"),
    path("de-nghi/<int:pk>/ho-so/", views.dossier_upload, name="upload"),
    path("de-nghi/<int:pk>/ho-so/<int:file_pk>/", views.dossier_download, name="download"),
    path("thong-ke/", views.dashboard, name="dashboard"),
]
