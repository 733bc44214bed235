from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Đơn vị và phân quyền")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from organisation import (
            checks,  # noqa: F401  (organisation.E001–E003: no global review/sign/inspect grants)
            policy,
        )

        policy.connect_guards()
