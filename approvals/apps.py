from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Xét duyệt và quyết định")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from approvals import checks  # noqa: F401  (approvals.W001: the signer passphrase key)
