"""Recompute the audit hash chains; print the first broken link and exit non-zero if there is one."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from audit.anchor import anchor_check, anchor_latest
from audit.context import origin
from audit.services import event_record
from audit.verify import chain_verify


class Command(BaseCommand):
    help = "Kiểm tra toàn vẹn nhật ký: tính lại mọi chuỗi băm và chỉ ra liên kết hỏng đầu tiên."

    def add_arguments(self, parser):
        parser.add_argument("--chain", help="Chỉ kiểm tra một chuỗi, ví dụ nomination:42")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Số tiến trình kiểm tra song song (PostgreSQL; cùng một ảnh chụp dữ liệu). Mặc định 1.",
        )
        parser.add_argument(
            "--anchor",
            help="Tệp mốc neo để đối chiếu (mặc định: tệp mới nhất trong AUDIT_ANCHOR_DIR)",
        )

    def handle(self, *args, chain=None, workers=1, anchor=None, **options):
        started = time.perf_counter()
        result = chain_verify(chain=chain, workers=max(1, workers), digest=True)
        # The chains prove the links; the anchor (signed outside the database) proves the heads were not moved.
        anchor_path = anchor or (anchor_latest() if chain is None else None)
        anchored = anchor_check(anchor_path) if anchor_path else None
        elapsed = time.perf_counter() - started
        # The verification is itself on record (its own chain), so the status page shows when the log was last proven.
        try:
            with origin("cli"):
                event_record(
                    action="audit.verify",
                    chain="audit:verify",
                    data={
                        "chain": chain or "",
                        **result.as_dict(),
                        **(anchored.as_dict() if anchored else {}),
                    },
                )
        except DatabaseError as exc:  # e.g. run against a read-only standby: the verification still stands
            self.stderr.write(f"Không ghi được kết quả kiểm tra vào nhật ký: {exc}")
        rate = result.events_checked / elapsed if elapsed else 0
        summary = (
            f"{result.events_checked} sự kiện, {result.chains_checked} chuỗi, {elapsed:.2f} giây "
            f"({rate:,.0f} sự kiện/giây)"
        )
        if not result.ok:
            b = result.first_break
            self.stderr.write(f"LIÊN KẾT HỎNG ĐẦU TIÊN: chuỗi {b.chain}, số thứ tự {b.seq}: {b.problem}")
            self.stderr.write(f"  mong đợi: {b.expected}")
            self.stderr.write(f"  thấy:     {b.found}")
            raise CommandError(f"Nhật ký không toàn vẹn. Đã kiểm tra {summary}.")
        if anchored is not None and not anchored.ok:
            first = anchored.problems[0]
            self.stderr.write(
                f"SAI LỆCH SO VỚI MỐC NEO {anchored.path} (khóa {anchored.key_id}, lúc {anchored.created_at}): "
                f"{len(anchored.problems)} vấn đề"
            )
            for problem in anchored.problems[:20]:
                self.stderr.write(f"  chuỗi {problem.chain}, số thứ tự {problem.seq}: {problem.problem}")
                if problem.expected or problem.found:
                    self.stderr.write(f"    mong đợi: {problem.expected}")
                    self.stderr.write(f"    thấy:     {problem.found}")
            raise CommandError(
                f"Nhật ký không khớp mốc neo (chuỗi {first.chain or '-'}). Đã kiểm tra {summary}."
            )
        self.stdout.write(self.style.SUCCESS(f"Nhật ký toàn vẹn: {summary}."))
        if anchored is not None:
            self.stdout.write(
                f"Khớp mốc neo {anchored.path} (khóa {anchored.key_id}, lúc {anchored.created_at}, "
                f"{anchored.heads_checked} đầu chuỗi)."
            )
        elif chain is None:
            self.stdout.write("Chưa có mốc neo để đối chiếu (chạy audit_anchor, hoặc lịch Celery beat).")
        # Publish this outside the database: a later run that prints another digest for the same heads means rewriting.
        self.stdout.write(f"Mã tổng hợp các đầu chuỗi (SHA-256): {result.heads_digest}")
