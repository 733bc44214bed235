from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = _("Đề nghị khen thưởng")
    default_auto_field = "django.db.models.BigAutoField"
