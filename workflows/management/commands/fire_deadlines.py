"""One deadline scan, for cron: reminders, escalations and viewflow's due timers (what the beat does each minute)."""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date
from viewflow.workflow.timers import fire_due_timers

from audit.context import origin
from workflows import reminders


class Command(BaseCommand):
    help = (
        "Gửi nhắc hạn, chuyển cấp trên các việc quá hạn và kích hoạt bộ hẹn giờ của quy trình (chạy một lần)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày quét (YYYY-MM-DD), mặc định hôm nay; chỉ dùng để chạy bù.")

    def handle(self, *args, **options):
        today = parse_date(options["date"]) if options.get("date") else None
        with origin("cli"):
            sent = reminders.deadlines_scan(today)
            fired = fire_due_timers()
        summary = ", ".join(f"{stage}: {count}" for stage, count in sorted(sent.items())) or "không có"
        self.stdout.write(f"Nhắc hạn/chuyển cấp đã gửi: {summary}. Bộ hẹn giờ đã kích hoạt: {fired}.")
