"""Deployment check: the audit anchors need a signing key kept outside the database."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def anchor_key_check(app_configs=None, **kwargs):
    if settings.AUDIT_ANCHOR_KEYS.get(settings.AUDIT_ANCHOR_KEY_ID or ""):
        return []
    return [
        Warning(
            "No key to sign audit anchors: the hash chains are then unprotected against a database-level rewrite.",
            hint="Set AUDIT_ANCHOR_KEYS=id:secret (32+ characters, from outside the database); see docs/security.md.",
            id="audit.W001",
        )
    ]
