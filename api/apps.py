from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API tích hợp")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from api import receivers  # noqa: F401  (connects the token-ending receivers)
