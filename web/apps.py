from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Every server-rendered page: views, forms, URL patterns and template tags. No models, no rules."""

    name = "web"
    verbose_name = _("Giao diện web")
