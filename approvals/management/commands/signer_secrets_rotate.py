"""Re-encrypt every signer passphrase under the first of SIGNER_SECRET_KEYS (after a new key was listed first).

The clear value does not change (nothing to audit); only its ciphertext does. Run it before removing an old key.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from approvals.models import SignerProfile


class Command(BaseCommand):
    help = "Mã hóa lại mật khẩu tệp chứng thư số của người ký bằng khóa đầu tiên của SIGNER_SECRET_KEYS."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            # Read with any listed key, written under the first one (approvals/fields.py).
            for profile in SignerProfile.objects.exclude(pkcs12_passphrase="").select_for_update():
                profile.save(update_fields=["pkcs12_passphrase"])
                count += 1
        self.stdout.write(f"Đã mã hóa lại {count} mật khẩu.")
