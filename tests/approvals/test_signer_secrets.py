"""The signers' PKCS#12 passphrases are stored encrypted (approvals/fields.py), never shown back, and rotate keys."""

import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from approvals import signing
from approvals.checks import signer_secret_key_check
from approvals.models import SignerPosition, SignerProfile
from tests.factories import unit


def stored(profile):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pkcs12_passphrase FROM {SignerProfile._meta.db_table} WHERE id = %s", [profile.pk]
        )
        return cursor.fetchone()[0]


@pytest.fixture
def profile(people):
    signing.demo_pki_install(
        signers=[(people.chairman, unit("BT"), SignerPosition.HEAD)], passphrase="mật-khẩu-bí-mật"
    )
    return SignerProfile.objects.get(user=people.chairman)


def test_the_database_holds_ciphertext_and_the_signer_still_opens(profile):
    raw = stored(profile)
    assert raw.startswith("fernet:") and "mật-khẩu-bí-mật" not in raw
    assert SignerProfile.objects.get(pk=profile.pk).pkcs12_passphrase == "mật-khẩu-bí-mật"
    assert signing._signer(profile) is not None


def test_a_passphrase_stored_in_clear_before_is_encrypted_by_the_migration(profile):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SignerProfile._meta.db_table} SET pkcs12_passphrase = %s WHERE id = %s",
            ["cũ-trong-suốt", profile.pk],
        )
    assert SignerProfile.objects.get(pk=profile.pk).pkcs12_passphrase == "cũ-trong-suốt"  # still readable
    migration = importlib.import_module("approvals.migrations.0007_signer_passphrase_encrypted")
    migration.encrypt_existing(django_apps, None)
    assert stored(profile).startswith("fernet:")
    assert SignerProfile.objects.get(pk=profile.pk).pkcs12_passphrase == "cũ-trong-suốt"


def test_keys_rotate_and_a_removed_key_is_a_clear_error(profile, settings):
    old = settings.SIGNER_SECRET_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.SIGNER_SECRET_KEYS = [new, old]
    before = stored(profile)
    call_command("signer_secrets_rotate")
    after = stored(profile)
    assert after != before
    settings.SIGNER_SECRET_KEYS = [new]  # the old key removed: the rotated value still opens
    assert SignerProfile.objects.get(pk=profile.pk).pkcs12_passphrase == "mật-khẩu-bí-mật"
    settings.SIGNER_SECRET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        SignerProfile.objects.get(pk=profile.pk)


def test_without_a_key_nothing_is_stored_and_the_deploy_check_warns(people, settings):
    settings.SIGNER_SECRET_KEYS = []
    assert [w.id for w in signer_secret_key_check()] == ["approvals.W001"]
    with pytest.raises(ImproperlyConfigured):
        SignerProfile.objects.create(
            user=people.chairman, issuer=unit("BT"), position=SignerPosition.HEAD, pkcs12_passphrase="x"
        )


def test_the_admin_never_sends_the_passphrase_back_and_blank_keeps_it(profile, client, people):
    admin_user = people.admin
    client.force_login(admin_user)
    url = reverse("admin:approvals_signerprofile_change", args=[profile.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "mật-khẩu-bí-mật" not in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "pkcs12"}
    data["pkcs12_passphrase"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SignerProfile.objects.get(pk=profile.pk).pkcs12_passphrase == "mật-khẩu-bí-mật"
    data["pkcs12_passphrase"] = "mới"
    client.post(url, data)
    assert SignerProfile.objects.get(pk=profile.pk).pkcs12_passphrase == "mới"
