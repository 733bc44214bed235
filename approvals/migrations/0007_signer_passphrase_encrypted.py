# The signers' PKCS#12 passphrases move from clear text to Fernet ciphertext (approvals/fields.py).

from django.db import migrations

import approvals.fields


def encrypt_existing(apps, schema_editor):
    """Encrypt the passphrases stored in clear before this migration (the field reads them back as they are)."""
    SignerProfile = apps.get_model("approvals", "SignerProfile")
    for profile in SignerProfile.objects.exclude(pkcs12_passphrase=""):
        profile.save(update_fields=["pkcs12_passphrase"])


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0006_merge_20261201_1138"),
    ]

    operations = [
        migrations.AlterField(
            model_name="signerprofile",
            name="pkcs12_passphrase",
            field=approvals.fields.EncryptedTextField(blank=True, verbose_name="mật khẩu tệp chứng thư số"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
