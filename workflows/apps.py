from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workflows import flows  # noqa: F401  (register flow classes and their permissions)
