from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký kiểm tra")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from audit import checks, receivers  # noqa: F401  (login/logout/lockout events; the anchor key check)
