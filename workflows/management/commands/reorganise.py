"""Preview or apply a reorganisation plan (merge, split, rename, move, dissolve units on a date)."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.context import origin
from workflows.reorganisation import REPORT_LABELS, reorganisation_apply, reorganisation_preview


class Command(BaseCommand):
    help = (
        "Xem trước (mặc định) hoặc thực hiện (--apply) phương án sắp xếp đơn vị từ tệp JSON. Chạy lại cùng "
        "phương án sẽ làm tiếp phần còn dở và không thay đổi gì nếu đã xong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Tệp JSON: code, effective_on, reason, operations.")
        parser.add_argument("--apply", action="store_true", help="Thực hiện (không có: chỉ xem trước).")
        parser.add_argument("--user", help="Tài khoản quản trị ghi vào nhật ký (bắt buộc khi --apply).")

    def handle(self, *args, file, apply, user, **options):
        try:
            plan = json.loads(file.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Không đọc được tệp / cannot read {file}: {error}") from error
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản / no user {user}")
        if apply and actor is None:
            raise CommandError("--apply cần --user / --apply needs --user")
        try:
            with origin("cli"):
                if apply:
                    report = reorganisation_apply(plan=plan, actor=actor)
                else:
                    report = reorganisation_preview(plan=plan, actor=actor)
        except ValidationError as error:
            raise CommandError("Phương án có lỗi / plan refused:\n" + "\n".join(error.messages)) from error
        self.stdout.write("ĐÃ THỰC HIỆN / APPLIED" if apply else "XEM TRƯỚC / PREVIEW (nothing changed)")
        for key, label in REPORT_LABELS.items():
            rows = report[key]
            self.stdout.write(f"{label}: {len(rows)}")
            for row in rows:
                self.stdout.write("  " + " · ".join(str(value) for value in row))
