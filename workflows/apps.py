from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workflows import checks, flows  # noqa: F401  (flow classes and their permissions; workflows.W001)
