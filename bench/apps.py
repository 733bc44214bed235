from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Registered only by bench.settings, so the bare-viewflow baseline flow has an app label to live under."""

    name = "bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
