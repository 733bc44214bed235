from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from config.health import health
from web import urls as web


def favicon(request):
    """Browsers and pages outside base.html ask for /favicon.ico: send them to the icon (no 404 in every log)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Units, memberships and councils moved from the approvals app to organisation (docs/architecture.md).
    re_path(
        r"^admin/approvals/(?P<model>unit|membership|council)/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/organisation/%(model)s/%(rest)s", permanent=True, query_string=True),
        name="admin_moved",
    ),
    path("admin/", admin.site.urls),
    path("cong-dan-dong-khoi/", include(web.honours_patterns)),
    path("phong-trao/", include(web.movement_patterns)),
    path("ho-so-ca-nhan/", include(web.registry_patterns)),
    path("notifications/", include(web.notifications_patterns)),
    path("documents/", include(web.documents_patterns)),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("inspect/", include(web.inspect_patterns)),
    path("bao-cao/", include(web.reports_patterns)),
    path("api/", include("api.urls")),
    path("cong-khai/", include(web.public_patterns)),
    path("quyet-dinh/", include(web.decisions_patterns)),
    path("hop-hoi-dong/", include(web.council_patterns)),
    path("", include(web.nominations_patterns)),
]
handler400 = "web.errors.bad_request"
