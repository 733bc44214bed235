from django.urls import path

from workflows import notification_views

app_name = "workflows"

# Mounted at notifications/ in config/urls.py.
urlpatterns = [
    path("", notification_views.notification_list, name="notifications"),
    path("<int:pk>/read/", notification_views.notification_read, name="notification_read"),
    path("read-all/", notification_views.notifications_read_all, name="notifications_read_all"),
    path("preference/", notification_views.notification_preference, name="notification_preference"),
]
