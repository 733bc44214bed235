"""Sign the current audit chain heads into an anchor file outside the database (also run by Celery beat)."""

from django.core.management.base import BaseCommand, CommandError

from audit.anchor import AnchorKeyMissing, anchor_write
from audit.context import origin


class Command(BaseCommand):
    help = "Neo nhật ký: ký (HMAC) các đầu chuỗi hiện tại vào một tệp ngoài cơ sở dữ liệu."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Thư mục ghi tệp mốc neo (mặc định AUDIT_ANCHOR_DIR)")

    def handle(self, *args, dir=None, **options):
        try:
            with origin("cli"):
                path = anchor_write(directory=dir)
        except AnchorKeyMissing as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(f"Đã ghi mốc neo: {path}"))
