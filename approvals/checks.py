"""Deployment check: the signers' key passphrases need an encryption key kept outside the database."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def signer_secret_key_check(app_configs=None, **kwargs):
    if settings.SIGNER_SECRET_KEYS:
        return []
    return [
        Warning(
            "No key to encrypt the signers' PKCS#12 passphrases: digital signatures cannot be configured.",
            hint="Set SIGNER_SECRET_KEYS to a Fernet key (Fernet.generate_key()); see docs/security.md.",
            id="approvals.W001",
        )
    ]
