from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from config.health import health

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("cong-dan-dong-khoi/", include("nominations.honour_urls")),
    path("notifications/", include("workflows.urls")),
    path("documents/", include("approvals.document_urls")),
    path("health/", health, name="health"),
    path("inspect/", include("audit.urls")),
    path("api/", include("api.urls")),
    path("cong-khai/", include("nominations.public_urls")),
    path("quyet-dinh/", include("approvals.urls")),
    path("", include("nominations.urls")),
]
