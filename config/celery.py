import os

from celery import Celery
from celery.signals import worker_process_init

from config.runtime import startup_objects_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("thidua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _startup_objects_freeze(**_kwargs):
    """Each prefork worker process, once forked with the tasks loaded (config.runtime)."""
    startup_objects_freeze()
