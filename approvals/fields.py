"""A text column encrypted at rest: the passphrases of the signers' PKCS#12 files (`SignerProfile.pkcs12_passphrase`).

Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`) under `settings.SIGNER_SECRET_KEYS`, which come from the
environment, never from the database: a copy of the database (a backup, a replica, a read-only SQL account) holds the
PKCS#12 files and their passphrases only as ciphertext. The first key encrypts; every listed key decrypts, so keys
rotate by listing the new one first and running `manage.py signer_secrets_rotate`.

What it does not protect against: whoever holds both the database and the environment of the application (the
worker must open the key file to sign without a person present) — see docs/security.md.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Marks a stored ciphertext, so a value written before encryption is recognised and migrated.
PREFIX = "fernet:"


def _cipher():
    keys = settings.SIGNER_SECRET_KEYS
    if not keys:
        raise ImproperlyConfigured(
            "SIGNER_SECRET_KEYS is not set: signer passphrases cannot be stored or read (docs/security.md)."
        )
    return MultiFernet([Fernet(key) for key in keys])


def secret_encrypt(value):
    if not value:
        return ""
    return PREFIX + _cipher().encrypt(value.encode()).decode()


def secret_decrypt(stored):
    """The clear value of `stored`; a value without the prefix (written before encryption) is returned as it is."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    try:
        return _cipher().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A signer passphrase cannot be decrypted with SIGNER_SECRET_KEYS (was its key removed?)."
        ) from None


class EncryptedTextField(models.TextField):
    """Clear text in Python, Fernet ciphertext in the database."""

    def from_db_value(self, value, expression, connection):
        return secret_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return secret_encrypt(value)
