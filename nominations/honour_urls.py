from django.urls import path

from nominations import honour_views

app_name = "honours"

urlpatterns = [
    path("", honour_views.golden_book, name="golden_book"),
]
