"""Deployment check: the periodic tasks (deadlines, reminders, anchors) must be sent by exactly one beat."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def single_beat_check(app_configs=None, **kwargs):
    if settings.BEAT_LOCKED:
        return []
    return [
        Warning(
            "The broker is not Redis: nothing stops a second Celery beat from sending every periodic task twice.",
            hint="Use a Redis broker (the beat then holds a lock, celery-redbeat) or make sure exactly one beat "
            "runs; see docs/deployment.md.",
            id="workflows.W001",
        )
    ]
