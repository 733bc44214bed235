from django.urls import path

from nominations import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.posted_list, name="posted"),
    path("gop-y/<int:posting_pk>/", public_views.feedback_send, name="feedback"),
    path("so-vang/", public_views.honour_roll, name="honour_roll"),
    path("xac-minh/<str:code>/", public_views.verify, name="verify"),
]
